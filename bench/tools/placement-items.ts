// The items timed by placement-items-ab.ts: each one unit of the placement's work, done by
// the code before the ninth pass, or before the bulk twenty-first pass ("old"), and by the code
// now ("new"), on the same input.

import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newSignal, org, stored } from '../../packages/engine/src/store/conformance/fixtures.js';
import { openSqliteStore } from '../../packages/engine/src/store/sqlite/sqlite-store.js';
import { pathToFileURL } from 'node:url';
import type { PlaceSignalInput } from '../../packages/engine/src/api.js';
import { countingWriter } from '../../packages/engine/src/store/announce-outbox.js';
import type { StoreWriter } from '../../packages/engine/src/store/store.js';
import { parseRequestSignature } from '../../packages/engine/src/protocol/request-signature.js';
import { validatePlacement } from '../../packages/engine/src/validation.js';
import { uuidToBytes } from '../../packages/engine/src/ids.js';
import { parseDate } from '../../packages/engine/src/time.js';
import { placementBody, pseudonyms } from '../lib/population.js';

/** The other checkout (built): where the items without an inline old version take it from. */
const abRoot = process.env.SLUIS_AB_ROOT;
const fromRoot = async <M>(path: string): Promise<M | undefined> =>
  abRoot === undefined ? undefined : ((await import(pathToFileURL(join(abRoot, path)).href)) as M);

export interface Item {
  readonly name: string;
  /** Operations per timed run, and for the warm-up. */
  readonly n: number;
  readonly warm: number;
  readonly old: (n: number) => unknown;
  readonly new: (n: number) => unknown;
}

/**
 * An item's timed run: `op(i)` for i = 0 … n − 1, each awaited before the next when it
 * answers a promise. Old and new code run in the same loop, so the loop costs both alike.
 */
const each =
  (op: (i: number) => unknown) =>
  async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const r = op(i);
      if (r instanceof Promise) await r;
    }
  };

// --- The outbox announcer: the operation's writer, a Proxy before, a plain wrapper now. ---

/** The announcer's writer before the ninth pass (announce-outbox.ts at main 89ee54b). */
function proxyWriter(tx: StoreWriter, onInsert: () => void): StoreWriter {
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === 'insertDelivery') {
        return async (...args: Parameters<StoreWriter['insertDelivery']>) => {
          await target.insertDelivery(...args);
          onInsert();
        };
      }
      if (prop === 'insertMailNotice') {
        return async (...args: Parameters<StoreWriter['insertMailNotice']>) => {
          await target.insertMailNotice(...args);
          onInsert();
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/**
 * A writer shaped like SqliteTx (methods on a chain of classes, state in private and
 * protected fields, a statement-cache function as an own field), whose methods do next to
 * nothing: what is timed is the way to them.
 */
class Base {
  protected readonly st = (s: string) => s.length;
  protected n = 0;
  #depth = 0;
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    this.#depth++;
    try {
      return await fn();
    } finally {
      this.#depth--;
    }
  }
  get depth(): number {
    return this.#depth;
  }
}
class Reads extends Base {
  async getOrganisation(_id: string) {
    return this.n++;
  }
  async getEpoch(_e: number) {
    return this.n++;
  }
  async signalByRequestId(_o: number, _r: string) {
    return this.n++;
  }
  async findSignalsByStored(_s: unknown) {
    return this.n++;
  }
  async logHead() {
    return this.n++;
  }
  async generation() {
    return this.n++;
  }
  async placementsToday(_o: number) {
    return this.n++;
  }
}
class Writes extends Reads {
  async insertContact(_c: unknown) {
    return this.n++;
  }
  async insertSignal(_s: unknown) {
    return this.n++;
  }
  async insertPseudonym(_p: unknown) {
    return this.n++;
  }
  async setPrefixes(_r: number) {
    return this.n++;
  }
  async appendLog(_e: unknown) {
    return this.n++;
  }
  async chargePlacement(_o: number) {
    return this.n++;
  }
  async bumpStatistic(_k: string) {
    return this.n++;
  }
  async insertDelivery(_d: unknown) {
    this.n++;
  }
  async insertMailNotice(_d: unknown) {
    this.n++;
  }
}

/** One placement's calls on its writer (the fourth pass's statement list, ≈ 17 calls). */
async function placementCalls(tx: Writes): Promise<void> {
  await tx.getOrganisation('o');
  await tx.getEpoch(1);
  await tx.signalByRequestId(1, 'r');
  await tx.findSignalsByStored(null);
  await tx.savepoint(async () => {
    await tx.insertContact(null);
    await tx.insertSignal(null);
    await tx.insertPseudonym(null);
    await tx.setPrefixes(1);
  });
  await tx.generation();
  await tx.logHead();
  await tx.appendLog(null);
  await tx.placementsToday(1);
  await tx.chargePlacement(1);
  await tx.bumpStatistic('signals');
  await tx.logHead();
  await tx.appendLog(null);
}

/** The announcer's old writer and its new one around `writerOf()`, each making a placement's calls. */
function outboxItem(name: string, writerOf: () => Writes): Item {
  let added = 0;
  return {
    name,
    n: 20_000,
    warm: 20_000,
    old: each(() =>
      placementCalls(proxyWriter(writerOf() as unknown as StoreWriter, () => added++) as unknown as Writes),
    ),
    new: each(() =>
      placementCalls(countingWriter(writerOf() as unknown as StoreWriter) as unknown as Writes),
    ),
  };
}

const writer = new Writes();
const outbox = outboxItem('outbox announcer: a placement’s writer and its 17 calls', () => writer);

// --- The engine's validation of the placement: the text rules remembered. ---

type Validation = typeof import('../../packages/engine/src/validation.js');
const oldValidation = await fromRoot<Validation>('packages/engine/dist/validation.js');
/** The bench's bodies: 4 organisations, a contact per 25 placements of one (bench/lib/population.ts). */
const bodies = pseudonyms(2_000).map(
  (p, n) => placementBody(p, n, n % 4, Math.floor(n / 4)) as unknown as PlaceSignalInput,
);
const now = Date.parse('2026-12-03T10:00:00Z');
const validation: Item | undefined =
  oldValidation === undefined
    ? undefined
    : {
        name: 'validatePlacement: the bench’s bodies in turn',
        n: 20_000,
        warm: 4_000,
        old: each((i) => oldValidation.validatePlacement(bodies[i % bodies.length]!, now)),
        new: each((i) => validatePlacement(bodies[i % bodies.length]!, now)),
      };

const outboxPerRun = outboxItem(
  'outbox announcer: the same with a writer object per run (as on PostgreSQL)',
  () => new Writes(),
);

// --- Authentication's parsing of Signature-Input and Signature: by hand, not by regular expressions. ---

type Signatures = typeof import('../../packages/engine/src/protocol/request-signature.js');
const oldSignatures = await fromRoot<Signatures>('packages/engine/dist/protocol/request-signature.js');
/** Header pairs as the bench's signer makes them (22-character key ids and nonces, base64url). */
const headers = Array.from({ length: 1_000 }, (_, i) => [
  `sluis=("@method" "@path" "@query" "content-digest");created=${1_764_760_000 + i};keyid="${randomBytes(16).toString('base64url')}";nonce="${randomBytes(16).toString('base64url')}";tag="sluis-request-v1"`,
  `sluis=:${randomBytes(64).toString('base64')}:`,
]) as [string, string][];
const signatures: Item | undefined =
  oldSignatures === undefined
    ? undefined
    : {
        name: 'parseRequestSignature: the bench’s headers in turn',
        n: 50_000,
        warm: 10_000,
        old: each((i) => oldSignatures.parseRequestSignature(...headers[i % headers.length]!)),
        new: each((i) => parseRequestSignature(...headers[i % headers.length]!)),
      };

// --- The placement's hot reads: rows as objects (what the store does) or as arrays (.raw()). ---

/** A store file with what a placement reads: its organisation, the epoch, a person's signal, the logbook head. */
async function hotReadsFile(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'sluis-items-')), 'sluis.db');
  const store = openSqliteStore({ path });
  await store.write(async (tx) => {
    const o = await org(tx, 1);
    if ((await tx.getEpoch(1)) === undefined)
      await tx.insertEpoch({
        epoch: 1,
        status: 'active',
        kind: 'hmac',
        publicKey: null,
        registeredAt: 1,
        retiredAt: null,
      });
    for (let n = 1; n <= 200; n++) {
      const rid = await tx.insertSignal(newSignal(o, n));
      await tx.insertPseudonyms([
        { stored: stored(n), signalRid: rid, epoch: 1, generation: 1, role: 'subject' },
      ]);
    }
    await tx.addToPlacementHour(o, 1, 1);
  });
  await store.close();
  return path;
}
const db = new Database(await hotReadsFile(), { readonly: true });
const SIGNAL_COLS =
  'rid, id, org, state, flags, (SELECT body FROM contacts WHERE contacts.rid = signals.contact AND contacts.org = signals.org) AS contact, informed, placed_at, expires_at, ended_at, purge_at, request_id, request_hash, person';
/** The reads of one placement that return a row, with their parameters; the person's signals one time in three. */
const HOT: readonly (readonly [string, (i: number) => unknown[], number])[] = [
  ['SELECT * FROM organisations WHERE id = ?', () => ['00000000-0000-4000-8000-0000000003e9'], 1],
  ['SELECT * FROM epochs WHERE epoch = ?', () => [1], 1],
  [
    `SELECT (SELECT coalesce(max(generation), 1) FROM secret_rotations) AS generation, l.seq, l.hash
        FROM (SELECT 1) AS one LEFT JOIN (SELECT seq, hash FROM logbook ORDER BY seq DESC LIMIT 1) AS l ON 1`,
    () => [],
    1,
  ],
  ['SELECT coalesce(sum(count), 0) AS n FROM placement_hours WHERE org = ? AND hour >= ?', () => [1, 0], 1],
  [
    `SELECT ${SIGNAL_COLS} FROM signals WHERE rid IN (SELECT signal FROM signal_pseudonyms WHERE stored = ? AND role = ?)`,
    (i) => [stored((i % 200) + 1), 0],
    3,
  ],
  ['SELECT * FROM organisations WHERE rid = ?', () => [1], 3],
];
const asObjects = HOT.map(([sql, args, every]) => [db.prepare(sql), args, every] as const);
const asArrays = HOT.map(([sql, args, every]) => [db.prepare(sql).raw(true), args, every] as const);
const hotReads: Item = {
  name: 'the placement’s hot reads that return a row: row objects (old) against .raw() arrays (new)',
  n: 20_000,
  warm: 5_000,
  old: each((i) => {
    for (const [st, args, every] of asObjects) if (i % every === 0) st.get(...args(i));
  }),
  new: each((i) => {
    for (const [st, args, every] of asArrays) if (i % every === 0) st.get(...args(i));
  }),
};

/** Each hot read alone (placement-items-ab.ts 9 'hot read'). */
const eachHotRead: Item[] = HOT.map(([sql], k) => {
  const [oldSt, args] = asObjects[k]!;
  const [newSt] = asArrays[k]!;
  return {
    name: `hot read ${k + 1}: ${sql.replace(/\s+/g, ' ').slice(0, 60)}`,
    n: 20_000,
    warm: 2_000,
    old: each((i) => oldSt.get(...args(i))),
    new: each((i) => newSt.get(...args(i))),
  };
});

// --- The batch path's conversions (docs/performance.md "Twenty-first pass: bulk"). ---

/** uuidToBytes before the twenty-first pass (ids.ts at main 07fd977; ids.test.ts holds the new one to it). */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const uuidToBytesBefore = (id: string) =>
  UUID_RE.test(id) ? Buffer.from(id.replaceAll('-', ''), 'hex') : undefined;
/** parseDate before the twenty-first pass (time.ts at main 07fd977; time.test.ts holds the new one to it). */
function parseDateBefore(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m === null) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}
const uuids = Array.from({ length: 1_000 }, () => randomUUID());
const conversions: Item[] = [
  {
    name: 'uuidToBytes: 1,000 fresh ids in turn (3 a signal on the batch path)',
    n: 20_000,
    warm: 5_000,
    old: each((i) => uuidToBytesBefore(uuids[i % 1_000]!)),
    new: each((i) => uuidToBytes(uuids[i % 1_000]!)),
  },
  {
    name: 'parseDate: the bulk case’s informed date (1 a signal)',
    n: 20_000,
    warm: 5_000,
    old: each(() => parseDateBefore('2026-01-05')),
    new: each(() => parseDate('2026-01-05')),
  },
];

export const items: readonly Item[] = [
  ...conversions,
  hotReads,
  ...eachHotRead,
  outbox,
  outboxPerRun,
  ...(validation === undefined ? [] : [validation]),
  ...(signatures === undefined ? [] : [signatures]),
];
