/**
 * docker-compose.yml exposes nothing beyond the machine it runs on: published ports bind to
 * 127.0.0.1 (the sandbox's /_admin is unauthenticated and serves the test credentials), and the
 * API token comes from the environment, required, never a value written in the file.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const text = readFileSync('docker-compose.yml', 'utf8');
const compose = parse(text, { merge: true }) as {
  services: Record<string, { ports?: string[]; environment?: Record<string, string> }>;
};
const readme = readFileSync('README.md', 'utf8');

describe('docker-compose.yml (item 14)', () => {
  it('publishes every port on 127.0.0.1 only', () => {
    const published = Object.entries(compose.services).flatMap(([service, s]) =>
      (s.ports ?? []).map((port) => ({ service, port })),
    );
    expect(published.map((p) => p.service).sort()).toEqual(['api', 'sandbox', 'temporal', 'temporal-ui', 'worker']);
    for (const p of published)
      expect(p).toEqual({ service: p.service, port: expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/) });
  });

  it('requires RESCIND_API_TOKENS from the environment and writes no token down', () => {
    expect(compose.services.api?.environment?.RESCIND_API_TOKENS).toMatch(/^\$\{RESCIND_API_TOKENS:\?.+\}$/);
    expect(text).not.toContain('change-me-local-token');
  });

  it('the README says so', () => {
    const docker = readme.slice(readme.indexOf('docker compose up'));
    expect(docker.slice(0, 800)).toContain('RESCIND_API_TOKENS');
    expect(docker.slice(0, 800)).toContain('127.0.0.1');
  });
});

describe('README configuration table (item 13)', () => {
  it('lists RESCIND_WORKER_RECONCILE_ONLY', () => {
    expect(readme).toMatch(/^\| `RESCIND_WORKER_RECONCILE_ONLY` \|/m);
  });
});
