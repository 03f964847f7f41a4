// The admission list (docs/operations.md "Pseudonym service"): which organisations (and
// the municipality's GDPR desk) may ask for evaluations, by their Ed25519 public keys —
// the same keys they sign match-server requests with — and, for people's sessions, by
// their match-server organisation id together with the match server's credential-issuer
// keys (docs/protocol.md §9.7). Kept in admission.json (0600),
// edited by the CLI and re-read by the running service when it changes, so an admission,
// suspension or removal takes effect on the next request. One edit at a time: a CLI command
// reads, changes and replaces the file under admission.json.lock (lock-file.ts), so two at once
// cannot lose one's change; the file is replaced whole (temporary file, fsync, rename, directory
// fsync), so the service, which reads without the lock, sees the old list or the new one; a
// command's logbook line is on disk before the rename (command-change.ts), so no edit takes
// effect unlogged.

import { join } from 'node:path';
import { base64url } from '@sluis/client-sdk';
import { PublicKeyVerifier, isValidPublicKey, keyIdFromPublicKey } from '@sluis/engine/protocol';
import {
  ADMISSION_FILE,
  ADMISSION_LOCK_FILE,
  type PreparedFile,
  fsyncDir,
  mtimeOf,
  preparePrivateFile,
  readPrivateText,
  replacePrivateFile,
} from './data-dir.js';
import { ServiceError } from './errors.js';
import { tryLockFile } from './lock-file.js';

export interface AdmittedOrganisation {
  readonly name: string;
  readonly status: 'active' | 'suspended';
  readonly publicKeys: readonly string[];
  /**
   * The organisation's id at the match server: credentials naming it (§9.7) are charged
   * to this entry. Absent: the organisation is admitted by its keys only.
   */
  readonly organisationId?: string;
  /** Elements per UTC day; the service default when absent. */
  readonly evaluationBudgetPerDay?: number;
}

/** A match server whose credentials this service accepts (its credential-issuer public key). */
export interface CredentialIssuer {
  readonly name: string;
  readonly publicKey: string;
}

export interface AdmissionFile {
  readonly organisations: readonly AdmittedOrganisation[];
  readonly credentialIssuers?: readonly CredentialIssuer[];
}

export interface AdmittedIssuer {
  readonly keyId: string;
  readonly name: string;
  readonly verifier: PublicKeyVerifier;
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

const ORGANISATION_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function checkOrganisationId(text: unknown): string {
  if (typeof text !== 'string' || !ORGANISATION_ID_RE.test(text))
    throw new ServiceError('usage_invalid', {
      hint: '--organisation-id must be the organisation id at the match server (a lower-case UUID)',
    });
  return text;
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
    throw new ServiceError('key_file_invalid', { hint: `${path}: not JSON`, file: path });
  }
  const invalid = (where: string) =>
    new ServiceError('key_file_invalid', { hint: `${path}: ${where}`, file: path });
  const orgs = (v as AdmissionFile | null)?.organisations;
  if (!Array.isArray(orgs)) throw invalid('no organisations list');
  orgs.forEach((o: AdmittedOrganisation, n) => {
    const where = `organisations[${n}]`;
    const valid =
      o !== null &&
      typeof o === 'object' &&
      isValid(checkName, o.name) &&
      (o.status === 'active' || o.status === 'suspended') &&
      Array.isArray(o.publicKeys) &&
      o.publicKeys.every((k) => isValid(checkPublicKey, k)) &&
      (o.evaluationBudgetPerDay === undefined ||
        (Number.isInteger(o.evaluationBudgetPerDay) && o.evaluationBudgetPerDay >= 0)) &&
      (o.organisationId === undefined || isValid(checkOrganisationId, o.organisationId));
    if (!valid) throw invalid(`${where} is invalid`);
  });
  const issuers = (v as AdmissionFile).credentialIssuers ?? [];
  if (!Array.isArray(issuers)) throw invalid('credentialIssuers is not a list');
  issuers.forEach((i: CredentialIssuer, n) => {
    if (
      i === null ||
      typeof i !== 'object' ||
      !isValid(checkName, i.name) ||
      !isValid(checkPublicKey, i.publicKey)
    )
      throw invalid(`credentialIssuers[${n}] is invalid`);
  });
  const file: AdmissionFile = { organisations: orgs, credentialIssuers: issuers };
  // One key, one holder: a key admitted twice would be charged to whichever entry came last,
  // and suspending or removing the other would leave it working. Refused, never resolved.
  const twice = duplicateKey(file);
  if (twice !== undefined)
    throw invalid(`key id ${twice.keyId} is admitted twice (${twice.first} and ${twice.second})`);
  // One name, one entry: the budget, the metrics and the logbook count by name, so two entries of
  // one name would share a budget and could not be told apart in the evidence.
  const names = new Set<string>();
  for (const o of orgs) {
    if (names.has(o.name)) throw invalid(`${holder(o)} is admitted twice`);
    names.add(o.name);
  }
  const orgIds = new Map<string, string>();
  for (const o of orgs) {
    if (o.organisationId === undefined) continue;
    const other = orgIds.get(o.organisationId);
    if (other !== undefined)
      throw invalid(`organisation id ${o.organisationId} is admitted twice (${other} and ${holder(o)})`);
    orgIds.set(o.organisationId, holder(o));
  }
  return file;
}

function isValid(check: (v: unknown) => unknown, value: unknown): boolean {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
}

const holder = (o: AdmittedOrganisation) => `organisation "${o.name}"`;

/** Every admitted key by its key id (§5.1), with who holds it: organisations and issuers alike. */
export function admittedKeyIds(file: AdmissionFile): { keyId: string; holder: string }[] {
  const keyId = (k: string) => keyIdFromPublicKey(base64url.decode(k)!);
  return [
    ...file.organisations.flatMap((o) => o.publicKeys.map((k) => ({ keyId: keyId(k), holder: holder(o) }))),
    ...(file.credentialIssuers ?? []).map((i) => ({
      keyId: keyId(i.publicKey),
      holder: `credential issuer "${i.name}"`,
    })),
  ];
}

/** The first key id held twice (by two entries, or twice by one), if any. */
export function duplicateKey(
  file: AdmissionFile,
): { keyId: string; first: string; second: string } | undefined {
  const seen = new Map<string, string>();
  for (const { keyId, holder } of admittedKeyIds(file)) {
    const first = seen.get(keyId);
    if (first !== undefined) return { keyId, first, second: holder };
    seen.set(keyId, holder);
  }
  return undefined;
}

/**
 * Replaces admission.json, durably, with no logbook line: for tests and set-ups only (an edit
 * goes through editAdmissionFile, command-change.ts, which writes its line first).
 */
export function writeAdmissionFile(dataDir: string, file: AdmissionFile): void {
  replacePrivateFile(join(dataDir, ADMISSION_FILE), admissionText(file));
  fsyncDir(dataDir);
}

/**
 * admission.json's new content written and fsynced under its temporary name, not yet in place:
 * a command writes its logbook line between this and `commit` (the rename; then `fsyncDir`), so
 * the change takes effect only once its line is on disk (command-change.ts, docs/operations.md "Pseudonym
 * service: logs and logbook").
 */
export function prepareAdmissionFile(dataDir: string, file: AdmissionFile): PreparedFile {
  return preparePrivateFile(join(dataDir, ADMISSION_FILE), admissionText(file));
}

const admissionText = (file: AdmissionFile) => `${JSON.stringify(file, null, 2)}\n`;

/** How long an edit waits for the one under way (an edit takes milliseconds). */
const ADMISSION_LOCK_WAIT_MS = 10_000;
const ADMISSION_LOCK_POLL_MS = 10;

/**
 * Runs `edit` (read admission.json, change it, write it) holding admission.json.lock, so edits
 * of several processes follow one another; waits up to 10 s for another edit to finish, then
 * throws `admission_locked` naming the lock file and its holder's pid.
 */
export function withAdmissionLock<T>(dataDir: string, edit: () => T): T {
  const file = join(dataDir, ADMISSION_LOCK_FILE);
  const deadline = Date.now() + ADMISSION_LOCK_WAIT_MS;
  for (;;) {
    const attempt = tryLockFile(file, () =>
      process.stderr.write(`${JSON.stringify({ level: 'warn', event: 'admission_lock_stale', file })}\n`),
    );
    if ('release' in attempt) {
      try {
        return edit();
      } finally {
        attempt.release();
      }
    }
    if (Date.now() >= deadline)
      throw new ServiceError('admission_locked', {
        hint:
          attempt.heldBy === undefined
            ? `${file} exists but cannot be read; remove it if no command is editing the admissions`
            : attempt.elsewhere === undefined
              ? `${file} is held by process ${attempt.heldBy}; try again when it has finished`
              : `${file} is held by process ${attempt.heldBy} in ${attempt.elsewhere}, which cannot be checked from here; try again when it has finished, or remove the file by hand once sure no command is editing the admissions`,
        file,
      });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ADMISSION_LOCK_POLL_MS);
  }
}

/** The admitted keys by key id, re-read whenever admission.json changes. */
export class AdmissionList {
  readonly #dataDir: string;
  #byKeyId = new Map<string, AdmittedKey>();
  #byOrganisationId = new Map<string, AdmittedOrganisation>();
  #issuers = new Map<string, AdmittedIssuer>();
  #mtime = -1;

  constructor(dataDir: string) {
    this.#dataDir = dataDir;
    this.reload();
  }

  reload(): void {
    const m = mtimeOf(join(this.#dataDir, ADMISSION_FILE));
    if (m === this.#mtime) return;
    const next = new Map<string, AdmittedKey>();
    const byOrganisationId = new Map<string, AdmittedOrganisation>();
    const file = readAdmissionFile(this.#dataDir);
    for (const organisation of file.organisations) {
      for (const k of organisation.publicKeys) {
        const bytes = base64url.decode(k)!;
        const keyId = keyIdFromPublicKey(bytes);
        next.set(keyId, { keyId, verifier: new PublicKeyVerifier(bytes), organisation });
      }
      if (organisation.organisationId !== undefined)
        byOrganisationId.set(organisation.organisationId, organisation);
    }
    const issuers = new Map<string, AdmittedIssuer>();
    for (const i of file.credentialIssuers ?? []) {
      const bytes = base64url.decode(i.publicKey)!;
      const keyId = keyIdFromPublicKey(bytes);
      issuers.set(keyId, { keyId, name: i.name, verifier: new PublicKeyVerifier(bytes) });
    }
    this.#byKeyId = next;
    this.#byOrganisationId = byOrganisationId;
    this.#issuers = issuers;
    this.#mtime = m;
  }

  get(keyId: string): AdmittedKey | undefined {
    return this.#byKeyId.get(keyId);
  }

  /** The organisation admitted under this match-server organisation id (§9.7). */
  byOrganisationId(organisationId: string): AdmittedOrganisation | undefined {
    return this.#byOrganisationId.get(organisationId);
  }

  /** An admitted credential issuer by its §5.1 key id. */
  issuer(keyId: string): AdmittedIssuer | undefined {
    return this.#issuers.get(keyId);
  }
}
