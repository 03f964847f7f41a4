// What an erased or purged row leaves in a PostgreSQL data directory (docs/leakage.md §3.7
// "PostgreSQL"), measured by a byte scan of every file of a throwaway cluster's data
// directory (base/, global/, pg_wal/, pg_xact/, …) for the erased person's stored pseudonym
// (raw bytes, hex, base64) and contact details (the JSON text of the signal row), in four
// states the docs describe:
//   1. after the engine's erasure and purge (their compact(): VACUUM of every table) and a
//      CHECKPOINT: invisible to SQL; bytes may stay only in the free space of the pages of
//      the tables that held them, and in the WAL;
//   2. after the operator's `VACUUM (FULL)` of those tables: in no table file, only the WAL;
//   3. after pg_switch_wal() + CHECKPOINT with PostgreSQL's default wal_recycle = on: only in
//      a recycled segment waiting for reuse (a file name past the current segment);
//   4. the same with wal_recycle = off: nowhere in the data directory.
// Production-like WAL (full_page_writes = on) on its own cluster; hits are reported by
// label, never by value (leak-scan.ts). Skipped with the reason printed without binaries.

import type { Actor, Engine, PostgresStore } from '@sluis/engine';
import { createEngine, ServerSecrets } from '@sluis/engine';
import { openPostgresStore } from '@sluis/engine/postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bytesNeedles, type Needle, textNeedle } from '../support/leak-scan.js';
import { dataDirScan, inWal, isRawLabel, summary } from '../support/pg-data-dir-scan.js';
import {
  findPostgresBinaries,
  type PostgresCluster,
  psqlValue,
  reloadConfiguration,
  startPostgres,
} from '../support/postgres.js';

const available = inject('postgresUrl') !== '';
const DAY = 86_400_000;
const admin: Actor = { kind: 'admin', keyId: 'admin-key' };
/** The tables that hold a signal's contact and stored pseudonyms (with their indexes). */
const HOLDERS = ['signals', 'signal_pseudonyms'];

let cluster: PostgresCluster;
let store: PostgresStore;
let engine: Engine;
let serverSecrets: ServerSecrets | undefined;
let now = Date.UTC(2026, 0, 15, 10);

const { subject, admit, place, scanDataDir } = dataDirScan('erasure-scan', () => ({
  engine,
  admin,
  dataDir: cluster.dataDir,
}));

async function storedOf(signalId: string): Promise<Buffer> {
  const rows = (await store.unsafe(
    `SELECT sp.stored FROM signal_pseudonyms sp JOIN signals s ON s.rid = sp.signal
     WHERE s.id = decode('${signalId.replaceAll('-', '')}', 'hex')`,
  )) as { stored: Buffer }[];
  return rows[0]!.stored;
}

/** The data directory's files of HOLDERS, their indexes and TOAST (base/<db>/<relfilenode>…). */
async function holderFiles(): Promise<(label: string) => boolean> {
  const rows = (await store.unsafe(
    `SELECT d.oid::text AS db, c.relfilenode::text AS f FROM pg_class c, pg_database d
     WHERE d.datname = current_database() AND c.relfilenode <> 0 AND (
       c.oid IN (SELECT to_regclass(t) FROM unnest(ARRAY['${HOLDERS.join("','")}']) t)
       OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT to_regclass(t) FROM unnest(ARRAY['${HOLDERS.join("','")}']) t))
       OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relname = ANY(ARRAY['${HOLDERS.join("','")}'])))`,
  )) as { db: string; f: string }[];
  const files = new Set(rows.map((r) => `base/${r.db}/${r.f}`));
  // A relation's main fork and its 1 GB segments; the free space and visibility maps hold no row data.
  return (label) => files.has(label.replace(/\.\d+$/, ''));
}

describe.skipIf(!available)('erasure and purge on PostgreSQL: what the data directory keeps', () => {
  beforeAll(async () => {
    cluster = await startPostgres(findPostgresBinaries()!, ['full_page_writes=on']);
    const clock = () => now;
    store = await openPostgresStore({ url: cluster.url, clock });
    serverSecrets = new ServerSecrets(new Map([[1, Buffer.alloc(32, 0x33)]]));
    engine = await createEngine({
      store,
      serverSecrets,
      clock,
      config: { archiveTermDays: 1 },
    });
  });
  afterAll(async () => {
    await engine?.close();
    serverSecrets?.destroy();
    cluster?.stop();
  });

  it('the bytes leave the tables after VACUUM FULL and the WAL after the segments go', async () => {
    const [a, b] = [await admit('A'), await admit('B')];
    // Rows before and after the ones deleted, so they sit among live rows in shared pages.
    for (let i = 0; i < 50; i++) await place(i % 2 === 0 ? a : b, 1000 + i, `keep-${i}@example.nl`);
    const erased = await place(a, 1, 'erase-marker-a@example.nl');
    await place(b, 1, 'erase-marker-b@example.nl');
    const purged = await place(a, 2, 'purge-marker@example.nl');
    for (let i = 50; i < 100; i++) await place(i % 2 === 0 ? a : b, 1000 + i, `keep-${i}@example.nl`);
    const needles: Needle[] = [
      ...bytesNeedles(await storedOf(erased.signal.id), 'erased person stored pseudonym'),
      ...bytesNeedles(await storedOf(purged.signal.id), 'purged person stored pseudonym'),
      textNeedle('erased contact (A)', 'erase-marker-a@example.nl'),
      textNeedle('erased contact (B)', 'erase-marker-b@example.nl'),
      textNeedle('purged contact', 'purge-marker@example.nl'),
    ];
    await store.unsafe('CHECKPOINT');
    const before = scanDataDir(needles);
    const isHolder = await holderFiles();
    // Sanity: the scan finds every value, in its table's files and in the WAL; only as raw
    // bytes (bytea) and text (the contact's JSON): no other encoding is ever written.
    for (const n of needles.filter((x) => isRawLabel(x.label))) {
      expect(
        before.some((h) => h.needle === n.label && isHolder(h.haystack)),
        n.label,
      ).toBe(true);
      expect(
        before.some((h) => h.needle === n.label && inWal(h)),
        n.label,
      ).toBe(true);
    }
    expect(before.every((h) => isRawLabel(h.needle))).toBe(true);

    // 1. Erasure (art. 17) and purge (retention), each ending in the store's compact().
    await engine.gdprErase(admin, subject(1));
    await engine.withdrawSignal(a, purged.signal.id, 'ended');
    now += 3 * DAY;
    expect((await engine.runRetention(admin)).purgedSignals).toBe(1);
    await store.unsafe('CHECKPOINT');
    const [visible] = (await store.unsafe(
      `SELECT count(*)::int AS n FROM signals WHERE contact LIKE '%marker%'`,
    )) as { n: number }[];
    expect(visible?.n).toBe(0);
    const afterCompact = scanDataDir(needles);
    expect(summary(afterCompact.filter((h) => !inWal(h) && !isHolder(h.haystack)))).toEqual([]);
    expect(afterCompact.some(inWal)).toBe(true);

    // 2. The operator's step (docs/operations.md "High availability"): the tables are
    // rewritten into new files and the old ones unlinked.
    await store.unsafe(`VACUUM (FULL) ${HOLDERS.join(', ')}`);
    await store.unsafe('CHECKPOINT');
    const afterFull = scanDataDir(needles);
    expect(summary(afterFull.filter((h) => !inWal(h)))).toEqual([]);
    expect(afterFull.some(inWal)).toBe(true);

    // 3. The segments that held them are retired; with wal_recycle = on (the default) they
    // are renamed for reuse and keep their bytes until PostgreSQL writes into them again.
    await store.unsafe('SELECT pg_switch_wal()');
    await store.unsafe('CHECKPOINT');
    const [current] = (await store.unsafe('SELECT pg_walfile_name(pg_current_wal_lsn()) AS name')) as {
      name: string;
    }[];
    const recycled = scanDataDir(needles);
    expect(recycled.every(inWal)).toBe(true);
    for (const h of recycled) expect(h.haystack.slice('pg_wal/'.length) > current!.name).toBe(true);

    // 4. With wal_recycle = off a retired segment is removed at the checkpoint.
    await store.unsafe('ALTER SYSTEM SET wal_recycle = off');
    // In force once a new connection shows it: the postmaster signalled the checkpointer first.
    await reloadConfiguration(cluster.url, () => psqlValue(cluster.url, 'SHOW wal_recycle') === 'off');
    await store.unsafe('SELECT pg_switch_wal()');
    await store.unsafe('CHECKPOINT');
    await store.unsafe('SELECT pg_switch_wal()');
    await store.unsafe('CHECKPOINT');
    expect(summary(scanDataDir(needles))).toEqual([]);
  }, 120_000);
});
