// The SQLite store's online backup (sqlite-backup.ts, docs/operations.md "Back up and restore"):
// a 0600 copy from its first byte, never over an existing file; the target appears only
// complete, a stop or a file that appeared meanwhile leaves no partial copy, a killed run's
// leftovers of that name go with the next backup; without hard links the checked copy is renamed.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publishCopy } from './sqlite-backup.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-backup-'));
let n = 0;
const fresh = () => join(dir, `db-${n++}.sqlite`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite backup', () => {
  it('backup: a 0600 copy from the first byte even with umask 0, never over an existing file', async () => {
    const s = openSqliteStore({ path: fresh() });
    await s.write((tx) => tx.insertNonces([{ keyId: 'k', nonce: 'backed-up', expiresAt: 10 ** 12 }]));
    const target = fresh();
    const umask = process.umask(0);
    try {
      expect((await s.backup(target)).pages).toBeGreaterThan(0);
    } finally {
      process.umask(umask);
    }
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const copy = openSqliteStore({ path: target });
    expect(await copy.read((tx) => tx.unexpiredNonces(0))).toHaveLength(1);
    await copy.close();
    const existing = fresh();
    writeFileSync(existing, 'keep me');
    await expect(s.backup(existing)).rejects.toMatchObject({ code: 'conflict' });
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    await s.close();
  });

  it('backup: the target appears only complete; a stop or a file that appeared meanwhile leaves no partial copy', async () => {
    const s = openSqliteStore({ path: fresh() });
    await s.write((tx) => tx.insertNonces([{ keyId: 'k', nonce: 'backed-up', expiresAt: 10 ** 12 }]));
    const folder = mkdtempSync(join(dir, 'backups-'));
    const target = join(folder, 'b.db');

    // Stopped before it begins: nothing is created.
    const before = new AbortController();
    before.abort();
    await expect(s.backup(target, { signal: before.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(folder)).toEqual([]);

    // Stopped once the copy is under way (the second look at the signal): the partial copy goes.
    const during = new AbortController();
    let looks = 0;
    const stopsLater = {
      throwIfAborted() {
        if (++looks === 2) during.abort();
        during.signal.throwIfAborted();
      },
    } as unknown as AbortSignal;
    await expect(s.backup(target, { signal: stopsLater })).rejects.toMatchObject({ name: 'AbortError' });
    expect(looks).toBe(2);
    expect(readdirSync(folder)).toEqual([]);

    // A file that appears at the target during the copy is kept, not replaced (link, not rename).
    let seen = 0;
    const appearsLater = {
      throwIfAborted() {
        if (++seen > 1 && !existsSync(target)) writeFileSync(target, 'keep me');
      },
    } as unknown as AbortSignal;
    await expect(s.backup(target, { signal: appearsLater })).rejects.toMatchObject({ code: 'conflict' });
    expect(readFileSync(target, 'utf8')).toBe('keep me');
    expect(readdirSync(folder)).toEqual(['b.db']);
    rmSync(target);

    // What a process ended at once left (its partial copy and journal) goes with the next backup
    // to that name; another name's, and a file that merely looks alike, stay.
    writeFileSync(join(folder, '.b.db.partial-0123456789ab'), 'partial');
    writeFileSync(join(folder, '.b.db.partial-0123456789ab-journal'), 'journal');
    writeFileSync(join(folder, '.c.db.partial-0123456789ab'), 'another backup');
    writeFileSync(join(folder, '.b.db.partial-mine'), 'not ours');
    expect(await s.backup(target)).toMatchObject({ leftoversRemoved: 1 });
    expect(readdirSync(folder).sort()).toEqual(['.b.db.partial-mine', '.c.db.partial-0123456789ab', 'b.db']);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const copy = openSqliteStore({ path: target });
    expect(await copy.read((tx) => tx.unexpiredNonces(0))).toHaveLength(1);
    await copy.close();
    await s.close();
  });

  it('backup: on a file system without hard links the checked copy is renamed, never over a file', () => {
    // A link() that fails as vfat's and some SMB mounts' do (docs/operations.md "Back up and restore").
    const noLinks = () => {
      throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
    };
    const folder = mkdtempSync(join(dir, 'no-links-'));
    const partial = join(folder, '.a.db.partial-0123456789ab');
    const target = join(folder, 'a.db');
    writeFileSync(partial, 'the checked copy');
    publishCopy(partial, target, noLinks);
    expect(readdirSync(folder)).toEqual(['a.db']);
    expect(readFileSync(target, 'utf8')).toBe('the checked copy');
    // A file at the target is kept and the backup refused, the copy left for the caller to remove.
    writeFileSync(partial, 'a second copy');
    expect(() => publishCopy(partial, target, noLinks)).toThrow(
      expect.objectContaining({ code: 'conflict' }),
    );
    expect(readFileSync(target, 'utf8')).toBe('the checked copy');
    // Any other failure of link() is not taken for a file system without hard links.
    const otherFailure = () => {
      throw Object.assign(new Error('input/output error'), { code: 'EIO' });
    };
    expect(() => publishCopy(partial, join(folder, 'b.db'), otherFailure)).toThrow(
      expect.objectContaining({ code: 'EIO' }),
    );
    expect(existsSync(join(folder, 'b.db'))).toBe(false);
  });
});
