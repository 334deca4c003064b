/**
 * Key and certificate files named by variables, parsed when the configuration loads: a file that
 * cannot sign or verify is a configuration problem naming the variable and the file, found at start
 * instead of on every provider call. Only RSA keys of at least 2048 bits are accepted (the schemes
 * in docs/providers/wechatpay.md §2 and docs/providers/pingpp.md §2 are RSA-SHA256).
 */
import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileVariable } from './env.js';

export const MIN_RSA_BITS = 2048;

const tryParse = (parse: () => KeyObject): KeyObject | undefined => {
  try {
    return parse();
  } catch {
    return undefined;
  }
};

/** A private key PEM (pkcs8 or pkcs1); undefined when the text is not one. */
const asPrivateKey = (pem: string) => (pem.includes('PRIVATE KEY') ? tryParse(() => createPrivateKey(pem)) : undefined);

/** A public key PEM (spki or pkcs1) or an X.509 certificate's key; never derived from a private key. */
const asPublicKey = (pem: string): KeyObject | undefined => {
  if (pem.includes('PRIVATE KEY')) return undefined;
  if (pem.includes('BEGIN CERTIFICATE')) return tryParse(() => new X509Certificate(pem).publicKey);
  return tryParse(() => createPublicKey(pem));
};

/** Why the key is unusable for RSA-SHA256 signatures, or undefined when it is fine. */
function rsaProblem(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType !== 'rsa')
    return `is a key of type ${key.asymmetricKeyType ?? 'unknown'}; an RSA key is required`;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  return bits < MIN_RSA_BITS ? `is a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required` : undefined;
}

/** Read and check the file; problems name the variable and the path, never the file's content. */
function readKeyVariable(
  name: string,
  path: string | undefined,
  problems: string[],
  kind: 'private' | 'public',
): string | undefined {
  const pem = readFileVariable(name, path, problems);
  if (pem === undefined) return undefined;
  const problem = keyFileProblem(pem, kind);
  if (!problem) return pem;
  problems.push(`${name}: ${path} ${problem}`);
  return undefined;
}

/** What is wrong with a key file's text for the kind of key wanted, or undefined. */
export function keyFileProblem(pem: string, kind: 'private' | 'public'): string | undefined {
  if (pem.trim() === '') return 'is empty';
  if (kind === 'private') {
    const key = asPrivateKey(pem);
    if (key) return rsaProblem(key);
    return asPublicKey(pem)
      ? 'holds a public key; give the private key'
      : 'is not a PEM private key (unreadable, truncated or encrypted)';
  }
  const key = asPublicKey(pem);
  if (key) return rsaProblem(key);
  return asPrivateKey(pem)
    ? 'holds a private key; give the public key'
    : 'is not a PEM public key or certificate (unreadable or truncated)';
}

/** The PEM of an RSA private key file named by `name`; a problem (and undefined) otherwise. */
export const readPrivateKeyVariable = (
  name: string,
  path: string | undefined,
  problems: string[],
): string | undefined => readKeyVariable(name, path, problems, 'private');

/** The PEM of an RSA public key or X.509 certificate file named by `name`; a problem (and undefined) otherwise. */
export const readPublicKeyVariable = (name: string, path: string | undefined, problems: string[]): string | undefined =>
  readKeyVariable(name, path, problems, 'public');
