// The store traits (hono's router traits beside its common cases): what one implementation
// has beyond the contract of conformance.ts — group commit, several instances on the same
// data, deleted content leaving its files, key state read from memory. Each trait's cases run where the store declares
// the trait and are registered as skipped, with the store's written reason, elsewhere —
// never silently left out.

import { conformanceContext, type StoreFactory, type TestRegistrar } from './conformance/fixtures.js';
import type { Store } from './store.js';
import { deletedContentCases } from './traits/deleted-content.js';
import { groupCommitCases } from './traits/group-commit.js';
import { instancesCases } from './traits/instances.js';
import { keyStateCacheCases } from './traits/key-state-cache.js';

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

/** Registers every trait case for one store: run where it holds, skipped with the reason elsewhere. */
export function runStoreTraits(
  factory: StoreFactory,
  test: TestRegistrar,
  traits: StoreTraits,
  skip: (name: string, reason: string) => void,
): void {
  const context: TraitContext = { ...conformanceContext(factory, test), traits, skip };
  groupCommitCases(context);
  instancesCases(context);
  deletedContentCases(context);
  keyStateCacheCases(context);
}
