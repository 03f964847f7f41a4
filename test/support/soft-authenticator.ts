// A software WebAuthn authenticator for the in-process tests of the engine and the server (the role matrix, the
// ceremony refusals): ES256 credentials, "none" attestation, user present and verified,
// a signature counter. It produces the JSON a browser's PublicKeyCredential.toJSON()
// gives, so the server verifies it with the same @simplewebauthn/server code paths as
// Chromium's. The browser tests (test/e2e/sign-in-browser.test.ts) use real authenticator
// data; this one exists so hundreds of sessions cost milliseconds.
//
// Its private keys are secrets like any other test key (test/support/case-keys.ts): destroy()
// zeroes them, and `caseKey(new SoftAuthenticator(…))` does that when the case is done. Each is
// held as PKCS#8 DER bytes, never as a KeyObject: a KeyObject's key lives in OpenSSL's memory,
// which JavaScript cannot zero. The bytes are the only copy we hold; what cannot be zeroed is the
// key OpenSSL builds from them while it generates the pair and again for each signature
// (node:crypto parses the DER per call) — node's native memory, freed when the call returns.

import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/** Minimal CBOR (RFC 8949) for the attestation object: maps, ints, text and byte strings. */
function cbor(v: unknown): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 256) return Buffer.from([(major << 5) | 24, n]);
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  };
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') return Buffer.concat([head(3, Buffer.byteLength(v)), Buffer.from(v)]);
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), v]);
  if (v instanceof Map) {
    return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
  }
  throw new Error('unsupported CBOR value');
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

interface Credential {
  readonly id: Buffer;
  /** PKCS#8 DER; zeroed by destroy(). */
  readonly privateKey: Buffer;
  readonly cose: Buffer;
  counter: number;
}

export class SoftAuthenticator {
  readonly #credentials: Credential[] = [];
  #destroyed = false;

  constructor(
    readonly origin: string,
    readonly rpId: string,
  ) {}

  #clientData(type: string, challenge: string, origin: string): string {
    return JSON.stringify({ type, challenge, origin, crossOrigin: false });
  }

  #authData(flags: number, counter: number, attested?: Buffer): Buffer {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter, 0);
    return Buffer.concat([sha256(this.rpId), Buffer.from([flags]), c, attested ?? Buffer.alloc(0)]);
  }

  /** navigator.credentials.create for `options` (PublicKeyCredentialCreationOptionsJSON). */
  create(options: { challenge: string }): Record<string, unknown> {
    this.#usable();
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      publicKeyEncoding: { type: 'spki', format: 'der' },
    });
    const jwk = createPublicKey({ key: publicKey, format: 'der', type: 'spki' }).export({ format: 'jwk' });
    const cose = cbor(
      new Map<number, unknown>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const id = randomBytes(16);
    const cred: Credential = { id, privateKey, cose, counter: 1 };
    this.#credentials.push(cred);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(id.length, 0);
    // Flags: user present (0x01), user verified (0x04), attested credential data (0x40).
    const authData = this.#authData(0x45, cred.counter, Buffer.concat([Buffer.alloc(16), len, id, cose]));
    const attestationObject = cbor(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: b64u(id),
      rawId: b64u(id),
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(
          Buffer.from(this.#clientData('webauthn.create', options.challenge, this.origin)),
        ),
        attestationObject: b64u(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /**
   * navigator.credentials.get: an assertion of the newest credential (or `index`); `origin`,
   * `counter` and `userVerified` (false: the UV flag clear, user present only — what a browser
   * asked for `userVerification: "required"` never sends) may be forced to build refusals.
   */
  get(
    options: { challenge: string },
    o: { index?: number; origin?: string; counter?: number; userVerified?: boolean } = {},
  ) {
    this.#usable();
    const cred = this.#credentials[o.index ?? this.#credentials.length - 1]!;
    cred.counter = o.counter ?? cred.counter + 1;
    const clientDataJSON = Buffer.from(
      this.#clientData('webauthn.get', options.challenge, o.origin ?? this.origin),
    );
    // Flags: user present (0x01), and user verified (0x04) unless told otherwise.
    const authData = this.#authData(o.userVerified === false ? 0x01 : 0x05, cred.counter);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), {
      key: cred.privateKey,
      format: 'der',
      type: 'pkcs8',
    });
    return {
      id: b64u(cred.id),
      rawId: b64u(cred.id),
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
      },
    };
  }

  /** Zeroes every credential's private key; the authenticator refuses to create or sign after. */
  destroy(): void {
    this.#destroyed = true;
    for (const c of this.#credentials) c.privateKey.fill(0);
  }

  #usable(): void {
    if (this.#destroyed) throw new Error('SoftAuthenticator used after destroy()');
  }
}
