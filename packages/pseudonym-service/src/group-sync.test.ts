// Group commit's descriptors (group-sync.ts): a descriptor replaced while an fdatasync runs on it
// is closed by that sync when it ends, and any other descriptor when it is replaced. Seen on
// the logbook: closed while the sync of the file it rotated away from still ran, it leaves no
// descriptor open on either file (/proc/self/fd).

import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Logbook } from './logbook.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** This process's descriptors open on a file in `dir`. */
function openIn(dir: string): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(`${dir}/`) ? [target] : [];
    } catch {
      return [];
    }
  });
}

describe('GroupSync', () => {
  it.skipIf(!existsSync('/proc/self/fd'))(
    'the logbook closed during a sync of the file it rotated away from leaves no descriptor open',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sluis-ps-sync-'));
      dirs.push(dir);
      const day = Date.now();
      const logbook = new Logbook(dir, { rotate: true });
      logbook.write(day, { event: 'epoch.added', epoch: 7 });
      // An fdatasync of the first file starts; before it ends, a line of the next day rotates the
      // file (a new descriptor), and the logbook is closed.
      const durable = logbook.durable();
      logbook.write(day + 86_400_000, { event: 'epoch.added', epoch: 8 });
      logbook.close();
      await durable;
      await expect.poll(() => openIn(dir)).toEqual([]);
      expect(readdirSync(dir).sort()).toEqual([
        `logbook-${new Date(day).toISOString().slice(0, 10)}.jsonl`,
        'logbook.jsonl',
      ]);
    },
  );
});
