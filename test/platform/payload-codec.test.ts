/**
 * The payload codec with node:crypto (no server needed): sealed payloads hide their content, each
 * gets its own IV, old keys still open after rotation, and a missing key, a wrong key, a relabelled
 * or an altered payload are typed errors naming the key id, never wrong plaintext.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { ApplicationFailure, defaultPayloadConverter, type FailureConverter, type Payload } from '@temporalio/common';
import {
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  parsePayloadKeys,
  PayloadCodecError,
  PayloadEncryptionCodec,
  payloadFromJson,
  payloadToJson,
  type PayloadKey,
} from '../../platform/codec.js';
import { loadCodecServerSettings, startCodecServer } from '../../platform/codec-server.js';
import { ConfigError } from '../../platform/env.js';
import { FAILURE_CONVERTER_PATH, loadTemporalSettings } from '../../platform/temporal.js';

const base64Key = () => randomBytes(32).toString('base64');
const keysOf = (value: string): PayloadKey[] => {
  const problems: string[] = [];
  const keys = parsePayloadKeys(value, problems);
  expect(problems).toEqual([]);
  return keys;
};
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

const ORDER = {
  orderId: 'ORD-CODEC-4711',
  providerOrderId: 'PAY-99887766',
  amount: 123_457,
  note: 'customer called back',
};
const plain = (): Payload => defaultPayloadConverter.toPayload(ORDER);

/** The typed error `work` rejects with; fails the test when it resolves. */
async function codecError(work: Promise<unknown>): Promise<PayloadCodecError> {
  const error = await work.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(PayloadCodecError);
  return error as PayloadCodecError;
}

describe('PayloadEncryptionCodec', () => {
  const old = `k-2024:${base64Key()}`;
  const current = `k-2025:${base64Key()}`;

  it('seals a payload: no plaintext, the key id and the encoding in the metadata, and it opens again', async () => {
    const codec = new PayloadEncryptionCodec(keysOf(current));
    const [sealed] = await codec.encode([plain()]);
    expect(text(sealed!.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed!.metadata?.[KEY_ID_METADATA])).toBe('k-2025');
    expect(Object.keys(sealed!.metadata ?? {}).sort()).toEqual(['encoding', KEY_ID_METADATA]);
    const bytes = Buffer.from(sealed!.data!).toString('latin1');
    for (const value of [ORDER.orderId, ORDER.providerOrderId, String(ORDER.amount), ORDER.note, 'json/plain'])
      expect(bytes).not.toContain(value);

    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(ORDER);
    expect(text(opened!.metadata?.encoding)).toBe('json/plain');
  });

  it('uses a fresh 12-byte IV for every payload, so equal payloads never look equal', async () => {
    const codec = new PayloadEncryptionCodec(keysOf(current));
    const [a, b] = await codec.encode([plain(), plain()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
    expect(Buffer.from(a!.data!).subarray(0, 12).equals(Buffer.from(b!.data!).subarray(0, 12))).toBe(false);
    // IV + ciphertext + 16-byte tag.
    expect(a!.data!.length).toBe(12 + Buffer.byteLength(JSON.stringify(payloadToJson(plain()))) + 16);
  });

  it('opens a payload sealed with the old key after rotation (new key first, old second)', async () => {
    const [written] = await new PayloadEncryptionCodec(keysOf(old)).encode([plain()]);
    const rotated = new PayloadEncryptionCodec(keysOf(`${current},${old}`));
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([written!]))[0]!)).toEqual(ORDER);
    // New payloads use the new key.
    const [fresh] = await rotated.encode([plain()]);
    expect(text(fresh!.metadata?.[KEY_ID_METADATA])).toBe('k-2025');
  });

  it('refuses a payload whose key is not configured, naming the key id', async () => {
    const [written] = await new PayloadEncryptionCodec(keysOf(old)).encode([plain()]);
    const error = await codecError(new PayloadEncryptionCodec(keysOf(current)).decode([written!]));
    expect(error).toMatchObject({ type: 'unknown_payload_key', keyId: 'k-2024' });
    expect(error.message).toContain('"k-2024"');
    expect(error.message).toContain('RESCIND_PAYLOAD_KEYS');
  });

  it('refuses a payload when the key with its id is the wrong key: an error, never other plaintext', async () => {
    const [written] = await new PayloadEncryptionCodec(keysOf(`k-2025:${base64Key()}`)).encode([plain()]);
    const error = await codecError(new PayloadEncryptionCodec(keysOf(current)).decode([written!]));
    expect(error).toMatchObject({ type: 'payload_not_authentic', keyId: 'k-2025' });
    expect(error.message).toContain('fails authentication');
  });

  it('fails authentication for altered ciphertext, an altered tag, or a payload relabelled with another key id', async () => {
    const both = keysOf(`${current},${old}`);
    const codec = new PayloadEncryptionCodec(both);
    const [sealed] = await codec.encode([plain()]);
    const flip = (at: number): Payload => {
      const data = Buffer.from(sealed!.data!);
      data[at] = data[at]! ^ 0x01;
      return { metadata: sealed!.metadata, data };
    };
    for (const altered of [flip(20), flip(sealed!.data!.length - 1), flip(0)]) {
      expect(await codecError(codec.decode([altered]))).toMatchObject({
        type: 'payload_not_authentic',
        keyId: 'k-2025',
      });
    }
    // Relabelled: same bytes claimed under the other (configured) key.
    const relabelled: Payload = {
      metadata: { ...sealed!.metadata, [KEY_ID_METADATA]: Buffer.from('k-2024') },
      data: sealed!.data,
    };
    expect(await codecError(codec.decode([relabelled]))).toMatchObject({
      type: 'payload_not_authentic',
      keyId: 'k-2024',
    });
    // Cut short.
    expect(
      await codecError(codec.decode([{ metadata: sealed!.metadata, data: sealed!.data!.subarray(0, 20) }])),
    ).toMatchObject({ type: 'malformed_encrypted_payload' });
  });

  it('without keys encrypts nothing, and names the key an encrypted payload needs', async () => {
    const none = new PayloadEncryptionCodec([]);
    expect(await none.encode([plain()])).toEqual([plain()]);
    const [sealed] = await new PayloadEncryptionCodec(keysOf(old)).encode([plain()]);
    const error = await codecError(none.decode([sealed!]));
    expect(error).toMatchObject({ type: 'unknown_payload_key', keyId: 'k-2024' });
    expect(error.message).toBe(
      'payload encrypted with key "k-2024", but RESCIND_PAYLOAD_KEYS is not set: set it to the keys the workers use',
    );
  });

  it('passes payloads that were never encrypted through unchanged (history from before encryption)', async () => {
    const codec = new PayloadEncryptionCodec(keysOf(current));
    const before = plain();
    expect(await codec.decode([before])).toEqual([before]);
  });
});

describe('RESCIND_PAYLOAD_KEYS', () => {
  it('reads id:base64 pairs, current first', () => {
    const keys = keysOf(`new:${base64Key()}, old:${base64Key()}`);
    expect(keys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(keys[0]!.key.symmetricKeySize).toBe(32);
    // The key material never shows up when the configuration is printed.
    expect(JSON.stringify(keys)).toBe('[{"id":"new","key":{}},{"id":"old","key":{}}]');
  });

  it('is a configuration problem naming the variable and the key id, never the key', () => {
    const short = randomBytes(16).toString('base64');
    const long = randomBytes(33).toString('base64');
    const env = {
      RESCIND_PAYLOAD_KEYS: `a:${short},b:${long},c:not*base64,${base64Key()},d:${base64Key()},d:${base64Key()}`,
    };
    let message = '';
    try {
      loadTemporalSettings(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('RESCIND_PAYLOAD_KEYS: key "a" must be exactly 32 bytes, base64-encoded');
    expect(message).toContain('(got 16 bytes)');
    expect(message).toContain('key "b" must be exactly 32 bytes');
    expect(message).toContain(
      'key "c" must be exactly 32 bytes, base64-encoded, e.g. from `openssl rand -base64 32` (got not base64)',
    );
    expect(message).toContain('RESCIND_PAYLOAD_KEYS: entry 4 is not <key id>:<base64 key>');
    expect(message).toContain('RESCIND_PAYLOAD_KEYS: key id "d" appears twice');
    for (const secret of [short, long, 'not*base64']) expect(message).not.toContain(secret);
  });

  it('turns encryption on for every client and worker; unset, payloads stay plain', () => {
    expect(loadTemporalSettings({}).temporal.payloadKeys).toBeUndefined();
    expect(
      loadTemporalSettings({ RESCIND_PAYLOAD_KEYS: `k1:${base64Key()}` }).temporal.payloadKeys?.map((k) => k.id),
    ).toEqual(['k1']);
  });
});

describe('proto3 JSON payloads (the codec server wire form)', () => {
  it('round-trips, and names a field that is not base64', () => {
    const payload = plain();
    expect(payloadFromJson(JSON.parse(JSON.stringify(payloadToJson(payload))))).toEqual({
      metadata: { encoding: Buffer.from('json/plain') },
      data: Buffer.from(payload.data!),
    });
    expect(() => payloadFromJson({ metadata: { encoding: 'binary encrypted' }, data: '' })).toThrow(
      'payload metadata "encoding" must be a base64 string',
    );
    expect(() => payloadFromJson({ data: 42 })).toThrow('payload data must be a base64 string');
    expect(() => payloadFromJson([])).toThrow('a payload must be an object');
  });
});

describe('failure converter used with encryption', () => {
  it('moves the message and stack trace into an encoded payload, out of the plain failure fields', () => {
    // Loaded the way Temporal loads it: require() by path.
    const { failureConverter } = createRequire(import.meta.url)(FAILURE_CONVERTER_PATH) as {
      failureConverter: FailureConverter;
    };
    const failure = failureConverter.errorToFailure(
      ApplicationFailure.retryable(`order ${ORDER.orderId} not found`, 'transient'),
      defaultPayloadConverter,
    );
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    expect(text(failure.encodedAttributes?.data)).toContain(ORDER.orderId);
  });
});

describe('codec server settings', () => {
  it('needs the keys, checks the CORS origins, and refuses a non-loopback address without a token', async () => {
    expect(() => loadCodecServerSettings({})).toThrow('RESCIND_PAYLOAD_KEYS: required by the codec server');
    const keys = `k1:${base64Key()}`;
    expect(loadCodecServerSettings({ RESCIND_PAYLOAD_KEYS: keys })).toMatchObject({
      host: '127.0.0.1',
      port: 4200,
      corsOrigins: ['http://localhost:8233', 'http://127.0.0.1:8233'],
    });
    expect(
      loadCodecServerSettings({
        RESCIND_PAYLOAD_KEYS: keys,
        RESCIND_CODEC_CORS_ORIGIN: 'https://ui.example.com/, http://x:8080',
      }).corsOrigins,
    ).toEqual(['https://ui.example.com', 'http://x:8080']);
    expect(() =>
      loadCodecServerSettings({ RESCIND_PAYLOAD_KEYS: keys, RESCIND_CODEC_CORS_ORIGIN: 'ui.example.com/app' }),
    ).toThrow('RESCIND_CODEC_CORS_ORIGIN: "ui.example.com/app" is not an origin like http://localhost:8233');
    const token = 'codec-token-0123456789';
    const message = (() => {
      try {
        loadCodecServerSettings({ RESCIND_PAYLOAD_KEYS: keys, RESCIND_CODEC_PORT: 'x', RESCIND_CODEC_TOKEN: token });
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toContain('RESCIND_CODEC_PORT');
    expect(message).not.toContain(token);
    await expect(startCodecServer({ keys: keysOf(keys), host: '0.0.0.0' })).rejects.toThrow(
      'RESCIND_CODEC_TOKEN: required when the codec server listens on 0.0.0.0',
    );
  });
});
