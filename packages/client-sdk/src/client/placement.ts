// Turns a placement as the caller knows it (BSN, parents' BSNs, date of birth) into the
// wire body (pseudonyms under every configured key epoch, an end date). This is the
// point where the raw identifier stops: nothing returned from here contains it.

import { SluisError } from '../errors.js';
import { checkBsn } from '../protocol/identifier.js';
import { type Pseudonym, type PseudonymKey, pseudonymiseAll } from '../protocol/pseudonym.js';
import {
  type CalendarDate,
  compareDates,
  endDateFromDateOfBirth,
  formatDate,
  placementEndDate,
} from './dates.js';
import type { Contact, Informed, MigrationBody, PlacementBody } from './types.js';
import {
  FieldErrors,
  checkContact,
  checkDateOfBirth,
  checkFutureDate,
  checkInformed,
  checkUuid,
} from './validate.js';
import { type RandomSource, uuidV4 } from './uuid.js';

export interface PlaceSignalInput {
  /** The citizen's BSN (8 or 9 digits). Validated and pseudonymised locally; never sent. */
  readonly bsn: string;
  readonly contact: Contact;
  readonly informed: Informed;
  /** Last day the signal is active ('YYYY-MM-DD', after today). The server caps it at 2 years. */
  readonly endDate?: string;
  /** Used only to compute the end date (the day before the 23rd birthday); never sent. */
  readonly dateOfBirth?: string;
  /** 0–2 parents' BSNs for family matching. Pseudonymised locally; never sent. */
  readonly parentsBsn?: readonly string[];
  /** Idempotency key (UUID). Generated when absent; reuse it to retry a placement safely. */
  readonly requestId?: string;
}

const PLACE_KEYS = new Set([
  'bsn',
  'contact',
  'informed',
  'endDate',
  'dateOfBirth',
  'parentsBsn',
  'requestId',
]);

/** Checks and pseudonymises one person's BSN; a bad one throws its bsn_* code naming the field. */
function person(raw: unknown, field: string, keys: readonly PseudonymKey[]): Pseudonym[] {
  const r = checkBsn(raw);
  if (!r.ok) throw new SluisError(r.code, { fields: [field] });
  return pseudonymiseAll(keys, r.identifier);
}

/** Canonical text of a valid BSN, for comparing subject and parents. */
function canonical(raw: unknown): string | undefined {
  const r = checkBsn(raw);
  return r.ok ? r.identifier.reveal() : undefined;
}

function persons(
  subject: unknown,
  parents: unknown,
  keys: readonly PseudonymKey[],
  errors: FieldErrors,
): { subject: Pseudonym[]; parents: Pseudonym[][] | undefined } {
  const subjectPseudonyms = person(subject, 'bsn', keys);
  if (parents === undefined) return { subject: subjectPseudonyms, parents: undefined };
  if (!Array.isArray(parents) || parents.length > 2) {
    errors.add('parentsBsn');
    errors.throwIfAny();
    return { subject: subjectPseudonyms, parents: undefined };
  }
  const seen = [canonical(subject)];
  const out: Pseudonym[][] = [];
  parents.forEach((p, i) => {
    out.push(person(p, `parentsBsn.${i}`, keys));
    const c = canonical(p);
    if (seen.includes(c)) errors.add(`parentsBsn.${i}`);
    seen.push(c);
  });
  return { subject: subjectPseudonyms, parents: out.length === 0 ? undefined : out };
}

/**
 * Validates a placement and builds its wire body. Throws SluisError with a bsn_* code
 * (fields: ['bsn'] or ['parentsBsn.i']) or 'input_invalid' with every failing field.
 */
export function preparePlacement(
  input: PlaceSignalInput,
  keys: readonly PseudonymKey[],
  today: CalendarDate,
  random: RandomSource,
): PlacementBody {
  const errors = new FieldErrors();
  if (typeof input !== 'object' || input === null) throw new SluisError('input_invalid', { fields: [''] });
  for (const k of Object.keys(input)) {
    if (!PLACE_KEYS.has(k) && (input as unknown as Record<string, unknown>)[k] !== undefined) errors.add(k);
  }
  const contact = checkContact(input.contact, 'contact', errors);
  const informed = checkInformed(input.informed, 'informed', today, errors);
  let end: CalendarDate | undefined;
  if (input.endDate !== undefined) end = checkFutureDate(input.endDate, 'endDate', today, errors);
  if (input.dateOfBirth !== undefined) {
    const dob = checkDateOfBirth(input.dateOfBirth, 'dateOfBirth', today, errors);
    if (dob !== undefined) {
      // 23 or older: the youth-care term is over, so there is nothing to signal.
      if (compareDates(endDateFromDateOfBirth(dob), today) <= 0) errors.add('dateOfBirth');
      else {
        // Rounded down to the month: the exact day would give the server the birth date.
        const youthEnd = placementEndDate(dob, today);
        if (end === undefined || compareDates(youthEnd, end) < 0) end = youthEnd;
      }
    }
  }
  const requestId =
    input.requestId === undefined ? uuidV4(random) : checkUuid(input.requestId, 'requestId', errors);
  // Identifier errors first: they have their own codes.
  const { subject, parents } = persons(input.bsn, input.parentsBsn, keys, errors);
  errors.throwIfAny();
  return {
    requestId: requestId!,
    subject,
    ...(parents === undefined ? {} : { parents }),
    contact: contact!,
    informed: informed!,
    ...(end === undefined ? {} : { endDate: formatDate(end) }),
  };
}

export interface MigrateSignalInput {
  readonly signalId: string;
  /** The citizen's BSN, pseudonymised locally under the target epoch(s); never sent. */
  readonly bsn: string;
  readonly parentsBsn?: readonly string[];
}

/** Builds one migration item: the same person's pseudonyms under the target keys. */
export function prepareMigration(input: MigrateSignalInput, keys: readonly PseudonymKey[]): MigrationBody {
  const errors = new FieldErrors();
  if (typeof input !== 'object' || input === null) throw new SluisError('input_invalid', { fields: [''] });
  const signalId = checkUuid(input.signalId, 'signalId', errors);
  const { subject, parents } = persons(input.bsn, input.parentsBsn, keys, errors);
  errors.throwIfAny();
  return { signalId: signalId!, subject, ...(parents === undefined ? {} : { parents }) };
}
