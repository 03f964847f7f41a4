// The deferred tail of a PostgreSQL write (docs/engine.md "Storage contract", clause 4):
// logbook appends and statistics increments are kept in memory during the operation and
// written by `flush` just before COMMIT. The logbook section is the one section that every
// logged write shares, and a statistics row is shared by every write of an organisation
// type; entered in the middle of an operation, they are held for all its later round trips
// and make every placement of every organisation wait in line (docs/performance.md
// "PostgreSQL (case 8)"). Entered at the end, they are held for two round trips and COMMIT.
// The server-secret generation fence (store/contract/logbook.ts `fenceGeneration`) is read
// there too, in the round trip that enters the section: a write whose values were derived at an older
// generation than the store's fails before its entries are inserted, and nothing commits.

import { checkGeneration } from '../generation-fence.js';
import type { LogHead, LogRow } from '../store.js';
import { LOCK_LOGBOOK } from './pg-locks.js';
import type { Sql } from './pg-core.js';

// biome-ignore lint/suspicious/noExplicitAny: rows of postgres.js are untyped
type Row = any;

type Entry = (head: LogHead | undefined) => LogRow;

interface StatisticAdd {
  readonly month: number;
  readonly org_type: string;
  readonly metric: number;
  value: number;
}

/** What a savepoint restores when it is rolled back. */
export interface TailState {
  readonly log: readonly Entry[];
  readonly statistics: readonly StatisticAdd[];
  readonly fence: number | undefined;
}

export class PgTail {
  #log: Entry[] = [];
  #statistics = new Map<string, StatisticAdd>();
  /** The oldest generation a fenced call of the write derived values at (contract/logbook.ts `fenceGeneration`). */
  #fence: number | undefined;

  appendLog(entry: Entry): void {
    this.#log.push(entry);
  }

  fence(used: number): void {
    this.#fence = this.#fence === undefined ? used : Math.min(this.#fence, used);
  }

  addStatistic(month: number, orgType: string, metric: number, by: number): void {
    const key = JSON.stringify([month, orgType, metric]);
    const cur = this.#statistics.get(key);
    if (cur === undefined) this.#statistics.set(key, { month, org_type: orgType, metric, value: by });
    else cur.value += by;
  }

  /** True when the flush must enter the logbook section: an entry to chain or a fence to read. */
  get needsLogbook(): boolean {
    return this.#log.length > 0 || this.#fence !== undefined;
  }

  snapshot(): TailState {
    return {
      log: [...this.#log],
      statistics: [...this.#statistics.values()].map((s) => ({ ...s })),
      fence: this.#fence,
    };
  }

  restore(s: TailState): void {
    this.#log = [...s.log];
    this.#fence = s.fence;
    this.#statistics = new Map(
      s.statistics.map((x) => [JSON.stringify([x.month, x.org_type, x.metric]), { ...x }]),
    );
  }

  /**
   * Writes what is pending on `sql` (the write's transaction or savepoint). `lock` false:
   * the transaction holds the logbook section already. The lock, the head, the checkpoint
   * and (when fenced) the store's generation go in one round trip (pipelined, each
   * statement with its own snapshot under READ COMMITTED, so they are read after the lock
   * is granted); the entries and the statistics in a second. A fence that fails throws
   * `secret_generation_stale` before anything is inserted.
   */
  async flush(sql: Sql, lock: boolean): Promise<void> {
    const log = this.#log;
    const fence = this.#fence;
    const statistics = [...this.#statistics.values()];
    this.#log = [];
    this.#fence = undefined;
    this.#statistics = new Map();
    const rows: LogRow[] = [];
    if (log.length > 0 || fence !== undefined) {
      const [, heads, checkpoints, generations] = await Promise.all([
        lock ? sql`SELECT pg_advisory_xact_lock(${LOCK_LOGBOOK}, 0)` : Promise.resolve([]),
        log.length > 0 ? sql`SELECT seq, hash FROM logbook ORDER BY seq DESC LIMIT 1` : Promise.resolve([]),
        log.length > 0 ? sql`SELECT seq, hash FROM logbook_checkpoint WHERE id = 1` : Promise.resolve([]),
        fence !== undefined
          ? sql`SELECT coalesce(max(generation), 1) AS generation FROM secret_rotations`
          : Promise.resolve([]),
      ]);
      if (fence !== undefined) checkGeneration(fence, Number((generations as Row[])[0]?.generation ?? 1));
      const stored = (heads as Row[])[0] ?? (checkpoints as Row[])[0];
      let head: LogHead | undefined =
        stored === undefined ? undefined : { seq: stored.seq, hash: stored.hash };
      for (const entry of log) {
        const row = entry(head);
        rows.push(row);
        head = row;
      }
    }
    const writes: Promise<unknown>[] = [];
    if (rows.length > 0) {
      const values = rows.map((e) => ({ ...e, hash: Buffer.from(e.hash) }));
      writes.push(
        sql`INSERT INTO logbook ${sql(values, 'seq', 'at', 'actor', 'action', 'refs', 'details', 'hash')}`,
      );
    }
    if (statistics.length > 0) {
      // In one order, so two writes' increments cannot deadlock on the rows.
      statistics.sort(
        (x, y) =>
          x.month - y.month ||
          (x.org_type < y.org_type ? -1 : x.org_type > y.org_type ? 1 : 0) ||
          x.metric - y.metric,
      );
      writes.push(
        sql`INSERT INTO statistics ${sql(statistics, 'month', 'org_type', 'metric', 'value')}
          ON CONFLICT (month, org_type, metric) DO UPDATE SET value = statistics.value + EXCLUDED.value`,
      );
    }
    await Promise.all(writes);
  }
}
