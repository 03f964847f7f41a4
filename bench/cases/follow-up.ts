// Benchmark 7: the match coordinator's follow-up overview at 100,000 active matches (2,000
// with --quick). The matches are made the real way — two organisations place a signal about
// the same person through the engine's batch API, in-process on a fresh file — with their
// creation times spread over two years and one party's outcome recorded on 3 in 10 of them.
// Measured: one page (100 items) unfiltered, one page with a filter few matches pass (an
// organisation type on 1 % of them: the walk through the index is longest), a page deep in
// the list by cursor, and every page of the whole list; the baseline is the overview as it
// was before paging (every active match read one by one, with its signals and organisations),
// interleaved. The heap held for one page is bounded by the page (≤ 500 items) by
// construction; the figure's note gives the heap growth of both ways for the record.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine, type FollowUpQuery, openSqliteStore, ServerSecrets } from '@sluis/engine';
import { benchContact } from '../lib/population.js';
import type { Figure } from '../lib/result.js';
import { spread } from '../lib/stats.js';

const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);
const TYPES = ['school', 'police', 'general_practice'] as const;

type OrgActor = { kind: 'organisation'; organisationId: string; keyId: string };

async function admit(engine: Engine, name: string, type: string): Promise<OrgActor> {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string };
  const org = await engine.admitOrganisation(
    { kind: 'admin', keyId: 'bench-admin' },
    { name, type, publicKeys: [jwk.x], placementBudgetPerDay: 1_000_000 },
  );
  return { kind: 'organisation', organisationId: org.id, keyId: (await engine.listKeys(org.id))[0]!.keyId };
}

/** The overview before paging: every active match, each side read on its own. */
async function unpagedOverview(store: ReturnType<typeof openSqliteStore>): Promise<number> {
  return store.read(async (tx) => {
    let n = 0;
    for (const m of await tx.listMatches('active')) {
      for (const rid of [m.a, m.b]) {
        const s = await tx.getSignalByRid(rid);
        if (s !== undefined) await tx.getOrganisationByRid(s.organisationRid);
      }
      n++;
    }
    return n;
  });
}

const ms = async (fn: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

export async function followUpBench(quick: boolean): Promise<Figure[]> {
  const matches = quick ? 2_000 : 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'sluis-bench-follow-up-'));
  let now = START;
  const store = openSqliteStore({ path: join(dir, 'sluis.db') });
  const engine = await createEngine({
    store,
    serverSecrets: new ServerSecrets(new Map([[1, randomBytes(32)]])),
    clock: () => now,
    config: { placementAlertPerHour: 1_000_000 },
  });
  try {
    const youth = await admit(engine, 'Jeugdteam', 'youth_care');
    const others = [
      await admit(engine, 'School', TYPES[0]),
      await admit(engine, 'Politie', TYPES[1]),
      await admit(engine, 'Huisarts', TYPES[2]),
    ];
    const t0 = performance.now();
    const BATCH = 500;
    const span = 730 * DAY;
    for (let done = 0; done < matches; done += BATCH) {
      const size = Math.min(BATCH, matches - done);
      const values = Array.from({ length: size }, () => randomBytes(32).toString('base64url'));
      const input = (i: number, v: string, org: number) => ({
        requestId: `00000000-0000-4000-8${org.toString(16).padStart(3, '0')}-${(done + i).toString(16).padStart(12, '0')}`,
        subject: [{ epoch: 1, value: v }],
        contact: benchContact(done + i, org),
        informed: { status: 'citizen' as const, date: '2024-12-01' },
      });
      now = START + Math.floor((done / matches) * span);
      const placed = await engine.placeSignals(
        youth,
        values.map((v, i) => input(i, v, 0)),
      );
      const refused = placed.find((r) => !r.ok);
      if (refused !== undefined)
        throw new Error(`follow-up bench: a placement was refused: ${JSON.stringify(refused)}`);
      // 1 in 100 against a general practice (the rare type), the rest school / police
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
    // One party's outcome on 3 in 10 matches, written straight to the store (the engine
    // would record them one request at a time; only the stored result matters here).
    const outcomes = ['contact_made', 'already_in_contact', 'no_contact_needed'] as const;
    await store.write(async (tx) => {
      let i = 0;
      for (const m of await tx.listMatches('active')) {
        if (i % 10 < 3)
          await tx.updateMatch(m.rid, { contactMadeA: m.createdAt + DAY, outcomeA: outcomes[i % 3]! });
        i++;
      }
    });
    const fillSeconds = (performance.now() - t0) / 1000;
    now = START + span + 30 * DAY;
    const active = (await engine.statistics()).matches.active;
    if (active !== matches) throw new Error(`follow-up bench: ${active} active matches, expected ${matches}`);

    const page = (q: FollowUpQuery) => engine.followUpOverview({ limit: 100, ...q });
    // a cursor half way down the list
    let deep: string | undefined;
    for (let p = 0, c: string | undefined; p < matches / 2 / 500; p++) {
      c = (await engine.followUpOverview({ limit: 500, ...(c === undefined ? {} : { cursor: c }) }))
        .nextCursor;
      deep = c;
    }
    const rounds = quick ? 2 : 5;
    const first: number[] = [];
    const rare: number[] = [];
    const deepPage: number[] = [];
    const walk: number[] = [];
    const old: number[] = [];
    let walkedItems = 0;
    for (let r = 0; r < rounds; r++) {
      old.push(await ms(() => unpagedOverview(store)));
      first.push(await ms(() => page({})));
      rare.push(await ms(() => page({ organisationType: 'general_practice', followUp: 'overdue' })));
      deepPage.push(await ms(() => page(deep === undefined ? {} : { cursor: deep })));
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
    if (walkedItems !== matches) throw new Error(`follow-up bench: walked ${walkedItems} of ${matches}`);
    const heap = async (fn: () => Promise<unknown>) => {
      const before = process.memoryUsage().heapUsed;
      const kept = await fn(); // held while measuring
      const grown = process.memoryUsage().heapUsed - before;
      return kept === undefined ? 0 : grown;
    };
    const heapPage = await heap(() => page({}));
    const heapOld = await heap(() => store.read((tx) => tx.listMatches('active')));
    const oldSpread = spread(old);
    const n = matches.toLocaleString('en-US');
    const ratio = (xs: number[]) => spread(xs.map((x, i) => x / old[i]!));
    const fig = (id: string, title: string, xs: number[], target?: number): Figure => ({
      id,
      title,
      unit: 'ms',
      candidate: spread(xs),
      baseline: oldSpread,
      baselineName: 'the unpaged overview, every active match read one by one',
      ratio: ratio(xs),
      ...(target === undefined ? {} : { target: { op: '<=' as const, value: target, of: 'value' as const } }),
    });
    return [
      fig('7.first', `follow-up overview, first page of 100, ${n} active matches`, first, 50),
      fig(
        '7.rare',
        `follow-up overview, page of 100 filtered to a type on 1 % of matches and overdue, ${n} active matches`,
        rare,
        1000,
      ),
      fig(
        '7.deep',
        `follow-up overview, page of 100 half way down by cursor, ${n} active matches`,
        deepPage,
        50,
      ),
      {
        ...fig('7.walk', `follow-up overview, every page of 500 (${n} items)`, walk),
        note:
          `fill through the engine batch API in-process: ${(matches * 2).toLocaleString('en-US')} signals in ` +
          `${fillSeconds.toFixed(0)} s; heap growth for one page ${(heapPage / 1024).toFixed(0)} KiB, ` +
          `for the unpaged match rows alone ${(heapOld / 1024 / 1024).toFixed(1)} MiB`,
      },
    ];
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
