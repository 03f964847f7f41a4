// The PostgreSQL URL forms and role set-ups an operator meets (docs/operations.md "The
// database URL", "Database and role"), through main() on a real cluster of its own
// (test/support/postgres.ts): every accepted form really connects — a multi-host URL whose
// first host is down included — every other form is refused naming the accepted ones, never
// the password; a role without CREATE on the schema and one at its connection limit are
// named as such; the first start and `backup` on PostgreSQL name PostgreSQL's own backups.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findPostgresBinaries,
  type PostgresCluster,
  psql,
  psqlValue,
  startPostgres,
} from '../../../../test/support/postgres.js';
import { freshPort } from '../../../../test/support/ports.js';
import { captureCliIo } from '../testing/cli-io.js';
import { main } from './main.js';

const bin = findPostgresBinaries();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-pgurl-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]) {
  const c = captureCliIo(dir);
  const code = await main(argv, {}, c.io);
  return { code, out: c.out(), err: c.err() };
}

/** Starts and stops a server, as the first start of a data directory does. */
async function startOnce(argv: string[]): Promise<{ code: number; err: string; out: string }> {
  const c = captureCliIo(dir);
  const running = main(['start', '--port', '0', ...argv], {}, c.io);
  const started = await Promise.race([c.waitStarted().then(() => true), running.then(() => false)]);
  if (started) c.stop();
  return { code: await running, err: c.err(), out: c.out() };
}

const ACCEPTED =
  'accepted: postgres://user@host[:port][,host[:port]…]/database, optionally ?target_session_attrs=read-write (or primary), TLS through --database-tls';

describe('the database URL', () => {
  it.each([
    [
      'postgres://sluis@%2Ftmp%2Fpg:5432/sluis',
      'names a Unix socket, which the PostgreSQL client (postgres.js) does not take from a URL: use 127.0.0.1',
    ],
    [
      'postgres://sluis@[::1]:5432/sluis',
      'holds an IPv6 address, which the PostgreSQL client (postgres.js) cannot parse: use a host name',
    ],
    [
      'postgres://sluis@db:5432/sluis?sslmode=disable',
      'sets TLS in the URL, which sluis does not read: use --database-tls',
    ],
    [
      'postgres://sluis@db:5432/sluis?application_name=x',
      'has a query parameter other than target_session_attrs=read-write or primary',
    ],
    [
      'postgres://sluis@db:5432/sluis?target_session_attrs=standby',
      'has a query parameter other than target_session_attrs=read-write or primary',
    ],
    ['postgres://sluis@db:99999/sluis', 'is malformed'],
    ['postgres://db:5432/sluis', 'is malformed'],
  ])('%s is refused, naming the accepted forms', async (u, why) => {
    const r = await run(['retention', '--data-dir', 'none', '--database-url', u]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      `sluis-server: invalid configuration: databaseUrl (from --database-url) ${why}; ${ACCEPTED}`,
    );
  });

  it('a URL with a password is refused without repeating it', async () => {
    const r = await run(['retention', '--database-url', 'postgres://sluis:s3cret-pw@h1:5432,h2:5432/sluis']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('holds a password');
    expect(r.err).not.toContain('s3cret-pw');
  });
});

describe.skipIf(bin === undefined)('PostgreSQL URL forms and roles on a real cluster', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres(bin!);
    psql(cluster.url, 'CREATE ROLE sluis LOGIN');
    psql(cluster.url, 'CREATE ROLE sluis_lp LOGIN');
  });
  afterAll(() => cluster?.stop());

  it('every accepted form connects: multi-host with the first host down, target_session_attrs, postgresql://', async () => {
    const down = await freshPort(); // nothing listens there (test/support/ports.ts)
    const forms = [
      `postgres://sluis@127.0.0.1:${down},127.0.0.1:${cluster.port}/db_multi`,
      `postgres://sluis@127.0.0.1:${down},localhost:${cluster.port}/db_tsa?target_session_attrs=read-write`,
      `postgresql://sluis@127.0.0.1:${cluster.port}/db_plain?target_session_attrs=primary`,
    ];
    for (const [i, u] of forms.entries()) {
      psql(cluster.url, `CREATE DATABASE ${/\/(db_[a-z]+)/.exec(u)![1]} OWNER sluis`);
      const r = await startOnce(['--data-dir', `forms-${i}`, '--database-url', u]);
      expect(r.err).toContain('listening on');
      expect(r.code).toBe(0);
      // The first start's backup step is PostgreSQL's own (docs/operations.md "Start, and the first start").
      expect(r.err).toContain(
        '4. Schedule backups of the database with PostgreSQL’s own tools (pg_basebackup',
      );
      expect(r.err).not.toContain('sluis-server backup');
    }
    // `backup` on the data directory of a PostgreSQL server: one line saying what to do instead.
    const b = await run(['backup', '--data-dir', 'forms-0', '--to', 'x.db']);
    expect(b.code).toBe(2);
    expect(b.err).toBe(
      `sluis-server: this data directory's server runs on PostgreSQL: backup copies an SQLite file; back up PostgreSQL with pg_basebackup and WAL archiving, or pg_dump -Fc, and ${join(dir, 'forms-0')}/keys separately (docs/operations.md "Back up and restore")\n`,
    );
    // Each instance's connections are named sluis/<host>/<pid> (pg_stat_activity).
    psql(cluster.url, 'CREATE DATABASE db_name OWNER sluis');
    const c = captureCliIo(dir);
    const running = main(
      [
        'start',
        '--port',
        '0',
        '--data-dir',
        'named',
        '--database-url',
        `postgres://sluis@127.0.0.1:${cluster.port}/db_name`,
      ],
      {},
      c.io,
    );
    await c.waitStarted();
    const names = psqlValue(
      cluster.url,
      "SELECT string_agg(DISTINCT application_name, ',') FROM pg_stat_activity WHERE datname = 'db_name'",
    );
    c.stop();
    expect(await running).toBe(0);
    expect(names).toBe(
      `sluis/${(await import('node:os'))
        .hostname()
        .replace(/[^A-Za-z0-9.-]/g, '_')
        .slice(0, 40)}/${process.pid}`,
    );
  });

  it('a role without CREATE on schema public is named database_permission_denied (exit 3)', async () => {
    // PostgreSQL 15: only the database owner may create in public.
    psql(cluster.url, 'CREATE DATABASE db_lp');
    const r = await startOnce([
      '--data-dir',
      'lp',
      '--database-url',
      `postgres://sluis_lp@127.0.0.1:${cluster.port}/db_lp`,
    ]);
    expect(r.code).toBe(3);
    expect(r.err).toContain(
      'sluis-server: the PostgreSQL database cannot be used: database_permission_denied (the user may not connect to the database or create tables in it: make the user the database\'s owner (CREATE DATABASE sluis OWNER sluis), or GRANT CREATE ON SCHEMA public TO sluis (docs/operations.md "Database and role"))',
    );
    // The grant the message names is enough.
    psql(cluster.url.replace(/\/postgres$/, '/db_lp'), 'GRANT CREATE ON SCHEMA public TO sluis_lp');
    const again = await startOnce([
      '--data-dir',
      'lp',
      '--database-url',
      `postgres://sluis_lp@127.0.0.1:${cluster.port}/db_lp`,
    ]);
    expect(again.code).toBe(0);
  });

  it('a role at its connection limit is named too_many_connections (exit 3)', async () => {
    psql(cluster.url, 'CREATE ROLE sluis_full LOGIN CONNECTION LIMIT 0');
    psql(cluster.url, 'CREATE DATABASE db_full OWNER sluis_full');
    const r = await run([
      'retention',
      '--data-dir',
      'forms-0',
      '--database-url',
      `postgres://sluis_full@127.0.0.1:${cluster.port}/db_full`,
    ]);
    expect(r.code).toBe(3);
    expect(r.err).toContain('cannot be used: too_many_connections (');
    expect(r.err).not.toContain('sluis_full');
  });
});
