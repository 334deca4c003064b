/** The command line of `npm run chaos`. */
import { newSeed } from './random.js';

export interface ChaosOptions {
  orders: number;
  seed: number;
  /** Share of provider requests to fault. */
  faultRate: number;
  /** Worker processes (one of them is killed at a time). */
  workers: number;
  /** Runs open at once at most: orders are started as earlier ones settle. */
  inFlight: number;
  /** Chaos lasts until every run has settled, or this long from the first start. */
  chaosS: number;
  /** Give up waiting when no run has settled (or started) for this long. */
  stallS: number;
  keep: boolean;
  /** Every worker start is a new build, made current once ready (chaos/rollouts.ts). */
  rollouts: boolean;
}

export const USAGE =
  'npm run chaos -- [N] [--seed S] [--fault-rate R] [--workers K] [--in-flight F] [--chaos-seconds C] ' +
  '[--stall-seconds T] [--rollouts] [--keep]';

const BOOLEAN_FLAGS = ['--keep', '--rollouts'];
const FLAGS_WITH_VALUE = ['--seed', '--fault-rate', '--workers', '--in-flight', '--chaos-seconds', '--stall-seconds'];

export function parseChaosOptions(argv: string[]): ChaosOptions {
  const unknown = argv.filter((a) => a.startsWith('--') && !BOOLEAN_FLAGS.includes(a) && !FLAGS_WITH_VALUE.includes(a));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(', ')}; usage: ${USAGE}`);
  const number = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (argv[i + 1] === undefined || !Number.isFinite(n) || n < 0) {
      throw new Error(`${flag} takes a non-negative number, got ${argv[i + 1] ?? 'nothing'}`);
    }
    return n;
  };
  const positional = argv.filter((a, i) => !a.startsWith('--') && !FLAGS_WITH_VALUE.includes(argv[i - 1] ?? ''));
  const orders = positional[0] === undefined ? 100 : Number(positional[0]);
  if (!Number.isInteger(orders) || orders < 1) {
    throw new Error(`N must be a positive whole number, got ${positional[0]}`);
  }
  const faultRate = number('--fault-rate', 0.2);
  if (faultRate > 1) throw new Error(`--fault-rate is a share between 0 and 1, got ${faultRate}`);
  return {
    orders,
    seed: Math.floor(number('--seed', newSeed())),
    faultRate,
    workers: Math.max(1, Math.floor(number('--workers', 2))),
    // The dev server keeps its history in one SQLite file: a few hundred busy runs at once swamp it on a small machine.
    inFlight: Math.max(1, Math.floor(number('--in-flight', 50))),
    // About one settled run a second under chaos on two busy cores: long enough to keep the chaos on to the last order.
    chaosS: number('--chaos-seconds', 60 + orders),
    // Well past the 30 s start-to-close timeout after which an activity lost with a killed worker is tried again.
    stallS: number('--stall-seconds', 150),
    keep: argv.includes('--keep'),
    rollouts: argv.includes('--rollouts'),
  };
}
