// The store's connection settings as postgres.js reads them (sql.options, parsed when the pool
// is made; no connection is opened): the URL and PostgresStoreOptions are the whole truth
// whatever PG* variables the process inherited (docs/operations.md "The database URL"), and
// a URL the check refuses is refused here too (pg-url.ts).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { isEngineError } from '../../errors.js';
import { connectPostgres, type PostgresStoreOptions } from './pg-connect.js';

/**
 * What postgres.js 3.4.9 would take from the environment for an option left out (its
 * src/index.js parseOptions: host, port, database, user, password, application_name, and
 * `PG` + the upper-cased name of each option with a default), each set to a value that
 * differs from the store's.
 */
const INHERITED = {
  PGHOST: 'elsewhere.example',
  PGPORT: '6543',
  PGDATABASE: 'other_db',
  PGUSER: 'other_user',
  PGUSERNAME: 'other_user',
  PGPASSWORD: 'from-the-environment',
  PGAPPNAME: 'other-app',
  PGSSL: 'require',
  PGSSLNEGOTIATION: 'direct',
  PGMAX: '99',
  PGIDLE_TIMEOUT: '1',
  PGCONNECT_TIMEOUT: '1',
  PGMAX_LIFETIME: '0.001',
  PGMAX_PIPELINE: '1',
  PGBACKOFF: '7',
  PGKEEP_ALIVE: '1',
  PGPREPARE: 'no',
  PGDEBUG: 'yes',
  PGFETCH_TYPES: 'no',
  PGPUBLICATIONS: 'other',
  PGTARGETSESSIONATTRS: 'standby',
} as const;

afterEach(() => vi.unstubAllEnvs());

/** postgres.js's parsed options of a pool made with `options`; the pool is ended unused. */
async function parsed(options: PostgresStoreOptions, extra: Record<string, string> = {}) {
  const sql = await connectPostgres(options, extra, 3);
  const o = (sql as unknown as { options: Record<string, unknown> }).options;
  await sql.end({ timeout: 0 });
  const call = (f: unknown) => (typeof f === 'function' ? (f as (n?: number) => unknown)(2) : f);
  return {
    host: o.host,
    port: o.port,
    path: o.path,
    database: o.database,
    user: o.user,
    // A function in sluis's settings (postgres.js replaces an empty string with PGPASSWORD).
    pass: call(o.pass),
    ssl: o.ssl,
    sslnegotiation: o.sslnegotiation,
    max: o.max,
    idle_timeout: o.idle_timeout,
    connect_timeout: o.connect_timeout,
    max_lifetime: call(o.max_lifetime),
    max_pipeline: o.max_pipeline,
    backoff: call(o.backoff),
    keep_alive: o.keep_alive,
    prepare: o.prepare,
    debug: o.debug,
    fetch_types: o.fetch_types,
    publications: o.publications,
    target_session_attrs: o.target_session_attrs,
    connection: o.connection,
  };
}

/** The store's own settings for a URL of user `sluis` and database `sluis`, none from the environment. */
const STORE_SETTINGS = {
  path: false,
  database: 'sluis',
  user: 'sluis',
  pass: '',
  ssl: false,
  sslnegotiation: null,
  max: 3,
  idle_timeout: 60,
  connect_timeout: 5,
  max_pipeline: 100,
  backoff: 0.2, // 0.05 · 2² s, the store's own back-off after two attempts
  keep_alive: 60,
  prepare: true,
  debug: false,
  fetch_types: true,
  publications: 'alltables',
  target_session_attrs: null,
  connection: { application_name: 'sluis', statement_timeout: 5000 },
};

describe('connectPostgres with PG* variables set', () => {
  it('reads none of them: each host with its port from the URL (5432 where it names none), every other option the store’s own', async () => {
    for (const [k, v] of Object.entries(INHERITED)) vi.stubEnv(k, v);
    const multi = await parsed({ url: 'postgres://sluis@db1.example.nl:6432,db2.example.nl/sluis' });
    // Upstream, db2 took the first host's port (6432); PGPORT is not read either.
    expect(multi).toEqual({
      ...STORE_SETTINGS,
      host: ['db1.example.nl', 'db2.example.nl'],
      port: [6432, 5432],
      max_lifetime: expect.any(Number),
    });
    // postgres.js's own default: 30 to 60 minutes, never PGMAX_LIFETIME's 0.001 s.
    expect(multi.max_lifetime).toBeGreaterThanOrEqual(1800);
    expect(multi.max_lifetime).toBeLessThanOrEqual(3600);
    expect(await parsed({ url: 'postgres://sluis@10.0.0.5/sluis' })).toMatchObject({
      host: ['10.0.0.5'],
      port: [5432],
    });
  });

  it('the same settings with no PG* variable set', async () => {
    for (const k of Object.keys(INHERITED)) vi.stubEnv(k, undefined);
    expect(await parsed({ url: 'postgres://sluis@db1.example.nl:6432,db2.example.nl/sluis' })).toEqual({
      ...STORE_SETTINGS,
      host: ['db1.example.nl', 'db2.example.nl'],
      port: [6432, 5432],
      max_lifetime: expect.any(Number),
    });
  });

  it('target_session_attrs, TLS, the password, the application name and the schema only as given', async () => {
    for (const [k, v] of Object.entries(INHERITED)) vi.stubEnv(k, v);
    expect(
      await parsed({ url: 'postgres://sluis@db1:5433,db2:5434/sluis?target_session_attrs=read-write' }),
    ).toMatchObject({ host: ['db1', 'db2'], port: [5433, 5434], target_session_attrs: 'read-write' });
    expect(await parsed({ url: 'postgres://sluis@db/sluis?target_session_attrs=primary' })).toMatchObject({
      target_session_attrs: 'primary',
    });
    expect(await parsed({ url: 'postgres://sluis@db/sluis', tls: 'require' })).toMatchObject({
      ssl: 'require',
      sslnegotiation: null,
    });
    expect(await parsed({ url: 'postgres://sluis@db/sluis', tls: 'verify-full', ca: 'PEM' })).toMatchObject({
      ssl: { ca: 'PEM', rejectUnauthorized: true },
    });
    expect(await parsed({ url: 'postgres://sluis@db/sluis', password: 'given' })).toMatchObject({
      pass: 'given',
    });
    // An empty password stays empty (the server refuses one at start: ops/postgres-store.ts).
    expect(await parsed({ url: 'postgres://sluis@db/sluis', password: '' })).toMatchObject({ pass: '' });
    expect(
      await parsed(
        {
          url: 'postgres://sluis@db/sluis',
          applicationName: 'sluis/a',
          statementTimeoutMs: 700,
          schema: 'h0',
        },
        { synchronous_commit: 'off' },
      ),
    ).toMatchObject({
      connection: {
        application_name: 'sluis/a',
        statement_timeout: 700,
        search_path: 'h0',
        synchronous_commit: 'off',
      },
    });
  });

  it('refuses a URL the check refuses, and a malformed schema name, without repeating them', async () => {
    for (const [k, v] of Object.entries(INHERITED)) vi.stubEnv(k, v);
    for (const url of [
      'postgres://sluis@db/sluis?search_path=h0',
      'postgres://sluis:secret-pw@db/sluis',
      'postgres://sluis@[::1]:5432/sluis',
      'postgres://sluis@%2Frun%2Fpostgresql/sluis',
      'postgres://db/sluis',
    ]) {
      const e = await connectPostgres({ url }, {}, 1).catch((x: unknown) => x);
      expect(isEngineError(e, 'config_invalid'), url).toBe(true);
      expect((e as Error).message, url).toMatch(/^the database URL .*; accepted: postgres:\/\/user@host/);
      expect((e as Error).message, url).not.toMatch(/secret-pw|search_path|::1|%2F|db\//);
    }
    const e = await connectPostgres({ url: 'postgres://sluis@db/sluis', schema: 'h0; DROP' }, {}, 1).catch(
      (x: unknown) => x,
    );
    expect(isEngineError(e, 'config_invalid')).toBe(true);
    expect((e as Error).message).not.toContain('DROP');
  });
});
