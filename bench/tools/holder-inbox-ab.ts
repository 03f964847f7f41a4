// The holder's inbox statement on SQLite (docs/performance.md "The holder's index", the
// follow-up "The holder's inbox from the holder's matches"): the organisation-walk statement
// (A: `events_org_seq` after the cursor, each event's match checked against the holder's
// matches) against the holder-driven one (B: the holder's signals by signals_person, their
// matches, each match's events by `events_match`, a sort by cursor). One file filled through
// lib/holder-fill.ts as in holder-index-ab.ts: organisation O's 20,000 signals placed on behalf of its
// 100 professionals (a light holder with 10, a caseload of 200, a large holder with 10,000 —
// half of O's matches — and the rest ≈ 100 each) and 20,000 by O's key alone; a second
// organisation places the same 20,000 people in random order, so O has 20,000 matches and as
// many inbox events, each holder's spread over them. Both statements, and C — the store's
// choice between them by the holder's signal count (holderSignalsBound, its two counting
// statements included) — run on one connection to the same file, in rounds that rotate which
// goes first (ABC, CBA, BCA, ACB, …), `reads` calls per case and round, per round the median per
// call; each case's answers are checked equal first. Cases: the
// first page (cursor 0) and a poll after the last 100 events (cursor = last − 100), a page
// of 101 as the store asks. Not part of `pnpm bench`; nothing asserted beyond the equality.
//   node --conditions=sluis-source --import tsx bench/tools/holder-inbox-ab.ts [rounds] [reads]

import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { fillHolderFile, HELD, PROFESSIONALS } from '../lib/holder-fill.js';
import { spread } from '../lib/stats.js';
import {
  HOLDER_EVENTS_SQL,
  HOLDER_EVENTS_WALK_SQL,
  HOLDER_SIGNALS_SQL,
  holderSignalsBound,
} from '../../packages/engine/src/store/sqlite/sqlite-events.js';

const rounds = Number(process.argv[2] ?? 6);
const reads = Number(process.argv[3] ?? 15);

const Database = createRequire(import.meta.resolve('@sluis/engine'))(
  'better-sqlite3',
) as typeof BetterSqlite3;

/** Arguments (org, after, org, holder, limit), as the store takes them. */
const STATEMENTS = { A: HOLDER_EVENTS_WALK_SQL, B: HOLDER_EVENTS_SQL } as const;

const CASELOADS = [10, 200, 1_000, 3_000, 10_000];
const REST = HELD - CASELOADS.reduce((a, b) => a + b, 0);
const OTHERS = PROFESSIONALS - CASELOADS.length;

const caseloadOf = (i: number) =>
  i < CASELOADS.length
    ? CASELOADS[i]!
    : Math.floor(REST / OTHERS) + (i - CASELOADS.length < REST % OTHERS ? 1 : 0);

const dir = mkdtempSync(join(tmpdir(), 'sluis-holder-inbox-ab-'));
try {
  const file = join(dir, 'o.db');
  const { people } = await fillHolderFile(file, 'Inbox', caseloadOf);
  const vacuum = new Database(file);
  vacuum.exec('VACUUM');
  vacuum.close();

  const db = new Database(file, { readonly: true });
  const rid = (id: string) =>
    (db.prepare('SELECT rid FROM people WHERE id = ?').get(id) as { rid: number }).rid;
  const orgRid = (db.prepare('SELECT org FROM signals WHERE rid = 1').get() as { org: number }).org;
  const last = (db.prepare('SELECT max(seq) AS s FROM events WHERE org = ?').get(orgRid) as { s: number }).s;
  const events = (db.prepare('SELECT count(*) AS n FROM events WHERE org = ?').get(orgRid) as { n: number })
    .n;
  console.log(`organisation O: ${events} events, last cursor ${last}`);
  const prepared = { A: db.prepare(STATEMENTS.A), B: db.prepare(STATEMENTS.B) };
  const lastSeq = db.prepare('SELECT event_seq FROM organisations WHERE rid = ?');
  const count = db.prepare(HOLDER_SIGNALS_SQL);
  /** The store's choice (sqlite-events.ts holderWalks), on the same connection. */
  const choose = (args: unknown[]) => {
    const [org, after, , holder] = args as number[];
    const bound = holderSignalsBound((lastSeq.get(org) as { event_seq: number }).event_seq - after!);
    return (count.get(org, holder, bound + 1) as { n: number }).n > bound ? 'A' : 'B';
  };
  const run = {
    A: (args: unknown[]) => prepared.A.all(...args),
    B: (args: unknown[]) => prepared.B.all(...args),
    C: (args: unknown[]) => prepared[choose(args)].all(...args),
  };
  for (const side of ['A', 'B'] as const)
    console.log(
      `${side}: ${(db.prepare(`EXPLAIN QUERY PLAN ${STATEMENTS[side]}`).all(orgRid, 0, orgRid, 1, 101) as { detail: string }[]).map((r) => r.detail).join(' | ')}`,
    );
  const cases: Record<string, unknown[]> = {};
  for (const [i, held] of CASELOADS.entries()) {
    const holder = rid(people[i]!);
    cases[`${held} held, first page`] = [orgRid, 0, orgRid, holder, 101];
    cases[`${held} held, poll after last-100`] = [orgRid, last - 100, orgRid, holder, 101];
  }
  for (const [name, args] of Object.entries(cases)) {
    const a = prepared.A.all(...args);
    const b = prepared.B.all(...args);
    if (!isDeepStrictEqual(a, b)) throw new Error(`holder-inbox-ab: the statements differ (${name})`);
    console.log(`${name}: ${a.length} events, C takes ${choose(args)}`);
  }
  const ms: Record<string, Record<'A' | 'B' | 'C', number[]>> = {};
  for (const name of Object.keys(cases)) ms[name] = { A: [], B: [], C: [] };
  const orders = [
    ['A', 'B', 'C'],
    ['C', 'B', 'A'],
    ['B', 'C', 'A'],
    ['A', 'C', 'B'],
    ['C', 'A', 'B'],
    ['B', 'A', 'C'],
  ] as const;
  for (let r = 0; r < rounds; r++) {
    for (const side of orders[r % orders.length]!) {
      for (const [name, args] of Object.entries(cases)) {
        const each: number[] = [];
        for (let k = 0; k < reads; k++) {
          const t0 = performance.now();
          run[side](args);
          each.push(performance.now() - t0);
        }
        ms[name]![side].push(spread(each).median);
      }
    }
  }
  db.close();
  const f = (x: number) => x.toFixed(2);
  console.log(
    `\n${rounds} rounds × ${reads} calls, per round the median ms; A the walk, B holder-driven, C the store's choice`,
  );
  const g = (xs: number[]) => {
    const s = spread(xs);
    return `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
  };
  for (const [name, { A, B, C }] of Object.entries(ms))
    console.log(
      `${name.padEnd(32)} A ${g(A)}  B ${g(B)}  C ${g(C)}  B/A ${g(A.map((x, i) => B[i]! / x))}  C/A ${g(A.map((x, i) => C[i]! / x))}`,
    );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
