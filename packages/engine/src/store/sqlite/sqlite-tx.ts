// The Store's reader/writer on one better-sqlite3 connection. The methods live one aggregate
// per file, each class extending the one before, from sqlite-core.ts (the statement cache,
// savepoints, batch items, the erasure record) through sqlite-organisations.ts,
// sqlite-people.ts, sqlite-notices.ts, sqlite-sign-in.ts, sqlite-signals.ts,
// sqlite-matches.ts, sqlite-mail.ts, sqlite-events.ts, sqlite-bookkeeping.ts and
// sqlite-rotation.ts to the batch path's rows in sqlite-placements.ts (docs/engine.md
// "Batch placement"): every StoreWriter method is defined where its statements are, and
// none only hands a call on.

import type { StoreWriter } from '../store.js';
import { SqlitePlacements } from './sqlite-placements.js';

export class SqliteTx extends SqlitePlacements implements StoreWriter {}
