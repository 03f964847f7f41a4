// A write's logbook entries chained onto the head the write itself appended last, read once
// (sqlite-core.ts `appendedHead`; PostgreSQL's deferred tail did so already; docs/performance.md
// "Twenty-seventh pass: bulk, the logbook's head read once"): over generated sequences of
// batches — `existing` answers (a `signal.found` entry each), created items that match another
// organisation's signals (`match.created`), consent items (an entry of their own), replays, refused
// items, an hourly alert, items placed on their own after a flush (an archive notice) — with single
// placements and look-ups between them, the logbook is entry for entry and byte for byte the one
// the old append writes (the head read again before every entry, kept below as it was), and
// verifies. On SQLite the new append against the old; with SLUIS_TEST_STORE=postgres (`pnpm
// test:domain-pg`) PostgreSQL's against the old one on SQLite.

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor, Engine, EngineConfig, PlaceSignalInput } from '../api.js';
import { createEngine } from '../engine.js';
import { ServerSecrets } from '../protocol/stored-pseudonym.js';
import type { LogHead, LogRow, Store, StoreWriter } from '../store/store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import {
  admin,
  type Harness,
  harness,
  newKeyPair,
  person,
  placement,
  SERVER_SECRET,
  seededRandom,
  TestClock,
} from '../testing/harness.js';

/** The append as it was before the head was remembered: the head read before every entry. */
async function oldAppend(tx: StoreWriter, entry: (head: LogHead | undefined) => LogRow): Promise<void> {
  await tx.insertLogEntry(entry((await tx.lastLogEntry()) ?? (await tx.logCheckpoint())));
}

/** `t` with method `name` replaced, every other member its own (bound to it). */
function replacing<T extends object>(t: T, name: PropertyKey, by: unknown): T {
  return new Proxy(t, {
    get(target, prop) {
      if (prop === name) return by;
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** A SQLite store whose writes append with the old code. */
function withOldAppend(store: Store): Store {
  return replacing(store, 'write', <T>(op: (tx: StoreWriter) => Promise<T>) =>
    store.write((tx) =>
      op(
        replacing(tx, 'appendLogEntry', (entry: (head: LogHead | undefined) => LogRow) =>
          oldAppend(tx, entry),
        ),
      ),
    ),
  );
}

type OrgActor = Actor & { kind: 'organisation' };

const PEOPLE = 6;
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

type Variant = 'plain' | 'consent' | 'unknownEpoch' | 'withParent';

interface ItemSpec {
  readonly person: number;
  /** 0–3: one of four shared request ids (replays, reuses); 4: one of its own. */
  readonly rid: number;
  readonly variant: Variant;
}

type Step =
  | { readonly kind: 'batch'; readonly by: number; readonly items: readonly ItemSpec[] }
  | { readonly kind: 'single'; readonly by: number; readonly person: number; readonly lookUp: boolean }
  | { readonly kind: 'end'; readonly by: number; readonly person: number };

const itemArb: fc.Arbitrary<ItemSpec> = fc.record({
  person: fc.integer({ min: 0, max: PEOPLE - 1 }),
  rid: fc.integer({ min: 0, max: 4 }),
  variant: fc.constantFrom<Variant>('plain', 'plain', 'plain', 'consent', 'unknownEpoch', 'withParent'),
});

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      by: fc.integer({ min: 0, max: 1 }),
      items: fc.array(itemArb, { minLength: 1, maxLength: 12 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('single' as const),
      by: fc.integer({ min: 0, max: 1 }),
      person: fc.integer({ min: 0, max: PEOPLE - 1 }),
      lookUp: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('end' as const),
      by: fc.integer({ min: 0, max: 1 }),
      person: fc.integer({ min: 0, max: PEOPLE - 1 }),
    }),
  },
);

function input(spec: ItemSpec, step: number, index: number): PlaceSignalInput {
  const requestId = uuid(spec.rid < 4 ? 1 + spec.rid : 1000 * (step + 1) + index);
  const base = placement(spec.person, { requestId });
  switch (spec.variant) {
    case 'plain':
      return base;
    case 'consent':
      return { ...base, legalBasis: 'consent', attestation: { date: '2026-01-10' } };
    case 'unknownEpoch':
      return { ...base, subject: person(spec.person, [7]) };
    case 'withParent':
      return { ...base, parents: [person(100 + spec.person)] };
  }
}

interface Side {
  readonly engine: Engine;
  readonly clock: TestClock;
  readonly actors: readonly OrgActor[];
  close(): Promise<void>;
}

const config: Partial<EngineConfig> = { placementAlertPerHour: 8 };
const publicKeys = [newKeyPair().publicKey, newKeyPair().publicKey];

async function admitted(engine: Engine): Promise<OrgActor[]> {
  const actors: OrgActor[] = [];
  for (const [i, key] of publicKeys.entries()) {
    const org = await engine.admitOrganisation(admin, {
      name: `Org ${i}`,
      type: 'youth_care',
      publicKeys: [key],
    });
    const keyId = (await engine.listKeys(org.id))[0]!.keyId;
    actors.push({ kind: 'organisation', organisationId: org.id, keyId });
  }
  return actors;
}

/** The engine under test: the harness's store (SQLite in memory, or PostgreSQL). */
async function current(): Promise<Side & { h: Harness }> {
  const h = await harness({ config });
  try {
    return { h, engine: h.engine, clock: h.clock, actors: await admitted(h.engine), close: () => h.close() };
  } catch (e) {
    await h.close();
    throw e;
  }
}

/** The same engine on SQLite with the old append. */
async function old(): Promise<Side> {
  const clock = new TestClock();
  const store = openSqliteStore({ path: ':memory:', clock: clock.fn });
  const secrets = new ServerSecrets(new Map([[1, SERVER_SECRET]]));
  let engine: Engine | undefined;
  // The secrets zeroed after the engine that derives with them is closed (as the harness does),
  // also when the side fails to open: then no caller gets it to close.
  const close = async () => {
    if (engine === undefined) await store.close();
    else await engine.close();
    secrets.destroy();
  };
  try {
    engine = await createEngine({
      store: withOldAppend(store),
      serverSecrets: secrets,
      clock: clock.fn,
      random: seededRandom(),
      config,
    });
    return { engine, clock, actors: await admitted(engine), close };
  } catch (e) {
    await close();
    throw e;
  }
}

async function run(side: Side, steps: readonly Step[]): Promise<void> {
  const { engine, actors } = side;
  const ids = new Map<string, string>();
  for (const [s, step] of steps.entries()) {
    side.clock.advance(60_000);
    const actor = actors[step.by]!;
    if (step.kind === 'batch') {
      await engine.placeSignals(
        actor,
        step.items.map((it, i) => input(it, s, i)),
      );
    } else if (step.kind === 'single') {
      const r = await engine
        .placeSignal(actor, {
          ...placement(step.person, { requestId: uuid(900_000 + s) }),
          ...(step.lookUp ? { existingOnly: true } : {}),
        })
        .catch(() => undefined);
      if (r?.signal !== undefined) ids.set(`${step.by}:${step.person}`, r.signal.id);
    } else {
      // Ends an organisation's signal placed alone: its person's later placements by the other
      // organisation get an archive notice (an item placed on its own in a batch).
      const id = ids.get(`${step.by}:${step.person}`);
      if (id !== undefined) {
        await engine.withdrawSignal(actor, id, 'ended').catch(() => undefined);
        ids.delete(`${step.by}:${step.person}`);
      }
    }
  }
}

/** Both organisations' signals about some people first, so later batches find and match them. */
const START: readonly Step[] = [
  { kind: 'batch', by: 0, items: [0, 1, 2, 3].map((p) => ({ person: p, rid: 4, variant: 'plain' })) },
  { kind: 'single', by: 1, person: 4, lookUp: false },
  { kind: 'batch', by: 1, items: [0, 1, 5].map((p) => ({ person: p, rid: 4, variant: 'withParent' })) },
];

let found = 0;
let matched = 0;
let open: Side[] = [];
afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
});

describe('a write appending many logbook entries', () => {
  it('writes the chain the old append wrote, entry for entry, over generated batches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 8 }), async (steps) => {
        const a = await current();
        open.push(a);
        const b = await old();
        open.push(b);
        await run(a, [...START, ...steps]);
        await run(b, [...START, ...steps]);
        const [la, lb] = [await a.engine.logbook(1, 5000), await b.engine.logbook(1, 5000)];
        found += la.filter((e) => e.action === 'signal.found').length;
        matched += la.filter((e) => e.action === 'match.created').length;
        expect(la).toEqual(lb);
        expect((await a.engine.verifyLogbook()).ok).toBe(true);
        await a.close();
        await b.close();
        open = [];
      }),
      { numRuns: 12, seed: 28 },
    );
    // The sequences did reach what the change is about: many entries a write.
    expect(found).toBeGreaterThan(50);
    expect(matched).toBeGreaterThan(10);
  }, 600_000);
});
