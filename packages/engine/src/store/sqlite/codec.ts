// Compact column encodings for the SQLite store (docs/engine.md "Size"): small integers
// for states, one short JSON array for the contact, one integer for `informed`.

import type {
  AgreementStatus,
  ConsentScope,
  Contact,
  DeliveryStatus,
  MailNoticeStatus,
  EndReason,
  FollowUpOutcome,
  InboxEventType,
  Informed,
  InformedStatus,
  LegalBasis,
  MatchKind,
  MatchStatus,
  ObjectionStatus,
  SignalStatus,
} from '../../api.js';
import { DELIVERY_STATUSES } from '../../api.js';
import type { Side, SignalRow } from '../store.js';

export function encodeContact(c: Contact): string {
  const arr: (string | null)[] = [c.name, c.role, c.phone ?? null, c.email ?? null];
  while (arr.length > 2 && arr[arr.length - 1] === null) arr.pop();
  return JSON.stringify(arr);
}

export function decodeContact(text: string): Contact {
  const [name, role, phone, email] = JSON.parse(text) as (string | null)[];
  return {
    name: name ?? '',
    role: role ?? '',
    ...(typeof phone === 'string' ? { phone } : {}),
    ...(typeof email === 'string' ? { email } : {}),
  };
}

// `informed` as one integer (3 bytes on disk instead of an 18-character string):
// status index + 4 × (day number + offset), or the bare index without a date. The offset
// keeps every date the validation accepts (years 0100–9999) positive.
const INFORMED_STATUSES: readonly InformedStatus[] = ['citizen', 'representative', 'both', 'not_yet'];
const DAY_OFFSET = 1_000_000;
const DAY = 86_400_000;

/**
 * The last date `encodeInformed` read and its day number + offset: a batch's items carry the
 * same few dates, and the split and the `Date` were ≈ 1 % of a bulk import's main thread
 * (docs/performance.md "Twenty-fifth pass: bulk, work removed from the main thread").
 */
let lastInformedDate: string | undefined;
let lastInformedDays = 0;

export function encodeInformed(i: Informed): number {
  const status = INFORMED_STATUSES.indexOf(i.status);
  if (i.date === undefined) return status;
  if (i.date !== lastInformedDate) {
    const [y, m, d] = i.date.split('-').map(Number) as [number, number, number];
    const utc = new Date(0);
    utc.setUTCFullYear(y, m - 1, d);
    lastInformedDays = Math.floor(utc.getTime() / DAY) + DAY_OFFSET;
    lastInformedDate = i.date;
  }
  return status + 4 * lastInformedDays;
}

export function decodeInformed(n: number): Informed {
  const status = INFORMED_STATUSES[n % 4]!;
  if (n < 4) return { status };
  return { status, date: isoDate(Math.floor(n / 4) - DAY_OFFSET) };
}

/** Day numbers (since 1970-01-01) of 0000-01-01 and 9999-12-31. */
const FIRST_4_DIGIT_DAY = -719_528;
const LAST_4_DIGIT_DAY = 2_932_896;
const two = (x: number) => (x < 10 ? `0${x}` : `${x}`);

/**
 * `new Date(day × DAY).toISOString().slice(0, 10)`, computed without a Date for the years
 * 0000–9999 (every date the validation accepts): the date of every signal row read was
 * ≈ 0.3 % of the national year's main thread (docs/performance.md "Thirty-sixth pass").
 * Days from civil dates as in H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"
 * (`civil_from_days`); the test holds it to toISOString for every day of those years.
 */
export function isoDate(day: number): string {
  if (!(Number.isInteger(day) && day >= FIRST_4_DIGIT_DAY && day <= LAST_4_DIGIT_DAY)) {
    return new Date(day * DAY).toISOString().slice(0, 10);
  }
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${two(m)}-${two(d)}`;
}

const STATES: readonly (EndReason | null)[] = [null, 'ended', 'expired', 'erased_by_request', 'key_retired'];
/** Every value `encodeState` writes (0 active, then one per end reason); the list's arms (sqlite-signals.ts). */
export const STATE_CODES: readonly number[] = STATES.map((_, i) => i);
export function encodeState(status: SignalStatus, reason: EndReason | null): number {
  return status === 'active' ? 0 : Math.max(1, STATES.indexOf(reason));
}
export function decodeState(n: number): { status: SignalStatus; endReason: EndReason | null } {
  return n === 0
    ? { status: 'active', endReason: null }
    : { status: 'inactive', endReason: STATES[n] ?? 'ended' };
}

const OBJECTIONS: readonly (ObjectionStatus | null)[] = [null, 'pending', 'upheld', 'rejected'];
/** Stored as this index in flags bits 6-7; 0 in rows written before it was recorded (jeugdwet). */
export const LEGAL_BASIS_CODES: readonly LegalBasis[] = ['jeugdwet', 'consent', 'no_objection'];

/** The signal fields kept in the one `flags` integer. */
export type SignalFlags = Pick<
  SignalRow,
  | 'restricted'
  | 'hasParents'
  | 'objection'
  | 'parentsAtPlacement'
  | 'legalBasis'
  | 'objectionInherited'
  | 'restrictionRegistered'
>;

/**
 * bit 0 restricted, bit 1 has parents, bits 2-3 objection, bits 4-5 the number of parents
 * at placement (0-2; 0 in rows written before it was recorded: then has-parents means 2),
 * bits 6-7 the legal basis (LEGAL_BASIS_CODES; 0, jeugdwet, in every row written before
 * it was recorded: docs/engine.md "Legal basis"), bit 8 the pending objection was
 * inherited at placement rather than registered on this signal (docs/engine.md
 * "Objections"), bit 9 the restriction was registered on this signal by the desk rather than
 * inherited at placement (0 in rows written before it was recorded: not shown). Fits
 * PostgreSQL's smallint.
 */
export function encodeFlags(f: SignalFlags): number {
  return (
    (f.restricted ? 1 : 0) |
    (f.hasParents ? 2 : 0) |
    (OBJECTIONS.indexOf(f.objection) << 2) |
    ((Math.max(0, Math.min(2, f.parentsAtPlacement)) & 3) << 4) |
    (Math.max(0, LEGAL_BASIS_CODES.indexOf(f.legalBasis)) << 6) |
    (f.objectionInherited ? 256 : 0) |
    (f.restrictionRegistered ? 512 : 0)
  );
}
export function decodeFlags(n: number): SignalFlags {
  const recorded = (n >> 4) & 3;
  return {
    restricted: (n & 1) !== 0,
    hasParents: (n & 2) !== 0,
    objection: OBJECTIONS[(n >> 2) & 3] ?? null,
    parentsAtPlacement: recorded !== 0 ? recorded : (n & 2) !== 0 ? 2 : 0,
    legalBasis: LEGAL_BASIS_CODES[(n >> 6) & 3] ?? 'jeugdwet',
    objectionInherited: (n & 256) !== 0,
    restrictionRegistered: (n & 512) !== 0,
  };
}

export const MATCH_KINDS: readonly MatchKind[] = ['person', 'family'];
export const MATCH_STATUSES: readonly MatchStatus[] = ['active', 'ended'];
/** Stored as this index (schema step 8); the order is the on-disk format. */
export const FOLLOW_UP_CODES: readonly FollowUpOutcome[] = [
  'contact_made',
  'already_in_contact',
  'no_contact_needed',
  'client_refused',
];
export function encodeOutcome(o: FollowUpOutcome | null): number | null {
  return o === null ? null : FOLLOW_UP_CODES.indexOf(o);
}
export function decodeOutcome(n: number | null): FollowUpOutcome | null {
  return n === null ? null : FOLLOW_UP_CODES[n]!;
}
export const EVENT_TYPES: readonly InboxEventType[] = [
  'match.created',
  'match.updated',
  'match.ended',
  'match.removed',
];
/** deliveries.status: a state's index in DELIVERY_STATUSES (api/deliveries.ts). */
export { DELIVERY_STATUSES };
/**
 * A delivery state's stored code as SQL text, for the statements that select by state (both
 * stores): a literal, not a parameter, so the partial index deliveries_due (`WHERE status = 0`)
 * still serves the claim.
 */
export const deliveryCode = (s: DeliveryStatus): string => String(DELIVERY_STATUSES.indexOf(s));
/** mail_outbox.status (schema step 13). */
export const MAIL_STATUSES: readonly MailNoticeStatus[] = ['pending', 'sent', 'dropped'];

export function encodeSide(s: Side | null): number | null {
  return s === null ? null : s === 'a' ? 0 : 1;
}
export function decodeSide(n: number | null): Side | null {
  return n === null ? null : n === 0 ? 'a' : 'b';
}

export const AGREEMENT_STATUSES: readonly AgreementStatus[] = ['open', 'done', 'cancelled'];

export function encodeConsentScopes(scopes: readonly ConsentScope[]): string {
  return scopes.join(',');
}
export function decodeConsentScopes(text: string): ConsentScope[] {
  return text === '' ? [] : (text.split(',') as ConsentScope[]);
}
