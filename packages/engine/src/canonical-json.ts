// Canonical JSON for hashing (logbook chain, idempotency hashes): object keys sorted by
// code unit, no whitespace, only strings, finite numbers, booleans, null, arrays and
// plain objects (the RFC 8785 subset these values need). Same value → same bytes.

export type Json =
  | string
  | number
  | boolean
  | null
  | readonly Json[]
  | { readonly [k: string]: Json | undefined };

export function canonicalJson(value: Json): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('canonical JSON needs finite numbers');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v as Json)).join(',')}]`;
  const obj = value as { readonly [k: string]: Json | undefined };
  // One loop and one string, no filtered, mapped and joined arrays: the logbook serialises two
  // small objects per entry (docs/performance.md "Thirty-sixth pass"). Sorting before leaving
  // out the undefined members gives the same order as sorting after.
  const keys = Object.keys(obj).sort();
  let out = '{';
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}
