/**
 * The codec server: Temporal's remote codec protocol over HTTP, so the Temporal UI and CLI can show
 * payloads the workers encrypted (platform/codec.ts) without the keys ever reaching Temporal.
 *
 *   POST <any prefix>/decode   {"payloads":[{"metadata":{"encoding":"<base64>"},"data":"<base64>"}]}
 *   POST <any prefix>/encode   the same shape both ways (proto3 JSON, bytes as base64)
 *
 * Only the last path segment counts (`/default/decode` works too); X-Namespace is accepted and the
 * same keys serve every namespace. Bad JSON or a payload that will not open is a 400 naming the
 * reason (and the key id); a bearer token is required when RESCIND_CODEC_TOKEN is set, and the
 * server refuses a non-loopback address without one. Browsers may call it from the origins in
 * RESCIND_CODEC_CORS_ORIGIN only (the UI's origin). Payload contents are never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PAYLOAD_KEYS_VARIABLE,
  parsePayloadKeys,
  PayloadCodecError,
  PayloadEncryptionCodec,
  payloadFromJson,
  payloadToJson,
  type PayloadKey,
} from './codec.js';
import { ConfigError, loadOrThrow, port, readVariables, text, type Env } from './env.js';

/** The local dev server's UI (`temporal server start-dev` serves it on port 8233). */
export const DEV_UI_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];

export const CODEC_SERVER_ENV = {
  RESCIND_CODEC_HOST: text.default('127.0.0.1'),
  RESCIND_CODEC_PORT: port.default(4200),
  // Comma-separated origins of the Temporal UI allowed to call from a browser.
  RESCIND_CODEC_CORS_ORIGIN: text.optional(),
  RESCIND_CODEC_TOKEN: text.optional(),
};

export interface CodecServerSettings {
  keys: PayloadKey[];
  host: string;
  port: number;
  corsOrigins: string[];
  token?: string;
}

/** An origin is scheme://host[:port], nothing after it (browsers send exactly that). */
const ORIGIN = /^https?:\/\/[^/\s?#]+$/;

export function readCodecServerSettings(env: Env, problems: string[]): CodecServerSettings {
  const v = readVariables({ ...CODEC_SERVER_ENV, [PAYLOAD_KEYS_VARIABLE]: text.optional() }, env, problems);
  const value = v[PAYLOAD_KEYS_VARIABLE];
  if (!value)
    problems.push(`${PAYLOAD_KEYS_VARIABLE}: required by the codec server (the same keys the workers encrypt with)`);
  const corsOrigins = v.RESCIND_CODEC_CORS_ORIGIN
    ? v.RESCIND_CODEC_CORS_ORIGIN.split(',')
        .map((o) => o.trim().replace(/\/$/, ''))
        .filter(Boolean)
    : DEV_UI_ORIGINS;
  for (const origin of corsOrigins.filter((o) => !ORIGIN.test(o))) {
    problems.push(
      `RESCIND_CODEC_CORS_ORIGIN: ${JSON.stringify(origin.slice(0, 80))} is not an origin like http://localhost:8233`,
    );
  }
  return {
    keys: value ? parsePayloadKeys(value, problems) : [],
    host: v.RESCIND_CODEC_HOST,
    port: v.RESCIND_CODEC_PORT,
    corsOrigins,
    token: v.RESCIND_CODEC_TOKEN,
  };
}

export const loadCodecServerSettings = (env: Env = process.env): CodecServerSettings =>
  loadOrThrow(readCodecServerSettings, env);

export interface CodecServerOptions {
  keys: PayloadKey[];
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  corsOrigins?: string[];
  token?: string;
  /** Where one line per refused or failed request goes (default stderr). */
  log?: (line: string) => void;
}

export interface CodecServer {
  url: string;
  close(): Promise<void>;
}

const BODY_LIMIT = 8 * 1024 * 1024;
const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
const isLoopback = (host: string) => /^(localhost|::1|\[::1\]|127(\.\d{1,3}){3})$/i.test(host);

/** Compared as fixed-length digests in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new HttpError(413, `the body is larger than ${BODY_LIMIT} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The request's payloads; a 400 naming what is wrong. */
function parsePayloads(body: string) {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'the body is not JSON: send {"payloads":[...]} (proto3 JSON)');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new HttpError(400, 'the body must be {"payloads":[...]}');
  // proto3 JSON leaves out an empty repeated field.
  const { payloads = [] } = json as { payloads?: unknown };
  if (!Array.isArray(payloads)) throw new HttpError(400, '"payloads" must be an array');
  return payloads.map((p, i) => {
    try {
      return payloadFromJson(p);
    } catch (err) {
      throw new HttpError(400, `payloads[${i}]: ${(err as Error).message}`);
    }
  });
}

export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const host = options.host ?? '127.0.0.1';
  if (!options.token && !isLoopback(host)) {
    throw new ConfigError([
      `RESCIND_CODEC_TOKEN: required when the codec server listens on ${host} (anyone reaching it could decrypt history); or listen on 127.0.0.1`,
    ]);
  }
  const codec = new PayloadEncryptionCodec(options.keys);
  const origins = new Set(options.corsOrigins ?? DEV_UI_ORIGINS);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) return void res.writeHead(status).end();
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      // Browsers send Origin; only the UI's origin may read answers (and a text/plain POST from
      // another site, which skips the preflight, is refused outright).
      if (!origins.has(origin))
        throw new HttpError(403, `origin ${origin.slice(0, 80)} is not in RESCIND_CODEC_CORS_ORIGIN`);
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      res.setHeader('access-control-allow-headers', 'Authorization, Content-Type, X-Namespace');
      res.setHeader('access-control-max-age', '600');
      return send(res, 204);
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const action = path.replace(/\/+$/, '').split('/').pop();
    if (action !== 'encode' && action !== 'decode') throw new HttpError(404, 'POST to .../encode or .../decode');
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST, OPTIONS');
      throw new HttpError(405, `${action} takes POST`);
    }
    if (options.token && !bearerMatches(req.headers.authorization, options.token)) {
      res.setHeader('www-authenticate', 'Bearer');
      throw new HttpError(401, 'send Authorization: Bearer <RESCIND_CODEC_TOKEN>');
    }
    const payloads = parsePayloads(await readBody(req));
    const result = action === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
    send(res, 200, { payloads: result.map(payloadToJson) });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const namespace = String(req.headers['x-namespace'] ?? '-').slice(0, 100);
      const status = err instanceof HttpError ? err.status : err instanceof PayloadCodecError ? 400 : 500;
      const message = err instanceof Error ? err.message : String(err);
      const keyId = err instanceof PayloadCodecError ? err.keyId : undefined;
      log(
        `[codec-server] ${req.method} ${(req.url ?? '').split('?')[0]!.slice(0, 200)} namespace=${namespace} → ${status}: ${message}`,
      );
      if (!res.headersSent)
        send(res, status, { error: message, ...(err instanceof PayloadCodecError ? { type: err.type, keyId } : {}) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
