// Another instance holding a budget section: one long hold, or writers handing it to each
// other through PostgreSQL's lock queue, for the coalescer's tests (pg-coalescer-skip.test.ts,
// docs/engine.md "Coalesced placements") and the held-section timeouts of
// test/e2e/pg-busy-and-retries.test.ts.

import postgres from 'postgres';
import { latch } from '../store/conformance/fixtures.js';
import { LOCK_BUDGET } from '../store/postgres/pg-locks.js';
import type { PostgresStore } from '../store/postgres/pg-store.js';
import type { StoreWriter } from '../store/store.js';

/**
 * Another instance's writers taking one budget section in turn without a gap: writer k+1
 * is queued for the lock before writer k commits, so the lock passes straight to it (or to
 * a waiter queued before it). Raw connections, so each writer's backend is known.
 */
export class HandOver {
  readonly #sql: postgres.Sql;
  readonly #rid: number;
  readonly #pids = new Set<number>();
  #stop = false;
  #ended = false;
  #done: Promise<void> | undefined;
  handOvers = 0;

  constructor(db: string, rid: number) {
    this.#sql = postgres(db, { max: 3, onnotice: () => undefined });
    this.#rid = rid;
  }

  /** Resolves once the first writer holds the section. */
  async start(): Promise<void> {
    const first = this.#writer();
    await first.entered;
    this.#done = this.#run(first);
  }

  /** Still handing the section over (not stopped, not past its 8 s). */
  running(): boolean {
    return !this.#ended;
  }

  async stop(): Promise<void> {
    this.#stop = true;
    await this.#done;
    await this.#sql.end({ timeout: 5 });
  }

  /**
   * Backends waiting for the section that are not this hand-over's writers. The section of
   * this database only: the test files running beside this one share the cluster, and an
   * advisory lock's keys alone (the same organisation rid there) would count their waiters.
   */
  async otherWaiters(): Promise<number> {
    const rows = await this.#sql`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND classid = ${LOCK_BUDGET} AND objid = ${this.#rid} AND objsubid = 2`;
    return rows.filter((r) => !this.#pids.has(r.pid as number)).length;
  }

  async #run(first: Writer): Promise<void> {
    let current = first;
    const end = Date.now() + 8000;
    while (!this.#stop && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
      const next = this.#writer();
      // Queued behind the holder before it lets go.
      while (!(await this.#waiting(await next.pid))) await new Promise((r) => setTimeout(r, 2));
      current.release();
      await current.done;
      await next.entered;
      this.handOvers++;
      current = next;
    }
    this.#ended = true;
    current.release();
    await current.done;
  }

  async #waiting(pid: number): Promise<boolean> {
    const [r] = await this.#sql`SELECT count(*)::int AS n FROM pg_locks WHERE pid = ${pid} AND NOT granted
      AND locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND classid = ${LOCK_BUDGET} AND objid = ${this.#rid} AND objsubid = 2`;
    return r!.n === 1;
  }

  #writer(): Writer {
    const [released, release] = latch();
    const [inSection, entered] = latch();
    const [pid, pidOf] = latch<number>();
    const done = this.#sql
      .begin(async (t) => {
        const [me] = await t`SELECT pg_backend_pid() AS pid`;
        this.#pids.add(me!.pid as number);
        pidOf(me!.pid as number);
        await t`SELECT pg_advisory_xact_lock(${LOCK_BUDGET}, ${this.#rid})`;
        entered();
        await released;
      })
      .then(() => undefined);
    return { pid, entered: inSection, release, done };
  }
}

interface Writer {
  readonly pid: Promise<number>;
  readonly entered: Promise<void>;
  readonly release: () => void;
  readonly done: Promise<void>;
}

/**
 * Holds organisation `rid`'s budget section from `store` (another store on the same
 * database: its own pool) until the returned function is called, as another instance's
 * batch does: it enters the section, runs `inside` (e.g. a charge it has not committed),
 * then waits, idle in its transaction. The returned function may be called again.
 */
export async function holdBudgetSection(
  store: PostgresStore,
  rid: number,
  inside?: (tx: StoreWriter) => Promise<unknown>,
): Promise<() => Promise<void>> {
  const [released, release] = latch();
  const [inSection, entered] = latch();
  const holding = store.write(async (tx) => {
    await tx.placementsSince(rid, 0);
    if (inside !== undefined) await inside(tx);
    entered();
    await released;
  });
  // A hold that fails before it is in the section fails the caller now, with its cause.
  await Promise.race([inSection, holding]);
  return async () => {
    release();
    await holding;
  };
}
