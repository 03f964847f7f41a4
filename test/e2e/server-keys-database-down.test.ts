// GET /v1/server-keys while PostgreSQL is stopped (docs/api.md "Operational routes
// (unsigned, no citizen data)", docs/keys.md §4.5 "Copies that miss a change"): the keys and
// the logbook's record of them are in memory,
// only the comparison with the logbook reads the database, so the list is served as of the last
// comparison — receivers need it to verify deliveries — while /readyz answers 503. The real
// server process on its own throwaway cluster (stopped on purpose). Skipped with the reason
// printed when the PostgreSQL binaries are missing.

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createDatabase,
  findPostgresBinaries,
  type PostgresCluster,
  startPostgres,
} from '../support/postgres.js';
import { type ServerProcess, startServer } from '../support/server-process.js';

const available = inject('postgresUrl') !== '';
let cluster: PostgresCluster;
let server: ServerProcess;

describe.skipIf(!available)('GET /v1/server-keys with the database down', () => {
  beforeAll(async () => {
    cluster = await startPostgres(findPostgresBinaries()!);
    const db = createDatabase(cluster.url, 'sluis_server_keys_down');
    server = await startServer({ args: ['--database-url', db] });
  }, 120_000);

  afterAll(async () => {
    await server?.kill().catch(() => undefined);
    cluster?.stop();
  });

  it('answers the keys it holds while PostgreSQL is stopped, and again after it is back', async () => {
    const keys = async () => {
      const r = await fetch(`${server.url}/v1/server-keys`);
      return { status: r.status, body: (await r.json()) as { webhookKeys: { keyId: string }[] } };
    };
    const before = await keys();
    expect(before.status).toBe(200);
    expect(before.body.webhookKeys).toHaveLength(1);
    await cluster.down();
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
      expect(await keys()).toEqual(before);
    } finally {
      await cluster.up();
    }
    expect(await keys()).toEqual(before);
    expect(server.output()).not.toMatch(/"event":"server_fault"/);
  }, 120_000);
});
