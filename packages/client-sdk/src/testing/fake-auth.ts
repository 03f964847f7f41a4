// The fake server's request authentication (fake-server.ts), step by step as
// docs/protocol.md §5.4 prescribes and with the protocol's own verifier primitives: the
// signature input's shape, the content digest, the key id, the time window, the Ed25519
// signature over the signature base and, last, the nonce (remembered only once the rest
// verified, as the server does).

import { base64, utf8 } from '../protocol/encoding.js';
import { contentDigest, requestSignatureBase } from '../protocol/http-signature.js';
import { verifyEd25519 } from '../protocol/signing-key.js';

export const SIG_INPUT_RE =
  /^sluis=\("@method" "@path" "@query" "content-digest"\);created=(\d+);keyid="([A-Za-z0-9_-]+)";nonce="([A-Za-z0-9_-]+)";tag="sluis-request-v1"$/;

export interface SignedRequestParts {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** SIG_INPUT_RE's match of the Signature-Input header, or null. */
  readonly signatureInput: RegExpExecArray | null;
}

/** The 401 problem code the server would answer, or undefined when the request verifies. */
export function refusalOf(
  r: SignedRequestParts,
  key: { readonly keyId: string; readonly publicKey: Uint8Array; readonly nowSeconds: number },
  seenNonces: Set<string>,
): string | undefined {
  const sig = r.signatureInput;
  if (sig === null) return 'auth_malformed';
  if (r.headers['content-digest'] !== contentDigest(r.body)) return 'digest_mismatch';
  const [, created, keyId, nonce] = sig;
  if (keyId !== key.keyId) return 'key_unknown';
  if (Math.abs(Number(created) - key.nowSeconds) > 300) return 'timestamp_out_of_window';
  const sigValue = /^sluis=:(.+):$/.exec(r.headers.signature ?? '')?.[1];
  const signature = sigValue === undefined ? undefined : base64.decode(sigValue);
  const base = requestSignatureBase(
    { method: r.method, path: r.path, query: r.query },
    r.headers['content-digest']!,
    {
      created: Number(created),
      keyId: keyId!,
      nonce: nonce!,
    },
  );
  if (signature === undefined || !verifyEd25519(signature, utf8(base), key.publicKey)) {
    return 'signature_invalid';
  }
  if (seenNonces.has(nonce!)) return 'nonce_reused';
  seenNonces.add(nonce!);
  return undefined;
}
