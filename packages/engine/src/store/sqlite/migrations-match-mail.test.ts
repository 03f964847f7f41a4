// Migration 13 (docs/engine.md "Match notice e-mail"): a database at step 12, made by the
// real SQL of the steps before (migrations.test-util.ts) and holding an organisation, opens with
// the real store with the organisation's e-mail opt-in off, a placing person on signals and an
// empty mail outbox.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CREATED_AT, checkMigrated, insertOrganisation, stepFiles } from './migrations.test-util.js';
import { openSqliteStore } from './sqlite-store.js';

const steps = stepFiles();

describe('migration 13 on a v12 database with an organisation', () => {
  it('adds the opt-in (off for every organisation), the placing person and an empty mail outbox', async () => {
    const { path, db } = steps.at(12);
    const orgId = randomUUID();
    insertOrganisation(db, 1, 'youth_care', orgId);
    db.close();
    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      expect((await store.read((tx) => tx.getOrganisation(orgId)))?.matchEmail).toBe(false);
      await store.write((tx) => tx.updateOrganisation(1, { matchEmail: true }));
      expect((await store.read((tx) => tx.getOrganisation(orgId)))?.matchEmail).toBe(true);
      expect(await store.read((tx) => tx.listMailNotices(undefined, 10))).toEqual([]);
    } finally {
      await store.close();
    }
    checkMigrated(path, (check) => {
      const cols = (check.prepare('PRAGMA table_info(signals)').all() as { name: string }[]).map(
        (c) => c.name,
      );
      expect(cols).toContain('person');
    });
  });
});
