/**
 * Payload encryption: a Temporal payload codec that seals every payload with AES-256-GCM before it
 * leaves the process, so Temporal's history holds ciphertext only (the server, its database and the
 * UI without the codec server never see order ids, amounts or review notes). Each payload gets a
 * fresh 12-byte IV and names the key it was sealed with, so keys can rotate: new payloads use the
 * first key of RESCIND_PAYLOAD_KEYS, older ones still open with the keys listed after it.
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';

/** The variable that turns encryption on: `id1:base64,id2:base64`, current key first. */
export const PAYLOAD_KEYS_VARIABLE = 'RESCIND_PAYLOAD_KEYS';

/** Metadata of a sealed payload: the encoding marks it, the key id says which key opens it. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// proto3 JSON readers accept standard or URL-safe base64, padded or not.
const PROTO_BYTES = /^[A-Za-z0-9+/_-]*={0,2}$/;

export interface PayloadKey {
  id: string;
  /** A KeyObject, so logging or serialising the configuration never shows the key. */
  key: KeyObject;
}

/** Why a payload could not be opened; `type` is stable, `keyId` names the key it asked for. */
export type PayloadCodecErrorType = 'unknown_payload_key' | 'payload_not_authentic' | 'malformed_encrypted_payload';

export class PayloadCodecError extends Error {
  constructor(
    readonly type: PayloadCodecErrorType,
    readonly keyId: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'PayloadCodecError';
  }
}

/**
 * Parse RESCIND_PAYLOAD_KEYS. Each problem names the variable and the entry (by key id or position),
 * never the key material.
 */
export function parsePayloadKeys(value: string, problems: string[]): PayloadKey[] {
  const keys: PayloadKey[] = [];
  const entries = value.split(',').map((e) => e.trim());
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon === -1 ? '' : entry.slice(0, colon).trim();
    const material = colon === -1 ? '' : entry.slice(colon + 1).trim();
    const where = `${PAYLOAD_KEYS_VARIABLE}: entry ${index + 1}`;
    if (colon === -1 || !id || !material) {
      problems.push(`${where} is not <key id>:<base64 key> (entries are separated by commas, the current key first)`);
      return;
    }
    if (!KEY_ID.test(id)) {
      problems.push(`${where}: the key id may use only letters, digits, ".", "_" and "-" (at most 64)`);
      return;
    }
    if (keys.some((k) => k.id === id)) {
      problems.push(`${PAYLOAD_KEYS_VARIABLE}: key id "${id}" appears twice`);
      return;
    }
    const bytes = BASE64.test(material) ? Buffer.from(material, 'base64') : undefined;
    if (!bytes || bytes.length !== KEY_BYTES) {
      const got = bytes ? `${bytes.length} bytes` : 'not base64';
      problems.push(
        `${PAYLOAD_KEYS_VARIABLE}: key "${id}" must be exactly 32 bytes, base64-encoded, e.g. from \`openssl rand -base64 32\` (got ${got})`,
      );
      return;
    }
    keys.push({ id, key: createSecretKey(bytes) });
  });
  return keys;
}

/** A payload as proto3 JSON (bytes as base64): the codec server's wire form and the sealed plaintext. */
export interface PayloadJson {
  metadata?: Record<string, string>;
  data?: string;
}

export function payloadToJson(payload: Payload): PayloadJson {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  );
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}

/** The reverse of payloadToJson; throws a TypeError naming the field that is not proto3 JSON. */
export function payloadFromJson(json: unknown): Payload {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new TypeError('a payload must be an object');
  const { metadata = {}, data = '' } = json as Record<string, unknown>;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    throw new TypeError('payload metadata must be an object');
  if (typeof data !== 'string' || !PROTO_BYTES.test(data)) throw new TypeError('payload data must be a base64 string');
  const entries = Object.entries(metadata).map(([key, value]) => {
    if (typeof value !== 'string' || !PROTO_BYTES.test(value))
      throw new TypeError(`payload metadata "${key}" must be a base64 string`);
    return [key, Buffer.from(value, 'base64')] as const;
  });
  // fromEntries defines own properties: a "__proto__" key stays a key.
  return { metadata: Object.fromEntries(entries), data: Buffer.from(data, 'base64') };
}

const text = (bytes: Uint8Array | null | undefined): string | undefined =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

/** The encoding and the key id are authenticated too: relabelling a payload with another key id fails. */
const associatedData = (keyId: string) => Buffer.from(`${ENCRYPTED_ENCODING}\n${keyId}`, 'utf8');

/**
 * AES-256-GCM over the whole payload (its metadata included, so the original encoding is hidden too).
 * With no keys it encrypts nothing, but an encrypted payload still fails with a clear error naming its
 * key, instead of the JSON converter's "unknown encoding".
 */
export class PayloadEncryptionCodec implements PayloadCodec {
  private readonly current: PayloadKey | undefined;
  private readonly byId: Map<string, KeyObject>;

  constructor(keys: PayloadKey[]) {
    this.current = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const current = this.current;
    return current ? payloads.map((payload) => this.seal(payload, current)) : payloads;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) =>
      text(payload.metadata?.encoding) === ENCRYPTED_ENCODING ? this.open(payload) : payload,
    );
  }

  private seal(payload: Payload, { id, key }: PayloadKey): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(id));
    const plaintext = Buffer.from(JSON.stringify(payloadToJson(payload)), 'utf8');
    const sealed = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(id) },
      data: sealed,
    };
  }

  private open(payload: Payload): Payload {
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!keyId)
      throw new PayloadCodecError(
        'malformed_encrypted_payload',
        undefined,
        `an encrypted payload has no ${KEY_ID_METADATA}`,
      );
    const key = this.byId.get(keyId);
    if (!key) {
      const known = [...this.byId.keys()];
      const why = known.length
        ? `which ${PAYLOAD_KEYS_VARIABLE} does not list (keys: ${known.join(', ')}); keep retired keys after the current one`
        : `but ${PAYLOAD_KEYS_VARIABLE} is not set: set it to the keys the workers use`;
      throw new PayloadCodecError('unknown_payload_key', keyId, `payload encrypted with key "${keyId}", ${why}`);
    }
    const sealed = Buffer.from(payload.data ?? new Uint8Array());
    if (sealed.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadCodecError(
        'malformed_encrypted_payload',
        keyId,
        `payload encrypted with key "${keyId}" is too short to be one`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new PayloadCodecError(
        'payload_not_authentic',
        keyId,
        `payload encrypted with key "${keyId}" fails authentication: the configured key "${keyId}" is not the one it was written with, or the payload was altered`,
      );
    }
    return payloadFromJson(JSON.parse(plaintext.toString('utf8')));
  }
}
