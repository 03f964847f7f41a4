// SIGTERM — what cron's `timeout`, systemd's stop, `docker stop` and `kill` send — and SIGINT to
// the built `sluis` CLI against a real match server process (docs/sdk.md "Signals"): an import
// stops in order on the first one, the batch in flight answered and recorded in the state file,
// one line on stderr, exit 143, and its rerun places every row exactly once; a second signal ends
// it at once, exit 130 for a SIGINT, and the rerun still places no row twice; `matches --watch`
// stops after its poll, exit 0. Before an import is signalled the server is held still (SIGSTOP)
// and the test waits until the CLI waits on it: every batch answered is in the state file and on
// stderr (the next batch is released right after its progress line, csv-job.ts) and stderr has
// been quiet for QUIET_MS since. A signal that came between batches — during the state file's
// datasync — would find no batch in flight and end the import on its own. The server stays held
// until the stop has been said; for the second signal, until the CLI has exited — it cannot have
// waited for that batch.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World } from '../support/e2e-world.js';
import { ORG_CLI } from '../support/server-process.js';

const ROWS = 1000;
const BATCH = 20;
/** Each case: a few CLI processes and at most ROWS placements on a loaded 2-core machine. */
const CASE_MS = 120_000;
/** A plain progress line (stderr is no terminal) after at least one batch. */
const AFTER_A_BATCH = /^import \[[#-]+\] [1-9][0-9]*\/[0-9]+ rows/m;
/** How long stderr stays quiet, the server held, before the CLI is taken to wait on it. */
const QUIET_MS = 1000;
const stopping = (signal: string, what: string) =>
  `${signal} received: stopping after the current ${what} (a second Ctrl-C or SIGTERM quits at once)`;

const world = new World();
beforeAll(() => world.start(), 60_000);
afterAll(async () => {
  // A case that failed while the server was held still must not leave it stopped for the kill.
  world.server?.process.kill('SIGCONT');
  await world.close();
});

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  /** Resolves once the stream's text so far passes `check`; rejects when the process ends first. */
  waitFor(stream: 'stdout' | 'stderr', check: (text: string) => boolean): Promise<void>;
}

/** `sluis <args>` as `org`, as a process of its own whose stdout and stderr are pipes. */
function spawnCli(org: Org, args: readonly string[]): Running {
  const child = spawn(process.execPath, [ORG_CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      SLUIS_SERVER_URL: world.server.url,
      SLUIS_SIGNING_KEY_FILE: org.keyFile,
      SLUIS_PSEUDONYM_KEY_FILE: world.pseudonymKeyFile,
      SLUIS_PSEUDONYM_KEY_EPOCH: '1',
    },
  });
  const text = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    text.stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    text.stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exited,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    waitFor: (stream, check) =>
      new Promise<void>((resolve, reject) => {
        const look = () => {
          if (!check(text[stream])) return;
          child[stream].off('data', look);
          resolve();
        };
        // After the listener that collects the text, so `look` sees the chunk.
        child[stream].on('data', look);
        look();
        void exited.then((e) =>
          reject(
            new Error(`sluis ended (${JSON.stringify(e)}) before its ${stream} said so:\n${text.stderr}`),
          ),
        );
      }),
  };
}

/** The process's exit, or a failure after `ms` (the process is then killed). */
function exitWithin(run: Running, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    run.exited,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        run.child.kill('SIGKILL');
        reject(new Error(`sluis did not exit within ${ms} ms:\n${run.stderr()}`));
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A CSV of `ROWS` people, each once (distinct BSNs), for `sluis import`. */
function caseload(name: string): { csv: string; bsns: string[] } {
  const bsns = new Set<string>();
  while (bsns.size < ROWS) bsns.add(world.bsn());
  const csv = join(world.work, name);
  writeFileSync(
    csv,
    `bsn,name,role,email,informed_status\n${[...bsns].map((b) => `${b},A. Prof,jeugdconsulent,a@zorg.example.nl,not_yet\n`).join('')}`,
    { mode: 0o600 },
  );
  return { csv, bsns: [...bsns] };
}

/** The rows the state file records (its first line names the job). */
function recorded(csv: string): { line: number; outcome: string; signalId?: string }[] {
  return readFileSync(`${csv}.import-state`, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

/** The ids of the organisation's active signals, as the server lists them. */
async function placedOnServer(org: Org): Promise<string[]> {
  const ids: string[] = [];
  for await (const s of org.client.iterateSignals({ status: 'active', limit: 500 })) ids.push(s.id);
  return ids;
}

/** The signal ids of the results file's rows, every row `created` or `replayed`. */
function resultIds(csv: string): string[] {
  const rows = readFileSync(`${csv}.results.csv`, 'utf8').trim().split(/\r?\n/).slice(1);
  expect(rows).toHaveLength(ROWS);
  for (const r of rows) expect(r).toMatch(/^[0-9]+,[0-9a-f-]{36},(created|replayed),,$/);
  return rows.map((r) => r.split(',')[1]!);
}

/** Holds the server still (SIGSTOP) while `during` runs, and lets it go on after (SIGCONT). */
async function serverHeld<T>(during: () => Promise<T>): Promise<T> {
  world.server.process.kill('SIGSTOP');
  try {
    return await during();
  } finally {
    world.server.process.kill('SIGCONT');
  }
}

/** The rows the state file records so far, a line still being written left out. */
function recordedSoFar(csv: string): number {
  const text = readFileSync(`${csv}.import-state`, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').length - 2;
}

/**
 * With the server held: resolves once the import waits on a batch the server has not answered —
 * the rows of its last progress line are all in the state file (that batch's datasync is done and
 * the next batch released) and stderr has said nothing for QUIET_MS.
 */
async function waitingOnHeldServer(run: Running, csv: string): Promise<void> {
  let seen = run.stderr().length;
  let since = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    if (run.child.exitCode !== null || run.child.signalCode !== null)
      throw new Error(`sluis ended before it waited on the held server:\n${run.stderr()}`);
    if (run.stderr().length !== seen) {
      seen = run.stderr().length;
      since = Date.now();
      continue;
    }
    if (Date.now() - since < QUIET_MS) continue;
    const progress = [...run.stderr().matchAll(/^import \[[#-]+\] ([0-9]+)\/[0-9]+ rows/gm)].at(-1);
    if (progress !== undefined && recordedSoFar(csv) === Number(progress[1])) return;
  }
}

describe('sluis import stopped by a signal (real processes)', () => {
  it(
    'SIGTERM: the batch in flight is recorded, one line, exit 143; the rerun places every row once',
    async () => {
      const org = await world.organisation('Jeugdzorg Rijnmond', 'youth_care', ['--budget', '10000']);
      const { csv, bsns } = caseload('term.csv');
      const run = spawnCli(org, ['import', csv, '--batch-size', String(BATCH)]);
      await run.waitFor('stderr', (t) => AFTER_A_BATCH.test(t));
      await serverHeld(async () => {
        await waitingOnHeldServer(run, csv);
        run.child.kill('SIGTERM');
        await run.waitFor('stderr', (t) => t.includes(stopping('SIGTERM', 'batch')));
      });
      expect(await exitWithin(run, 30_000)).toEqual({ code: 143, signal: null });

      const lines = run.stderr().split('\n');
      expect(lines.filter((l) => l.includes('received: stopping'))).toEqual([stopping('SIGTERM', 'batch')]);
      expect(lines).toContain('import interrupted; run the same command again to resume');
      const summary =
        /^import: (\d+) rows: (\d+) created, 0 replayed, 0 existing, 0 invalid, 0 refused, (\d+) pending$/m.exec(
          run.stdout(),
        );
      expect(summary, run.stdout()).not.toBeNull();
      const [total, created, pending] = summary!.slice(1).map(Number) as [number, number, number];
      expect([total, created + pending]).toEqual([ROWS, ROWS]);
      // Mid-way, in whole batches.
      expect(created).toBeGreaterThanOrEqual(BATCH);
      expect(created).toBeLessThan(ROWS);
      expect(created % BATCH).toBe(0);
      // The state file holds every row the server placed: the batch in flight was answered and
      // recorded before the exit, so nothing the server placed is unknown to the rerun.
      const state = recorded(csv);
      expect(state).toHaveLength(created);
      expect(new Set(state.map((r) => r.outcome))).toEqual(new Set(['created']));
      const placed = await placedOnServer(org);
      expect(new Set(placed)).toEqual(new Set(state.map((r) => r.signalId)));

      const rerun = await world.orgCli(org, ['import', csv, '--batch-size', String(BATCH), '--json']);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(JSON.parse(rerun.stdout)).toMatchObject({
        rows: ROWS,
        skipped: created,
        interrupted: false,
        // Not one `replayed`: no row was sent twice.
        outcomes: { created: ROWS, replayed: 0, existing: 0, invalid: 0, refused: 0, pending: 0 },
      });
      const all = await placedOnServer(org);
      expect(all).toHaveLength(ROWS);
      expect(new Set(all)).toEqual(new Set(resultIds(csv)));
      for (const out of [run.stdout(), run.stderr(), rerun.stdout, rerun.stderr])
        for (const b of bsns) expect(out).not.toContain(b);
    },
    CASE_MS,
  );

  it(
    'a second signal ends it at once, exit 130 for a SIGINT; the rerun still places every row once',
    async () => {
      const org = await world.organisation('Schuldhulp Maas', 'debt_counselling', ['--budget', '10000']);
      const { csv } = caseload('twice.csv');
      const run = spawnCli(org, ['import', csv, '--batch-size', String(BATCH)]);
      await run.waitFor('stderr', (t) => AFTER_A_BATCH.test(t));
      const exit = await serverHeld(async () => {
        await waitingOnHeldServer(run, csv);
        run.child.kill('SIGTERM');
        await run.waitFor('stderr', (t) => t.includes(stopping('SIGTERM', 'batch')));
        run.child.kill('SIGINT');
        // While the server is still held: the CLI did not wait for the batch in flight.
        return exitWithin(run, 15_000);
      });
      expect(exit).toEqual({ code: 130, signal: null });
      // Ended where it was: no summary, no "interrupted" line.
      expect(run.stdout()).toBe('');
      expect(run.stderr()).not.toContain('import interrupted');
      const state = recorded(csv);
      expect(state.length).toBeGreaterThanOrEqual(BATCH);
      expect(state.length).toBeLessThan(ROWS);
      expect(state.length % BATCH).toBe(0);

      const rerun = await world.orgCli(org, ['import', csv, '--batch-size', String(BATCH), '--json']);
      expect(rerun.code, rerun.stderr).toBe(0);
      const s = JSON.parse(rerun.stdout) as { skipped: number; outcomes: Record<string, number> };
      expect(s.skipped).toBe(state.length);
      // The batch in flight, if the server placed it after all, comes back `replayed`: at most one batch.
      expect(s.outcomes.replayed).toBeLessThanOrEqual(BATCH);
      expect(s.outcomes).toMatchObject({ created: ROWS - s.outcomes.replayed!, existing: 0, pending: 0 });
      const all = await placedOnServer(org);
      expect(all).toHaveLength(ROWS);
      expect(new Set(all)).toEqual(new Set(resultIds(csv)));
    },
    CASE_MS,
  );
});

describe('sluis matches --watch stopped by SIGTERM (real processes)', () => {
  it(
    'finishes the poll, saves the cursor, one line, exit 0',
    async () => {
      const a = await world.organisation('Wijkteam Noord', 'youth_care');
      const b = await world.organisation('Basisschool De Horizon', 'school');
      const bsn = world.bsn();
      const informed = {
        status: 'citizen' as const,
        date: new Date(world.clock()).toISOString().slice(0, 10),
      };
      await a.client.placeSignal({ bsn, contact: world.contact(), informed });
      await b.client.placeSignal({ bsn, contact: world.contact(), informed });
      const cursorFile = join(world.work, 'watch.cursor');
      const run = spawnCli(a, [
        'matches',
        '--watch',
        '--interval',
        '1',
        '--json',
        '--cursor-file',
        cursorFile,
      ]);
      await run.waitFor('stdout', (t) => t.includes('\n'));
      run.child.kill('SIGTERM');
      expect(await exitWithin(run, 30_000)).toEqual({ code: 0, signal: null });
      expect(run.stderr()).toBe(`${stopping('SIGTERM', 'poll')}\n`);
      const events = run.stdout().trim().split('\n');
      expect(events).toHaveLength(1);
      expect(readFileSync(cursorFile, 'utf8')).toBe(
        `${(JSON.parse(events[0]!) as { cursor: string }).cursor}\n`,
      );
    },
    CASE_MS,
  );
});
