// The holder's index on SQLite (schema step 19, docs/performance.md "The holder's index"): a
// professional's signal list and inbox with and without `signals_person`, in one process on
// two copies of one file. The file is filled by lib/holder-fill.ts: organisation O's 20,000
// signals placed on behalf of its 100 professionals (batch path; a light holder with 10, a
// caseload of 200, the rest ≈ 200 each) and 20,000 more by O's key alone (no person); a
// second organisation places the same 20,000 people in random order, so O has 20,000 matches
// and as many inbox events, each holder's spread over them. File A has the index dropped
// (the schema of step 18 on the same rows), B keeps it; both are vacuumed. In alternated
// rounds (in turns first) each side answers `reads` calls of each operation through the
// engine, as a professional's portal session asks (listSignals, the inbox, 100 a page), and
// the store's statement alone; per round the median per call. Also prints the index's bytes
// (dbstat) per signal it holds and per signal of the file. Not part of `pnpm bench`; nothing
// asserted.
//   node --conditions=sluis-source --import tsx bench/tools/holder-index-ab.ts [rounds] [reads]

import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { createEngine, type Engine, openSqliteStore, ServerSecrets, type SqliteStore } from '@sluis/engine';
import { fillHolderFile, HELD } from '../lib/holder-fill.js';
import { spread } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 6);
const reads = Number(process.argv[3] ?? 15);

const Database = createRequire(import.meta.resolve('@sluis/engine'))(
  'better-sqlite3',
) as typeof BetterSqlite3;

/** How many of O's signals professional i holds: 10, 200, then the rest spread evenly. */
const caseloadOf = (i: number) =>
  i === 0 ? 10 : i === 1 ? 200 : Math.floor((HELD - 210) / 98) + (i - 2 < (HELD - 210) % 98 ? 1 : 0);

const dir = mkdtempSync(join(tmpdir(), 'sluis-holder-ab-'));
const secrets = new Map([[1, randomBytes(32)]]);
/** Zeroed with `secrets` at the end, after the engines that derive with them are closed. */
const opened: ServerSecrets[] = [];
try {
  const fileA = join(dir, 'a.db');
  const fileB = join(dir, 'b.db');
  const filled = await fillHolderFile(fileB, 'Holder', caseloadOf, secrets);
  const o = filled.o;
  const people = filled.people.map((id) => ({ id, rid: 0 }));

  copyFileSync(fileB, fileA);
  if (existsSync(`${fileB}-wal`)) throw new Error('holder-index-ab: the WAL was not checkpointed at close');
  // Both files rewritten alike, so only the index differs between them.
  for (const [file, sql] of [
    [fileA, 'DROP INDEX signals_person; VACUUM'],
    [fileB, 'VACUUM'],
  ] as const) {
    const raw = new Database(file);
    raw.exec(sql);
    raw.close();
  }
  const check = new Database(fileB, { readonly: true });
  const pageBytes = (name?: string) =>
    (
      check
        .prepare(`SELECT sum(pgsize) AS b FROM dbstat${name === undefined ? '' : ' WHERE name = ?'}`)
        .get(...(name === undefined ? [] : [name])) as { b: number }
    ).b;
  const signals = (check.prepare('SELECT count(*) AS n FROM signals').get() as { n: number }).n;
  const index = pageBytes('signals_person');
  console.log(
    `signals_person: ${index} B = ${(index / HELD).toFixed(1)} B per held signal, ${(index / signals).toFixed(1)} B per signal of the file (${signals} signals, ${(pageBytes() / signals).toFixed(0)} B per signal in all)`,
  );
  for (const person of people)
    person.rid = (check.prepare('SELECT rid FROM people WHERE id = ?').get(person.id) as { rid: number }).rid;
  const orgRid = (check.prepare('SELECT org FROM signals WHERE rid = 1').get() as { org: number }).org;
  check.close();

  const open = async (path: string) => {
    const store = openSqliteStore({ path });
    const serverSecrets = new ServerSecrets(secrets);
    opened.push(serverSecrets);
    return { store, engine: await createEngine({ store, serverSecrets }) };
  };
  const sides: Record<'A' | 'B', { store: SqliteStore; engine: Engine }> = {
    A: await open(fileA),
    B: await open(fileB),
  };
  const session = (i: number) => ({
    ...o,
    personId: people[i]!.id,
    personRole: 'professional' as const,
    session: true,
  });
  const ops: Record<string, (s: { store: SqliteStore; engine: Engine }) => Promise<unknown>> = {
    'list, 10 held': (s) => s.engine.listSignals(session(0), { limit: 100 }),
    'list, 200 held': (s) => s.engine.listSignals(session(1), { limit: 100 }),
    'inbox, 10 held': (s) => s.engine.inbox(session(0), undefined, 100),
    'inbox, 200 held': (s) => s.engine.inbox(session(1), undefined, 100),
    'listSignals statement, 200 held': (s) =>
      s.store.read((tx) => tx.listSignals(orgRid, undefined, 0, 101, people[1]!.rid)),
    'eventsAfter statement, 10 held': (s) =>
      s.store.read((tx) => tx.eventsAfter(orgRid, 0, 101, people[0]!.rid)),
    'eventsAfter statement, 200 held': (s) =>
      s.store.read((tx) => tx.eventsAfter(orgRid, 0, 101, people[1]!.rid)),
  };
  // Warm-up: each statement prepared, each reveal logged once (the rounds log none).
  for (const s of Object.values(sides)) for (const op of Object.values(ops)) await op(s);
  const ms: Record<string, Record<'A' | 'B', number[]>> = {};
  for (const name of Object.keys(ops)) ms[name] = { A: [], B: [] };
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
      for (const [name, op] of Object.entries(ops)) {
        const each: number[] = [];
        for (let k = 0; k < reads; k++) {
          const t0 = performance.now();
          await op(sides[side]);
          each.push(performance.now() - t0);
        }
        ms[name]![side].push(spread(each).median);
      }
    }
  }
  const f = (x: number) => x.toFixed(2);
  console.log(
    `\n${rounds} rounds × ${reads} calls, per round the median ms; A without signals_person, B with`,
  );
  for (const [name, { A, B }] of Object.entries(ms)) {
    const a = spread(A);
    const b = spread(B);
    const ratio = spread(A.map((x, i) => B[i]! / x));
    console.log(
      `${name.padEnd(34)} A ${f(a.median)} (${f(a.min)}–${f(a.max)})  B ${f(b.median)} (${f(b.min)}–${f(b.max)})  B/A ${f(ratio.median)} (${f(ratio.min)}–${f(ratio.max)})`,
    );
  }
  for (const s of Object.values(sides)) await s.engine.close();
} finally {
  for (const s of opened) s.destroy();
  for (const v of secrets.values()) v.fill(0);
  rmSync(dir, { recursive: true, force: true });
}
