// The store traits' shared types: what a store declares it has (StoreTraits) and what
// every group of trait cases receives (TraitContext). Apart from traits.ts, which runs the
// groups, so that no case file imports the file that imports it.

import type { conformanceContext } from '../conformance/fixtures.js';
import type { Store } from '../store.js';

/** A trait the store has (with what its cases need), or why it has not. */
type Trait<T> = T | { readonly skip: string };

export interface StoreTraits {
  /** Concurrent writes share one durable COMMIT (SQLite's single writer). */
  readonly groupCommit: Trait<true>;
  /** Several instances share one store's data (PostgreSQL): `reopen` opens another on the given store's data. */
  readonly instances: Trait<{ readonly reopen: (s: Store) => Promise<Store> }>;
  /**
   * Deleted content leaves every file of the store after `compact()` (SQLite's
   * secure_delete and WAL checkpoint): `files` lists them.
   */
  readonly deletedContentLeavesFiles: Trait<{ readonly files: (s: Store) => readonly string[] }>;
  /**
   * Key and organisation rows are read from memory until a write changes one (SQLite's one
   * writer, docs/engine.md "Key state cache"): `invalidations` counts how often it was emptied.
   */
  readonly keyStateCache: Trait<{ readonly invalidations: (s: Store) => number }>;
}

/** What every group of trait cases receives from runStoreTraits. */
export interface TraitContext extends ReturnType<typeof conformanceContext> {
  readonly traits: StoreTraits;
  /** Registers a case that does not apply with its reason (vitest: `(n, r) => it.skip(`${n} — ${r}`)`). */
  readonly skip: (name: string, reason: string) => void;
}
