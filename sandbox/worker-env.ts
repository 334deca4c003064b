/** The environment that points a Rescind worker (or API) at a running sandbox, for every simulated provider. */
import { SIMULATORS } from './providers/index.js';

export function sandboxWorkerEnv(sandboxUrl: string, keyDir: string): Record<string, string> {
  const base = sandboxUrl.replace(/\/+$/, '');
  return Object.assign({}, ...SIMULATORS.map((simulator) => simulator.workerEnv(base, keyDir)));
}
