/**
 * The Grafana dashboard in ops/grafana reads only metrics Rescind exports: every rescind_* name in
 * its queries is one the API or a worker serves (histograms with their _bucket, _count and _sum),
 * and it has the panels the README promises.
 */
import { readFileSync } from 'node:fs';
import { exportedRescindNames } from './exported-metrics.js';

interface Panel {
  title: string;
  datasource: { uid: string };
  targets: { expr: string }[];
}
const dashboard = JSON.parse(readFileSync('ops/grafana/rescind-dashboard.json', 'utf8')) as {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; definition?: string }[] };
};

const queries = (): string[] => [
  ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
  ...dashboard.templating.list.flatMap((v) => (v.definition ? [v.definition] : [])),
];

it('every metric the dashboard queries is one Rescind exports', () => {
  const exported = exportedRescindNames();
  const used = new Set(queries().flatMap((q) => q.match(/\brescind_\w+/g) ?? []));
  expect(used.size).toBeGreaterThan(0);
  expect([...used].filter((name) => !exported.has(name))).toEqual([]);
  // And each panel reads at least one of them, through the dashboard's data source variable.
  for (const panel of dashboard.panels) {
    expect(panel.targets.length).toBeGreaterThan(0);
    for (const target of panel.targets) expect(target.expr).toMatch(/\brescind_\w+/);
    expect(panel.datasource.uid).toBe('${datasource}');
  }
});

it('has the panels the README lists: error rate, call latency, open reviews, refund totals', () => {
  const titles = dashboard.panels.map((p) => p.title);
  for (const wanted of ['Provider error rate', 'Provider call latency', 'Open reviews', 'Refund totals'])
    expect(titles.some((t) => t.startsWith(wanted))).toBe(true);
  expect(dashboard.uid).toBe('rescind');
});
