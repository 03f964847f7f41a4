// The data directory's mode (docs/operations.md "Start, and the first start"): created
// 0700 when missing; an existing one is never chmod'ed, and refused with one line naming
// the fix when group or others may write to it — through the real CLI commands too.

import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { ensurePrivateDir } from './data-dir.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sluis-data-dir-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o7777;

function cli(args: string[]) {
  const err: string[] = [];
  const io = {
    stdout: { write: () => true },
    stderr: { write: (t: string) => err.push(t) },
    cwd: root,
    onShutdown: () => () => {},
  };
  return { run: () => main(args, {}, io), err: () => err.join('') };
}

describe.skipIf(process.platform === 'win32')('data directory mode', () => {
  it('creates a missing directory and its missing parents 0700', () => {
    const dir = join(root, 'new', 'nested', 'data');
    ensurePrivateDir(dir);
    for (const p of [join(root, 'new'), join(root, 'new', 'nested'), dir]) expect(mode(p), p).toBe(0o700);
  });

  it('uses an existing directory as the operator made it: a 0750 one stays 0750', () => {
    const dir = join(root, 'operator');
    mkdirSync(dir);
    chmodSync(dir, 0o750);
    ensurePrivateDir(dir);
    expect(mode(dir)).toBe(0o750);
  });

  it('refuses a group- or world-writable directory and leaves its mode alone', () => {
    for (const m of [0o1777, 0o777, 0o770, 0o702]) {
      const dir = join(root, `shared-${m.toString(8)}`);
      mkdirSync(dir);
      chmodSync(dir, m);
      expect(() => ensurePrivateDir(dir), m.toString(8)).toThrowError(
        expect.objectContaining({ code: 'data_dir_insecure' }),
      );
      expect(mode(dir)).toBe(m);
    }
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    expect(() => ensurePrivateDir(file)).toThrowError(expect.objectContaining({ code: 'data_dir_unusable' }));
  });

  it('start and retention on a shared drwxrwxrwt directory: exit 2, one line naming the fix, mode unchanged', async () => {
    const shared = join(root, 'tmp-like');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    // the commands that only open existing keys check the directory too
    mkdirSync(join(shared, 'keys'), { mode: 0o700 });
    for (const args of [
      ['start', '--data-dir', shared, '--port', '0'],
      ['retention', '--data-dir', shared],
    ]) {
      const c = cli(args);
      expect(await c.run(), args[0]).toBe(2);
      const lines = c.err().trim().split('\n');
      expect(lines, args[0]).toHaveLength(1);
      expect(lines[0]).toBe(
        `sluis-server: directory ${shared} is writable by group or others; refusing to use it (fix: chmod go-w ${shared}, or choose another --data-dir)`,
      );
      expect(mode(shared)).toBe(0o1777);
    }
  });
});
