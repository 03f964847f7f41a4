// docs/leakage.md §3.7 names every table either store keeps, no more and no fewer: a table a
// migration adds without a row there (what it holds, what a dump of it reveals) fails here.
// The tables are read from databases the real migrations made — an SQLite file, and a
// PostgreSQL schema on the run's throwaway cluster (skipped, with the reason, without one).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freshPostgresSchema } from '../testing/pg-databases.js';
import { openPostgresStore } from './postgres/pg-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

/** The backticked table names in the first column of §3.7's first table. */
function documented(): Set<string> {
  const doc = readFileSync(new URL('../../../../docs/leakage.md', import.meta.url), 'utf8');
  const start = doc.indexOf('### 3.7 The database file');
  const section = doc.slice(start, doc.indexOf('\n### ', start + 1));
  const lines = section.split('\n');
  const first = lines.findIndex((l) => l.startsWith('| table |'));
  const table: string[] = [];
  for (const l of lines.slice(first + 2)) {
    if (!l.startsWith('|')) break;
    table.push(l);
  }
  return new Set(table.flatMap((l) => [...l.split(' | ')[0]!.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!)));
}

const dir = mkdtempSync(join(tmpdir(), 'sluis-schema-documented-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sqliteTables(): Promise<string[]> {
  const path = join(dir, 'sluis.db');
  await (await openSqliteStore({ path })).close();
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`,
      )
      .all() as { name: string }[];
    return rows.map((r) => r.name);
  } finally {
    db.close();
  }
}

async function postgresTables(): Promise<string[]> {
  const location = await freshPostgresSchema(Date.UTC(2026, 0, 1));
  const store = await openPostgresStore({ url: location.url, schema: location.schema });
  try {
    const rows = (await store.unsafe(
      'SELECT tablename FROM pg_tables WHERE schemaname = current_schema()',
    )) as { tablename: string }[];
    return rows.map((r) => r.tablename);
  } finally {
    await store.close();
    location.release();
  }
}

describe('the stored tables as documented', () => {
  it('every SQLite table has a row in leakage.md §3.7', async () => {
    const tables = await sqliteTables();
    expect(tables.length).toBeGreaterThan(20);
    const named = documented();
    expect(tables.filter((t) => !named.has(t)).sort()).toEqual([]);
  });

  it.skipIf(inject('postgresUrl') === '')('every PostgreSQL table has a row in leakage.md §3.7', async () => {
    const tables = await postgresTables();
    expect(tables.length).toBeGreaterThan(20);
    const named = documented();
    expect(tables.filter((t) => !named.has(t)).sort()).toEqual([]);
  });

  it.skipIf(inject('postgresUrl') === '')(
    'every table the rows name exists in one store or the other',
    async () => {
      const both = new Set([...(await sqliteTables()), ...(await postgresTables())]);
      expect([...documented()].filter((t) => !both.has(t)).sort()).toEqual([]);
    },
  );
});
