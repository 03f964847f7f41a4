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
  invalidEpochs: { epoch: number; error: string }[];
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

export type InputField =
  | 'contact.name'
  | 'contact.role'
  | 'contact.phone'
  | 'contact.email'
  | 'organisation.name'
  | 'consent.formReference';
export interface InputVectors {
  cases: {
    field: InputField;
    value: string;
    expect: 'valid' | 'validation_failed' | 'text_forbidden';
    note?: string;
  }[];
}
export interface Rfc9497Vectors {
  suite: string;
  mode: string;
  seedHex: string;
  keyInfoHex: string;
  skSmHex: string;
  pkSmHex: string;
  cases: {
    name: string;
    inputHex: string[];
    blindHex: string[];
    blindedElementHex: string[];
    evaluationElementHex: string[];
    proofHex: string;
    proofRandomScalarHex: string;
    outputHex: string[];
  }[];
}
export interface OprfCaseVector {
  epoch: number;
  items: {
    scheme: string;
    input: string;
    canonical: string;
    oprfInputHex: string;
    blindHex: string;
    blindedElement: string;
    evaluatedElement: string;
    outputHex: string;
    pseudonym: string;
  }[];
  proofRandomScalarHex: string;
  proof: string;
}
export interface OprfPseudonymVectors {
  suite: string;
  mode: string;
  inputLabel: string;
  pseudonymLabel: string;
  key: { epoch: number; seedHex: string; keyInfoHex: string; secretKeyHex: string; publicKey: string };
  single: OprfCaseVector;
  batch: OprfCaseVector;
  tamperedBatchProof: string;
  badElements: { name: string; element: string; error: string }[];
}

export interface SessionBindingVectors {
  enrolmentCodeLabel: string;
  sessionBindingLabel: string;
  stepUpLabel: string;
  enrolmentCodes: { code: string; selector: string; verifier: string; verifierHashHex: string }[];
  session: { seedHex: string; publicKey: string; sessionId: string };
  bindings: { nonceHex: string; challengeId: string; sessionPublicKey: string; challenge: string }[];
  /** §10.6: `action` as `POST /v1/me/step-up` takes it (device_add/device_remove come from their own routes). */
  stepUps: {
    action: { kind: string } & Record<string, unknown>;
    actionText: string;
    sessionId: string;
    nonceHex: string;
    challengeId: string;
    challenge: string;
  }[];
  sessionRequest: RequestSignatureVectors['valid'][number];
}
export interface CredentialRequestVector {
  method: string;
  path: string;
  query: string;
  body: string;
  created: number;
  nonce: string;
  keyId: string;
  credential: string;
  contentDigest: string;
  signatureBase: string;
  signatureInput: string;
  signature: string;
}
export interface OprfCredentialVectors {
  label: string;
  now: number;
  maxLifetimeSeconds: number;
  issuer: { seedHex: string; publicKey: string; keyId: string };
  session: { seedHex: string; publicKey: string; keyId: string };
  organisationId: string;
  claims: {
    issuerKeyId: string;
    credentialId: string;
    organisationId: string;
    personId: string;
    keyId: string;
    publicKey: string;
    issuedAt: number;
    expiresAt: number;
  };
  claimsHex: string;
  credential: string;
  valid: CredentialRequestVector;
  invalid: { name: string; request: CredentialRequestVector; error: string }[];
}

export interface SubstituteIdentifierVectors {
  scheme: string;
  prefixes: string[];
  cases: { scheme: string; input: unknown; canonical?: string; error?: string }[];
  oprf: OprfPseudonymVectors['single'];
  hmacRefused: string;
}

export const vectors = {
  sessionBinding: () => loadVectors<SessionBindingVectors>('session-binding.json'),
  identifiers: () => loadVectors<IdentifierVectors>('identifiers.json'),
  pseudonyms: () => loadVectors<PseudonymVectors>('pseudonyms.json'),
  storedPseudonyms: () => loadVectors<StoredPseudonymVectors>('stored-pseudonyms.json'),
  requestSignatures: () => loadVectors<RequestSignatureVectors>('request-signatures.json'),
  webhookSignatures: () => loadVectors<WebhookSignatureVectors>('webhook-signatures.json'),
  rfc4231: () => loadVectors<Rfc4231Vectors>('rfc4231-hmac-sha256.json'),
  rfc8032: () => loadVectors<Rfc8032Vectors>('rfc8032-ed25519.json'),
  inputs: () => loadVectors<InputVectors>('inputs.json'),
  rfc9497: () => loadVectors<Rfc9497Vectors>('rfc9497-voprf-ristretto255.json'),
  oprfPseudonyms: () => loadVectors<OprfPseudonymVectors>('oprf-pseudonyms.json'),
  oprfCredentials: () => loadVectors<OprfCredentialVectors>('oprf-credentials.json'),
  substituteIdentifiers: () => loadVectors<SubstituteIdentifierVectors>('substitute-identifiers.json'),
  signalEndDates: () => loadVectors<SignalEndDateVectors>('signal-end-dates.json'),
  managementInformationPeriods: () =>
    loadVectors<ManagementInformationPeriodVectors>('management-information-periods.json'),
};

/** test/vectors/signal-end-dates.json: the last day a signal is active (engine and portal). */
export interface SignalEndDateVectors {
  cases: {
    placedAt: string;
    endDate: string | null;
    activeTermDays: number;
    lastActiveDay: string;
    note: string;
  }[];
}

/** test/vectors/management-information-periods.json: the period the server answers (engine and portal). */
export interface ManagementInformationPeriodVectors {
  lastClosedMonth: { now: string; month: string }[];
  periods: { from: string; to: string; now: string; refused: ('from' | 'to')[]; note: string }[];
}
