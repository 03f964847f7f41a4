// The store traits (hono's router traits beside its common cases): what one implementation
// has beyond the contract of conformance.ts — group commit, several instances on the same
// data, deleted content leaving its files, key state read from memory. Each trait's cases run where the store declares
// the trait and are registered as skipped, with the store's written reason, elsewhere —
// never silently left out.

import { conformanceContext, type StoreFactory, type TestRegistrar } from './conformance/fixtures.js';
import type { StoreTraits, TraitContext } from './traits/context.js';
import { deletedContentCases } from './traits/deleted-content.js';
import { groupCommitCases } from './traits/group-commit.js';
import { instancesCases } from './traits/instances.js';
import { keyStateCacheCases } from './traits/key-state-cache.js';

export type { StoreTraits } from './traits/context.js';

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
