/** The provider sandbox in its own process (`rescind sandbox`), as the benchmarks run it. */
import { freePort } from '../dev-server.js';
import { startRescindProcess, type RescindProcess } from './rescind-process.js';

export interface SandboxProcess {
  url: string;
  process: RescindProcess;
  stop(): Promise<void>;
}

export async function startSandboxProcess(keyDir: string): Promise<SandboxProcess> {
  const port = await freePort();
  // Nothing listens for notifications here: the benchmarks' orders never get paid.
  const sandbox = await startRescindProcess(
    ['sandbox', '--port', String(port), '--keys', keyDir, '--notify-url', 'http://127.0.0.1:9/notify/{provider}'],
    process.env,
    /\[rescind\] sandbox on (\S+)/,
  );
  return { url: sandbox.ready[1]!, process: sandbox, stop: () => sandbox.stop() };
}
