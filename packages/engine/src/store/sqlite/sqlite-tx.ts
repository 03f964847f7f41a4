// The Store's reader/writer on one better-sqlite3 connection. The methods live one aggregate
// per file, each class extending the one before, from sqlite-core.ts (the statement cache,
// savepoints, batch items, the erasure record) through sqlite-organisations.ts,
// sqlite-people.ts, sqlite-notices.ts, sqlite-sign-in.ts, sqlite-signals.ts,
// sqlite-matches.ts, sqlite-mail.ts, sqlite-events.ts, sqlite-bookkeeping.ts,
// sqlite-rotation.ts and the batch path's rows in sqlite-placements.ts (docs/engine.md
// "Batch placement"), handing one signal over in sqlite-handover.ts and the GDPR access
// requests that found a signal in sqlite-access-requests.ts: every StoreWriter
// method is defined where its statements are, and none only hands a call on.

import type { StoreWriter } from '../store.js';
import { SqliteAccessRequests } from './sqlite-access-requests.js';

export class SqliteTx extends SqliteAccessRequests implements StoreWriter {}
