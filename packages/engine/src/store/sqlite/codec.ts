// Compact column encodings for the SQLite store (docs/engine.md "Size"): small integers
// for states, one short JSON array for the contact, one short string for `informed`.

import type {
  AgreementStatus,
  ConsentScope,
  Contact,
  DeliveryStatus,
  EndReason,
  InboxEventType,
  Informed,
  InformedStatus,
  MatchKind,
  MatchStatus,
  ObjectionStatus,
  SignalStatus,
} from '../../api.js';
import type { Side } from '../store.js';

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

export function encodeInformed(i: Informed): string {
  return i.date === undefined ? i.status : `${i.status} ${i.date}`;
}

export function decodeInformed(text: string): Informed {
  const [status, date] = text.split(' ');
  return date === undefined
    ? { status: status as InformedStatus }
    : { status: status as InformedStatus, date };
}

const STATES: readonly (EndReason | null)[] = [null, 'ended', 'expired', 'erased_by_request'];
export function encodeState(status: SignalStatus, reason: EndReason | null): number {
  return status === 'active' ? 0 : Math.max(1, STATES.indexOf(reason));
}
export function decodeState(n: number): { status: SignalStatus; endReason: EndReason | null } {
  return n === 0
    ? { status: 'active', endReason: null }
    : { status: 'inactive', endReason: STATES[n] ?? 'ended' };
}

const OBJECTIONS: readonly (ObjectionStatus | null)[] = [null, 'pending', 'upheld', 'rejected'];
/**
 * bit 0 restricted, bit 1 has parents, bits 2-3 objection, bits 4-5 the number of parents
 * at placement (0-2; 0 in rows written before it was recorded: then has-parents means 2).
 */
export function encodeFlags(
  restricted: boolean,
  hasParents: boolean,
  objection: ObjectionStatus | null,
  parentsAtPlacement: number,
): number {
  return (
    (restricted ? 1 : 0) |
    (hasParents ? 2 : 0) |
    (OBJECTIONS.indexOf(objection) << 2) |
    ((Math.max(0, Math.min(2, parentsAtPlacement)) & 3) << 4)
  );
}
export function decodeFlags(n: number): {
  restricted: boolean;
  hasParents: boolean;
  objection: ObjectionStatus | null;
  parentsAtPlacement: number;
} {
  const recorded = (n >> 4) & 3;
  return {
    restricted: (n & 1) !== 0,
    hasParents: (n & 2) !== 0,
    objection: OBJECTIONS[(n >> 2) & 3] ?? null,
    parentsAtPlacement: recorded !== 0 ? recorded : (n & 2) !== 0 ? 2 : 0,
  };
}

export const MATCH_KINDS: readonly MatchKind[] = ['person', 'family'];
export const MATCH_STATUSES: readonly MatchStatus[] = ['active', 'ended'];
export const EVENT_TYPES: readonly InboxEventType[] = [
  'match.created',
  'match.updated',
  'match.ended',
  'match.removed',
];
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered'];

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
