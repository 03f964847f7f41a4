// The persisted replay memory (nonce-file.ts, docs/protocol.md §5.4): a nonce whose append
// failed (disk full, an I/O error) is written by the next append, so a restart inside its
// window still refuses the request it belongs to.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  it('keeps a nonce whose append failed and writes it with the next append', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluis-nonces-'));
    dirs.push(dir);
    const now = 1_780_000_000_000;
    const cache = new NonceCache();
    const file = new NonceFile(dir, cache);
    expect(cache.checkAndAdd('kidA', 'nonceA', now + 300_000, now)).toBe(false); // new
    // The append fails: nonces.log is a directory (EISDIR), as a full disk would fail it.
    mkdirSync(join(dir, NONCES_FILE));
    expect(() => file.persist(now)).toThrow();
    rmSync(join(dir, NONCES_FILE), { recursive: true });
    expect(cache.checkAndAdd('kidB', 'nonceB', now + 300_000, now)).toBe(false);
    file.persist(now + 1_000);
    expect(readFileSync(join(dir, NONCES_FILE), 'utf8')).toContain('kidA nonceA');

    // A restart inside the window: both are replays (true).
    const restarted = new NonceCache();
    new NonceFile(dir, restarted).load(now + 2_000);
    expect(restarted.checkAndAdd('kidA', 'nonceA', now + 300_000, now + 2_000)).toBe(true);
    expect(restarted.checkAndAdd('kidB', 'nonceB', now + 300_000, now + 2_000)).toBe(true);
  });
});
