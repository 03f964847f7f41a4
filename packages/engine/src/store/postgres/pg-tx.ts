// The Store's reader/writer on PostgreSQL: one object per read or per run of a write
// operation, on the pool (reads) or on the write's transaction. The statements live one
// aggregate per file, each class extending the one before: pg-core.ts (statements, locks,
// savepoints, the deferred tail), pg-organisations.ts, pg-signals.ts, pg-matches.ts,
// pg-events.ts, pg-bookkeeping.ts, pg-rotation.ts.

import type { StoreWriter } from '../store.js';
import { PgRotation } from './pg-rotation.js';

export class PgTx extends PgRotation implements StoreWriter {}
