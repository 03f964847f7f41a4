// The operator's recipe of docs/operations.md "High availability" (its paragraph on erasure
// and WAL archives), run as the document writes it, against what the data directory keeps of
// rows OUTSIDE a signal's own two tables (docs/leakage.md §3.7 "PostgreSQL"): a removed
// person's e-mail address (`people`), an erased signal's consent form reference
// (`signal_consents`), and the generation-1 stored pseudonym and request hash that a
// server-secret rotation re-keyed (docs/keys.md §4.2). Byte scan of every file of a
// throwaway cluster's data directory (full_page_writes = on), as pg-erasure-scan.test.ts:
//   1. after the engine's removal, erasure and completed rotation (each compact(): VACUUM)
//      and a CHECKPOINT: invisible to SQL, every value still in pg_wal/;
//   2. after the documented `VACUUM (FULL) …` line: in no table or index file (the re-keyed
//      values were in them before it);
//   3. after the documented pg_switch_wal() + CHECKPOINT with wal_recycle = off: nowhere.
// Hits are reported by label, never by value (leak-scan.ts).

import { readFileSync } from 'node:fs';
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
const admin: Actor = { kind: 'admin', keyId: 'admin-key' };
const SECRET_1 = Buffer.alloc(32, 0x33);
const SECRET_2 = Buffer.alloc(32, 0x44);

/** The paragraph on erasure and WAL archives of docs/operations.md "High availability". */
function erasureSection(): string {
  const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const start = doc.indexOf('**Erasure and WAL archives.**');
  return doc.slice(start, doc.indexOf('\n**', start + 10));
}

/** The `VACUUM (FULL) …;` statement of the recipe. */
function documentedVacuumFull(): string {
  const m = /VACUUM \(FULL\) [a-z_, \n]+;/.exec(erasureSection());
  if (m === null) throw new Error('no VACUUM (FULL) statement in operations.md "Erasure and WAL archives"');
  return m[0].replace(/\s+/g, ' ');
}

/** The backticked table names of the second column of the section's table of acts. */
function tablesTheActsChange(): Set<string> {
  const rows = erasureSection()
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| act |'));
  return new Set(
    rows.flatMap((l) => [...(l.split(' | ')[1] ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!)),
  );
}

describe('the recipe as documented', () => {
  it('rewrites every table the section says an act deletes from or overwrites', () => {
    const acts = tablesTheActsChange();
    expect(acts.size).toBeGreaterThan(10);
    const rewritten = new Set(documentedVacuumFull().slice('VACUUM (FULL) '.length, -1).split(/, ?/));
    expect([...acts].filter((t) => !rewritten.has(t)).sort()).toEqual([]);
  });
});

let cluster: PostgresCluster;
let engine: Engine;
let store: PostgresStore;
let serverSecrets: ServerSecrets | undefined;
const clock = () => Date.UTC(2026, 0, 15, 10);

const { subject, admit, place, scanDataDir } = dataDirScan('tables-scan', () => ({
  engine,
  admin,
  dataDir: cluster.dataDir,
}));

/** Opens the engine with `secrets`; the one opened before is closed by then (its secrets are zeroed here). */
async function open(secrets: [number, Buffer][]): Promise<void> {
  serverSecrets?.destroy();
  serverSecrets = new ServerSecrets(new Map(secrets));
  store = await openPostgresStore({ url: cluster.url, clock });
  engine = await createEngine({ store, serverSecrets, clock });
}

async function rowOf(signalId: string): Promise<{ stored: Buffer; request_hash: Buffer }> {
  const rows = (await store.unsafe(
    `SELECT sp.stored, s.request_hash FROM signal_pseudonyms sp JOIN signals s ON s.rid = sp.signal
     WHERE s.id = decode('${signalId.replaceAll('-', '')}', 'hex')`,
  )) as { stored: Buffer; request_hash: Buffer }[];
  return rows[0]!;
}

describe.skipIf(!available)(
  'the documented recipe reaches every table a deletion or a rotation changes',
  () => {
    beforeAll(async () => {
      cluster = await startPostgres(findPostgresBinaries()!, ['full_page_writes=on']);
      await open([[1, SECRET_1]]);
    });
    afterAll(async () => {
      await engine?.close();
      serverSecrets?.destroy();
      cluster?.stop();
    });

    it('a removed person’s e-mail, an erased consent’s form reference and re-keyed values leave every file', async () => {
      const [a, b] = [await admit('A'), await admit('B')];
      for (let i = 0; i < 40; i++) await place(i % 2 === 0 ? a : b, 1000 + i, `keep-${i}@example.nl`);
      const erased = await place(a, 1, 'keep-erased@example.nl');
      await place(b, 1, 'keep-erased-b@example.nl');
      await engine.recordConsent(a, erased.signal.id, {
        date: '2026-01-14',
        scopes: ['share_with_matched'],
        formReference: 'form-ref-marker-7Q',
      });
      const rekeyed = await place(a, 2, 'keep-rekeyed@example.nl');
      const leaver = await engine.addPerson(admin, {
        organisationId: a.organisationId,
        displayName: 'Scan Person',
        email: 'removed-marker@example.nl',
        roles: ['professional'],
      });
      for (let i = 40; i < 80; i++) await place(i % 2 === 0 ? a : b, 1000 + i, `keep-${i}@example.nl`);
      const old = await rowOf(rekeyed.signal.id);
      const needles: Needle[] = [
        textNeedle('removed person e-mail', 'removed-marker@example.nl'),
        textNeedle('erased consent form reference', 'form-ref-marker-7Q'),
        ...bytesNeedles(old.stored, 'generation-1 stored pseudonym'),
        ...bytesNeedles(old.request_hash, 'generation-1 request hash'),
      ];
      await store.unsafe('CHECKPOINT');
      for (const n of needles.filter((x) => isRawLabel(x.label))) {
        expect(scanDataDir([n]).length, n.label).toBeGreaterThan(0);
      }

      // 1. The engine's acts, each ending in compact() (a removal in none), then a rotation to
      // generation 2 that completes (its compact() too).
      await engine.removePerson(admin, leaver.id);
      await engine.gdprErase(admin, subject(1));
      await engine.close();
      await open([
        [1, SECRET_1],
        [2, SECRET_2],
      ]);
      while (!(await engine.rekeyBatch()).done) {
        // drain
      }
      expect((await rowOf(rekeyed.signal.id)).stored.equals(old.stored)).toBe(false);
      await store.unsafe('CHECKPOINT');
      const [visible] = (await store.unsafe(
        `SELECT (SELECT count(*) FROM people WHERE email IS NOT NULL AND email LIKE 'removed-marker%')
            + (SELECT count(*) FROM signal_consents) AS n`,
      )) as { n: string }[];
      expect(Number(visible?.n)).toBe(0);
      const afterCompact = scanDataDir(needles);
      for (const n of needles.filter((x) => isRawLabel(x.label))) {
        expect(
          afterCompact.some((h) => h.needle === n.label && inWal(h)),
          n.label,
        ).toBe(true);
      }

      // Before the rewrite the re-keyed values still sit in their tables' files (the page free
      // space VACUUM left): step 2 has something to remove, and the test fails if it removes nothing.
      const inTables = new Set(afterCompact.filter((h) => !inWal(h)).map((h) => h.needle));
      for (const label of ['generation-1 stored pseudonym', 'generation-1 request hash']) {
        expect(inTables.has(`${label} (raw bytes)`), label).toBe(true);
      }
      // 2. The documented rewrite: no table or index file holds any of them afterwards.
      await store.unsafe(documentedVacuumFull());
      await store.unsafe('CHECKPOINT');
      expect(summary(scanDataDir(needles).filter((h) => !inWal(h)))).toEqual([]);

      // 3. The documented WAL steps with wal_recycle = off.
      await store.unsafe('ALTER SYSTEM SET wal_recycle = off');
      // In force once a new connection shows it: the postmaster signalled the checkpointer first.
      await reloadConfiguration(cluster.url, () => psqlValue(cluster.url, 'SHOW wal_recycle') === 'off');
      for (let i = 0; i < 2; i++) {
        await store.unsafe('SELECT pg_switch_wal()');
        await store.unsafe('CHECKPOINT');
      }
      expect(summary(scanDataDir(needles))).toEqual([]);
    }, 180_000);
  },
);
