// Test support (not part of the build): a fresh PostgreSQL store location for each harness
// when the domain tests run on PostgreSQL (SLUIS_TEST_STORE=postgres, docs/engine.md
// "Testing on either store"), on the run's throwaway cluster (test/support/postgres-setup.ts).
// Each test worker has one database; each harness gets a schema of it (the store sees only
// that schema: PostgresStoreOptions.schema, its connections' `search_path`). A schema whose
// harness closed is emptied and handed to the next one — every row deleted, row ids
// restarted, epoch 1 registered again — which costs a fraction of creating and migrating a
// schema or a database per case (docs/engine.md "Testing on either store").
// And, for the PostgreSQL store's own tests, whole databases of that cluster: a store migrated
// from nothing, two stores or engines on one database as two instances.

import postgres from 'postgres';
import { inject } from 'vitest';
import { openPostgresStore } from '../store/postgres/pg-store.js';

let database: Promise<{ url: string; sql: postgres.Sql }> | undefined;
const free: string[] = [];
let n = 0;

function workerDatabase(): Promise<{ url: string; sql: postgres.Sql }> {
  database ??= (async () => {
    const cluster = inject('postgresUrl');
    if (cluster === '') {
      throw new Error('SLUIS_TEST_STORE=postgres needs the PostgreSQL server binaries (README "Testing")');
    }
    const name = `sluis_w${process.pid}`;
    const root = postgres(cluster, { max: 1, onnotice: () => undefined });
    try {
      await root.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await root.unsafe(`CREATE DATABASE ${name}`);
    } finally {
      await root.end({ timeout: 5 });
    }
    const url = cluster.replace(/\/postgres$/, `/${name}`);
    // Idle soon, so the worker can exit when its files are done (the cluster is removed after).
    return { url, sql: postgres(url, { max: 1, idle_timeout: 1, onnotice: () => undefined }) };
  })();
  return database;
}

/** Empties a schema the store migrated: every row, the row-id sequences, epoch 1 at `epochDate`. */
async function reset(sql: postgres.Sql, schema: string, epochDate: number): Promise<void> {
  const tables = await sql<{ t: string }[]>`
    SELECT quote_ident(tablename) AS t FROM pg_tables WHERE schemaname = ${schema} AND tablename <> 'sluis_schema'`;
  const sequences = await sql<{ s: string }[]>`
    SELECT quote_ident(sequencename) AS s FROM pg_sequences WHERE schemaname = ${schema}`;
  // The test cluster's role is a superuser: `replica` skips the foreign-key triggers, so the
  // tables can be emptied in any order.
  await sql.begin(async (tx) => {
    await tx.unsafe(`SET LOCAL search_path = ${schema}; SET LOCAL session_replication_role = replica`);
    for (const { t } of tables) await tx.unsafe(`DELETE FROM ${t}`);
    for (const { s } of sequences) await tx.unsafe(`SELECT setval('${s}', 1, false)`);
    await tx.unsafe(`INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, ${epochDate})`);
  });
}

/** A store location with the current schema and no rows: its URL and schema, and how to give it back. */
export async function freshPostgresSchema(
  epochDate: number,
): Promise<{ readonly url: string; readonly schema: string; release(): void }> {
  const { url, sql } = await workerDatabase();
  let schema = free.pop();
  if (schema === undefined) {
    schema = `h${n++}`;
    await sql.unsafe(`CREATE SCHEMA ${schema}`);
    const store = await openPostgresStore({ url, schema, clock: () => epochDate });
    await store.close();
  } else {
    await reset(sql, schema, epochDate);
  }
  const taken = schema;
  let released = false;
  const release = () => {
    // A harness may be closed twice (a case's finally and an afterEach): hand it back once.
    if (!released) free.push(taken);
    released = true;
  };
  return { url, schema: taken, release };
}

export interface TestDatabases {
  /** A new, empty database on the run's cluster, named `<prefix><pid>_<n>`: its URL. */
  create(): Promise<string>;
  /** Drops every database made here and ends the connection (a file's afterAll). */
  dropAll(): Promise<void>;
}

/** Fresh databases for one test file; use it only where the cluster is there (`postgresUrl` not ''). */
export function testDatabases(prefix: string): TestDatabases {
  const cluster = inject('postgresUrl');
  const root = cluster === '' ? undefined : postgres(cluster, { max: 1, onnotice: () => undefined });
  const created: string[] = [];
  let n = 0;
  return {
    async create() {
      if (root === undefined) throw new Error('no PostgreSQL cluster in this run');
      const name = `${prefix}${process.pid}_${n++}`;
      await root.unsafe(`CREATE DATABASE ${name}`);
      created.push(name);
      return cluster.replace(/\/postgres$/, `/${name}`);
    },
    async dropAll() {
      if (root === undefined) return;
      for (const name of created) await root.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await root.end({ timeout: 5 });
    },
  };
}
