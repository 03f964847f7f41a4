// The persisted replay memory (nonce-file.ts, docs/protocol.md §5.4): a nonce whose write
// failed (disk full, an I/O error) is written by the next persist, so a restart inside its
// window still refuses the request it belongs to; concurrent persists share fdatasyncs and
// each resolves only once its nonce is in the file.

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NonceCache } from '@sluis/engine/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { NONCES_FILE } from './data-dir.js';
import { NonceFile } from './nonce-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('NonceFile', () => {
  it('keeps a nonce whose write failed and writes it with the next persist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluis-nonces-'));
    dirs.push(dir);
    const now = 1_780_000_000_000;
    const cache = new NonceCache();
    const file = new NonceFile(dir, cache);
    // The write fails: nonces.log is written anew (a temporary file beside it, fsynced and
    // renamed), and its path is a directory (the rename fails, EISDIR), as a full disk would fail
    // it. The temporary file is removed.
    const path = join(dir, NONCES_FILE);
    expect(cache.checkAndAdd('kidA', 'nonceA', now + 300_000, now)).toBe(false); // new
    mkdirSync(path);
    await expect(file.persist(now)).rejects.toThrow();
    expect(readdirSync(dir)).toEqual([NONCES_FILE]);
    rmSync(path, { recursive: true });
    expect(cache.checkAndAdd('kidB', 'nonceB', now + 300_000, now)).toBe(false);
    await file.persist(now + 1_000);
    expect(readFileSync(join(dir, NONCES_FILE), 'utf8')).toContain('kidA nonceA');
    await file.close();

    // A restart inside the window: both are replays (true).
    const restarted = new NonceCache();
    new NonceFile(dir, restarted).load(now + 2_000);
    expect(restarted.checkAndAdd('kidA', 'nonceA', now + 300_000, now + 2_000)).toBe(true);
    expect(restarted.checkAndAdd('kidB', 'nonceB', now + 300_000, now + 2_000)).toBe(true);
  });

  it('resolves every concurrent persist once its nonce is in the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluis-nonces-'));
    dirs.push(dir);
    const now = 1_780_000_000_000;
    const cache = new NonceCache();
    const file = new NonceFile(dir, cache);
    file.load(now);
    const written: string[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        cache.checkAndAdd('kid', `nonce${i}`, now + 300_000, now);
        await file.persist(now);
        written.push(
          readFileSync(join(dir, NONCES_FILE), 'utf8').includes(`kid nonce${i}\n`) ? 'ok' : `${i}`,
        );
      }),
    );
    expect(written).toEqual(Array(50).fill('ok'));
    await file.close();
  });
});
