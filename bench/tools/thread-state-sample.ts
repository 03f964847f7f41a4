// Where a server's main thread spends its time, by sampling its state and current system call
// (/proc/<pid>/task/<pid>/stat and …/syscall) every 2 ms (docs/performance.md "Twenty-fourth pass:
// bulk, the commit's fsync overlapped"). Started by bulk-ab.ts under SLUIS_AB_SAMPLE=1 around each
// measured round of one server: prints `ready` once sampling, samples until SIGTERM (or until the
// process is gone), then prints one JSON line of sample counts: `R` (running or runnable), `fsync`,
// `fdatasync`, `futex`, `epoll` (the event loop waiting: idle) and `other` (any other system call,
// e.g. a page read). Linux only; the system call numbers are x86-64's. Not part of `pnpm bench`.
//   node --import tsx bench/tools/thread-state-sample.ts <pid>

import { readFileSync } from 'node:fs';

const pid = Number(process.argv[2]);
const PERIOD_MS = 2;
const SYSCALLS: Record<string, string> = { '74': 'fsync', '75': 'fdatasync', '202': 'futex', '281': 'epoll' };
const counts: Record<string, number> = { R: 0, fsync: 0, fdatasync: 0, futex: 0, epoll: 0, other: 0 };

/** 'R', a name of SYSCALLS or 'other'; undefined once the process is gone. */
function sample(): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    if (stat[stat.lastIndexOf(')') + 2] === 'R') return 'R';
    const nr = readFileSync(`/proc/${pid}/task/${pid}/syscall`, 'utf8').split(' ')[0] ?? '';
    return SYSCALLS[nr] ?? 'other';
  } catch {
    return undefined;
  }
}

let stop = false;
process.on('SIGTERM', () => {
  stop = true;
});
process.stdout.write('ready\n');
const tick = () => {
  const what = stop ? undefined : sample();
  if (what === undefined) {
    process.stdout.write(`${JSON.stringify(counts)}\n`);
    process.exit(0);
  }
  counts[what] = (counts[what] ?? 0) + 1;
  setTimeout(tick, PERIOD_MS);
};
tick();
