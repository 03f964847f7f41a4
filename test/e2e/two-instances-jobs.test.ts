// Two real server processes on one PostgreSQL run the background jobs once between them
// (docs/engine.md "Storage contract", clause 5): both run the secret-rotation job and the
// retention job at once, and each signal is re-keyed once, expired once and purged once —
// the counts in the rotation record and in the logbook say so, and every match is still
// found afterwards. The waits are on conditions read from the database with psql (a
// process that starts in milliseconds, unlike the admin CLI), never on fixed time; the
// final counts come from the admin CLI's logbook export. Skipped with the reason printed
// when the PostgreSQL binaries are missing.

import type { SluisClient } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, type Org, type World } from '../support/e2e-world.js';
import { psqlValue } from '../support/postgres.js';
import { runCli, SERVER_CLI, type ServerProcess } from '../support/server-process.js';
import { clientVia, startTwoInstances, stopTwoInstances } from '../support/two-instances.js';

const url = inject('postgresUrl');
const name = `sluis_jobs_${process.pid}`;
let w: World;
let b: ServerProcess;
let db: string;

/**
 * Small batches with a pause, and idle instances looking for work every 200 ms instead of
 * 5 s, so both instances' rotation jobs are at work together.
 */
const REKEY_ENV = {
  SLUIS_REKEY_BATCH_SIZE: '3',
  SLUIS_REKEY_PAUSE_MS: '150',
  SLUIS_REKEY_INTERVAL_MS: '200',
};
const ARGS = ['--test-clock', '--retention-interval', '1'];

interface LogEntry {
  readonly at: string;
  readonly action: string;
  readonly refs: Record<string, string>;
  readonly details: Record<string, number | string>;
}

interface Rotation {
  readonly generation: number;
  readonly rotation: { status: string; signalsTotal: number; rowsRekeyed: number } | null;
}

const via = (server: ServerProcess, o: Org): SluisClient => clientVia(w, server, o, { timeoutMs: 30_000 });

async function logbook(): Promise<LogEntry[]> {
  const out = (await w.admin(['logbook-export'])).stdout;
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as LogEntry);
}

/** Both instances' test clocks forward by `days` (each process keeps its own offset). */
async function advanceBoth(days: number): Promise<void> {
  await w.advanceClock(days);
  const r = await runCli(SERVER_CLI, [
    'admin',
    'test-clock',
    '--advance-days',
    String(days),
    '--server',
    b.url,
    '--admin-key-file',
    b.adminKeyFile,
    '--json',
  ]);
  expect(r.code, r.stderr).toBe(0);
}

/** Logbook entries with `action` (a condition to wait on; the assertions read the export). */
const entries = (action: string) =>
  Number(psqlValue(db, `SELECT count(*) FROM logbook WHERE action = '${action}'`));

/** Waits until both instances' retention jobs have run `rounds` more times (each run is logged). */
async function moreRetentionRounds(rounds: number): Promise<void> {
  const from = entries('retention.run');
  await eventually(
    async () => (entries('retention.run') >= from + rounds ? true : undefined),
    30_000,
    'rounds',
  );
}

const activeMatches = async () =>
  (await w.adminJson<{ matches: { active: number } }>(['statistics'])).matches.active;

describe.skipIf(url === '')('two server processes on one PostgreSQL: jobs run once', () => {
  beforeAll(async () => {
    ({ w, b, db } = await startTwoInstances(url, name, { args: ARGS, env: REKEY_ENV }));
  }, 240_000);

  afterAll(async () => stopTwoInstances(url, name, w, b));

  const people: string[] = [];
  let orgA: Org;
  let orgB: Org;
  let orgC: Org;

  it('a secret rotation run by both instances re-keys each signal once; every match is found after it', async () => {
    [orgA, orgB, orgC] = [
      await w.organisation('Jobs A'),
      await w.organisation('Jobs B'),
      await w.organisation('Jobs C'),
    ];
    for (let i = 0; i < 30; i++) people.push(w.bsn());
    const place = (server: ServerProcess, o: Org, list: readonly string[]) =>
      via(server, o).placeSignals(
        list.map((bsn) => ({ bsn, contact: w.contact(), informed: { status: 'not_yet' as const } })),
      );
    await place(w.server, orgA, people);
    await place(b, orgB, people.slice(0, 15));
    expect(await activeMatches()).toBe(15);

    const started = await w.adminJson<Rotation>(['rotate-server-secret']);
    expect(started.rotation).toMatchObject({ status: 'running', signalsTotal: 45 });
    // The second instance takes the new generation up from the shared keys directory by
    // itself, without a restart (docs/keys.md §4.2 "Several instances"), and runs the job too.
    await eventually(
      async () =>
        psqlValue(db, 'SELECT count(*) FROM secret_rotations WHERE completed_at IS NOT NULL') === '1'
          ? true
          : undefined,
      60_000,
      'the rotation',
    );
    const done = await w.adminJson<Rotation>(['server-secret']);
    expect(done.rotation?.status).toBe('completed');
    // Both instances ran re-keying batches (each logs its first), one at a time.
    expect(w.server.output()).toContain('server_secret_rekeying');
    expect(b.output()).toContain('server_secret_rekeying');
    // 45 signals, one subject value each: each re-keyed exactly once (a second re-keying
    // would count twice and leave a value no placement can find).
    expect(done.rotation?.rowsRekeyed).toBe(45);
    const log = await logbook();
    expect(log.filter((e) => e.action === 'server_secret.rotation_started')).toHaveLength(1);
    expect(log.filter((e) => e.action === 'server_secret.rotation_completed')).toHaveLength(1);
    // Every stored value is found again: C signals 10 people through either instance —
    // 5 signalled by A and B (2 matches each), 5 by A alone (1 match each).
    const again = [...people.slice(10, 15), ...people.slice(15, 20)];
    await Promise.all(again.map((bsn, i) => place(i % 2 === 0 ? w.server : b, orgC, [bsn])));
    expect(await activeMatches()).toBe(15 + 5 * 2 + 5);
  }, 240_000);

  it('retention run by both instances expires and purges each signal once', async () => {
    const signals = 45 + 10;
    await advanceBoth(731);
    const expired = () =>
      logbook().then((log) => log.filter((e) => e.action === 'signal.expired').map((e) => e.refs.signalId));
    await eventually(async () => (entries('signal.expired') >= signals ? true : undefined), 30_000, 'expiry');
    // Both instances run retention every second: a few more rounds change nothing.
    await moreRetentionRounds(3);
    const ids = await expired();
    expect(ids).toHaveLength(signals);
    expect(new Set(ids).size).toBe(signals);
    expect(await activeMatches()).toBe(0);

    await advanceBoth(1827);
    const runs = async () => {
      const log = await logbook();
      const purgeRuns = log.filter(
        (e) => e.action === 'retention.run' && Number(e.details.purgedSignals) > 0,
      );
      return { log, purged: purgeRuns.reduce((n, e) => n + Number(e.details.purgedSignals), 0) };
    };
    const purgedSoFar = () =>
      Number(
        psqlValue(
          db,
          `SELECT coalesce(sum((details::json->>'purgedSignals')::int), 0) FROM logbook WHERE action = 'retention.run'`,
        ),
      );
    await eventually(async () => (purgedSoFar() >= signals ? true : undefined), 30_000, 'purge');
    await moreRetentionRounds(3);
    const { log, purged } = await runs();
    // Purged once: the runs' counts add up to the signals, and each match was removed once.
    expect(purged).toBe(signals);
    const removed = log.filter((e) => e.action === 'match.removed').map((e) => e.refs.matchId);
    expect(removed).toHaveLength(15 + 5 * 2 + 5);
    expect(new Set(removed).size).toBe(removed.length);
    // The report itself on failure (the first bad seq), not only the exit code.
    const verify = await w.admin(['logbook-verify', '--json']);
    expect(JSON.parse(verify.stdout || '{}')).toMatchObject({ ok: true });
  }, 240_000);
});
