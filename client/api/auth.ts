/**
 * Who may call /v1: a bearer token from RESCIND_API_TOKENS, compared in constant time.
 *
 * Without tokens the API serves /v1 unauthenticated, and so refuses to start unless it listens on
 * a loopback address only (local development); on any other address tokens are required.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** True when the Authorization header carries one of the tokens. */
export function bearerAllowed(header: string | undefined, tokens: readonly string[]): boolean {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const given = digest(match[1]!);
  // Compare fixed-length digests against every token (no early exit), so the time taken says
  // nothing about how much of a token matched or which one did.
  let allowed = false;
  for (const token of tokens) allowed = timingSafeEqual(digest(token), given) || allowed;
  return allowed;
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Thrown when the API would be open to the network without a token. */
export class ApiAuthConfigError extends Error {
  constructor(host: string) {
    super(
      `RESCIND_API_TOKENS is empty and the API would listen on ${host}: set RESCIND_API_TOKENS (comma-separated bearer tokens), or listen on 127.0.0.1 for local use`,
    );
    this.name = 'ApiAuthConfigError';
  }
}

/** Whether /v1 requires a token; throws when no tokens are set and the host is not loopback. */
export function requireTokens(host: string, tokens: readonly string[]): boolean {
  if (tokens.length > 0) return true;
  if (isLoopback(host)) return false;
  throw new ApiAuthConfigError(host);
}
