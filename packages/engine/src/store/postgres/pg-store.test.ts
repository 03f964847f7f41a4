// The PostgreSQL store on a real throwaway cluster (test/support/postgres.ts): the shared
// conformance suite, a fresh database per store; migrations (a newer schema and a foreign
// database refused); a lost server answering database_unavailable. Skipped, and said so by
// the run, when the machine has no PostgreSQL server binaries (CI fails instead).

import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { isEngineError } from '../../errors.js';
import { runStoreConformance } from '../conformance.js';
import { org } from '../conformance/fixtures.js';
import type { Store } from '../store.js';
import { openPostgresStore } from './pg-store.js';

const url = inject('postgresUrl');
const admin = url === '' ? undefined : postgres(url, { max: 2, onnotice: () => undefined });
const created: string[] = [];
let n = 0;

/** A new, empty database on the cluster; its URL. */
async function freshDatabase(): Promise<string> {
  const name = `sluis_t${process.pid}_${n++}`;
  await admin!.unsafe(`CREATE DATABASE ${name}`);
  created.push(name);
  return url.replace(/\/postgres$/, `/${name}`);
}

afterAll(async () => {
  if (admin === undefined) return;
  for (const name of created) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end({ timeout: 5 });
});

describe.skipIf(url === '')('conformance: PostgreSQL', () => {
  const urls = new WeakMap<Store, string>();
  runStoreConformance(
    async () => {
      const db = await freshDatabase();
      const s = await openPostgresStore({ url: db });
      urls.set(s, db);
      return s;
    },
    it,
    {
      groupCommit: { skip: 'each write is its own transaction on a pooled connection' },
      instances: { reopen: (s) => openPostgresStore({ url: urls.get(s)! }) },
    },
    (name, reason) => it.skip(`${name} — ${reason}`, () => undefined),
  );
});

describe.skipIf(url === '')('PostgreSQL specifics', () => {
  it('migrates once, reopens at the same version, refuses a newer schema and a foreign database', async () => {
    const db = await freshDatabase();
    const s = await openPostgresStore({ url: db });
    await s.write((tx) => org(tx, 1));
    await s.close();
    const again = await openPostgresStore({ url: db });
    expect((await again.read((tx) => tx.listOrganisations())).map((o) => o.name)).toEqual(['Org 1']);
    expect((await again.read((tx) => tx.listEpochs())).map((e) => e.epoch)).toEqual([1]);
    await again.unsafe('UPDATE sluis_schema SET version = version + 1');
    await again.close();
    await expect(openPostgresStore({ url: db })).rejects.toMatchObject({ code: 'schema_too_new' });

    const foreign = await freshDatabase();
    const raw = postgres(foreign, { max: 1, onnotice: () => undefined });
    await raw.unsafe('CREATE TABLE customers (id int)');
    await raw.end();
    await expect(openPostgresStore({ url: foreign })).rejects.toMatchObject({ code: 'database_corrupt' });
  });

  it('a server that cannot be reached is database_unavailable, and the URL is not in the error', async () => {
    const port = Number(new URL(url).port) + 1; // nothing listens next to the cluster… most likely
    const bad = `postgres://sluis:secret-password@127.0.0.1:${port}/nowhere`;
    const err = await openPostgresStore({ url: bad, connectTimeoutSeconds: 2 }).catch((e: unknown) => e);
    expect(isEngineError(err, 'database_unavailable')).toBe(true);
    expect(JSON.stringify({ m: (err as Error).message, s: String(err) })).not.toContain('secret-password');
  });
});
