// Test support for the PostgreSQL migration tests (not part of the build): fresh databases on
// the run's throwaway cluster (dropped after the file's tests), one at any schema version made by
// the real steps the way migratePostgres makes them, and the nodes of an EXPLAIN (FORMAT JSON)
// plan.

import postgres from 'postgres';
import { afterAll } from 'vitest';
import { testDatabases } from '../../testing/pg-databases.js';
import { PG_MIGRATIONS } from './pg-migrations.js';

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan, the root first. */
export const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/** The databases of one test file (named `prefix…`): `fresh()` an empty one, `atSchema(version)` one at that step. */
export function stepDatabases(prefix: string) {
  const databases = testDatabases(prefix);
  afterAll(() => databases.dropAll());
  return {
    /** A new, empty database on the cluster; its URL. */
    fresh: () => databases.create(),
    /**
     * A fresh database at schema `version`, built step by step as migratePostgres did, and one
     * connection to it (the caller fills it and ends the connection).
     */
    async atSchema(version: number) {
      const db = await databases.create();
      const raw = postgres(db, { max: 1, onnotice: () => undefined });
      await raw.unsafe(PG_MIGRATIONS[0]!);
      await raw.unsafe(`CREATE TABLE sluis_schema (version integer NOT NULL);
        INSERT INTO sluis_schema (version) VALUES (${version});
        INSERT INTO epochs (epoch, status, registered_at) VALUES (1, 0, 1)`);
      for (let v = 1; v < version; v++) await raw.unsafe(PG_MIGRATIONS[v]!);
      return { db, raw };
    },
  };
}
