// The parts of the PostgreSQL store's readiness (pg-store.ts `ready`, docs/operations.md
// "Database and role"): one probe per pool — the main pool and the nonce-claim pool — and the
// rule that a pool refused a new connection at the database's limit (53300) is still serving
// while its own connections answered within the statement timeout.

import { isEngineError } from '../../errors.js';
import type { Readiness } from '../store.js';
import { isConnectionLoss, mapPgError } from './pg-errors.js';
import type { Sql } from './pg-core.js';

/**
 * Undefined when `run` succeeds, or fails only at the connection limit while its pool answered
 * within `windowMs` (`answeredAt`, performance.now()); else not ready, with `reason` and the
 * failure's codes (never its message).
 */
export async function probePool(
  reason: 'database' | 'nonce_pool',
  run: () => Promise<unknown>,
  answeredAt: () => number,
  windowMs: number,
): Promise<Readiness | undefined> {
  try {
    await run();
    return undefined;
  } catch (e) {
    const serving =
      isEngineError(e, 'database_unavailable') &&
      e.dbCode === '53300' &&
      performance.now() - answeredAt() <= windowMs;
    if (serving) return undefined;
    if (!isEngineError(e)) return { ready: false, reason };
    return { ready: false, reason, code: e.code, ...(e.dbCode === undefined ? {} : { dbCode: e.dbCode }) };
  }
}

/**
 * `SELECT 1` on a pool (the nonce-claim pool). A connection the database ended since its last
 * statement fails the first one sent (the pool reconnects for the next), so a lost connection
 * is tried once more, as a read is; nonce claims themselves are not repeated (docs/operations.md
 * "High availability"). Failures as EngineError (`mapPgError`).
 */
export async function pingPool(sql: Sql): Promise<void> {
  for (let run = 1; ; run++) {
    try {
      await sql`SELECT 1`;
      return;
    } catch (e) {
      if (isConnectionLoss(e) && run < 2) continue;
      throw mapPgError(e);
    }
  }
}
