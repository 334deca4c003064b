/**
 * Reads Prometheus' text exposition format for the metrics tests: every sample by its name and
 * labels, and the difference between two scrapes.
 */

/** `name{a="x",b="y"}` with the labels sorted, so a sample reads the same whatever their order. */
export const seriesKey = (name: string, labels: Record<string, string> = {}): string => {
  const pairs = Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`);
  return pairs.length ? `${name}{${pairs.join(',')}}` : name;
};

/** Every sample of a scrape, by series key. */
export function parseSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    samples.set(seriesKey(match[1]!, labels), Number(match[3]));
  }
  return samples;
}

/** The samples of `name` that changed between two scrapes, and by how much (absent before counts as 0). */
export function deltas(before: Map<string, number>, after: Map<string, number>, name: string): Record<string, number> {
  const changed: Record<string, number> = {};
  for (const [key, value] of after) {
    if (key !== name && !key.startsWith(`${name}{`)) continue;
    const delta = value - (before.get(key) ?? 0);
    if (delta !== 0) changed[key] = delta;
  }
  return changed;
}
