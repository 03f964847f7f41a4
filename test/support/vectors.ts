// Loads the shared JSON vectors in test/vectors/. Every package's tests read them from
// here, so no vector is ever copied by hand.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');

export function loadVectors<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
}

export interface IdentifierVectors {
  cases: { scheme: string; input: string; valid: boolean; canonical?: string; error?: string }[];
}
export interface PseudonymVectors {
  label: string;
  cases: {
    pseudonymKeyHex: string;
    epoch: number;
    scheme: string;
    input: string;
    canonical: string;
    messageHex: string;
    pseudonym: string;
  }[];
  invalidKeys: { lengthBytes: number; error: string }[];
  invalidEpochs: number[];
}
export interface StoredPseudonymVectors {
  serverSecretsHex: Record<string, string>;
  cases: { epoch: number; pseudonym: string; storedByGeneration: Record<string, string> }[];
}
export interface SignedRequestVector {
  name?: string;
  method: string;
  path: string;
  query: string;
  body: string;
  created: number;
  nonce: string;
  /** The Sluis-On-Behalf-Of header (docs/protocol.md §5.6), null when absent. */
  onBehalfOf: string | null;
  keyId: string;
  contentDigest: string;
  signatureBase: string;
  signatureInput: string | null;
  signature: string | null;
  error?: string;
}
export interface KeyVector {
  seedHex: string;
  publicKey: string;
  keyId: string;
}
export interface RequestSignatureVectors {
  now: number;
  maxClockSkewSeconds: number;
  organisation: KeyVector;
  otherOrganisation: KeyVector;
  valid: SignedRequestVector[];
  invalid: SignedRequestVector[];
}
export interface WebhookVector {
  name?: string;
  targetUri: string;
  body: string;
  created: number;
  nonce: string;
  keyId: string;
  contentDigest: string;
  signatureBase: string;
  signatureInput: string;
  signature: string | null;
  error?: string;
}
export interface WebhookSignatureVectors {
  now: number;
  server: KeyVector;
  valid: WebhookVector[];
  invalid: WebhookVector[];
}
export interface Rfc4231Vectors {
  cases: { case: number; keyHex: string; dataHex: string; hmacSha256Hex: string; truncatedTo?: number }[];
}
export interface Rfc8032Vectors {
  cases: {
    name: string;
    secretKeyHex: string;
    publicKeyHex: string;
    messageHex: string;
    signatureHex: string;
  }[];
  mustRefuseSignatures: { name: string; publicKeyHex: string; messageHex: string; signatureHex: string }[];
  mustRefusePublicKeys: { name: string; publicKeyHex: string }[];
}

export const vectors = {
  identifiers: () => loadVectors<IdentifierVectors>('identifiers.json'),
  pseudonyms: () => loadVectors<PseudonymVectors>('pseudonyms.json'),
  storedPseudonyms: () => loadVectors<StoredPseudonymVectors>('stored-pseudonyms.json'),
  requestSignatures: () => loadVectors<RequestSignatureVectors>('request-signatures.json'),
  webhookSignatures: () => loadVectors<WebhookSignatureVectors>('webhook-signatures.json'),
  rfc4231: () => loadVectors<Rfc4231Vectors>('rfc4231-hmac-sha256.json'),
  rfc8032: () => loadVectors<Rfc8032Vectors>('rfc8032-ed25519.json'),
};
