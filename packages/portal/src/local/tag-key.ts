// The lookup tag of a signal kept in this browser (docs/portal.md "What stays in the browser",
// docs/threat-model.md §5.9): HMAC-SHA-256 over a versioned domain-separation string and the
// signal's pseudonym, under a key of this person in this browser. The key is made here as a
// non-extractable WebCrypto CryptoKey and kept in IndexedDB (./portal-db.ts), as the session key
// is: script in the page can compute tags with it, no script can read its bytes. So a tag cannot
// be tested against a table of pseudonyms (the OPRF key holder can make one for every BSN)
// without this browser's key, and the same client's tags differ in every browser and for every
// person. The key is not removed at sign-out — the next sign-in of the same person here must
// find the signals again — only by "remove what this browser keeps for me" (./forget-local.ts).

import { base64url } from '@sluis/client-sdk';
import { inStore, TAG_KEY_STORE } from './portal-db.js';

/** Domain separation: a tag is never the MAC of anything else under the same key. */
export const LOOKUP_TAG_DOMAIN = 'sluis/portal/lookup-tag/v1';

const ALGORITHM: HmacKeyGenParams = { name: 'HMAC', hash: 'SHA-256', length: 256 };

export function generateTagKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey(ALGORITHM, false, ['sign']) as Promise<CryptoKey>;
}

/** base64url(HMAC-SHA-256(key, domain ‖ 0x00 ‖ pseudonym)); the pseudonym as the SDK gives it. */
export async function lookupTag(key: CryptoKey, pseudonym: string): Promise<string> {
  const message = new TextEncoder().encode(`${LOOKUP_TAG_DOMAIN}\u0000${pseudonym}`);
  return base64url.encode(new Uint8Array(await crypto.subtle.sign('HMAC', key, message)));
}

/** The tag per epoch of a subject's pseudonyms, e.g. { "3": "…" }. */
export async function lookupTags(
  key: CryptoKey,
  pseudonyms: readonly { readonly epoch: number; readonly value: string }[],
): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  for (const p of pseudonyms) tags[String(p.epoch)] = await lookupTag(key, p.value);
  return tags;
}

function usable(x: unknown): x is CryptoKey {
  return x instanceof CryptoKey && x.extractable === false && x.algorithm.name === 'HMAC';
}

/**
 * This person's tag key in this browser, made on first use. Undefined where IndexedDB is
 * unavailable: then no tag is kept and "find my signal" finds nothing (the reference is kept).
 * Two tabs making the first key at once: `add` lets only one in, the other reads that one.
 */
export async function tagKey(personId: string): Promise<CryptoKey | undefined> {
  try {
    const kept: unknown = await inStore(TAG_KEY_STORE, 'readonly', (s) => s.get(personId));
    if (usable(kept)) return kept;
    const fresh = await generateTagKey();
    try {
      if (kept !== undefined) await inStore(TAG_KEY_STORE, 'readwrite', (s) => s.delete(personId));
      await inStore(TAG_KEY_STORE, 'readwrite', (s) => s.add(fresh, personId));
      return fresh;
    } catch {
      const other: unknown = await inStore(TAG_KEY_STORE, 'readonly', (s) => s.get(personId));
      return usable(other) ? other : undefined;
    }
  } catch {
    return undefined;
  }
}

/** Deletes this person's tag key here: every tag kept under it can no longer be matched. */
export async function forgetTagKey(personId: string): Promise<void> {
  try {
    await inStore(TAG_KEY_STORE, 'readwrite', (s) => s.delete(personId));
  } catch {
    // No IndexedDB: no key was kept.
  }
}
