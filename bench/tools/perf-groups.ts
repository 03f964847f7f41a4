// Groups a `perf` profile of the server into the table of docs/performance.md ("Where the CPU
// goes"): every sample is counted once, towards the innermost JavaScript function on its
// stack that has a source location (named through the server's --perf-basic-prof map), so
// native SQLite, V8 and kernel frames count towards the JavaScript that called them; samples
// of other threads by thread, samples of the main thread without a JavaScript caller by what
// they are (garbage collection, kernel, other native). Not part of `pnpm bench`.
//   perf record -F 1999 -g -p <server pid> -- sleep 20
//   perf script -F comm,pid,tid,ip,sym,dso | node --import tsx bench/tools/perf-groups.ts [--top N]
// --top N also lists the N JavaScript functions that most samples count towards (the same rule).
// --match REGEX sums the samples of the functions whose name matches (exact counts, for the
// small items of docs/performance.md "Ninth pass").

import { createInterface } from 'node:readline';

interface Frame {
  readonly sym: string;
  readonly dso: string;
}

/** [group, test on the innermost located JavaScript frame's symbol]; first match wins. */
const JS_GROUPS: readonly (readonly [string, RegExp])[] = [
  [
    'store: group commit (BEGIN/SAVEPOINT/RELEASE/COMMIT and the WAL writes and fsync under them)',
    /store\/sqlite\/group-commit\./,
  ],
  ['store: SQLite statements', /store\/sqlite\//],
  ['store: key and nonce caches, outbox announcer, store decorators', /store\/(announce-outbox|[a-z-]+\.js)/],
  [
    'the logbook entry (canonical JSON, SHA-256, storage encoding)',
    /(domain\/logbook|canonical-json|logbook-codec)\./,
  ],
  ['authentication (signature header, signature base, key state, nonce)', /engine\/dist\/(auth|protocol)\//],
  ['engine domain code (placement, matching, budget, validation, re-keying)', /engine\/dist\//],
  ['server app (route pipeline, access rule, zod schemas, answer)', /server\/dist\//],
  ['zod', /node_modules\/.*zod/],
  ['Hono and @hono/node-server', /node_modules\/.*hono/],
  [
    'node:http parsing, streams, sockets',
    /node:(_http|http|net|internal\/(streams|http|stream_base|js_stream)|stream|events)/,
  ],
  ['node:crypto on the main thread', /node:internal\/crypto/],
  ['other node internals (timers, promises, buffers, url)', /node:/],
];

const located = (f: Frame) => /(file:\/\/|node:)\S+:\d+/.test(f.sym);
const isGc = (f: Frame) =>
  /(Heap::|Scavenge|MarkCompact|Sweeper|GCTracer|ConcurrentMarking|MinorMC)/.test(f.sym);
const isKernel = (f: Frame) => f.dso.includes('kernel');

function groupOf(comm: string, main: boolean, frames: readonly Frame[]): string {
  if (!main) {
    const all = frames.map((f) => f.sym).join(' ');
    // The only worker thread is the WAL checkpointer (store/sqlite/wal-checkpointer.ts).
    if (/node::worker::Worker::Run|sqlite3WalCheckpoint/.test(all)) return 'WAL checkpoint (worker thread)';
    if (/node::crypto::|ed25519|ED25519/.test(all)) return 'Ed25519 verification (thread pool)';
    if (frames.some(isGc) || /DefaultJobWorker|ArrayBufferSweeper/.test(all))
      return 'garbage collection (helper threads)';
    if (/futex/.test(all)) return 'other threads: waiting and waking (futex)';
    return `other threads (${comm})`;
  }
  const js = frames.find(located);
  if (js === undefined) {
    if (frames.some(isGc)) return 'garbage collection (main thread)';
    if (frames.length > 0 && isKernel(frames[0]!))
      return 'kernel without a JavaScript frame (epoll, wake-ups, system calls)';
    return 'native frames without a JavaScript caller (libuv, V8 runtime, malloc)';
  }
  const under = frames.slice(0, frames.indexOf(js));
  if (under.some(isGc)) return 'garbage collection (main thread)';
  const native = under.some((f) => f.dso.includes('better_sqlite3'));
  for (const [name, test] of JS_GROUPS) {
    if (!test.test(js.sym)) continue;
    if (name.startsWith('store: SQLite statements')) {
      return native
        ? 'SQLite executing the placement statements (native, row objects included)'
        : 'store JavaScript around the statements (row mapping, codecs, binding)';
    }
    return name;
  }
  return 'other JavaScript';
}

const topArg = process.argv.indexOf('--top');
const top = topArg >= 0 ? Number(process.argv[topArg + 1] ?? 30) : 0;
const matchArg = process.argv.indexOf('--match');
const match = matchArg >= 0 ? new RegExp(process.argv[matchArg + 1] ?? '$^') : undefined;
const byFunction = new Map<string, number>();
const counts = new Map<string, number>();
const threads = new Map<string, number>();
let total = 0;
let header: { comm: string; pid: string; tid: string } | undefined;
let frames: Frame[] = [];

function flush(): void {
  if (header === undefined) return;
  const main = header.pid === header.tid;
  const g = groupOf(header.comm, main, frames);
  const js = main ? frames.find(located) : undefined;
  if (js !== undefined) {
    const name = js.sym
      .replace(/file:\/\/\S*\/packages\//, '')
      .replace(/^(LazyCompile|Function|JS):[*~^]?/, '');
    byFunction.set(name, (byFunction.get(name) ?? 0) + 1);
  }
  counts.set(g, (counts.get(g) ?? 0) + 1);
  const t = main ? 'main thread' : header.comm;
  threads.set(t, (threads.get(t) ?? 0) + 1);
  total++;
  header = undefined;
  frames = [];
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') {
    flush();
    continue;
  }
  const h = /^(\S.*?)\s+(\d+)\/(\d+)\s*$/.exec(line) ?? /^(\S.*?)\s+(\d+)\/(\d+)\s/.exec(line);
  if (h !== null && !line.startsWith('\t') && !line.startsWith(' ')) {
    flush();
    header = { comm: h[1]!.trim(), pid: h[2]!, tid: h[3]! };
    continue;
  }
  const f = /^\s+[0-9a-f]+\s+(.*?)\s+\(([^)]*)\)\s*$/.exec(line);
  if (f !== null) frames.push({ sym: f[1]!, dso: f[2]! });
}
flush();

const pct = (n: number) => `${((100 * n) / total).toFixed(1)} %`;
console.log(
  `${total} samples; by thread: ${[...threads]
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${t} ${pct(n)}`)
    .join(', ')}`,
);
console.log('| group | share of samples |');
console.log('|---|---|');
for (const [g, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`| ${g} | ${pct(n)} |`);
if (top > 0) {
  console.log('\n| function (innermost located JavaScript frame) | share of samples |');
  console.log('|---|---|');
  for (const [f, n] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`| ${f} | ${pct(n)} |`);
}
if (match !== undefined) {
  let n = 0;
  for (const [f, c] of byFunction) if (match.test(f)) n += c;
  console.log(`\n${match.source}: ${n} samples, ${((100 * n) / total).toFixed(2)} % of all`);
}
