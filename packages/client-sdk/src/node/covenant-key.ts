// Covenant key tooling for the key ceremony (docs/keys.md §2.1): a new covenant
// pseudonym key file, and its key check value (KCV) — the pseudonym of a fixed,
// never-issued test BSN under the key and epoch — so custodians compare keys without
// revealing them. Invariant: the key is written once (0600, never overwritten) and never
// printed; only the KCV leaves, and an HMAC output does not reveal its key.

import { randomBytes } from 'node:crypto';
import { canonicaliseIdentifier } from '../protocol/identifier.js';
import { bytesToHex } from '../protocol/encoding.js';
import type { PseudonymKey } from '../protocol/pseudonym.js';
import { writeSecretTextFile } from './key-files.js';

/** The KCV's input (docs/keys.md §2.1): from the 9999xxxxx test range, issued to nobody. */
export const KEY_CHECK_BSN = '999900006';

/** A new covenant key's size: 32 bytes from the operating system's CSPRNG. */
export const COVENANT_KEY_BYTES = 32;

/** The key check value: the pseudonym (base64url) of KEY_CHECK_BSN under the key and its epoch. */
export function keyCheckValue(key: PseudonymKey): string {
  return key.pseudonymise(canonicaliseIdentifier('bsn', KEY_CHECK_BSN)).value;
}

/** Writes 32 random bytes as hex to a new file (mode 0600, refuses to overwrite). */
export async function writeNewCovenantKeyFile(
  path: string,
  random: (n: number) => Uint8Array = randomBytes,
): Promise<void> {
  const key = random(COVENANT_KEY_BYTES);
  try {
    await writeSecretTextFile(path, `${bytesToHex(key)}\n`);
  } finally {
    key.fill(0);
  }
}
