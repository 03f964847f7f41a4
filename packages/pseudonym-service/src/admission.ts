// The admission list (docs/operations.md "Pseudonym service"): which organisations (and
// the municipality's GDPR desk) may ask for evaluations, by their Ed25519 public keys —
// the same keys they sign match-server requests with. Kept in admission.json (0600),
// edited by the CLI and re-read by the running service when it changes, so an admission,
// suspension or removal takes effect on the next request.

import { join } from 'node:path';
import { base64url } from '@sluis/client-sdk';
import { PublicKeyVerifier, isValidPublicKey, keyIdFromPublicKey } from '@sluis/engine/protocol';
import { ADMISSION_FILE, mtimeOf, readPrivateText, replacePrivateFile } from './data-dir.js';
import { ServiceError } from './errors.js';

export interface AdmittedOrganisation {
  readonly name: string;
  readonly status: 'active' | 'suspended';
  readonly publicKeys: readonly string[];
  /** Elements per UTC day; the service default when absent. */
  readonly evaluationBudgetPerDay?: number;
}

export interface AdmissionFile {
  readonly organisations: readonly AdmittedOrganisation[];
}

export interface AdmittedKey {
  readonly keyId: string;
  readonly verifier: PublicKeyVerifier;
  readonly organisation: AdmittedOrganisation;
}

const NAME_RE = /^[\p{L}\p{N} .,'&()/-]{1,100}$/u;

export function checkName(name: unknown): string {
  if (typeof name !== 'string' || !NAME_RE.test(name) || name.trim() !== name)
    throw new ServiceError('usage_invalid', {
      hint: "--name must be 1–100 letters, digits, spaces or .,'&()/-",
    });
  return name;
}

export function checkPublicKey(text: unknown): string {
  const bytes = typeof text === 'string' ? base64url.decode(text) : undefined;
  if (bytes === undefined || !isValidPublicKey(bytes))
    throw new ServiceError('usage_invalid', {
      hint: '--public-key must be an Ed25519 public key (base64url)',
    });
  return text as string;
}

export function readAdmissionFile(dataDir: string): AdmissionFile {
  const path = join(dataDir, ADMISSION_FILE);
  if (mtimeOf(path) === 0) return { organisations: [] };
  let v: unknown;
  try {
    v = JSON.parse(readPrivateText(path));
  } catch (e) {
    if (e instanceof ServiceError) throw e;
    throw new ServiceError('key_file_invalid', { hint: path });
  }
  const orgs = (v as AdmissionFile | null)?.organisations;
  if (!Array.isArray(orgs)) throw new ServiceError('key_file_invalid', { hint: path });
  for (const o of orgs) {
    checkName(o.name);
    if (o.status !== 'active' && o.status !== 'suspended')
      throw new ServiceError('key_file_invalid', { hint: path });
    if (!Array.isArray(o.publicKeys)) throw new ServiceError('key_file_invalid', { hint: path });
    for (const k of o.publicKeys) checkPublicKey(k);
    const b = o.evaluationBudgetPerDay;
    if (b !== undefined && (!Number.isInteger(b) || b < 0))
      throw new ServiceError('key_file_invalid', { hint: path });
  }
  return { organisations: orgs };
}

export function writeAdmissionFile(dataDir: string, file: AdmissionFile): void {
  replacePrivateFile(join(dataDir, ADMISSION_FILE), `${JSON.stringify(file, null, 2)}\n`);
}

/** The admitted keys by key id, re-read whenever admission.json changes. */
export class AdmissionList {
  readonly #dataDir: string;
  #byKeyId = new Map<string, AdmittedKey>();
  #mtime = -1;

  constructor(dataDir: string) {
    this.#dataDir = dataDir;
    this.reload();
  }

  reload(): void {
    const m = mtimeOf(join(this.#dataDir, ADMISSION_FILE));
    if (m === this.#mtime) return;
    const next = new Map<string, AdmittedKey>();
    for (const organisation of readAdmissionFile(this.#dataDir).organisations) {
      for (const k of organisation.publicKeys) {
        const bytes = base64url.decode(k)!;
        const keyId = keyIdFromPublicKey(bytes);
        next.set(keyId, { keyId, verifier: new PublicKeyVerifier(bytes), organisation });
      }
    }
    this.#byKeyId = next;
    this.#mtime = m;
  }

  get(keyId: string): AdmittedKey | undefined {
    return this.#byKeyId.get(keyId);
  }
}
