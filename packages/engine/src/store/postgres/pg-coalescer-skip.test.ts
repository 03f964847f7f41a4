// Coalesced placements skip an organisation whose budget section another write holds
// (docs/engine.md "Coalesced placements"): on PostgreSQL, organisation A's budget section
// held long elsewhere — A's 500-item batch on another instance holds it to its COMMIT —
// does not hold up organisation B's single placements on this instance; A's placements wait
// in a lane of their own and are answered exactly as if placed alone, after B's; and a
// section taken again and again without a gap does not starve A: its lane queues for it. The holder is a second store on the
// same database (its own pool, like another instance). Real cluster
// (test/support/postgres.ts); skipped without binaries.

import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import type { Engine, PlaceSignalInput } from '../../api.js';
import { createEngine } from '../../engine.js';
import { isEngineError } from '../../errors.js';
import { ServerSecrets } from '../../protocol/stored-pseudonym.js';
import {
  admitOrganisation,
  type OrgHandle,
  placement,
  SERVER_SECRET,
  seededRandom,
  TestClock,
} from '../../testing/harness.js';
import { testDatabases } from '../../testing/pg-databases.js';
import { HandOver, holdBudgetSection } from '../../testing/pg-hand-over.js';
import { openPostgresStore, type PostgresStore } from './pg-store.js';

const url = inject('postgresUrl');
const databases = testDatabases('sluis_skip');
let open: { close(): Promise<void> }[] = [];

/**
 * Inside the 5 s statement timeout that ends a wait for a held section (503). A broken skip
 * fails through the answers (database_busy after the statement timeout); the bound only
 * catches slowness, with room for a loaded machine.
 */
const BOUND_MS = 4000;

afterEach(async () => {
  for (const e of open.reverse()) await e.close();
  open = [];
});
afterAll(() => databases.dropAll());

/** An engine on a fresh database, and a second store on it that plays the other instance. */
async function instance(
  coalescePlacements: boolean,
  statementTimeoutMs?: number,
  maxConnections?: number,
): Promise<{ engine: Engine; other: PostgresStore; db: string }> {
  const db = await databases.create();
  const clock = new TestClock();
  const serverSecrets = new ServerSecrets(new Map([[1, SERVER_SECRET]]));
  // Closed last (the list is closed in reverse): after the engine that derives with them.
  open.push({ close: async () => serverSecrets.destroy() });
  const engine = await createEngine({
    store: await openPostgresStore({
      url: db,
      clock: clock.fn,
      ...(statementTimeoutMs ? { statementTimeoutMs } : {}),
      ...(maxConnections ? { maxConnections } : {}),
    }),
    serverSecrets,
    clock: clock.fn,
    random: seededRandom('skip'),
    config: { coalescePlacements },
  });
  open.push(engine);
  const other = await openPostgresStore({ url: db, clock: clock.fn, maxConnections: 5 });
  open.push(other);
  return { engine, other, db };
}

const admit = (e: Engine, i: number, budget?: number) =>
  admitOrganisation(e, `Organisation ${i}`, { budget });

async function ridOf(store: PostgresStore, o: OrgHandle): Promise<number> {
  return (await store.read((tx) => tx.getOrganisation(o.org.id)))!.rid;
}

/** A placement's answer as the runs compare it: its outcome, or its refusal's code. */
async function answer(p: Promise<{ outcome: string }>): Promise<string> {
  try {
    return (await p).outcome;
  } catch (e) {
    if (isEngineError(e)) return e.code;
    throw e;
  }
}

/** Replaces every UUID by its order of first appearance, so two runs compare up to ids. */
function normalise(value: unknown): unknown {
  const ids = new Map<string, string>();
  return JSON.parse(
    JSON.stringify(value).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
      if (!ids.has(id)) ids.set(id, `id${ids.size}`);
      return ids.get(id)!;
    }),
  );
}

/** The seq the next logbook entry will get. */
async function logHead(e: Engine): Promise<number> {
  const entries = await e.logbook(1, 1000);
  return (entries[entries.length - 1]?.seq ?? 0) + 1;
}

/** What a run leaves: per organisation its inbox and budget use, and the logbook from `from`. */
async function observed(e: Engine, orgs: readonly OrgHandle[], from: number): Promise<unknown> {
  const per = [];
  for (const o of orgs) {
    per.push({
      inbox: (await e.inbox(o.actor, undefined, 100)).items.map((x) => ({ type: x.type, match: x.match })),
      used: (await e.budgetUsage(o.org.id)).usedToday,
    });
  }
  const log = (await e.logbook(from, 1000))
    .filter((x) => x.seq >= from)
    .map((x) => ({ action: x.action, actor: x.actor, refs: x.refs, details: x.details }));
  // Key ids are random per run: each organisation's key by its place in `orgs`.
  let text = JSON.stringify({ per, log });
  for (const [k, o] of orgs.entries()) text = text.replaceAll(o.keyId, `key${k}`);
  return normalise(JSON.parse(text));
}

describe.skipIf(url === '')("coalesced placements and another write's budget section", () => {
  it('tryBudgetSection is false at once while another write holds the section (a later read there waits), or after its patience', async () => {
    const { engine, other } = await instance(true);
    const a = await admit(engine, 1);
    const rid = await ridOf(other, a);
    // The holder charges 3 placements in its transaction: committed once it lets go.
    const release = await holdBudgetSection(other, rid, (tx) => tx.addToPlacementHour(rid, 7, 3));
    const started = Date.now();
    let waited = false;
    const trying = other.write(async (tx) => {
      const [free, again, used] = await Promise.all([
        tx.tryBudgetSection(rid),
        tx.tryBudgetSection(rid),
        tx.placementsSince(rid, 0),
      ]);
      // Refused at once, and so is a second try sent before the first was answered (it
      // waits for that answer); the read sent behind them ran outside the section (the
      // charge is not committed).
      expect([free, again, used]).toEqual([false, false, 0]);
      expect(Date.now() - started).toBeLessThan(BOUND_MS);
      // Not counted as held: this read enters the section, so it waits for the holder.
      const after = tx.placementsSince(rid, 0);
      setTimeout(() => {
        waited = true;
        release().catch(() => undefined);
      }, 300);
      return after;
    });
    expect(await trying).toBe(3);
    expect(waited).toBe(true);
    await release();
    // With patience: a hold that ends within it is waited out, a longer one is not.
    const release2 = await holdBudgetSection(other, rid);
    setTimeout(() => release2().catch(() => undefined), 100);
    const t0 = Date.now();
    expect(await other.write((tx) => tx.tryBudgetSection(rid, 1000))).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    const release3 = await holdBudgetSection(other, rid);
    const t1 = Date.now();
    expect(await other.write((tx) => tx.tryBudgetSection(rid, 200))).toBe(false);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(190);
    expect(Date.now() - t1).toBeLessThan(BOUND_MS);
    await release3();
  });

  it("one organisation's budget section held long does not hold up another's single placements", async () => {
    const { engine, other } = await instance(true);
    const a = await admit(engine, 1);
    const b = await admit(engine, 2);
    const release = await holdBudgetSection(other, await ridOf(other, a));
    const settled: string[] = [];
    const note = (name: string, p: Promise<{ outcome: string }>) =>
      answer(p).then((r) => {
        settled.push(name);
        return r;
      });
    try {
      // A's first runs alone and is skipped; the rest queue and form one mixed group, which
      // skips A's and places B's.
      const started = Date.now();
      const as = [1, 2].map((p) => note(`a${p}`, engine.placeSignal(a.actor, placement(p))));
      const bs = [1, 3, 4, 5].map((p) => note(`b${p}`, engine.placeSignal(b.actor, placement(p))));
      expect(await Promise.all(bs)).toEqual(['created', 'created', 'created', 'created']);
      expect(Date.now() - started).toBeLessThan(BOUND_MS);
      // While A's placements wait in their lane, B's next ones are not held up either.
      const later = Date.now();
      const a3 = note('a3', engine.placeSignal(a.actor, placement(6)));
      expect(await note('b6', engine.placeSignal(b.actor, placement(7)))).toBe('created');
      expect(Date.now() - later).toBeLessThan(BOUND_MS);
      expect(settled).toEqual(['b1', 'b3', 'b4', 'b5', 'b6']);
      await release();
      expect(await Promise.all([...as, a3])).toEqual(['created', 'created', 'created']);
      // A's in their arrival order, each as if alone: a1 matched B's placement about person 1.
      expect(settled.slice(5)).toEqual(['a1', 'a2', 'a3']);
      expect((await engine.statistics()).matches.active).toBe(1);
      expect((await engine.verifyLogbook()).ok).toBe(true);
    } finally {
      await release();
    }
  });

  it('the skipped placements are answered exactly as if placed alone, after the ones decided before them', async () => {
    // A: budget 2 (its third placement is refused), a replay and an `existing`; B about
    // the same people (matches across the two).
    const inputs: { by: 'a' | 'b'; input: PlaceSignalInput }[] = [];
    const a1 = placement(1);
    inputs.push(
      { by: 'a', input: a1 },
      { by: 'b', input: placement(1) },
      { by: 'a', input: placement(2) },
      { by: 'b', input: placement(2) },
      { by: 'a', input: a1 },
      { by: 'a', input: placement(1) },
      { by: 'a', input: placement(3) },
      { by: 'b', input: placement(3) },
    );
    const together = await instance(true);
    const apart = await instance(false);
    const setUp = async (e: Engine) => ({ a: await admit(e, 1, 2), b: await admit(e, 2) });
    const t = await setUp(together.engine);
    const s = await setUp(apart.engine);
    const fromT = await logHead(together.engine);
    const fromS = await logHead(apart.engine);
    const release = await holdBudgetSection(together.other, await ridOf(together.other, t.a));
    let answers: string[];
    try {
      const sent = inputs.map((x) => answer(together.engine.placeSignal(t[x.by].actor, x.input)));
      // B's are decided while A's section is held; A's wait for it.
      const bDone = Promise.all(sent.filter((_, i) => inputs[i]!.by === 'b'));
      expect(await bDone).toEqual(['created', 'created', 'created']);
      await release();
      answers = await Promise.all(sent);
    } finally {
      await release();
    }
    // One after another: B's in arrival order, then A's in arrival order.
    const order = [...inputs.keys()].sort(
      (i, j) => Number(inputs[i]!.by === 'a') - Number(inputs[j]!.by === 'a'),
    );
    const alone: string[] = inputs.map(() => '');
    for (const i of order)
      alone[i] = await answer(apart.engine.placeSignal(s[inputs[i]!.by].actor, inputs[i]!.input));
    expect(answers).toEqual(alone);
    expect(answers).toEqual([
      'created',
      'created',
      'created',
      'created',
      'replayed',
      'existing',
      'budget_exceeded',
      'created',
    ]);
    expect(await observed(together.engine, [t.a, t.b], fromT)).toEqual(
      await observed(apart.engine, [s.a, s.b], fromS),
    );
    expect((await together.engine.verifyLogbook()).ok).toBe(true);
  });

  it('an organisation whose budget section is taken again and again, never free, is placed through its lane', async () => {
    const { engine, other, db } = await instance(true);
    const a = await admit(engine, 1);
    const b = await admit(engine, 2);
    const rid = await ridOf(other, a);
    // The other instance's writers hand A's section to each other through the database's
    // lock queue: each holds it 50 ms and commits only once the next one waits for it, so
    // it is never free and every try of the main queue fails. Only a lane, queued for the
    // section like those writers, gets it (PostgreSQL grants a lock to its waiters in turn).
    const churn = new HandOver(db, rid);
    await churn.start();
    try {
      const sent = [1, 2, 3, 4, 5, 6].flatMap((p) => [
        answer(engine.placeSignal(a.actor, placement(p))),
        answer(engine.placeSignal(b.actor, placement(100 + p))),
      ]);
      const all = Promise.all(sent);
      // A waiter for A's section that is none of the hand-over's writers: only a lane
      // waits for a budget section (the main queue only tries it).
      let laneWaited = false;
      let answered = false;
      void all.finally(() => {
        answered = true;
      });
      while (!answered) {
        if ((await churn.otherWaiters()) > 0) laneWaited = true;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(await all).toEqual(Array(12).fill('created'));
      expect(laneWaited).toBe(true);
      // Served while the section was still taken again and again.
      expect(churn.running()).toBe(true);
      expect(churn.handOvers).toBeGreaterThan(1);
    } finally {
      await churn.stop();
    }
    expect((await engine.statistics()).signals.active).toBe(12);
    expect((await engine.verifyLogbook()).ok).toBe(true);
  });

  it('a lane whose section stays held past the statement timeout answers its callers database_busy, a replay among them too', async () => {
    const { engine, other } = await instance(true, 1000);
    const a = await admit(engine, 1);
    const b = await admit(engine, 2);
    const a1 = placement(1);
    expect(await answer(engine.placeSignal(a.actor, a1))).toBe('created');
    const release = await holdBudgetSection(other, await ridOf(other, a));
    let answers: string[];
    try {
      // A's new placement and A's replay are skipped to A's lane, whose wait for the
      // section runs into the 1 s statement timeout; B's is placed meanwhile.
      answers = await Promise.all([
        answer(engine.placeSignal(a.actor, placement(2))),
        answer(engine.placeSignal(a.actor, a1)),
        answer(engine.placeSignal(b.actor, placement(3))),
      ]);
    } finally {
      await release();
    }
    expect(answers).toEqual(['database_busy', 'database_busy', 'created']);
    // Nothing of A's was written: the client's retries get their answers.
    expect(await answer(engine.placeSignal(a.actor, a1))).toBe('replayed');
    expect(await answer(engine.placeSignal(a.actor, placement(2)))).toBe('created');
    expect((await engine.statistics()).signals.active).toBe(3);
    expect((await engine.verifyLogbook()).ok).toBe(true);
  });

  it('closing the engine while a lane waits answers every caller store_closed', async () => {
    const { engine, other } = await instance(true, 3000);
    const a = await admit(engine, 1);
    const b = await admit(engine, 2);
    const ridA = await ridOf(other, a);
    const release = await holdBudgetSection(other, ridA);
    try {
      const first = [1, 2].map((p) => answer(engine.placeSignal(a.actor, placement(p))));
      expect(await answer(engine.placeSignal(b.actor, placement(3)))).toBe('created');
      // A's lane waits for the section; A's next ones queue in the lane behind its group.
      const second = [4, 5].map((p) => answer(engine.placeSignal(a.actor, placement(p))));
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      await engine.close();
      expect(await Promise.all([...first, ...second])).toEqual(Array(4).fill('store_closed'));
      expect(await answer(engine.placeSignal(b.actor, placement(6)))).toBe('store_closed');
      expect(Date.now() - started).toBeLessThan(BOUND_MS + 2000);
    } finally {
      await release();
    }
    // Nothing of A's was written.
    expect(await other.read((tx) => tx.signalStateCounts(ridA))).toEqual({ active: 0, inactive: 0 });
  });

  it('lanes waiting for sections held long leave a small pool to the main queue and the reads', async () => {
    // A pool of 4, as the test harness opens: one lane (laneCap). Four lanes would take
    // every connection, waiting up to the 5 s statement timeout, and B's placement and
    // read would wait for them (≈ 4 s after the pause below; the bound leaves room for a
    // loaded machine on both sides).
    const { engine, other } = await instance(true, 5000, 4);
    const held = await Promise.all([1, 3, 4, 5].map((i) => admit(engine, i)));
    const b = await admit(engine, 2);
    const releases = await Promise.all(
      held.map(async (o) => holdBudgetSection(other, await ridOf(other, o))),
    );
    try {
      const waiting = held.map((o, i) => answer(engine.placeSignal(o.actor, placement(10 + i))));
      // Skipped by the main queue (≈ 200 ms patience) and moved to their lanes.
      await new Promise((r) => setTimeout(r, 600));
      const started = Date.now();
      expect(await answer(engine.placeSignal(b.actor, placement(1)))).toBe('created');
      expect((await engine.inbox(b.actor, undefined, 10)).items).toEqual([]);
      expect(Date.now() - started).toBeLessThan(2500);
      for (const release of releases) await release();
      // The lanes go on once the sections are free (the first may have timed out: 503).
      for (const a of await Promise.all(waiting)) expect(['created', 'database_busy']).toContain(a);
    } finally {
      for (const release of releases) await release();
    }
  });
});
