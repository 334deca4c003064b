/**
 * A worker's metrics endpoint on RESCIND_METRICS_ADDRESS: GET /metrics answers the Temporal SDK's
 * worker metrics followed by Rescind's, so one scrape carries both. The SDK's Prometheus exporter
 * owns the port it binds, so it listens on a loopback port of its own and is read from here.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { hostForUrl, type MetricsAddress } from './address.js';

export interface MetricsEndpoint {
  /** http://host:port/metrics */
  url: string;
  close(): Promise<void>;
}

export interface MetricsEndpointOptions {
  address: MetricsAddress;
  registry: Registry;
  /** The SDK exporter's /metrics; absent when this process runs no SDK exporter. */
  sdkMetricsUrl?: string;
}

/** A loopback port nobody listens on now, for the SDK's exporter (its bind address takes no port 0 answer back). */
export async function freeLoopbackAddress(): Promise<string> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

/** The SDK's metrics text, or a comment saying why there is none (Rescind's are served regardless). */
async function sdkMetrics(url: string | undefined): Promise<string> {
  if (!url) return '';
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return `# Temporal SDK metrics unavailable: HTTP ${res.status}\n`;
    const text = await res.text();
    return text.endsWith('\n') || text === '' ? text : `${text}\n`;
  } catch (err) {
    return `# Temporal SDK metrics unavailable: ${(err as Error).message}\n`;
  }
}

export async function startMetricsEndpoint(options: MetricsEndpointOptions): Promise<MetricsEndpoint> {
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('metrics are served at GET /metrics\n');
      return;
    }
    const body = (await sdkMetrics(options.sdkMetricsUrl)) + (await options.registry.metrics());
    res.writeHead(200, { 'content-type': options.registry.contentType }).end(req.method === 'HEAD' ? undefined : body);
  };
  const server = createServer((req, res) => {
    answer(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`metrics failed: ${err.message}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.address.port, options.address.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${hostForUrl(options.address.host)}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper keeps its connection alive between scrapes.
        server.closeAllConnections();
      }),
  };
}
