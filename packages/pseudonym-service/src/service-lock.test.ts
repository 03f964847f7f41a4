// The data directory's lock under a real race (lock-file.ts, docs/operations.md "Pseudonym
// service"): several processes that find one stale service.lock at the same instant replace it,
// and exactly one of them holds the lock afterwards; the others are refused as by a live owner.
// The racers are separate node processes running the built module (dist/, built by the test
// setup), released together by a wall-clock barrier (and, under strace, with every unlink held
// back so that all of them read the stale lock first), each killed after a time limit so a wrong
// lock fails the test instead of hanging it. A claim left by a racer that died is no obstacle.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireServiceLock } from './service-lock.js';
import { hasStrace } from './testing/strace.js';

const MODULE = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'service-lock.js')).href;

/**
 * argv: the data directory and the barrier (ms since the epoch). Prints `held` or the error's
 * name, then keeps whatever it took until its stdin closes.
 */
const RACER = `
const { acquireServiceLock } = await import(${JSON.stringify(MODULE)});
const [dir, at] = [process.argv[1], Number(process.argv[2])];
const ahead = at - Date.now() - 5;
if (ahead > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ahead);
while (Date.now() < at);
try {
  acquireServiceLock(dir);
  process.stdout.write('held\\n');
} catch (e) {
  process.stdout.write(e.name + '\\n');
}
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

const dirs: string[] = [];
const racers: ChildProcess[] = [];
afterEach(() => {
  for (const c of racers.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * Under strace, every unlink(2) of a racer is held back 200 ms before it runs: all racers read
 * the stale lock before the first one removes it, which lines the race up every time.
 */
const slowUnlink = (command: string[]) => [
  'strace',
  '-f',
  '-qq',
  '--seccomp-bpf',
  '-o',
  '/dev/null',
  '-e',
  'trace=unlink,unlinkat',
  '-e',
  'inject=unlink,unlinkat:delay_enter=200000',
  ...command,
];

/** Starts `n` racers released together; resolves with what each printed. */
async function race(dir: string, n: number, wrap: (command: string[]) => string[] = (c) => c) {
  const at = Date.now() + 1_000;
  const outcomes = Array.from({ length: n }, () => {
    const [command, ...args] = wrap([process.execPath, '--input-type=module', '-e', RACER, dir, String(at)]);
    const child = spawn(command!, args, {
      stdio: ['pipe', 'pipe', 'ignore'],
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    racers.push(child);
    return new Promise<string>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += String(d);
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code, signal) =>
        resolve(out.includes('\n') ? out.trim() : `exit ${code ?? signal}`),
      );
    });
  });
  const printed = await Promise.all(outcomes);
  for (const c of racers.splice(0)) {
    c.stdin!.end();
    if (c.exitCode === null) await new Promise((r) => c.once('exit', r));
  }
  return printed;
}

const hasProc = existsSync('/proc/self/ns/pid') && existsSync('/proc/sys/kernel/random/boot_id');
const orNull = (read: () => string) => {
  try {
    return read().trim();
  } catch {
    return null;
  }
};
/** The host, boot and pid namespace of this process, as a lock file records them. */
const here = () => ({
  host: hostname(),
  bootId: orNull(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
  pidNamespace: orNull(() => readlinkSync('/proc/self/ns/pid')),
});

/** A process that has ended here, with a made-up start time, so a reuse of its pid is not it. */
function gone(): { pid: number; startTime: string } {
  return { pid: spawnSync(process.execPath, ['-e', ''], { timeout: 20_000 }).pid, startTime: '1', ...here() };
}

/** A lock of a process that has ended. */
function staleLock(dir: string, owner: object = gone()): void {
  writeFileSync(join(dir, 'service.lock'), `${JSON.stringify(owner)}\n`, { mode: 0o600 });
}

/** Exactly one racer holds the lock; every other one was refused as for a live owner. */
function expectOneHolder(printed: string[], round: number): void {
  expect(
    printed.filter((p) => p === 'held'),
    `round ${round}: ${printed.join(', ')}`,
  ).toHaveLength(1);
  expect(printed.filter((p) => p !== 'held')).toEqual(Array(printed.length - 1).fill('DataDirLockedError'));
}

describe('service lock', () => {
  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sluis-ps-lock-'));
    dirs.push(dir);
    return dir;
  }

  it('several starts that find one stale lock at once: exactly one takes it over', {
    timeout: 60_000,
  }, async () => {
    const dir = tempDir();
    for (let round = 0; round < 5; round++) {
      staleLock(dir);
      expectOneHolder(await race(dir, 6), round);
    }
  });

  it.skipIf(!hasStrace)(
    'the same with every removal held back, so all of them find the stale lock first (strace)',
    { timeout: 60_000 },
    async () => {
      const dir = tempDir();
      for (let round = 0; round < 3; round++) {
        staleLock(dir);
        expectOneHolder(await race(dir, 4, slowUnlink), round);
      }
    },
  );

  it('a takeover claim left by a start that died mid-takeover is removed the same way', () => {
    const dir = tempDir();
    const owner = gone();
    staleLock(dir, owner);
    const claim = join(dir, `service.lock.takeover-${owner.pid}-${owner.startTime}`);
    writeFileSync(claim, `${JSON.stringify(gone())}\n`, { mode: 0o600 });
    const lock = acquireServiceLock(dir);
    expect(JSON.parse(readFileSync(join(dir, 'service.lock'), 'utf8')).pid).toBe(process.pid);
    expect(existsSync(claim)).toBe(false);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(!hasProc)(
    'a claim and a temporary file left by dead starts after the lock was gone are removed; a live claim stays',
    () => {
      const dir = tempDir();
      // A start killed after it removed a dead owner's lock, before it removed its claim: no lock
      // names that owner any more, so no takeover would ever meet the claim again.
      const claim = join(dir, `service.lock.takeover-${gone().pid}-1`);
      writeFileSync(claim, `${JSON.stringify(gone())}\n`, { mode: 0o600 });
      const temp = join(dir, 'service.lock.tmp-0123456789abcdef');
      writeFileSync(temp, `${JSON.stringify(gone())}\n`, { mode: 0o600 });
      // A claim of a live process (this one, as it records itself) in the middle of a takeover.
      const startTime = readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!;
      const live = join(dir, `service.lock.takeover-${gone().pid}-2`);
      writeFileSync(live, `${JSON.stringify({ pid: process.pid, startTime, ...here() })}\n`, { mode: 0o600 });
      const lock = acquireServiceLock(dir);
      expect(readdirSync(dir).sort()).toEqual(['service.lock', basename(live)].sort());
      lock.release();
      expect(readdirSync(dir)).toEqual([basename(live)]);
    },
  );

  it.skipIf(!existsSync('/proc/self/stat'))(
    'a lock of a process that ended but is not yet reaped is stale',
    () => {
      const dir = tempDir();
      // This process's own child, ended while the event loop is blocked: a zombie until reaped.
      const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore', timeout: 20_000 });
      const zombie = () => readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
      const deadline = Date.now() + 10_000;
      while (!zombie() && Date.now() < deadline)
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      expect(zombie()).toBe(true);
      staleLock(dir, {
        pid: child.pid!,
        startTime: readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!,
        ...here(),
      });
      const lock = acquireServiceLock(dir);
      expect(JSON.parse(readFileSync(join(dir, 'service.lock'), 'utf8')).pid).toBe(process.pid);
      lock.release();
    },
  );

  describe('a lock from another host, boot or pid namespace', () => {
    /** A process alive here (this one), as seen with another start time: a stale pid to the old check. */
    const aliveHere = () => ({ pid: process.pid, startTime: '1' });
    const refusal = (dir: string) => {
      try {
        acquireServiceLock(dir).release();
      } catch (e) {
        return e as Error;
      }
      return undefined;
    };

    it.skipIf(!hasProc)(
      'another pid namespace (a container sharing the volume): refused, not taken over',
      () => {
        const dir = tempDir();
        staleLock(dir, { ...gone(), pidNamespace: 'pid:[1]' });
        const e = refusal(dir);
        expect(e?.name).toBe('DataDirLockedError');
        expect(e?.message).toContain(
          `in pid namespace pid:[1] of host ${JSON.stringify(hostname())}, which cannot be checked from here; stop that service first, or remove the file by hand once sure no service runs on this data directory`,
        );
        expect(JSON.parse(readFileSync(join(dir, 'service.lock'), 'utf8')).pidNamespace).toBe('pid:[1]');
      },
    );

    it('another host: refused even when the pid has ended here', () => {
      const dir = tempDir();
      staleLock(dir, { ...gone(), host: 'other-host' });
      expect(refusal(dir)?.message).toContain(`is held by process`);
      expect(refusal(dir)?.message).toContain(`in host "other-host", which cannot be checked from here`);
      expect(JSON.parse(readFileSync(join(dir, 'service.lock'), 'utf8')).host).toBe('other-host');
    });

    it.skipIf(!hasProc)(
      'this host under another boot id (rebooted): stale even when the pid is alive',
      () => {
        const dir = tempDir();
        const startTime = readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!;
        staleLock(dir, { pid: process.pid, startTime, ...here(), bootId: 'another-boot' });
        const lock = acquireServiceLock(dir);
        expect(JSON.parse(readFileSync(join(dir, 'service.lock'), 'utf8')).bootId).toBe(here().bootId);
        lock.release();
        expect(readdirSync(dir)).toEqual([]);
      },
    );

    it('a lock without host (an older version): refused, naming that, even when the pid has ended', () => {
      const dir = tempDir();
      // The format before host, boot id and pid namespace were recorded (pid and start time).
      const old = `${JSON.stringify({ pid: gone().pid, startTime: '1' })}\n`;
      writeFileSync(join(dir, 'service.lock'), old, { mode: 0o600 });
      const e = refusal(dir);
      expect(e?.name).toBe('DataDirLockedError');
      expect(e?.message).toContain(
        'in a host and pid namespace the lock does not record (an older version), which cannot be checked from here',
      );
      // Not taken over: the old lock is there as it was.
      expect(readFileSync(join(dir, 'service.lock'), 'utf8')).toBe(old);
    });

    it.skipIf(!hasProc)('a takeover claim made in another pid namespace counts as live', () => {
      const dir = tempDir();
      const owner = gone();
      staleLock(dir, owner);
      const claim = join(dir, `service.lock.takeover-${owner.pid}-${owner.startTime}`);
      writeFileSync(claim, `${JSON.stringify({ ...aliveHere(), ...here(), pidNamespace: 'pid:[1]' })}\n`);
      expect(refusal(dir)?.message).toContain('in pid namespace pid:[1]');
      expect(existsSync(claim)).toBe(true);
    });
  });
});
