// Keys as text (browser-safe): the covenant pseudonym key as hex or base64url, the
// Ed25519 signing key as hex, base64url or a PKCS#8 PEM (RFC 8410, what `openssl genpkey
// -algorithm ed25519` writes). Parsing is strict on length and alphabet, and
// intermediate buffers are zeroed: the key objects keep the only copy.

import { SluisError } from '../errors.js';
import { base64, base64url, concat, hexToBytesStrict } from '../protocol/encoding.js';
import { PSEUDONYM_KEY_MAX_BYTES, PSEUDONYM_KEY_MIN_BYTES, PseudonymKey } from '../protocol/pseudonym.js';
import { ED25519_SEED_BYTES, SigningKey } from '../protocol/signing-key.js';

/** RFC 8410 §7 PKCS#8 prefix of an Ed25519 private key (OneAsymmetricKey v1, id-Ed25519). */
const PKCS8_ED25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
const PEM_BEGIN = '-----BEGIN PRIVATE KEY-----';
const PEM_END = '-----END PRIVATE KEY-----';

/** Decodes hex (preferred when the text is only hex digits) or unpadded base64url. */
function decodeKeyText(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  if (/^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0) return hexToBytesStrict(t.toLowerCase());
  return base64url.decode(t);
}

function decodePem(text: string): Uint8Array | undefined {
  const t = text.trim();
  if (!t.startsWith(PEM_BEGIN) || !t.endsWith(PEM_END)) return undefined;
  const body = t.slice(PEM_BEGIN.length, t.length - PEM_END.length).replace(/\s+/g, '');
  const der = base64.decode(body);
  if (der === undefined || der.length !== PKCS8_ED25519_PREFIX.length + ED25519_SEED_BYTES) return undefined;
  for (let i = 0; i < PKCS8_ED25519_PREFIX.length; i++) {
    if (der[i] !== PKCS8_ED25519_PREFIX[i]) {
      der.fill(0);
      return undefined;
    }
  }
  const seed = der.slice(PKCS8_ED25519_PREFIX.length);
  der.fill(0);
  return seed;
}

/** A covenant pseudonym key of 32–64 bytes, as hex or base64url, for the given epoch. */
export function parsePseudonymKey(text: string, epoch: number): PseudonymKey {
  const bytes = decodeKeyText(text);
  if (
    bytes === undefined ||
    bytes.length < PSEUDONYM_KEY_MIN_BYTES ||
    bytes.length > PSEUDONYM_KEY_MAX_BYTES
  ) {
    bytes?.fill(0);
    throw new SluisError('key_invalid');
  }
  try {
    return PseudonymKey.fromBytes(bytes, epoch);
  } finally {
    bytes.fill(0);
  }
}

/** An Ed25519 signing key: 32-byte seed as hex or base64url, or a PKCS#8 PEM. */
export function parseSigningKey(text: string): SigningKey {
  if (typeof text !== 'string') throw new SluisError('key_invalid');
  const seed = text.includes('-----BEGIN') ? decodePem(text) : decodeKeyText(text);
  if (seed === undefined || seed.length !== ED25519_SEED_BYTES) {
    seed?.fill(0);
    throw new SluisError('key_invalid');
  }
  try {
    return SigningKey.fromSeed(seed);
  } finally {
    seed.fill(0);
  }
}

/** The signing key as a PKCS#8 PEM (for a key file). The caller owns the secret text. */
export function signingKeyToPem(key: SigningKey): string {
  const seed = key.exportSeed();
  const der = concat(PKCS8_ED25519_PREFIX, seed);
  seed.fill(0);
  const b64 = base64.encode(der);
  der.fill(0);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `${PEM_BEGIN}\n${lines.join('\n')}\n${PEM_END}\n`;
}
