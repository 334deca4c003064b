/**
 * The sandbox's route table: WeChat Pay is served at the root as well as under /wechatpay, and no
 * root route can be taken for another provider's. Every root route is the alias of exactly one
 * provider's prefixed route, and each root-served provider owns its own first path segment.
 */
import { SIMULATORS } from '../../sandbox/providers/index.js';
import { buildSandbox, ROOT_ALIASED } from '../../sandbox/server.js';
import { FIXTURE_KEYS } from '../helpers/sandbox.js';

interface Served {
  method: string;
  url: string;
}

/** Every route the sandbox registers, as fastify reports them while it loads. */
async function routeTable(): Promise<Served[]> {
  const { app } = buildSandbox({ keyDir: FIXTURE_KEYS });
  const routes: Served[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  await app.ready();
  await app.close();
  return routes;
}

const prefixOwner = (url: string) => SIMULATORS.find((s) => url.startsWith(`/${s.id}/`))?.id;
const named = (r: Served) => `${r.method} ${r.url}`;

it('every root route is the alias of exactly one provider route; Ping++ owns /v1, WeChat Pay /v3', async () => {
  const routes = await routeTable();
  const atRoot = routes.filter((r) => !r.url.startsWith('/_admin') && prefixOwner(r.url) === undefined);
  const serves = (id: string, r: Served) => routes.some((p) => p.method === r.method && p.url === `/${id}${r.url}`);
  const aliasOf = (r: Served) => SIMULATORS.filter((s) => serves(s.id, r)).map((s) => s.id);
  expect(atRoot.filter((r) => aliasOf(r).length !== 1).map(named)).toEqual([]);

  const segmentsBy = new Map<string, Set<string>>();
  for (const r of atRoot) {
    const owner = aliasOf(r)[0]!;
    segmentsBy.set(owner, (segmentsBy.get(owner) ?? new Set()).add(r.url.split('/')[1]!));
  }
  const segments = Object.fromEntries([...segmentsBy].map(([id, s]) => [id, [...s]]));
  expect(segments).toEqual({ pingpp: ['v1'], wechatpay: ['v3'] });
  expect(Object.keys(segments).sort()).toEqual([...ROOT_ALIASED].sort());
});

it('all WeChat Pay routes are served at both mounts', async () => {
  const routes = await routeTable();
  const prefixed = routes
    .filter((r) => prefixOwner(r.url) === 'wechatpay')
    .map((r) => named({ ...r, url: r.url.slice('/wechatpay'.length) }));
  const root = routes.filter((r) => r.url.startsWith('/v3/')).map(named);
  expect(prefixed.length).toBeGreaterThanOrEqual(6);
  expect(root.sort()).toEqual(prefixed.sort());
});
