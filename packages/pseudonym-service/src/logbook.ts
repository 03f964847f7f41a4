// The service's logbook (docs/leakage.md "Pseudonym service"): one JSON line per
// evaluate request with the organisation's name, the key id, the epoch and the NUMBER
// of elements — and, for a request with a credential (§9.7), the person's and the
// credential's ids, so counts per person can be read from it — never an element, a proof or anything derived from one — plus refusals
// by code and the hourly alerts. Appended and fsynced before the answer is sent, so the
// budget rebuilt from it at start never undercounts an answered request.

import { closeSync, constants, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LOGBOOK_FILE, mtimeOf } from './data-dir.js';
import type { CredentialCaps } from './abuse/credential-caps.js';
import type { EvaluationBudget } from './abuse/evaluation-budget.js';

/** With a credential (§9.7): the person's id at the match server and the credential's id. */
interface Who {
  personId?: string;
  credentialId?: string;
}

export type LogbookEntry =
  | ({
      event: 'evaluated';
      organisation: string;
      keyId: string;
      epoch: number;
      elements: number;
      credentialExpiresAt?: string;
    } & Who)
  | ({ event: 'refused'; code: string; organisation?: string; keyId?: string; elements?: number } & Who)
  | { event: 'alert.evaluation_rate'; organisation: string; elementsThisHour: number; threshold: number }
  | {
      event: 'alert.person_evaluation_rate';
      organisation: string;
      personId: string;
      elementsThisHour: number;
      threshold: number;
    }
  | { event: 'issuer.admitted' | 'issuer.removed'; issuer: string }
  | { event: 'epoch.added' | 'epoch.retired'; epoch: number }
  | {
      event:
        | 'organisation.admitted'
        | 'organisation.suspended'
        | 'organisation.reinstated'
        | 'organisation.linked'
        | 'organisation.removed';
      organisation: string;
    };

export class Logbook {
  readonly #fd: number;

  constructor(dataDir: string) {
    this.#fd = openSync(
      join(dataDir, LOGBOOK_FILE),
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT,
      0o600,
    );
  }

  append(at: number, entry: LogbookEntry): void {
    writeSync(this.#fd, `${JSON.stringify({ at: new Date(at).toISOString(), ...entry })}\n`);
    fsyncSync(this.#fd);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** Rebuilds today's and this hour's counts (and alerts), and the credentials' use, from the logbook. */
export function replayLogbook(
  dataDir: string,
  budget: EvaluationBudget,
  caps: CredentialCaps,
  now: number,
): void {
  const path = join(dataDir, LOGBOOK_FILE);
  if (mtimeOf(path) === 0) return;
  const since = now - 48 * 3_600_000;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    let e: {
      at?: string;
      event?: string;
      organisation?: string;
      elements?: number;
      personId?: string;
      credentialId?: string;
      credentialExpiresAt?: string;
    };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      continue; // a torn last line after a crash
    }
    const at = Date.parse(e.at ?? '');
    if (!(at >= since) || typeof e.organisation !== 'string') continue;
    if (e.event === 'evaluated' && typeof e.elements === 'number') {
      budget.count(e.organisation, e.elements, at);
      const expiresAt = Date.parse(e.credentialExpiresAt ?? '');
      if (typeof e.personId === 'string' && typeof e.credentialId === 'string' && expiresAt > now)
        caps.count(e.personId, e.credentialId, expiresAt, e.elements, at);
    }
    if (e.event === 'alert.evaluation_rate') budget.markAlerted(e.organisation, at);
    if (e.event === 'alert.person_evaluation_rate' && typeof e.personId === 'string')
      caps.markAlerted(e.personId, at);
  }
}
