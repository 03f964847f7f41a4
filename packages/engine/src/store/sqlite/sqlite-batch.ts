// The batch item of the SQLite store (store.ts `batchItem`): no savepoint per item. Its
// single writer waits for no lock and a failed statement is undone alone, so an item that
// is refused before its first write leaves nothing behind; one that throws after writing
// fails the whole operation instead of leaving half an item (the write operation's own
// savepoint then undoes the batch). The connection's `total_changes()` tells the two apart.
// A storage fault (SQLITE_FULL, I/O) is not an EngineError: it passes through as is, fails
// the operation, and the writer maps it to its own code (`disk_full`, …) as for any write.

import { isEngineError } from '../../errors.js';
import type { Prepare } from './statement-cache.js';

export async function runBatchItem<T>(
  st: Prepare,
  inTransaction: () => boolean,
  fn: () => Promise<T>,
): Promise<T> {
  const changes = () => st('SELECT total_changes()').pluck().get() as number;
  const before = changes();
  try {
    return await fn();
  } catch (e) {
    if (isEngineError(e) && (!inTransaction() || changes() !== before)) {
      // Not an EngineError: the caller must not take it for the item's own refusal.
      throw new Error('a batch item failed after its first write; the operation is undone', { cause: e });
    }
    throw e;
  }
}
