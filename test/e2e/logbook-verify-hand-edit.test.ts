// `sluis-server admin logbook-verify` after a hand edit of the SQLite file and its undo
// (docs/operations.md "When logbook-verify fails"): the real server process on a real SQLite
// file, edited by a second connection as a reviewer would with the sqlite3 shell. An edit is
// found and named by entry; the exact original bytes verify again; an undo with replace()
// writes the stored (encoded) form back as TEXT — the same bytes, another storage class — and
// the failure says so by column, with the statement that fixes it, and never prints a stored
// value or id.

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, SERVER_CLI, type ServerProcess, startServer } from '../support/server-process.js';

interface Db {
  prepare(sql: string): { run(...a: unknown[]): unknown; get(...a: unknown[]): Record<string, unknown> };
  pragma(p: string): unknown;
  close(): void;
}
/** The engine's own better-sqlite3 (a dependency of @sluis/engine, not of test/). */
const Database = createRequire(new URL('../../packages/engine/package.json', import.meta.url))(
  'better-sqlite3',
) as new (
  file: string,
) => Db;

let server: ServerProcess;
let db: Db;
let keyId: string;

const verify = async (...extra: string[]) =>
  runCli(SERVER_CLI, [
    'admin',
    'logbook-verify',
    '--data-dir',
    server.dataDir,
    '--server',
    server.url,
    ...extra,
  ]);

describe('logbook-verify after a hand edit and its undo (SQLite)', () => {
  beforeAll(async () => {
    server = await startServer();
    keyId = /"event":"admin_key_registered","keyId":"([^"]+)"/.exec(server.output())![1]!;
    db = new Database(join(server.dataDir, 'sluis.db'));
    db.pragma('busy_timeout = 5000');
  }, 60_000);

  afterAll(async () => {
    db?.close();
    await server?.stop();
  });

  it('an edit is named by entry and reason; the exact original bytes verify again', async () => {
    const ok = await verify();
    expect(ok.code).toBe(0);
    const head = /head ([0-9a-f]{64})/.exec(ok.stdout)![1]!;
    // Entry 1 is the first admin key's `key.added`, its action stored in the encoded form.
    const original = db.prepare('SELECT action FROM logbook WHERE seq = 1').get().action as Buffer;
    expect(Buffer.isBuffer(original)).toBe(true);
    db.prepare("UPDATE logbook SET action = 'key.revoked' WHERE seq = 1").run();
    const edited = await verify();
    const json = JSON.parse((await verify('--json')).stdout) as Record<string, unknown>;
    // Restored before anything is asserted, so the next case starts from an intact chain.
    db.prepare('UPDATE logbook SET action = ? WHERE seq = 1').run(original);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toMatch(
      /^logbook BROKEN at entry 1 \(0 entries\): the entry does not hash to its stored hash/,
    );
    expect(json).toMatchObject({ ok: false, firstBadSeq: 1, reason: 'hash_mismatch' });
    expect(json.column).toBeUndefined();
    const restored = await verify();
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`head ${head}`);
  }, 60_000);

  it('an undo with replace() leaves the encoded form as TEXT: the column and the fix are named', async () => {
    const head = /head ([0-9a-f]{64})/.exec((await verify()).stdout)![1]!;
    // details {"role":"admin"} is stored as a BLOB with "admin" literal inside; replace() answers TEXT.
    db.prepare("UPDATE logbook SET details = replace(details, 'admin', 'staff') WHERE seq = 1").run();
    expect((await verify()).code).toBe(1);
    db.prepare("UPDATE logbook SET details = replace(details, 'staff', 'admin') WHERE seq = 1").run();
    const cell = db.prepare('SELECT typeof(details) AS t FROM logbook WHERE seq = 1').get();
    expect(cell.t).toBe('text');
    const undone = await verify();
    expect(undone.code).toBe(1);
    expect(undone.stdout).toContain(
      "logbook BROKEN at entry 1 (0 entries): its details cell is TEXT that starts with the stored form's byte 01",
    );
    const fix = 'UPDATE logbook SET details = CAST(details AS BLOB) WHERE seq = 1';
    expect(undone.stdout).toContain(fix);
    expect(JSON.parse((await verify('--json')).stdout)).toMatchObject({
      ok: false,
      firstBadSeq: 1,
      reason: 'stored_form',
      column: 'details',
    });
    // Names the column and the entry, never a stored value or id.
    for (const out of [undone.stdout, undone.stderr]) {
      expect(out).not.toContain(keyId);
      expect(out).not.toContain('"role"');
    }
    db.prepare(fix).run();
    const fixed = await verify();
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain(`head ${head}`);
  }, 60_000);
});
