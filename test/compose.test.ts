/**
 * docker-compose.yml cannot run here (no Docker engine), so check what can be checked: it parses,
 * pins every image, sets for our services only variables the config loader knows (and node's own
 * NODE_OPTIONS), and starts the worker with its heap limit.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { KNOWN_ENV_VARS, loadConfig } from '../worker/config.js';
import { DEFAULT_SHUTDOWN_GRACE_SECONDS, WORKER_HEAP_MIB } from '../worker/tuning.js';

const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: string;
      environment?: Record<string, string>;
      command?: string[];
      ports?: string[];
      stop_grace_period?: string;
      depends_on?: Record<string, { condition: string }>;
    }
  >;
};
const readme = readFileSync('README.md', 'utf8');
const dockerfile = readFileSync('Dockerfile', 'utf8');
// Read by node itself when it starts, not by Rescind's config loader.
const NODE_ENV_VARS = ['NODE_OPTIONS'];
const ours = Object.entries(compose.services).filter(([, s]) => s.build);

describe('docker-compose.yml', () => {
  it('runs Temporal on PostgreSQL with the UI, and builds the worker, API and sandbox from this repo', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'worker', 'api', 'sandbox']),
    );
    expect(compose.services.temporal?.environment?.DB).toBe('postgres12');
    expect(ours.map(([name]) => name).sort()).toEqual(['api', 'sandbox', 'setup', 'worker']);
  });

  it("registers Rescind's search attributes with rescind setup before the worker starts", () => {
    expect(compose.services.setup?.command).toEqual(['setup']);
    expect(compose.services.worker?.depends_on?.setup).toEqual({ condition: 'service_completed_successfully' });
  });

  it('pins every image to a version tag', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image)
        expect({ name, image: service.image }).toEqual({ name, image: expect.stringMatching(/:\d[\w.-]*$/) });
    }
  });

  it('sets only variables the config loader reads, with values it accepts', () => {
    for (const [name, service] of ours) {
      const env = service.environment ?? {};
      const unknown = Object.keys(env).filter((k) => !KNOWN_ENV_VARS.includes(k) && !NODE_ENV_VARS.includes(k));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
      // Key files exist only inside the containers: check the values without reading them.
      const withoutFiles = Object.fromEntries(
        Object.entries(env).filter(
          ([k]) => !k.endsWith('_PATH') && !k.startsWith('WECHATPAY_') && !k.startsWith('PINGPP_'),
        ),
      );
      expect(() => loadConfig(withoutFiles)).not.toThrow();
    }
  });

  it('runs each of our services through a CLI command that exists', () => {
    expect(ours.map(([, s]) => s.command?.[0]).sort()).toEqual(['api', 'sandbox', 'setup', 'worker']);
  });

  it('the worker serves Prometheus metrics on a published loopback port, where the README scrapes it', () => {
    const worker = compose.services.worker!;
    const address = worker.environment?.RESCIND_METRICS_ADDRESS ?? '';
    // 0.0.0.0 inside the container, so Docker can forward to it; the host side stays on 127.0.0.1.
    expect(address).toMatch(/^0\.0\.0\.0:\d+$/);
    const port = address.split(':')[1];
    expect(worker.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    // README "Metrics": the rescind-worker scrape target.
    expect(readme).toContain(`job_name: rescind-worker\n    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`);
    // The API serves its /metrics on its own published port; the variable is the worker's only.
    expect(compose.services.api?.environment?.RESCIND_METRICS_ADDRESS).toBeUndefined();
  });

  it('starts the worker, and only the worker, with the V8 heap limit worker/tuning.ts gives it', () => {
    // A heap flag must be given when node starts (worker/tuning.ts); x-rescind-env is shared with the API.
    expect(compose.services.worker?.environment?.NODE_OPTIONS).toBe(`--max-old-space-size=${WORKER_HEAP_MIB}`);
    expect(compose.services.api?.environment?.NODE_OPTIONS).toBeUndefined();
    expect(compose.services.sandbox?.environment?.NODE_OPTIONS).toBeUndefined();
    // One image runs all three services, so the flag cannot live in it.
    expect(dockerfile).not.toContain('max-old-space-size');
  });

  it('gives a stopping worker longer than its shutdown grace before Docker kills it', () => {
    const grace = compose.services.worker?.stop_grace_period ?? '10s';
    expect(grace).toMatch(/^\d+s$/);
    expect(Number.parseInt(grace, 10)).toBeGreaterThan(DEFAULT_SHUTDOWN_GRACE_SECONDS);
  });
});
