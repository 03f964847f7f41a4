// The durable floor of case 2 (bench/lib/durable-floor.ts, durable-floor-writer.ts; docs/performance.md
// "Twentieth pass: the durable floor"), on real processes and SQLite files: the floor server's
// child replays the i-th recorded placement for the i-th request, durably, and fails loudly when
// the database is not the state the recording started from or the recording runs out. The
// benchmark's figures are never asserted here (timing targets live in bench/ only).

import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordedFloor, recordDurableFloor } from '../bench/lib/durable-floor.js';
import { type FloorServer, startFloorServer } from '../bench/lib/floor-server.js';
import { runLoad } from '../bench/lib/http-load.js';
import { placementMix } from '../bench/lib/placement-mix.js';
import { pseudonyms } from '../bench/lib/population.js';
import { FastSigner, type PreparedRequest } from '../bench/lib/signed-requests.js';
import { caseSigningKey } from './support/case-keys.js';

/** The bench's own copy of better-sqlite3 (a dependency of bench/, not of test/). */
const Database = createRequire(new URL('../bench/package.json', import.meta.url))('better-sqlite3') as new (
  path: string,
  options: { readonly: boolean },
) => { prepare(sql: string): { get(): unknown }; close(): void };

const PLACEMENTS = 30;
const NODE_ARGS = ['--conditions=sluis-source', '--import', 'tsx'];
const keys = [1, 2].map((i) => caseSigningKey(new Uint8Array(32).fill(i)));
const publicKeys = new Map(keys.map((k) => [k.keyId, k.publicKey] as const));
const signers = keys.map((k) => new FastSigner(k));

function requests(count: number, from: number): PreparedRequest[] {
  const created = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) =>
    signers[i % signers.length]!.prepare('POST', '/v1/signals', { requestId: `r-${from + i}` }, created),
  );
}

function count(path: string, table: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function exited(server: FloorServer): Promise<number | null> {
  if (server.process.exitCode !== null) return Promise.resolve(server.process.exitCode);
  return new Promise((resolve) => server.process.once('exit', (code) => resolve(code)));
}

describe('the durable floor', () => {
  let recorded: RecordedFloor;
  let pristine: string;

  beforeAll(async () => {
    const mix = placementMix(pseudonyms(PLACEMENTS + 40));
    recorded = await recordDurableFloor(mix, PLACEMENTS, { group: 8, warm: 10, organisations: 4 });
    pristine = `${recorded.database}.pristine`;
    copyFileSync(recorded.database, pristine);
  }, 60_000);
  afterAll(() => recorded?.remove());

  it('records each placement with its statements by kind', () => {
    expect(recorded.operations.get('placement')).toBe(PLACEMENTS);
    expect(recorded.kinds.get('INSERT INTO signals')).toBe(1);
    expect(recorded.kinds.get('INSERT INTO signal_pseudonyms')).toBe(1);
    expect(recorded.kinds.get('INSERT INTO logbook')).toBeGreaterThanOrEqual(1);
    expect(recorded.kinds.get('INSERT OR IGNORE INTO nonces')).toBe(1);
  });

  it('replays one recorded placement a request and answers 201 once it is committed', async () => {
    const before = count(recorded.database, 'signals');
    const server = await startFloorServer(publicKeys, {
      durable: { recording: recorded.recording, database: recorded.database },
      nodeArgs: NODE_ARGS,
    });
    try {
      const result = await runLoad(server.url, requests(PLACEMENTS, 0), 8, 30);
      expect(result.statuses).toEqual({ 201: PLACEMENTS });
      // Committed before the answers: another connection sees every row now.
      expect(count(recorded.database, 'signals')).toBe(before + PLACEMENTS);
      expect(count(recorded.database, 'nonces')).toBeGreaterThanOrEqual(PLACEMENTS);

      // One request more than recorded: the process says so and stops.
      const extra = await runLoad(server.url, requests(1, PLACEMENTS), 1, 10);
      expect(extra.ok).toBe(0);
      expect(await exited(server)).toBe(1);
      expect(server.stderr()).toMatch(/durable floor: request 31 has no recorded placement \(30 recorded\)/);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('fails loudly on a database that is not the state the recording started from', async () => {
    // The copy after the replay above already holds the recorded signals.
    const server = await startFloorServer(publicKeys, {
      durable: { recording: recorded.recording, database: recorded.database },
      nodeArgs: NODE_ARGS,
    });
    try {
      const result = await runLoad(server.url, requests(4, 100), 4, 10);
      expect(result.ok).toBe(0);
      expect(await exited(server)).toBe(1);
      expect(server.stderr()).toMatch(/durable floor: placement 0, statement \d+ \(.+\) (failed|returned)/);
      expect(server.stderr()).toMatch(/is not the state the recording started from/);
    } finally {
      await server.stop();
    }
    // The pristine copy is that state: the same recording replays on it.
    const again = await startFloorServer(publicKeys, {
      durable: { recording: recorded.recording, database: pristine },
      nodeArgs: NODE_ARGS,
    });
    try {
      expect((await runLoad(again.url, requests(4, 200), 4, 10)).statuses).toEqual({ 201: 4 });
    } finally {
      await again.stop();
    }
  }, 60_000);
});
