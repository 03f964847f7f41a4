// Pre-signed organisation requests for load tests. Signing happens before the timed
// phase, with node:crypto's Ed25519 (deterministic: the same signature bytes the SDK's
// noble signer makes, checked below), so the benchmark measures the server, not the
// load generator. Headers follow docs/protocol.md §5 exactly.

import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { contentDigest, randomNonce, requestSignatureBase, type SigningKey } from '@sluis/client-sdk';

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface PreparedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

export class FastSigner {
  readonly #key: KeyObject;
  readonly keyId: string;

  constructor(signingKey: SigningKey) {
    const seed = signingKey.exportSeed();
    this.#key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
    seed.fill(0);
    this.keyId = signingKey.keyId;
    // The two signers must agree byte for byte (Ed25519 is deterministic).
    const probe = new TextEncoder().encode('sluis bench signer check');
    if (!Buffer.from(signingKey.sign(probe)).equals(sign(null, probe, this.#key))) {
      throw new Error('node:crypto and noble Ed25519 signatures differ');
    }
  }

  prepare(method: string, pathWithQuery: string, json: unknown, createdSeconds: number): PreparedRequest {
    const body = json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(json), 'utf8');
    const q = pathWithQuery.indexOf('?');
    const path = q < 0 ? pathWithQuery : pathWithQuery.slice(0, q);
    const query = q < 0 ? '' : pathWithQuery.slice(q + 1);
    const digest = contentDigest(body);
    const params = { created: createdSeconds, keyId: this.keyId, nonce: randomNonce() };
    const base = requestSignatureBase({ method, path, query }, digest, params);
    const signature = sign(null, Buffer.from(base, 'utf8'), this.#key).toString('base64');
    const headers: Record<string, string> = {
      'content-digest': digest,
      'signature-input': `sluis=("@method" "@path" "@query" "content-digest");created=${params.created};keyid="${params.keyId}";nonce="${params.nonce}";tag="sluis-request-v1"`,
      signature: `sluis=:${signature}:`,
    };
    if (body.length > 0) headers['content-type'] = 'application/json';
    return { method, path: pathWithQuery, body, headers };
  }
}
