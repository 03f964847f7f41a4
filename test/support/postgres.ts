// A throwaway PostgreSQL cluster for the tests (README "Quick start"): the server binaries of the machine (/usr/lib/postgresql/<version>/bin), initdb
// into a temporary directory, a fresh port on 127.0.0.1 (ports.ts; another one when it was taken
// meanwhile), stopped and removed at the end. The server refuses to run as root, so as root every
// command runs as the `postgres` user. No mock of the database anywhere: without binaries the
// PostgreSQL suites are skipped, and under CI=true that is a failure.

import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOnFreshPort } from './ports.js';
import { SERVER_WAIT } from './server-wait.js';

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication, loopback only). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly binDir: string;
  /** `pg_ctl restart -m fast` (clients lose their connections; the data stays). */
  restart(): void;
  /** `pg_ctl stop -m fast` without blocking the event loop (the tests' clients go on meanwhile). */
  down(): Promise<void>;
  /** Starts the stopped server again with its options, without blocking the event loop. */
  up(): Promise<void>;
  /** Stops the server (fast shutdown) and removes the directory. */
  stop(): void;
}

/** The newest server binary directory on this machine, or undefined. */
export function findPostgresBinaries(root = '/usr/lib/postgresql'): string | undefined {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

const isRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL binary as the `postgres` user when we are root, else as ourselves. */
function run(binDir: string, cmd: string, args: readonly string[]): void {
  const exe = join(binDir, cmd);
  const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, [...args]];
  const r = spawnSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    throw new Error(`${cmd} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout).slice(-2000)}`);
  }
}

/** As run(), asynchronously. */
function runAsync(binDir: string, cmd: string, args: readonly string[]): Promise<void> {
  const exe = join(binDir, cmd);
  const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, [...args]];
  return new Promise((resolve, reject) => {
    execFile(file, argv, { encoding: 'utf8' }, (e, stdout, stderr) =>
      e === null ? resolve() : reject(new Error(`${cmd} failed: ${(stderr || stdout).slice(-2000)}`)),
    );
  });
}

/**
 * `settings` are extra `-c name=value` server settings, after (so overriding) the test
 * defaults below — e.g. a production-like WAL for the erasure scan.
 */
export async function startPostgres(
  binDir: string,
  settings: readonly string[] = [],
): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'sluis-pg-'));
  const dataDir = join(dir, 'data');
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  run(binDir, 'initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const log = join(dir, 'server.log');
  const optionsFor = (port: number) =>
    [
      `-p ${port}`,
      "-c listen_addresses='127.0.0.1'",
      `-c unix_socket_directories='${dir}'`,
      '-c max_connections=200',
      // Tests kill the database on purpose (restart, crash); durability of the host's disk is
      // not what they test, so skip the fsyncs (the bench cluster keeps them: bench/).
      '-c fsync=off',
      '-c full_page_writes=off',
      ...settings.map((x) => `-c ${x}`),
    ].join(' ');
  const ctl = (args: readonly string[]) => run(binDir, 'pg_ctl', ['-D', dataDir, '-w', '-t', '60', ...args]);
  // The port is told to the postmaster, which binds it itself: a failed start whose log says the
  // address was in use goes again on another port (the log's words join the error for portTaken).
  const port = await startOnFreshPort(async (p) => {
    const before = existsSync(log) ? readFileSync(log, 'utf8').length : 0;
    try {
      ctl(['-o', optionsFor(p), '-l', log, 'start']);
    } catch (e) {
      const said = existsSync(log) ? readFileSync(log, 'utf8').slice(before).slice(-2000) : '';
      throw new Error(`${(e as Error).message}\nserver.log: ${said}`);
    }
    return p;
  });
  const options = optionsFor(port);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    binDir,
    restart: () => ctl(['-m', 'fast', 'restart']),
    down: () => runAsync(binDir, 'pg_ctl', ['-D', dataDir, '-w', '-t', '60', '-m', 'fast', 'stop']),
    up: () =>
      runAsync(binDir, 'pg_ctl', ['-D', dataDir, '-w', '-t', '60', '-o', options, '-l', log, 'start']),
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        ctl(['-m', 'fast', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Runs one SQL statement on the cluster at `url` with psql (no client library in test/). */
export function psql(url: string, statement: string): void {
  execFileSync(...psqlCommand(url, ['-qc', statement]), { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * `pg_reload_conf()` on the cluster at `url`, then waits until `applied()` holds. The reload is a
 * signal: the function returns at once, and the postmaster rereads pg_hba.conf and the settings
 * when it gets to it (then signals its other processes), so a connection made meanwhile still
 * meets the old rules. `applied` should open a new connection each time (`connectionRefused`,
 * `psqlValue`): a new backend starts from what the postmaster has read.
 */
export async function reloadConfiguration(url: string, applied: () => boolean): Promise<void> {
  psql(url, 'SELECT pg_reload_conf()');
  const until = Date.now() + SERVER_WAIT;
  while (!applied()) {
    if (Date.now() > until)
      throw new Error(`the reloaded configuration was not in force within ${SERVER_WAIT} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Whether a new connection to `url` is refused: psql with no password from the environment or a
 * password file, never prompting. A server that neither accepts nor refuses within 5 s (a hung
 * postmaster) throws rather than reading as refused.
 */
export function connectionRefused(url: string): boolean {
  const env: NodeJS.ProcessEnv = { ...process.env, PGPASSFILE: '/dev/null', PGCONNECT_TIMEOUT: '5' };
  delete env.PGPASSWORD;
  try {
    execFileSync(...psqlCommand(url, ['-w', '-qtAc', 'SELECT 1']), {
      stdio: ['ignore', 'ignore', 'pipe'],
      env,
      timeout: SERVER_WAIT,
    });
    return false;
  } catch (e) {
    const failure = e as { signal?: unknown; stderr?: unknown };
    if (failure.signal != null || /timeout expired/.test(String(failure.stderr ?? ''))) {
      throw new Error(
        `psql could not connect to ${new URL(url).host} within 5 s: neither refused nor accepted`,
      );
    }
    return true;
  }
}

/** Creates database `name` on the cluster at `clusterUrl` with psql; the new database's URL. */
export function createDatabase(clusterUrl: string, name: string): string {
  psql(clusterUrl, `CREATE DATABASE ${name}`);
  return clusterUrl.replace(/\/postgres$/, `/${name}`);
}

/** The value a one-row, one-column query returns, as text. */
export function psqlValue(url: string, query: string): string {
  return execFileSync(...psqlCommand(url, ['-qtAc', query]), {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  }).trim();
}

/**
 * A psql session on `url` that stays open (a transaction that holds a lock while a test runs
 * something against it): `send` writes statements, `output` waits until its output holds
 * `text`, `end` closes it (an open transaction rolls back).
 */
export function psqlSession(url: string): {
  send(statements: string): void;
  output(text: string): Promise<void>;
  end(): Promise<void>;
} {
  const child = spawn(...psqlCommand(url, ['-qtA']), { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const waiting = new Set<() => void>();
  const collect = (d: Buffer) => {
    out += d.toString('utf8');
    for (const w of waiting) w();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    send: (statements) => child.stdin.write(`${statements}\n`),
    output: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (out.includes(text)) {
            waiting.delete(check);
            resolve();
          }
        };
        waiting.add(check);
        check();
        void exited.then(() => reject(new Error(`psql ended: ${out}`)));
      }),
    end: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

function psqlCommand(url: string, tail: readonly string[]): [string, string[]] {
  const bin = findPostgresBinaries();
  if (bin === undefined) throw new Error('no PostgreSQL binaries');
  const u = new URL(url);
  return [
    join(bin, 'psql'),
    [
      '-h',
      u.hostname,
      '-p',
      u.port,
      '-U',
      u.username,
      '-d',
      u.pathname.slice(1),
      '-v',
      'ON_ERROR_STOP=1',
      ...tail,
    ],
  ];
}
