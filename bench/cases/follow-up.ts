// Benchmark 7: the match coordinator's follow-up overview at 100,000 active matches (2,000
// with --quick). The matches are made the real way — two organisations place a signal about
// the same person through the engine's batch API, in-process on a fresh file — with their
// creation times spread over two years; one party's outcome is recorded on 3 in 10 (each of
// the four outcomes) and 1 in 20 is ended, written straight to the store.
// Measured, per page of 100: the first page and a page half way down by cursor in either
// sort, every filter on its own (status, follow-up state, each outcome, age of the match,
// a common and a rare organisation type) and the rarest combination; then every page of the
// whole list. Each candidate page is timed against the baseline read right before it: the
// raw indexed SQL select of one page of the `matches` table on the same file (no joins, no
// engine), so a ratio says how many raw page reads the overview's page costs. Heap growth
// is recorded per page; it is bounded by the page (≤ 500 items) by construction.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createEngine, type Engine, type FollowUpQuery, openSqliteStore, ServerSecrets } from '@sluis/engine';
import { benchContact } from '../lib/population.js';
import type { Figure } from '../lib/result.js';
import { quantile, spread } from '../lib/stats.js';

const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);
const TYPES = ['school', 'police', 'general_practice'] as const;
const OUTCOMES = ['contact_made', 'already_in_contact', 'no_contact_needed', 'client_refused'] as const;

type OrgActor = { kind: 'organisation'; organisationId: string; keyId: string };

async function admit(engine: Engine, name: string, type: string): Promise<OrgActor> {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string };
  const org = await engine.admitOrganisation(
    { kind: 'admin', keyId: 'bench-admin' },
    { name, type, publicKeys: [jwk.x], placementBudgetPerDay: 1_000_000 },
  );
  return { kind: 'organisation', organisationId: org.id, keyId: (await engine.listKeys(org.id))[0]!.keyId };
}

/** 100,000 matches (1 in 100 with a general practice, the rest school or police), through the engine. */
async function fill(engine: Engine, matches: number, setNow: (t: number) => void): Promise<void> {
  const youth = await admit(engine, 'Jeugdteam', 'youth_care');
  const others = [
    await admit(engine, 'School', TYPES[0]),
    await admit(engine, 'Politie', TYPES[1]),
    await admit(engine, 'Huisarts', TYPES[2]),
  ];
  const BATCH = 500;
  for (let done = 0; done < matches; done += BATCH) {
    const size = Math.min(BATCH, matches - done);
    const values = Array.from({ length: size }, () => randomBytes(32).toString('base64url'));
    const input = (i: number, v: string, org: number) => ({
      requestId: `00000000-0000-4000-8${org.toString(16).padStart(3, '0')}-${(done + i).toString(16).padStart(12, '0')}`,
      subject: [{ epoch: 1, value: v }],
      contact: benchContact(done + i, org),
      informed: { status: 'citizen' as const, date: '2024-12-01' },
    });
    setNow(START + Math.floor((done / matches) * 730 * DAY));
    const placed = await engine.placeSignals(
      youth,
      values.map((v, i) => input(i, v, 0)),
    );
    const refused = placed.find((r) => !r.ok);
    if (refused !== undefined)
      throw new Error(`follow-up bench: a placement was refused: ${JSON.stringify(refused)}`);
    const byOrg = new Map<number, { v: string; i: number }[]>();
    values.forEach((v, i) => {
      const o = (done + i) % 100 === 0 ? 2 : (done + i) % 2;
      byOrg.set(o, [...(byOrg.get(o) ?? []), { v, i }]);
    });
    for (const [o, list] of byOrg) {
      await engine.placeSignals(
        others[o]!,
        list.map(({ v, i }) => input(i, v, o + 1)),
      );
    }
  }
}

const ms = async (fn: () => unknown): Promise<number> => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

/** Heap growth while the result of `fn` is held (no forced GC: a figure for the record). */
async function heapOf(fn: () => unknown): Promise<number> {
  const before = process.memoryUsage().heapUsed;
  const kept = await fn();
  const grown = process.memoryUsage().heapUsed - before;
  return kept === undefined ? 0 : Math.max(0, grown);
}

export async function followUpBench(quick: boolean): Promise<Figure[]> {
  const matches = quick ? 2_000 : 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'sluis-bench-follow-up-'));
  const file = join(dir, 'sluis.db');
  let now = START;
  const store = openSqliteStore({ path: file });
  const engine = await createEngine({
    store,
    serverSecrets: new ServerSecrets(new Map([[1, randomBytes(32)]])),
    clock: () => now,
    config: { placementAlertPerHour: 1_000_000 },
  });
  let raw: Database.Database | undefined;
  try {
    const t0 = performance.now();
    await fill(engine, matches, (t) => {
      now = t;
    });
    // One party's outcome on 3 in 10 matches (each outcome alike) and 1 in 20 ended,
    // written straight to the store: only the stored result matters here.
    let ended = 0;
    await store.write(async (tx) => {
      let i = 0;
      for (const m of await tx.listMatches('active')) {
        if (i % 10 < 3)
          await tx.updateMatch(m.rid, { contactMadeA: m.createdAt + DAY, outcomeA: OUTCOMES[i % 4]! });
        if (i % 20 === 7) {
          await tx.updateMatch(m.rid, { status: 'ended', endedAt: m.createdAt + 2 * DAY });
          ended++;
        }
        i++;
      }
    });
    const fillSeconds = (performance.now() - t0) / 1000;
    now = START + 760 * DAY;
    const active = (await engine.statistics()).matches.active;
    if (active !== matches - ended)
      throw new Error(`follow-up bench: ${active} active matches, expected ${matches - ended}`);

    // The baseline: one page of the matches table read through the same index by a plain
    // connection to the same file — what a page costs before any join or engine work.
    raw = new Database(file, { readonly: true });
    const rawPage = raw.prepare(
      'SELECT * FROM matches INDEXED BY matches_follow_up WHERE status = 0 ORDER BY created_at, id LIMIT 101',
    );
    const rawAfter = raw.prepare(
      'SELECT * FROM matches INDEXED BY matches_follow_up WHERE status = 0 AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT 501',
    );
    const halfway = async (sort: 'oldest' | 'newest') => {
      let c: string | undefined;
      for (let p = 0; p < matches / 2 / 500; p++) {
        c = (await engine.followUpOverview({ limit: 500, sort, ...(c === undefined ? {} : { cursor: c }) }))
          .nextCursor;
      }
      return c === undefined ? {} : { cursor: c };
    };
    const pages: { id: string; title: string; q: FollowUpQuery }[] = [
      { id: 'first', title: 'first page, oldest first', q: {} },
      { id: 'first.newest', title: 'first page, newest first', q: { sort: 'newest' } },
      { id: 'deep', title: 'half way down by cursor, oldest first', q: await halfway('oldest') },
      {
        id: 'deep.newest',
        title: 'half way down by cursor, newest first',
        q: { sort: 'newest', ...(await halfway('newest')) },
      },
      { id: 'status.ended', title: 'status ended (1 in 20)', q: { status: 'ended' } },
      { id: 'followUp.none', title: 'no outcome yet', q: { followUp: 'none' } },
      { id: 'followUp.overdue', title: 'overdue', q: { followUp: 'overdue' } },
      { id: 'followUp.recorded', title: 'an outcome recorded', q: { followUp: 'recorded' } },
      ...OUTCOMES.map((o) => ({ id: `outcome.${o}`, title: `outcome ${o}`, q: { outcome: o } })),
      { id: 'age', title: 'match 150–400 days old', q: { minAgeDays: 150, maxAgeDays: 400 } },
      { id: 'type.school', title: 'organisation type school (1 in 2)', q: { organisationType: 'school' } },
      {
        id: 'type.rare',
        title: 'organisation type general_practice (1 in 100)',
        q: { organisationType: 'general_practice' },
      },
      {
        id: 'rare',
        title: 'general_practice and overdue, newest first (the rarest)',
        q: { organisationType: 'general_practice', followUp: 'overdue', sort: 'newest' },
      },
    ];
    const rounds = quick ? 3 : 20;
    const figures: Figure[] = [];
    const heaps: number[] = [];
    const n = matches.toLocaleString('en-US');
    const baselineName = 'raw indexed SQL select of one page of matches, same file';
    for (const page of pages) {
      const query: FollowUpQuery = { limit: 100, ...page.q };
      await engine.followUpOverview(query); // warm the statements
      const cand: number[] = [];
      const base: number[] = [];
      for (let r = 0; r < rounds; r++) {
        base.push(await ms(() => rawPage.all()));
        cand.push(await ms(() => engine.followUpOverview(query)));
      }
      const items = (await engine.followUpOverview(query)).items.length;
      const heap = await heapOf(() => engine.followUpOverview(query));
      heaps.push(heap);
      const sorted = [...cand].sort((a, b) => a - b);
      figures.push({
        id: `7.${page.id}`,
        title: `follow-up overview, page of 100: ${page.title}, ${n} matches`,
        unit: 'ms',
        candidate: spread(cand),
        baseline: spread(base),
        baselineName,
        ratio: spread(cand.map((c, i) => c / base[i]!)),
        note: `p50 ${quantile(sorted, 0.5).toFixed(2)} ms, p95 ${quantile(sorted, 0.95).toFixed(2)} ms over ${rounds}; ${items} items; heap growth ${(heap / 1024).toFixed(0)} KiB`,
      });
    }

    // Every page of 500, against the same walk of the raw table.
    const walk: number[] = [];
    const rawWalk: number[] = [];
    let walkedItems = 0;
    for (let r = 0; r < (quick ? 2 : 3); r++) {
      rawWalk.push(
        await ms(() => {
          let after: [number, Buffer] = [-1, Buffer.alloc(0)];
          for (;;) {
            const rows = rawAfter.all(...after) as { created_at: number; id: Buffer }[];
            const last = rows[Math.min(rows.length, 500) - 1];
            if (rows.length <= 500 || last === undefined) break;
            after = [last.created_at, last.id];
          }
        }),
      );
      walk.push(
        await ms(async () => {
          walkedItems = 0;
          let c: string | undefined;
          do {
            const p = await engine.followUpOverview({
              limit: 500,
              ...(c === undefined ? {} : { cursor: c }),
            });
            walkedItems += p.items.length;
            c = p.nextCursor;
          } while (c !== undefined);
        }),
      );
    }
    if (walkedItems !== matches - ended)
      throw new Error(`follow-up bench: walked ${walkedItems} of ${matches - ended}`);
    const heapAll = await heapOf(() => store.read((tx) => tx.listMatches('active')));
    figures.push({
      id: '7.walk',
      title: `follow-up overview, every page of 500 (${walkedItems.toLocaleString('en-US')} items)`,
      unit: 'ms',
      candidate: spread(walk),
      baseline: spread(rawWalk),
      baselineName: 'the same keyset walk of the raw matches table, same file',
      ratio: spread(walk.map((w, i) => w / rawWalk[i]!)),
      note:
        `fill through the engine batch API in-process: ${(matches * 2).toLocaleString('en-US')} signals in ` +
        `${fillSeconds.toFixed(0)} s; heap growth per page of 100 ${(Math.min(...heaps) / 1024).toFixed(0)}–` +
        `${(Math.max(...heaps) / 1024).toFixed(0)} KiB, for every active match row at once (the unpaged ` +
        `way) ${(heapAll / 1024 / 1024).toFixed(1)} MiB`,
    });
    return figures;
  } finally {
    raw?.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
