/**
 * The Temporal dev server of a chaos run: on a fixed port with its history in a SQLite file, so it
 * can be killed with SIGKILL and started again on the same port and file with every run intact.
 */
import { startDevServer, type DevServer } from '../dev-server.js';

export class ChaosTemporalServer {
  restarts = 0;
  private constructor(
    private server: DevServer,
    private readonly options: { port: number; dbFile: string; logFile: string },
  ) {}

  static async start(options: { dbFile: string; logFile: string }): Promise<ChaosTemporalServer> {
    const server = await startDevServer({ headless: true, dbFile: options.dbFile, logFile: options.logFile });
    const port = Number(server.address.split(':').pop());
    return new ChaosTemporalServer(server, { ...options, port });
  }

  get address(): string {
    return this.server.address;
  }

  /** kill -9, wait `downMs`, start again on the same port and database; resolves once it answers. */
  async crashAndRestart(downMs: number): Promise<void> {
    const child = this.server.process;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    await new Promise((resolve) => setTimeout(resolve, downMs));
    const { port, dbFile, logFile } = this.options;
    this.server = await startDevServer({ headless: true, port, dbFile, logFile });
    this.restarts += 1;
  }

  killNow(): void {
    if (this.server.process.exitCode === null) this.server.process.kill('SIGKILL');
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
