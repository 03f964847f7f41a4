// Where a running server's main thread spends its time, by sampling its state and current system
// call (/proc/<pid>/task/<pid>/stat and …/syscall) every 2 ms (docs/performance.md "Twenty-fourth
// pass: bulk, the commit's fsync overlapped"). Run it beside an A/B tool (bulk-ab.ts,
// placement-vs-floor.ts): it waits for `sluis-server … start` processes, samples each one's main
// thread until it exits, and cuts the samples into busy stretches (a stretch ends after 300 ms in
// `epoll_pwait`, the event loop idle), one per round that server ran, plus the prefill and the
// warm-up. Per stretch it prints the share of samples running or runnable (state R), in `fsync`
// or `fdatasync`, in `futex`, in other system calls, and idle inside the stretch. A server is
// named by the checkout its script runs from. Not part of `pnpm bench`; nothing asserted.
// Linux only; the syscall numbers are x86-64's.
//   node --import tsx bench/tools/thread-state-sample.ts [servers to wait for, default 2] [max seconds, default 3600]

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const expected = Number(process.argv[2] ?? 2);
const maxSeconds = Number(process.argv[3] ?? 3600);
const PERIOD_MS = 2;
const IDLE_GAP_MS = 300;
const SYSCALLS: Record<string, string> = { '74': 'fsync', '75': 'fdatasync', '202': 'futex', '281': 'epoll' };
const sleep = new Int32Array(new SharedArrayBuffer(4));

interface Stretch {
  start: number;
  end: number;
  counts: Map<string, number>;
}
interface Sampled {
  readonly label: string;
  stretches: Stretch[];
  idleSince: number | undefined;
  gone: boolean;
}

function serverPids(): number[] {
  try {
    return execFileSync('pgrep', ['-f', 'sluis-server.js start'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** The checkout a server runs from: the part of its script's path before /packages/. */
function labelOf(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const script = args.find((a) => a.endsWith('sluis-server.js')) ?? '?';
  return `${script.split('/packages/')[0]} (pid ${pid})`;
}

/** 'R', 'fsync', 'fdatasync', 'futex', 'epoll' or 'other', or undefined once the process is gone. */
function sample(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'R') return 'R';
    const nr = readFileSync(`/proc/${pid}/task/${pid}/syscall`, 'utf8').split(' ')[0] ?? '';
    return SYSCALLS[nr] ?? 'other';
  } catch {
    return undefined;
  }
}

const servers = new Map<number, Sampled>();
const t0 = performance.now();
let lastLookup = -Infinity;
while (performance.now() - t0 < maxSeconds * 1000) {
  const now = performance.now();
  if (servers.size < expected && now - lastLookup > 500) {
    lastLookup = now;
    for (const pid of serverPids())
      if (!servers.has(pid) && existsSync(`/proc/${pid}`))
        servers.set(pid, { label: labelOf(pid), stretches: [], idleSince: now, gone: false });
  }
  for (const [pid, s] of servers) {
    if (s.gone) continue;
    const what = sample(pid);
    if (what === undefined) {
      s.gone = true;
      continue;
    }
    if (what === 'epoll') {
      s.idleSince ??= now;
    } else {
      if (s.idleSince !== undefined && now - s.idleSince > IDLE_GAP_MS) {
        s.stretches.push({ start: now, end: now, counts: new Map() });
      }
      s.idleSince = undefined;
    }
    const cur = s.stretches.at(-1);
    if (cur !== undefined && (s.idleSince === undefined || now - s.idleSince <= IDLE_GAP_MS)) {
      cur.end = now;
      cur.counts.set(what, (cur.counts.get(what) ?? 0) + 1);
    }
  }
  if (servers.size > 0 && [...servers.values()].every((s) => s.gone)) break;
  Atomics.wait(sleep, 0, 0, PERIOD_MS);
}

const pct = (n: number | undefined, total: number) => `${(((n ?? 0) * 100) / total).toFixed(1)} %`;
for (const s of servers.values()) {
  console.log(`server ${s.label}`);
  for (const [i, st] of s.stretches.entries()) {
    const total = [...st.counts.values()].reduce((a, b) => a + b, 0);
    if (total < 50) continue; // a start-up or a stray request, not a round
    const c = st.counts;
    console.log(
      `  stretch ${i + 1}: at ${((st.start - t0) / 1000).toFixed(1)} s, ${((st.end - st.start) / 1000).toFixed(2)} s, ${total} samples: running ${pct(c.get('R'), total)}, fsync ${pct((c.get('fsync') ?? 0) + (c.get('fdatasync') ?? 0), total)}, futex ${pct(c.get('futex'), total)}, other calls ${pct(c.get('other'), total)}, idle ${pct(c.get('epoll'), total)}`,
    );
  }
}
