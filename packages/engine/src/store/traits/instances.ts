// Store trait, several instances on the same data (PostgreSQL, docs/engine.md "Storage
// contract" clauses 3-5): every concurrency case of the contract again with its writes
// spread over two instances, so the critical sections, nonces and job locks hold across
// processes, not only within one. SQLite declares why not (one process owns the file).

import { CONCURRENCY_CASES } from '../conformance/concurrency.js';
import type { TraitContext } from './context.js';

export function instancesCases({ test, skip, traits, withStore }: TraitContext): void {
  for (const c of CONCURRENCY_CASES) {
    const name = `${c.name} (two instances on the same data)`;
    if ('skip' in traits.instances) {
      skip(name, traits.instances.skip);
      continue;
    }
    const { reopen } = traits.instances;
    test(
      name,
      withStore(async (s) => {
        const other = await reopen(s);
        try {
          await c.run([s, other]);
        } finally {
          await other.close();
        }
      }),
    );
  }
}
