// Group commit's descriptors (group-sync.ts): a descriptor replaced while an fdatasync runs on it
// is closed by that sync when it ends, and any other descriptor when it is replaced. Seen on
// the logbook: closed while the sync of the file it rotated away from still ran, it leaves no
// descriptor open on either file (/proc/self/fd). A failed fdatasync (on a FIFO, a real
// descriptor that cannot be synced: EINVAL) rejects every waiter it covers, and with
// `dropAfterFailedSync` (nonce-file.ts) drops and closes the descriptor, so the owner writes
// the file anew.

import { execFileSync } from 'node:child_process';
import { constants, existsSync, mkdtempSync, openSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupSync } from './group-sync.js';
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

  describe.skipIf(!existsSync('/proc/self/fd'))('a failed fdatasync', () => {
    /** A FIFO opened read-write: a real descriptor whose fdatasync fails (EINVAL). */
    function unsyncable(): { dir: string; fd: number } {
      const dir = mkdtempSync(join(tmpdir(), 'sluis-ps-sync-'));
      dirs.push(dir);
      execFileSync('mkfifo', ['-m', '600', join(dir, 'fifo')], { timeout: 20_000 });
      return { dir, fd: openSync(join(dir, 'fifo'), constants.O_RDWR | constants.O_NONBLOCK) };
    }
    /** Three callers, the second and third asking while the first one's sync runs. */
    async function threeWaiters(sync: GroupSync) {
      const asked = [];
      for (let i = 0; i < 3; i++) {
        sync.wrote();
        asked.push(sync.durable());
      }
      return (await Promise.allSettled(asked)).map((r) =>
        r.status === 'rejected' ? (r.reason as { code?: string }).code : 'resolved',
      );
    }

    it('rejects every waiter; dropAfterFailedSync drops and closes the descriptor', async () => {
      const { dir, fd } = unsyncable();
      const sync = new GroupSync(fd, { name: 'fifo', dropAfterFailedSync: true });
      expect(await threeWaiters(sync)).toEqual(['EINVAL', 'EINVAL', 'EINVAL']);
      expect(sync.fd).toBeUndefined();
      expect(openIn(dir)).toEqual([]);
      // Nothing is open to sync: the next caller is refused until the owner writes the file anew.
      sync.wrote();
      await expect(sync.durable()).rejects.toThrow('fifo not open');
    });

    it('rejects every waiter; without dropAfterFailedSync the descriptor stays, its writes pending', async () => {
      const { dir, fd } = unsyncable();
      const sync = new GroupSync(fd, { name: 'fifo', dropAfterFailedSync: false });
      expect(await threeWaiters(sync)).toEqual(['EINVAL', 'EINVAL', 'EINVAL']);
      expect(sync.fd).toBe(fd);
      expect(sync.pending).toBe(true);
      await expect(sync.durable()).rejects.toMatchObject({ code: 'EINVAL' });
      sync.replace(undefined);
      expect(openIn(dir)).toEqual([]);
    });
  });
});
