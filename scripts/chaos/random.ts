/**
 * A small seeded PRNG (mulberry32), so a chaos run's plan (orders, fault kinds, kill timings) is
 * the same for the same seed. The interleaving of real processes still varies from run to run.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** One of the items, chosen by the weight beside each. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** An independent stream for one part of the run, so adding draws in one part leaves the others alone. */
  fork(label: string): Random;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (items) => {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [item, weight] of items) {
        roll -= weight;
        if (roll < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    fork: (label) => seededRandom(seed ^ hash(label)),
  };
}

/** A fresh seed when the caller gave none (printed, so the run can be repeated). */
export const newSeed = (): number => Math.floor(Math.random() * 2 ** 31);

function hash(text: string): number {
  let h = 2_166_136_261;
  for (const char of text) h = Math.imul(h ^ char.charCodeAt(0), 16_777_619);
  return h >>> 0;
}
