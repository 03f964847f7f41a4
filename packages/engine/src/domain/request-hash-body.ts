// The canonical input of a placement's idempotency hash (signal-prepare.ts), written
// directly instead of building an object for the generic canonical serialiser: the batch
// path computes it 500 times per request (docs/performance.md "Seventh pass"). Invariant:
// the bytes are exactly those the generic canonicalJson gave over the hashed object (keys
// sorted by code unit, undefined members left out) — request-hash-body.test.ts holds the
// two equal on random placements, so every stored idempotency hash stays the same.

import type { ValidPlacement } from '../validation.js';
import type { DerivedPseudonym } from './stored-values.js';

type HashedPlacement = Pick<
  ValidPlacement,
  'contact' | 'informed' | 'endDate' | 'legalBasis' | 'attestation'
>;

const byEpoch = (x: DerivedPseudonym, y: DerivedPseudonym) => x.epoch - y.epoch;

const str = JSON.stringify;

/** `"key":value` members in the order given (the caller passes them sorted), undefined left out. */
function members(pairs: readonly (readonly [string, string | undefined])[]): string {
  let out = '';
  for (const [k, v] of pairs) {
    if (v === undefined) continue;
    out += `${out === '' ? '' : ','}${str(k)}:${str(v)}`;
  }
  return `{${out}}`;
}

function person(ps: readonly DerivedPseudonym[]): string {
  const sorted = ps.length > 1 ? [...ps].sort(byEpoch) : ps;
  let out = '';
  for (const p of sorted) {
    if (!Number.isFinite(p.epoch)) throw new RangeError('canonical JSON needs finite numbers');
    out += `${out === '' ? '' : ','}{"epoch":${str(p.epoch)},"stored":"${p.first.toString('hex')}"}`;
  }
  return `[${out}]`;
}

/**
 * The last contact and informed members written, with their fields, for one batch's
 * preparation: a batch's items mostly repeat one contact and a few informed states, and their
 * members were ≈ 0.5 % of a bulk import's main thread (docs/performance.md "Twenty-sixth pass:
 * bulk, the removals together"). The text depends on the fields' values alone, so equal fields
 * give the same text. The caller makes one per batch and drops it with the batch, so this
 * joined member is not kept past the request that carried it (docs/performance.md "BKV: three
 * exact removals in the batch path"). The contact's fields themselves stay in the validation's
 * memory of accepted contact texts, up to 512 per rule (validation.ts `rememberedTextFault`,
 * docs/engine.md "Input validation" and "Batch placement").
 */
export class RequestHashMemo {
  contact:
    | {
        readonly email: string | undefined;
        readonly name: string;
        readonly phone: string | undefined;
        readonly role: string;
        readonly text: string;
      }
    | undefined;
  informed: { readonly date: string | undefined; readonly status: string; readonly text: string } | undefined;
}

const contactText = (c: HashedPlacement['contact']) =>
  members([
    ['email', c.email],
    ['name', c.name],
    ['phone', c.phone],
    ['role', c.role],
  ]);

const informedText = (i: HashedPlacement['informed']) =>
  members([
    ['date', i.date],
    ['status', i.status],
  ]);

function contactMembers(c: HashedPlacement['contact'], memo: RequestHashMemo | undefined): string {
  if (memo === undefined) return contactText(c);
  const l = memo.contact;
  if (
    l !== undefined &&
    l.name === c.name &&
    l.role === c.role &&
    l.phone === c.phone &&
    l.email === c.email
  ) {
    return l.text;
  }
  const text = contactText(c);
  memo.contact = { email: c.email, name: c.name, phone: c.phone, role: c.role, text };
  return text;
}

function informedMembers(i: HashedPlacement['informed'], memo: RequestHashMemo | undefined): string {
  if (memo === undefined) return informedText(i);
  const l = memo.informed;
  if (l !== undefined && l.status === i.status && l.date === i.date) return l.text;
  const text = informedText(i);
  memo.informed = { date: i.date, status: i.status, text };
  return text;
}

/**
 * canonicalJson(requestHashObject(v, subject, parents)), byte for byte. `memo`: one batch's
 * (RequestHashMemo); without it nothing is remembered.
 */
export function requestHashBody(
  v: HashedPlacement,
  subject: readonly DerivedPseudonym[],
  parents: readonly (readonly DerivedPseudonym[])[],
  memo?: RequestHashMemo,
): string {
  const c = v.contact;
  const i = v.informed;
  const a = v.attestation;
  let out = '{';
  if (v.legalBasis !== 'jeugdwet') {
    out += `"attestation":${
      a === undefined
        ? 'null'
        : members([
            ['date', a.date],
            ['formReference', a.formReference],
          ])
    },`;
  }
  out += `"contact":${contactMembers(c, memo)}`;
  out += `,"endDate":${v.endDate === undefined ? 'null' : str(v.endDate)}`;
  out += `,"informed":${informedMembers(i, memo)}`;
  if (v.legalBasis !== 'jeugdwet') out += `,"legalBasis":${str(v.legalBasis)}`;
  out += ',"parents":[';
  for (let k = 0; k < parents.length; k++) out += `${k === 0 ? '' : ','}${person(parents[k]!)}`;
  return `${out}],"subject":${person(subject)}}`;
}
