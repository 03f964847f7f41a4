// The advisory lock classes of the PostgreSQL store (docs/engine.md "Storage contract",
// clauses 4 and 5). Two-int locks (class, object) live in a key space apart from the
// one-bigint locks of the per-person section, so they can never collide with a value.

/** Per organisation's budget: (LOCK_BUDGET, organisation rid), transaction scope. */
export const LOCK_BUDGET = 1;
/** The logbook chain: (LOCK_LOGBOOK, 0), transaction scope. */
export const LOCK_LOGBOOK = 2;
/** A job: (LOCK_JOB, hash of its name), session scope on a dedicated connection. */
export const LOCK_JOB = 3;
/** Schema migrations on open: (LOCK_MIGRATION, 0), session scope. */
export const LOCK_MIGRATION = 4;
/**
 * Per organisation's people (its last coordinator): (LOCK_PEOPLE, organisation rid); the
 * municipality's people (its last administrator): (LOCK_PEOPLE, 0). Transaction scope.
 */
export const LOCK_PEOPLE = 5;
/** The epochs (registering and retiring one): (LOCK_EPOCHS, 0), transaction scope. */
export const LOCK_EPOCHS = 6;

/**
 * The per-person lock key of a stored value: its first 8 bytes as a signed 64-bit integer
 * (decimal text for the bigint parameter). Stored values are keyed (HMAC output), so their
 * first bytes are uniform; two people sharing a key only wait for each other.
 */
export function personLockKey(stored: Uint8Array): bigint {
  return Buffer.from(stored.buffer, stored.byteOffset, Math.min(8, stored.byteLength)).readBigInt64BE(0);
}

/** A job name as a 32-bit lock object (FNV-1a). */
export function jobLockKey(name: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(name, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
