// Synthetic people for benchmarks: numbers that pass the BSN eleven-test, counting up from
// 900,000,000, pseudonymised with a fixed covenant key by the SDK, plus placement bodies as
// an organisation sends them. The covenant key lives only while pseudonyms() runs: it is made
// for each call and zeroed when the call returns or throws (docs/keys.md).

import { canonicaliseIdentifier, PseudonymKey, type Pseudonym } from '@sluis/client-sdk';

/** The numbers from `start` (900,000,000 unless given) to 999,999,999 that pass the eleven-test, in order. */
export function* validBsns(start = 900_000_000): Generator<string> {
  for (let n = start; n <= 999_999_999; n++) {
    const s = String(n);
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (9 - i) * (s.charCodeAt(i) - 48);
    if ((sum - (s.charCodeAt(8) - 48)) % 11 === 0) yield s;
  }
}

/** The first `count` valid BSNs at or above `start` (validBsns). */
export function bsnList(count: number, start?: number): string[] {
  const out: string[] = [];
  for (const bsn of validBsns(start)) {
    if (out.length === count) break;
    out.push(bsn);
  }
  return out;
}

/** The pseudonyms (epoch 1, the fixed covenant key) of bsnList(count, start). */
export function pseudonyms(count: number, start?: number): Pseudonym[] {
  const covenantKey = PseudonymKey.fromBytes(new Uint8Array(32).fill(42), 1);
  try {
    return bsnList(count, start).map((bsn) => covenantKey.pseudonymise(canonicaliseIdentifier('bsn', bsn)));
  } finally {
    covenantKey.destroy();
  }
}

/**
 * The professional named as contact on an organisation's n-th placement: one per CASELOAD
 * consecutive placements, as a caseworker names themselves on every signal of their caseload. The
 * server keeps one row per distinct contact of an organisation (schema step 6), so a
 * single contact for all placements would understate bytes on disk per signal.
 */
export const CASELOAD = caseload(process.env.SLUIS_BENCH_CASELOAD);

/** 25 by default; SLUIS_BENCH_CASELOAD=N measures another (1: every signal its own contact). */
function caseload(given: string | undefined): number {
  if (given === undefined || given === '') return 25;
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1) throw new Error('SLUIS_BENCH_CASELOAD must be an integer ≥ 1');
  return n;
}
export function benchContact(n: number, organisation = 0): { name: string; role: string; email: string } {
  const k = `${organisation}.${Math.floor(n / CASELOAD)}`;
  return { name: `Medewerker ${k}`, role: 'jeugdconsulent', email: `medewerker${k}@example.nl` };
}

let counter = 0;
/** The n-th placement body; `organisation` (index) and `nth` (its own count) choose the contact. */
export function placementBody(
  subject: Pseudonym,
  n: number = counter++,
  organisation = 0,
  nth = n,
): Record<string, unknown> {
  const hex = n.toString(16).padStart(12, '0');
  return {
    requestId: `00000000-0000-4000-8000-${hex}`,
    subject: [subject],
    contact: benchContact(nth, organisation),
    informed: { status: 'citizen', date: '2026-01-05' },
  };
}
