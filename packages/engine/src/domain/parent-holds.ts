// The hold on a parent link (docs/engine.md "GDPR requests (municipality only)"): while the
// GDPR desk restricts a person (art. 18) or an objection of theirs is pending (art. 21), every
// stored row that names them as a *parent* of a child's signal is held. A held link makes no
// family match, and a family match that exists only through held links reveals no contact to
// either party (views.ts `revealsContact`). The child's signal itself is not restricted: it
// keeps matching on the child's own values and on a free other parent. Invariants: a new
// child signal naming a held parent holds that link too (as a new subject signal inherits a
// restriction); nothing here reads or writes a subject row.

import type { DerivedPseudonym } from './stored-values.js';
import { PARENT_HOLD } from '../store/rows.js';
import type { MatchRow, SignalRow, StoredPseudonymRow, StoreReader } from '../store/store.js';

const hex = (v: Uint8Array) => Buffer.from(v).toString('hex');
const unhex = (x: string) => new Uint8Array(Buffer.from(x, 'hex'));

/** The hold a signal where the person is the subject gives their links (restricted, objection pending). */
const bitsOf = (s: SignalRow) =>
  (s.restricted ? PARENT_HOLD.restricted : 0) | (s.objection === 'pending' ? PARENT_HOLD.objection : 0);

/** The union of the holds of the person's signals (as subject) among `asSubject` and of `links`. */
function union(asSubject: readonly SignalRow[], links: readonly { held: number }[]): number {
  return asSubject.reduce((b, s) => b | bitsOf(s), 0) | links.reduce((b, l) => b | l.held, 0);
}

/**
 * The hold of a person named as a parent, whose values are `values`: restricted while a signal
 * of theirs (as subject) is restricted or one of their links is held for it; likewise for a
 * pending objection. The person is restricted, not a row: so a new link inherits it.
 */
export async function personHold(tx: StoreReader, values: readonly Uint8Array[]): Promise<number> {
  return union(await tx.findSignalsByStored(values, 'subject'), await tx.heldParentLinks(values));
}

/**
 * Each named parent's hold (`personHold`), in placement order. `parentHits` (the signals found
 * per parent value, in `parents.flat()` order) spares reading the links when no other signal
 * names any of the parents; one read of their subject signals answers the common case, where
 * none is restricted.
 */
export async function parentHoldsOf(
  tx: StoreReader,
  parents: readonly (readonly DerivedPseudonym[])[],
  parentHits: readonly (readonly SignalRow[])[],
): Promise<number[]> {
  const zero = parents.map(() => 0);
  if (parents.length === 0) return zero;
  const values = parents.flat().flatMap((d) => d.lookup);
  const asSubject = await tx.findSignalsByStored(values, 'subject');
  const links = parentHits.some((h) => h.length > 0) ? await tx.heldParentLinks(values) : [];
  if (union(asSubject, links) === 0) return zero;
  const holds: number[] = [];
  for (const p of parents) {
    const mine = new Set(p.flatMap((d) => d.lookup).map(hex));
    const own =
      parents.length === 1 ? asSubject : await tx.findSignalsByStored([...mine].map(unhex), 'subject');
    holds.push(
      union(
        own,
        links.filter((l) => mine.has(hex(l.stored))),
      ),
    );
  }
  return holds;
}

/** The new signal's stored rows with each parent row holding its parent's hold (`holds` in placement order). */
export function withParentHolds(
  rows: readonly Omit<StoredPseudonymRow, 'signalRid'>[],
  parents: readonly (readonly DerivedPseudonym[])[],
  holds: readonly number[],
): Omit<StoredPseudonymRow, 'signalRid'>[] {
  if (holds.every((h) => h === 0)) return [...rows];
  const byValue = new Map<string, number>();
  parents.forEach((p, i) => {
    for (const d of p) byValue.set(hex(d.stored), holds[i] ?? 0);
  });
  return rows.map((r) => {
    const h = r.role === 'parent' ? (byValue.get(hex(r.stored)) ?? 0) : 0;
    return h === 0 ? r : { ...r, held: h };
  });
}

/**
 * The parent values (and the signals found by each, `parentHits` in `parents.flat()` order)
 * that family matching may use: those of parents whose links are not held.
 */
export function freeParents(
  parents: readonly (readonly DerivedPseudonym[])[],
  holds: readonly number[],
  parentHits: readonly SignalRow[][],
): { lookup: Uint8Array[]; hits: SignalRow[][] } {
  const lookup: Uint8Array[] = [];
  const hits: SignalRow[][] = [];
  let j = 0;
  parents.forEach((p, i) => {
    for (const d of p) {
      if ((holds[i] ?? 0) === 0) {
        lookup.push(...d.lookup);
        hits.push(parentHits[j] ?? []);
      }
      j++;
    }
  });
  return { lookup, hits };
}

/**
 * The hold a family match shows (bits of PARENT_HOLD): when every parent value its two signals
 * share is held on either side, the union of those holds — the match exists only through held
 * links; 0 when one shared link is free, or for a person match. When the two share no stored
 * value — their rows at different generations during a server-secret rotation, or an erased
 * parent — the union of every hold on either signal's parent rows: it fails closed (a match
 * of an erased parent's children with another parent held withholds its contact too).
 */
export async function familyMatchHold(
  tx: StoreReader,
  m: MatchRow,
  a: SignalRow,
  b: SignalRow,
): Promise<number> {
  if (m.kind !== 'family' || !a.hasParents || !b.hasParents) return 0;
  const ofA = new Map<string, number>();
  for (const r of await tx.pseudonymsOf(a.rid)) if (r.role === 'parent') ofA.set(hex(r.stored), r.held ?? 0);
  let bits = 0;
  let shared = 0;
  let any = [...ofA.values()].reduce((x, y) => x | y, 0); // every hold on either side
  for (const r of await tx.pseudonymsOf(b.rid)) {
    if (r.role === 'parent') any |= r.held ?? 0;
    const h = r.role === 'parent' ? ofA.get(hex(r.stored)) : undefined;
    if (h === undefined) continue;
    shared++;
    const both = h | (r.held ?? 0);
    if (both === 0) return 0;
    bits |= both;
  }
  return shared === 0 ? any : bits;
}

export const holdRestricts = (bits: number) => (bits & PARENT_HOLD.restricted) !== 0;
export const holdObjects = (bits: number) => (bits & PARENT_HOLD.objection) !== 0;
