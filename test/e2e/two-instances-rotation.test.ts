// A server-secret rotation started through one instance is taken up by the others while
// they serve, without a restart (docs/keys.md §4.2 "Several instances"): placements go
// through every instance during the rotation, each finds exactly the matches it should —
// none lost, none doubled — the rotation completes with no stored value left at the old
// generation, and an instance whose keys directory lacks the new key file refuses with 503
// `unavailable` (a log line naming the file, never a key) and is not ready, while it answers
// the rotation's progress, until the file is there, then serves again. Three real server processes on one PostgreSQL; skipped with the reason
// printed when the PostgreSQL binaries are missing.

import { randomUUID } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSluisError, type SluisClient } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, type Org, type World } from '../support/e2e-world.js';
import { psqlValue } from '../support/postgres.js';
import { runCli, SERVER_CLI, type ServerProcess, startServer, tempDir } from '../support/server-process.js';
import { clientVia, startTwoInstances, stopTwoInstances } from '../support/two-instances.js';

const url = inject('postgresUrl');
const name = `sluis_rotation_${process.pid}`;
let w: World;
/** Shares A's data directory (keys included): the shared volume of docs/operations.md. */
let b: ServerProcess;
/** Its own copy of the keys, made before the rotation: the new key file arrives late. */
let c: ServerProcess;
let db: string;
let people: string[];

/** Small batches with a pause, so placements run while the rotation is under way. */
const REKEY_ENV = { SLUIS_REKEY_BATCH_SIZE: '5', SLUIS_REKEY_PAUSE_MS: '100' };

interface Rotation {
  readonly generation: number;
  readonly rotation: { status: string; signalsTotal: number; rowsRekeyed: number } | null;
}

const via = (server: ServerProcess, o: Org, retries?: number): SluisClient =>
  clientVia(w, server, o, { timeoutMs: 30_000, ...(retries === undefined ? {} : { retries }) });

const activeMatches = async () =>
  (await w.adminJson<{ matches: { active: number } }>(['statistics'])).matches.active;

describe.skipIf(url === '')('a server-secret rotation across instances, without a restart', () => {
  beforeAll(async () => {
    const started = await startTwoInstances(url, name, { env: REKEY_ENV });
    ({ w, b, db } = started);
    const own = tempDir();
    cpSync(w.server.dataDir, own, { recursive: true });
    c = await startServer({ ...started.options, dataDir: own });
  }, 120_000);

  afterAll(async () => stopTwoInstances(url, name, w, c, b));

  it('placements through both instances during a rotation started on one find every match once; the other takes up the new generation', async () => {
    const [o1, o2, o3] = [
      await w.organisation('Rot 1'),
      await w.organisation('Rot 2'),
      await w.organisation('Rot 3'),
    ];
    people = Array.from({ length: 30 }, () => w.bsn());
    const one = (server: ServerProcess, o: Org, bsn: string) =>
      via(server, o).placeSignal({ bsn, contact: w.contact(), informed: { status: 'not_yet' } });
    await via(w.server, o1).placeSignals(
      people.map((bsn) => ({ bsn, contact: w.contact(), informed: { status: 'not_yet' as const } })),
    );
    const pidB = b.process.pid;

    // o2 through B and o3 through A, one placement at a time for the same people, while
    // the rotation starts on A after the first few.
    const load = (server: ServerProcess, o: Org) =>
      (async () => {
        const outcomes: string[] = [];
        for (const bsn of people.slice(0, 20)) outcomes.push((await one(server, o, bsn)).outcome);
        return outcomes;
      })();
    const loads = [load(b, o2), load(w.server, o3)];
    await new Promise((r) => setTimeout(r, 300));
    const started = await w.adminJson<Rotation>(['rotate-server-secret']);
    expect(started.generation).toBe(2);
    expect(started.rotation?.status).toBe('running');
    for (const outcomes of await Promise.all(loads)) expect(outcomes).toEqual(Array(20).fill('created'));
    // One more through B after the rotation began, for certain: B derives at generation 2.
    expect((await one(b, o2, people[25]!)).outcome).toBe('created');

    // Same process, new generation: B took the key file up from the shared directory.
    expect(b.process.pid).toBe(pidB);
    await eventually(
      async () => (b.output().includes('server_secret_generation_loaded') ? true : undefined),
      10_000,
      'B loading generation 2',
    );
    // Each of the 20 people: o1, o2, o3 pairwise (3 matches), and o1 with o2 for one more;
    // none lost, none doubled.
    expect(await activeMatches()).toBe(20 * 3 + 1);
  }, 180_000);

  it('an instance without the new key file refuses with 503 and a log line, then serves once the file is there', async () => {
    const o4 = await w.organisation('Rot 4');
    const secret = readFileSync(join(w.server.dataDir, 'keys', 'server-secret-2.key'), 'utf8').trim();
    const bsn = w.bsn();
    await via(w.server, await w.organisation('Rot 5')).placeSignal({
      bsn,
      contact: w.contact(),
      informed: { status: 'not_yet' },
    });
    const before = await activeMatches();
    const requestId = randomUUID();
    const place = () =>
      via(c, o4, 0).placeSignal({ bsn, contact: w.contact(), informed: { status: 'not_yet' }, requestId });
    const refused = await place().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSluisError(refused) && refused.details.status).toBe(503);
    expect(isSluisError(refused) && refused.details.problemCode).toBe('unavailable');
    expect(c.output()).toContain('server_secret_generation_missing');
    expect(c.output()).toContain('server-secret-2.key');
    expect(c.output()).not.toContain(secret);
    // Nothing was written by the refused request.
    expect(await activeMatches()).toBe(before);
    // Out of the load balancer while it refuses every placement (docs/operations.md "Monitor"),
    // logged once with the reason; the rotation's progress, which derives nothing, is served.
    expect((await fetch(`${c.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${c.url}/readyz`)).status).toBe(503);
    const notReady = c
      .output()
      .split('\n')
      .filter((l) => l.includes('"not_ready"'));
    expect(notReady).toHaveLength(1);
    expect(notReady[0]).toContain('"reason":"server_secret"');
    expect(notReady[0]).toContain('"code":"secret_generation_missing"');
    const progress = await runCli(SERVER_CLI, [
      'admin',
      'server-secret',
      '--json',
      '--server',
      c.url,
      '--admin-key-file',
      c.adminKeyFile,
    ]);
    expect(progress.code, progress.stderr).toBe(0);
    expect((JSON.parse(progress.stdout) as Rotation).generation).toBe(2);

    // The file arrives (the secret mount catches up): C serves again, no restart.
    writeFileSync(join(c.dataDir, 'keys', 'server-secret-2.key'), `${secret}\n`, { mode: 0o600 });
    const placed = await eventually(
      () =>
        place().then(
          (r) => r,
          () => undefined,
        ),
      10_000,
      'C serving at generation 2',
    );
    expect(placed.outcome).toBe('created');
    expect(await activeMatches()).toBe(before + 1);
    expect(c.output()).toContain('server_secret_generation_loaded');
    expect((await fetch(`${c.url}/readyz`)).status).toBe(200);
    expect(c.output()).not.toContain(secret);
  }, 120_000);

  it('the rotation completes once: every stored value at the new generation, every match found again', async () => {
    const done = await eventually(
      async () => {
        const s = await w.adminJson<Rotation>(['server-secret']);
        return s.rotation?.status === 'completed' ? s : undefined;
      },
      60_000,
      'the rotation',
    );
    expect(done.generation).toBe(2);
    // No value was left at generation 1: none written by an instance that had not taken
    // up generation 2 after the rotation began (it would never have been re-keyed).
    expect(psqlValue(db, 'SELECT count(*) FROM signal_pseudonyms WHERE generation < 2')).toBe('0');
    expect(Number(psqlValue(db, 'SELECT count(*) FROM signal_pseudonyms'))).toBeGreaterThan(0);
    // A new organisation finds the people through every instance: o1, o2 and o3 each.
    const o6 = await w.organisation('Rot 6');
    const before = await activeMatches();
    const servers = [w.server, b, c];
    const placed = await Promise.all(
      people.slice(0, 9).map((bsn, i) =>
        via(servers[i % 3]!, o6).placeSignal({
          bsn,
          contact: w.contact(),
          informed: { status: 'not_yet' },
        }),
      ),
    );
    expect(placed.map((p) => p.outcome)).toEqual(Array(9).fill('created'));
    expect(await activeMatches()).toBe(before + 9 * 3);
    const verify = await w.adminJson<{ ok: boolean }>(['logbook-verify']);
    expect(verify.ok).toBe(true);
  }, 120_000);
});
