// How many round trips a coalesced group makes on PostgreSQL (docs/performance.md "Tenth
// pass: a PostgreSQL group's round trips"): a group of 16 placements over 4 organisations,
// with matches, a webhook delivery and the hour counters, counted on the wire. Each write of
// the group's connection between its BEGIN and its COMMIT is one round trip the group waits
// for (postgres.js writes what it has to send in one write per turn of the event loop).
// And the error order of those pipelined statements: the first failing one's, at the store
// and at a batch's flush (docs/engine.md "Batch placement", step 3).
// Real cluster (test/support/postgres.ts); skipped without binaries.

import net from 'node:net';
import { afterAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { createEngine } from '../../engine.js';
import { ServerSecrets } from '../../protocol/stored-pseudonym.js';
import {
  admitOrganisation,
  type OrgHandle,
  placement,
  SERVER_SECRET,
  seededRandom,
  TestClock,
} from '../../testing/harness.js';
import { freshPostgresSchema } from '../../testing/pg-databases.js';
import { isEngineError } from '../../errors.js';
import { inOrder } from '../../in-order.js';
import { newMatch, newSignal, org } from '../conformance/fixtures.js';
import { openPostgresStore } from './pg-store.js';

/** Prepared statements' texts by name, per socket (postgres.js names them on first use). */
const prepared = new WeakMap<net.Socket, Map<string, string>>();

/** The statements (Parse, Bind, simple Query) of one socket write, by their texts. */
function statementsOf(socket: net.Socket, b: Buffer): string[] {
  const names = prepared.get(socket) ?? new Map<string, string>();
  prepared.set(socket, names);
  const out: string[] = [];
  const cstring = (body: Buffer, from: number) => body.toString('utf8', from, body.indexOf(0, from));
  let i = 0;
  while (i + 5 <= b.length) {
    const type = String.fromCharCode(b[i]!);
    const len = b.readInt32BE(i + 1);
    const body = b.subarray(i + 5, i + 1 + len);
    if (type === 'Q') out.push(cstring(body, 0).trim());
    if (type === 'P') {
      const name = cstring(body, 0);
      const text = cstring(body, name.length + 1).trim();
      if (name !== '') names.set(name, text);
      out.push(`(describe) ${text}`);
    }
    if (type === 'B') {
      const portal = cstring(body, 0);
      out.push(names.get(cstring(body, portal.length + 1)) ?? 'bind');
    }
    i += 1 + len;
  }
  return out;
}

/** Per socket, its writes while recording: the statements and how many reads came before. */
const writes = new Map<net.Socket, { statements: string[]; reads: number }[]>();
const reads = new WeakMap<net.Socket, number>();
const original = net.Socket.prototype.write;
let recording = false;

afterAll(() => {
  net.Socket.prototype.write = original;
});

describe.skipIf(inject('postgresUrl') === '')('a coalesced group on the wire', () => {
  it('a group of 16 placements over 4 organisations with matches: its round trips under the locks', async () => {
    // Installed first, so that every statement's name is known when it is bound.
    net.Socket.prototype.write = function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
      const statements = Buffer.isBuffer(chunk) ? statementsOf(this, chunk) : [];
      if (!reads.has(this)) {
        reads.set(this, 0);
        this.prependListener('data', () => reads.set(this, reads.get(this)! + 1));
      }
      if (recording) {
        const list = writes.get(this) ?? [];
        list.push({ statements, reads: reads.get(this)! });
        writes.set(this, list);
      }
      return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof original;
    const clock = new TestClock();
    const pg = await freshPostgresSchema(clock.now);
    const serverSecrets = new ServerSecrets(new Map([[1, SERVER_SECRET]]));
    // Zeroed once the case has finished: after the finally below closed the engine, and also
    // when the engine failed to open.
    onTestFinished(() => serverSecrets.destroy());
    const engine = await createEngine({
      store: await openPostgresStore({ url: pg.url, schema: pg.schema, clock: clock.fn, maxConnections: 4 }),
      serverSecrets,
      clock: clock.fn,
      random: seededRandom('round-trips'),
      config: { coalescePlacements: true },
    });
    try {
      const orgs: OrgHandle[] = [];
      for (let i = 0; i < 4; i++) {
        // One organisation with a webhook: its match events get deliveries.
        orgs.push(
          await admitOrganisation(
            engine,
            `Organisation ${i}`,
            i === 1 ? { webhookUrl: 'https://hooks.example.nl/sluis' } : {},
          ),
        );
      }
      // Stored signals of organisation 0 that the groups' placements match.
      for (let p = 0; p < 4; p++) {
        await engine.placeSignal(orgs[0]!.actor, placement(100 + p));
        await engine.placeSignal(orgs[0]!.actor, placement(200 + p));
      }
      /** One placement written alone, and the 16 behind it as one group. */
      const group = async (stored: number, fresh: number) => {
        const first = engine.placeSignal(orgs[0]!.actor, placement(fresh + 99));
        const rest = [];
        for (let k = 0; k < 16; k++) {
          // Five of them for a person organisation 0 holds a signal for: six matches (two
          // placements of the group for one person match each other too).
          const person = k > 0 && k < 4 ? stored + k : k === 5 || k === 6 ? stored : fresh + k;
          rest.push(engine.placeSignal(orgs[k % 4]!.actor, placement(person)));
        }
        await first;
        return Promise.all(rest);
      };
      // The first group prepares the statements on the connection (postgres.js describes a
      // statement new on its connection in a round trip of its own): the second is counted.
      await group(200, 400);
      recording = true;
      const answers = await group(100, 300);
      recording = false;
      expect(answers.map((a) => a.outcome)).toEqual(answers.map(() => 'created'));
      // The group's transaction: the run of writes with the most statements from a BEGIN to a COMMIT, in
      // flights — writes with no answer read between them (a write of 1 kB or more goes
      // out at once, the rest of its flight behind it) — each a round trip waited for.
      let longest: string[][] = [];
      for (const list of writes.values()) {
        let run: string[][] | undefined;
        let last = -1;
        for (const w of list) {
          if (w.statements.some((x) => /^begin/i.test(x))) run = [];
          if (run !== undefined) {
            if (w.reads !== last || run.length === 0) run.push([]);
            run[run.length - 1]!.push(...w.statements);
            last = w.reads;
          }
          if (run !== undefined && w.statements.some((x) => /^commit/i.test(x))) {
            if (run.flat().length > longest.flat().length) longest = run;
            run = undefined;
          }
        }
      }
      const trips = longest.length;
      // SLUIS_PRINT_WIRE=1 prints each round trip's statement texts (never a parameter).
      if (process.env.SLUIS_PRINT_WIRE === '1')
        process.stdout.write(
          `group of 16: ${trips} round trips from BEGIN to COMMIT\n${longest
            .map((w, i) => `${i + 1}: ${w.map((x) => x.replace(/\s+/g, ' ').slice(0, 60)).join(' | ')}`)
            .join('\n')}\n`,
        );
      // 20 before the tenth pass (docs/performance.md "Tenth pass: a PostgreSQL group's round
      // trips"), the rows' statements one after the other; 9 since: BEGIN, organisations,
      // sections with lookups, epochs and rids, signals, the other rows, deliveries (they
      // name the events' cursors), the logbook's head, its entries, COMMIT.
      expect(trips).toBeGreaterThan(0);
      expect(trips).toBeLessThanOrEqual(9);
    } finally {
      net.Socket.prototype.write = original;
      await engine.close();
      pg.release();
    }
  });

  it("the flush's statements sent together: the caller sees the first one's error, not 'transaction aborted'", async () => {
    const clock = new TestClock();
    const pg = await freshPostgresSchema(clock.now);
    const store = await openPostgresStore({
      url: pg.url,
      schema: pg.schema,
      clock: clock.fn,
      maxConnections: 4,
    });
    try {
      const o = await store.write((tx) => org(tx, 1));
      const [a, b] = await store.write((tx) =>
        tx.insertPlacements([1, 2].map((n) => ({ signal: newSignal(o, n), pseudonyms: [] }))),
      );
      await store.write((tx) => tx.insertMatches([newMatch(1, a!, b!)]));
      const event = {
        organisationRid: o,
        type: 'match.created' as const,
        matchId: newMatch(2, a!, b!).id,
        at: 1,
      };
      // The pair exists: the matches' INSERT fails, and the statements sent behind it are
      // answered "transaction aborted" (25P02). in-order.ts picks the first error inside the
      // operation; the store's transaction must not put a later one in its place either
      // (postgres.js's scope hands back its first error, which also passes with Promise.all).
      const failed = await store
        .write((tx) =>
          inOrder([
            tx.insertMatches([newMatch(2, a!, b!)]),
            tx.appendEvents([event]),
            tx.setPlacementHour(o, 1, { count: 1, alerted: false }),
          ]),
        )
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isEngineError(failed) && failed.code).toBe('conflict');
      expect(await store.read((tx) => tx.eventsAfter(o, 0, 10))).toEqual([]);
    } finally {
      await store.close();
      pg.release();
    }
  });

  it("a batch's flush on the real path: a statement behind the events fails, and the operation throws its error, not the deliveries' 'transaction aborted'", async () => {
    const clock = new TestClock();
    const pg = await freshPostgresSchema(clock.now);
    const store = await openPostgresStore({
      url: pg.url,
      schema: pg.schema,
      clock: clock.fn,
      maxConnections: 4,
    });
    // What the write operation throws, seen before the store's transaction: there postgres.js
    // hands back the transaction's first error in place of a 25P02, so the caller of the
    // store would see the right code either way — the order that counts is the flush's own
    // (batch-writes.ts, in-order.ts), which every step between it and the store sees.
    const thrown: unknown[] = [];
    const write = store.write.bind(store);
    store.write = ((op) =>
      write(async (tx) => {
        try {
          return await op(tx);
        } catch (e) {
          thrown.push(e);
          throw e;
        }
      })) as typeof store.write;
    const serverSecrets = new ServerSecrets(new Map([[1, SERVER_SECRET]]));
    // Zeroed once the case has finished: after the finally below closed the engine, and also
    // when the engine failed to open.
    onTestFinished(() => serverSecrets.destroy());
    const engine = await createEngine({
      store,
      serverSecrets,
      clock: clock.fn,
      random: seededRandom('flush-error-order'),
    });
    let trigger = false;
    try {
      // Organisation A has a webhook: a match with it gets an event with a delivery.
      const a = await admitOrganisation(engine, 'Organisation A', {
        webhookUrl: 'https://hooks.example.nl/sluis',
      });
      const b = await admitOrganisation(engine, 'Organisation B');
      await engine.placeSignal(a.actor, placement(1));
      // From here the hour counter's write — sent in the flush's round trip behind the
      // matches and the events, before the deliveries — is refused by the database.
      await store.unsafe(`CREATE FUNCTION refuse_hour() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation'; END $$`);
      await store.unsafe(`CREATE TRIGGER refuse_hour BEFORE INSERT OR UPDATE ON placement_hours
        FOR EACH ROW EXECUTE FUNCTION refuse_hour()`);
      trigger = true;
      thrown.length = 0;
      // B's batch: its first item matches A's signal (a match, events for A and B, A's delivery).
      const failed = await engine.placeSignals(b.actor, [placement(1), placement(2)]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isEngineError(failed) && failed.code).toBe('conflict');
      // The flush's error is the hour counter's. Were the deliveries sent as soon as the
      // events' cursors were answered (chained into the round trip, before the hour counter
      // was answered), they would be answered "transaction aborted" and — coming first in
      // the flush's order — thrown in its place: a 25P02 with no cause.
      expect(thrown.map((e) => (isEngineError(e) ? e.code : (e as { code?: unknown }).code))).toEqual([
        'conflict',
      ]);
      // Rolled back whole: no match, no event, no delivery.
      expect((await engine.inbox(a.actor, undefined, 10)).items).toEqual([]);
      expect(await store.unsafe('SELECT count(*)::int AS n FROM deliveries')).toEqual([{ n: 0 }]);
    } finally {
      // The schema goes to the next test file's harness.
      if (trigger) {
        await store.unsafe('DROP TRIGGER refuse_hour ON placement_hours');
        await store.unsafe('DROP FUNCTION refuse_hour()');
      }
      await engine.close();
      pg.release();
    }
  });
});
