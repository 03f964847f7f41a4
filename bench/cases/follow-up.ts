// Benchmark 7: the match coordinator's follow-up overview at 100,000 matches (2,000 with
// --quick), on a fresh file: two signals of different organisations per match, written
// straight to the store with their creation times spread over two years; one party's outcome
// on 3 in 10 (each of the four outcomes) and 1 in 20 ended.
// Measured, per page of 100: the first page and a page half way down by cursor in either
// sort, every filter on its own (status, follow-up state, each outcome, age of the match,
// a common and a rare organisation type) and the rarest combination; then every page of the
// whole list. Each candidate page is timed against the baseline read right before it: the
// raw indexed SQL select of one page of the `matches` table on the same file (no joins, no
// engine), so a ratio says how many raw page reads the overview's page costs. Heap growth
// is recorded per page; it is bounded by the page (≤ 500 items) by construction.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  createEngine,
  type Engine,
  type FollowUpQuery,
  openSqliteStore,
  ServerSecrets,
  type SqliteStore,
} from '@sluis/engine';
import { admitInEngine } from '../lib/engine-organisations.js';
import { benchContact } from '../lib/population.js';
import type { Figure } from '../lib/result.js';
import { quantile, spread } from '../lib/stats.js';

const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);
/** When the overview is read: after every match was created, so some are long overdue. */
const READ_AT = START + 760 * DAY;
const TYPES = ['school', 'police', 'general_practice'] as const;
const OUTCOMES = ['contact_made', 'already_in_contact', 'no_contact_needed', 'client_refused'] as const;

const uuid = (n: number, tag: number) => {
  const h = (tag * 1e12 + n).toString(16).padStart(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
};

/**
 * `matches` matches written straight to the store, 10,000 per transaction: each between a
 * youth-care signal and one of a school or the police (a general practice on 1 in 100),
 * created over two years; one party's outcome on 3 in 10 (each outcome alike), 1 in 20
 * ended. The overview reads only these rows, so the engine's placement path (measured in
 * cases 2–4) is skipped: it would take most of the run here. Returns how many are ended.
 */
async function fill(engine: Engine, store: SqliteStore, matches: number): Promise<number> {
  const orgs = [
    (await admitInEngine(engine, 'Jeugdteam', 'youth_care')).actor,
    (await admitInEngine(engine, 'School', TYPES[0])).actor,
    (await admitInEngine(engine, 'Politie', TYPES[1])).actor,
    (await admitInEngine(engine, 'Huisarts', TYPES[2])).actor,
  ];
  const rids: number[] = [];
  for (const o of orgs) rids.push((await store.read((tx) => tx.getOrganisation(o.organisationId)))!.rid);
  let ended = 0;
  const CHUNK = 10_000;
  for (let done = 0; done < matches; done += CHUNK) {
    await store.write(async (tx) => {
      for (let i = done; i < Math.min(matches, done + CHUNK); i++) {
        const createdAt = START + Math.floor((i / matches) * 730 * DAY);
        const signal = async (n: number, org: number) =>
          tx.insertSignal({
            id: uuid(n, 1),
            organisationRid: rids[org]!,
            status: 'active',
            endReason: null,
            contact: benchContact(i, org),
            informed: { status: 'citizen', date: '2024-12-01' },
            placedAt: createdAt,
            // Extended where it would have run out before the read: a match of an expired
            // signal reads as ended (engine.md "The life of a signal"), and every match here
            // must read as written.
            expiresAt: Math.max(createdAt + 730 * DAY, READ_AT + DAY),
            endedAt: null,
            purgeAt: null,
            restricted: false,
            objection: null,
            hasParents: false,
            parentsAtPlacement: 0,
            legalBasis: 'jeugdwet',
            objectionInherited: false,
            restrictionRegistered: false,
            requestId: uuid(n, 2),
            requestHash: randomBytes(8),
          });
        const a = await signal(2 * i, 0);
        const b = await signal(2 * i + 1, i % 100 === 0 ? 3 : 1 + (i % 2));
        const outcome = Math.floor(i / 7) % 10 < 3 ? OUTCOMES[i % 4]! : null; // not tied to the type
        const isEnded = i % 20 === 7;
        if (isEnded) ended++;
        await tx.insertMatch({
          id: uuid(i, 3),
          kind: 'person',
          status: isEnded ? 'ended' : 'active',
          a,
          b,
          createdAt,
          endedAt: isEnded ? createdAt + 2 * DAY : null,
          contactMadeA: outcome === null ? null : createdAt + DAY,
          contactMadeB: null,
          outcomeA: outcome,
          outcomeB: null,
          regieHolder: 'a',
          regieSince: createdAt,
          proposalBy: null,
          proposalFor: null,
          proposalAt: null,
        });
      }
    });
  }
  return ended;
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
  // Zeroed after the engine that derives with them is closed (docs/keys.md).
  const serverSecrets = new ServerSecrets(new Map([[1, randomBytes(32)]]));
  const engine = await createEngine({
    store,
    serverSecrets,
    clock: () => now,
    config: { placementAlertPerHour: 1_000_000 },
  });
  let raw: Database.Database | undefined;
  try {
    const t0 = performance.now();
    const ended = await fill(engine, store, matches);
    const fillSeconds = (performance.now() - t0) / 1000;
    now = READ_AT;
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
    // Every page of the rare type (1 in 100): a page examines at most FOLLOW_UP_SCAN
    // matches, so the pages are short and carry a cursor; each such match is found once.
    const rarePages: number[] = [];
    const rareSeen = new Set<string>();
    let c: string | undefined;
    const tRare = performance.now();
    do {
      const p = await engine.followUpOverview({
        organisationType: 'general_practice',
        ...(c === undefined ? {} : { cursor: c }),
      });
      rarePages.push(p.items.length);
      for (const i of p.items) rareSeen.add(i.matchId);
      c = p.nextCursor;
    } while (c !== undefined);
    const rareMs = performance.now() - tRare;
    if (rareSeen.size !== Math.ceil(matches / 100))
      throw new Error(
        `follow-up bench: the rare type walk found ${rareSeen.size} of ${Math.ceil(matches / 100)}`,
      );
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
        `fill straight to the store: ${(matches * 2).toLocaleString('en-US')} signals and ${matches.toLocaleString('en-US')} matches in ` +
        `${fillSeconds.toFixed(0)} s; heap growth per page of 100 ${(Math.min(...heaps) / 1024).toFixed(0)}–` +
        `${(Math.max(...heaps) / 1024).toFixed(0)} KiB, for every active match row at once (the unpaged ` +
        `way) ${(heapAll / 1024 / 1024).toFixed(1)} MiB; every page of the rare type: ${rarePages.length} pages ` +
        `(${rarePages.join(', ')} items) in ${rareMs.toFixed(0)} ms`,
    });
    return figures;
  } finally {
    raw?.close();
    await engine.close();
    serverSecrets.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
