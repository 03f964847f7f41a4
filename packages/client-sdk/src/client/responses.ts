// Shape checks on what the server answers. The SDK trusts the server's content but not
// its form: an answer without the members the caller will read is 'response_invalid',
// not a TypeError somewhere in the caller's code.

import { SluisError, toProblemCode } from '../errors.js';
import type {
  Agreement,
  ArchiveNotice,
  BatchItemResult,
  MinimalBatchItemResult,
  Consent,
  HandoverDecline,
  HandoverRequest,
  InboxEvent,
  MatchView,
  Page,
  PlacementHeldElsewhere,
  PlacementOutcome,
  Signal,
  Vocabulary,
} from './types.js';

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(): never {
  throw new SluisError('response_invalid');
}

/**
 * A placement's answer without a signal (`heldByYou: false`, docs/api.md "Need to know"). Its
 * `signal` throws `signal_not_held` when read; not enumerable.
 */
export function asHeldElsewhere(outcome: PlacementOutcome, requestId: string): PlacementHeldElsewhere {
  if (outcome === 'created') invalid();
  const r = { outcome, heldByYou: false, requestId };
  Object.defineProperty(r, 'signal', {
    enumerable: false,
    get: () => {
      throw new SluisError('signal_not_held');
    },
  });
  return r as PlacementHeldElsewhere;
}

export function asObj(v: unknown): Obj {
  return isObj(v) ? v : invalid();
}

export function asSignal(v: unknown): Signal {
  const s = asObj(v);
  if (typeof s.id !== 'string' || typeof s.status !== 'string') invalid();
  return s as unknown as Signal;
}

export function asMatch(v: unknown): MatchView {
  const m = asObj(v);
  if (typeof m.id !== 'string' || !isObj(m.counterpart)) invalid();
  return m as unknown as MatchView;
}

export function asArray<T>(v: unknown, item: (x: unknown) => T): T[] {
  return Array.isArray(v) ? v.map(item) : invalid();
}

export function asArchiveNotice(v: unknown): ArchiveNotice {
  const n = asObj(v);
  if (typeof n.id !== 'string' || typeof n.organisationName !== 'string' || !isObj(n.contact)) invalid();
  return n as unknown as ArchiveNotice;
}

const OUTCOMES = new Set(['created', 'replayed', 'existing']);

export function asHandoverRequest(v: unknown): HandoverRequest {
  const r = asObj(v);
  if (
    typeof r.id !== 'string' ||
    typeof r.requestedBy !== 'string' ||
    typeof r.requestedAt !== 'string' ||
    (r.heldBy !== null && typeof r.heldBy !== 'string')
  )
    invalid();
  asSignal(r.signal);
  return r as unknown as HandoverRequest;
}

export function asHandoverDecline(v: unknown): HandoverDecline {
  const d = asObj(v);
  if (typeof d.requestedAt !== 'string' || typeof d.declinedAt !== 'string') invalid();
  return d as unknown as HandoverDecline;
}

export function asOutcome(v: unknown): PlacementOutcome {
  return OUTCOMES.has(v as string) ? (v as PlacementOutcome) : invalid();
}

export function asPage<T>(v: unknown, item: (x: unknown) => T): Page<T> {
  const p = asObj(v);
  if (!Array.isArray(p.items)) invalid();
  if (p.nextCursor !== undefined && p.nextCursor !== null && typeof p.nextCursor !== 'string') invalid();
  const items = p.items.map(item);
  return typeof p.nextCursor === 'string' ? { items, nextCursor: p.nextCursor } : { items };
}

export function asInboxEvent(v: unknown): InboxEvent {
  const e = asObj(v);
  if (typeof e.cursor !== 'string' || typeof e.type !== 'string' || typeof e.matchId !== 'string') invalid();
  if (e.match !== null) asMatch(e.match);
  return e as unknown as InboxEvent;
}

/**
 * A batch or migrate call's per-item results, re-indexed to the caller's items. `minimal`: asked for with `Prefer: return=minimal`; each
 * placed item's signal is cut to its id, also when the server answered in full (one that does
 * not know the preference ignores it, RFC 7240 §2).
 */
export function asBatchResults(
  v: unknown,
  count: number,
  indexMap: readonly number[],
  minimal: true,
): MinimalBatchItemResult[];
export function asBatchResults(
  v: unknown,
  count: number,
  indexMap: readonly number[],
  minimal?: false,
): BatchItemResult[];
export function asBatchResults(
  v: unknown,
  count: number,
  indexMap: readonly number[],
  minimal = false,
): (BatchItemResult | MinimalBatchItemResult)[] {
  const body = asObj(v);
  if (!Array.isArray(body.results) || body.results.length !== count) invalid();
  return body.results.map((x): BatchItemResult | MinimalBatchItemResult => {
    const r = asObj(x);
    if (typeof r.index !== 'number' || !Number.isInteger(r.index) || r.index < 0 || r.index >= count)
      invalid();
    const index = indexMap[r.index]!;
    if (r.ok === true) {
      const outcome = asOutcome(r.outcome ?? 'created');
      if (!minimal) return { index, ok: true, outcome, signal: asSignal(r.signal) };
      const id = isObj(r.signal) ? r.signal.id : undefined;
      if (typeof id !== 'string') invalid();
      return { index, ok: true, outcome, signal: { id } };
    }
    const fields = Array.isArray(r.fields) ? r.fields.filter((f): f is string => typeof f === 'string') : [];
    return { index, ok: false, code: toProblemCode(r.code), fields, local: false };
  });
}

export function asConsent(v: unknown): Consent {
  const c = asObj(v);
  if (typeof c.signalId !== 'string' || typeof c.status !== 'string' || !Array.isArray(c.scopes)) invalid();
  return c as unknown as Consent;
}

export function asAgreement(v: unknown): Agreement {
  const a = asObj(v);
  if (typeof a.id !== 'string' || typeof a.actionKind !== 'string' || !Array.isArray(a.history)) invalid();
  return a as unknown as Agreement;
}

export function asVocabulary(v: unknown): Vocabulary {
  const w = asObj(v);
  for (const k of ['consentScopes', 'actionKinds', 'informationCategories', 'purposes']) {
    if (!Array.isArray(w[k])) invalid();
  }
  return w as unknown as Vocabulary;
}
