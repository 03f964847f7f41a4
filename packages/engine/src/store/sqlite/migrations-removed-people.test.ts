// Migration 21 (docs/operations.md "Upgrade"): a database at step 20 holding people removed
// before removal cleared the e-mail address, made by the real SQL of the steps before
// (migrations.test-util.ts): every removed person's address is cleared, gone from every byte of
// the file and its WAL, and nobody else's row changes.

import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CREATED_AT, checkMigrated, insertOrganisation, stepFiles } from './migrations.test-util.js';
import { openSqliteStore } from './sqlite-store.js';

const steps = stepFiles();

describe('migration 21 on a v20 database with people removed before removal cleared the e-mail', () => {
  it('clears the e-mail address of every removed person, in the file and the WAL; nobody else’s row changes', async () => {
    const { path, db } = steps.at(20);
    insertOrganisation(db, 1);
    // [org, e-mail, status, removed_at]: removed professionals and a removed person of the
    // municipality with an address (the rows to clear), a removed one without, and people
    // still active (their addresses stay).
    const people: [number | null, string | null, number, number | null][] = [
      [1, 'vertrokken.een@jeugdzorg.example.nl', 1, CREATED_AT + 5],
      [1, 'vertrokken.twee@jeugdzorg.example.nl', 1, CREATED_AT + 6],
      [null, 'oud.loket@gemeente.example.nl', 1, CREATED_AT + 7],
      [1, null, 1, CREATED_AT + 8],
      [1, 'actief.hulpverlener@jeugdzorg.example.nl', 0, null],
      [null, 'actief.loket@gemeente.example.nl', 0, null],
    ];
    const insertPerson = db.prepare(
      'INSERT INTO people (rid, id, org, display_name, email, roles, status, created_at, removed_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)',
    );
    const ids = people.map(([org, email, status, removedAt], i) => {
      const id = randomUUID();
      insertPerson.run(i + 1, id, org, `Persoon ${i + 1}`, email, status, CREATED_AT, removedAt);
      return id;
    });
    const before = db.prepare('SELECT * FROM people ORDER BY rid').all() as Record<string, unknown>[];
    db.close();

    const store = openSqliteStore({ path, clock: () => CREATED_AT });
    try {
      for (const [i, [, email, status]] of people.entries()) {
        const p = await store.read((tx) => tx.getPerson(ids[i]!));
        expect(p?.email, `person ${i + 1}`).toBe(status === 1 ? null : email);
        expect(p?.status).toBe(status === 1 ? 'removed' : 'active');
      }
    } finally {
      await store.close();
    }

    checkMigrated(path, (check) => {
      expect(check.prepare('SELECT * FROM people ORDER BY rid').all()).toEqual(
        before.map((r) => (r.status === 1 ? { ...r, email: null } : r)),
      );
    });
    // The cleared addresses are gone from every byte of the store (secure_delete, and the
    // checkpoint at open empties the WAL); an active person's address is there (the control).
    const files = [path, `${path}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
    const held = (text: string) => files.some((b) => b.includes(Buffer.from(text)));
    for (const [, email, status] of people) if (email !== null) expect(held(email), email).toBe(status === 0);
  });
});
