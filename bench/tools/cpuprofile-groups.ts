// Groups a V8 `.cpuprofile` (node --cpu-prof) like perf-groups.ts groups a `perf` profile
// (docs/performance.md "Ninth pass: what a PostgreSQL placement costs Node"): every sample counts once,
// towards the innermost frame on its stack that has a source location, so native code (Buffer, TextDecoder,
// sockets) counts towards the JavaScript that called it; garbage collection and idle apart. Prints the share
// per group and the functions most samples count towards. `--window A,B`: only the samples taken
// between A and B seconds before the profile's end (the server's stop), so that the start and the end
// of a long run can be compared (docs/performance.md "Twenty-second pass: the national year"). Not part
// of `pnpm bench`.
//   node --import tsx bench/tools/cpuprofile-groups.ts <file.cpuprofile> [--top N] [--window A,B]

import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

const GROUPS: readonly (readonly [string, RegExp])[] = [
  ['postgres.js (the driver: building, sending and parsing messages)', /node_modules\/.*postgres\//],
  ['store/postgres (our statements, rows, locks, tail)', /store\/postgres\//],
  ['store/sqlite', /store\/sqlite\//],
  ['store: shared (codecs, decorators, key and nonce caches)', /engine\/src\/store\//],
  ['the logbook entry (canonical JSON, SHA-256)', /(domain\/logbook|canonical-json|logbook-codec)/],
  ['placement coalescer and batch plan', /domain\/(placement-coalescer|batch-plan|batch-)/],
  ['authentication (signature, key state, nonce)', /engine\/src\/(auth|protocol)\//],
  ['engine domain code (placement, matching, budget, validation)', /engine\/src\//],
  ['better-sqlite3', /better-sqlite3/],
  ['the bench tool and tsx', /(bench\/|node_modules\/.*tsx)/],
  ['node: buffers', /node:buffer|node:internal\/buffer/],
  ['node: sockets, streams', /node:(net|internal\/(streams|stream_base|net)|stream|events)/],
  ['node: timers, promises, other', /node:/],
];

const args = process.argv.slice(2);
const option = (flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args.splice(i, 2)[1];
};
const top = Number(option('--top') ?? 30);
const [windowFrom, windowTo] = (option('--window') ?? 'Infinity,0').split(',').map(Number) as [
  number,
  number,
];
const files = args;
if (files.length === 0) throw new Error('usage: cpuprofile-groups.ts <file.cpuprofile>… [--top N]');
const groups = new Map<string, number>();
const fns = new Map<string, number>();
let total = 0;
for (const file of files) add(JSON.parse(readFileSync(file, 'utf8')) as Profile);
function add(p: Profile): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  /** The innermost located frame of a sample's stack, or the pseudo-frame it was in. */
  const attributed = new Map<number, ProfileNode>();
  function locate(id: number): ProfileNode {
    const hit = attributed.get(id);
    if (hit !== undefined) return hit;
    let n = byId.get(id)!;
    const leaf = n;
    while (n.callFrame.url === '' && parent.has(n.id)) n = byId.get(parent.get(n.id)!)!;
    const out = n.callFrame.url === '' ? leaf : n;
    attributed.set(id, out);
    return out;
  }

  // A sample's time: startTime plus the deltas so far (µs).
  let at = p.startTime;
  for (const [i, id] of p.samples.entries()) {
    const dt = p.timeDeltas[i] ?? 0;
    at += dt;
    const before = (p.endTime - at) / 1e6;
    if (before > windowFrom || before < windowTo) continue;
    const n = locate(id);
    const name = n.callFrame.functionName;
    // Idle time, and the profiler's own work when a tool stops it (pg-cpu.ts), are no one's.
    if (name === '(idle)' || (name === 'post' && n.callFrame.url === 'node:inspector')) continue;
    total += dt;
    const url = n.callFrame.url;
    const group =
      url === ''
        ? name === '(garbage collector)'
          ? 'garbage collection'
          : `other native (${name})`
        : (GROUPS.find(([, re]) => re.test(url))?.[0] ?? 'other JavaScript');
    groups.set(group, (groups.get(group) ?? 0) + dt);
    const fn = `${name || '(anonymous)'} ${url.replace(/^.*\/(node_modules\/\.pnpm\/[^/]+\/node_modules\/)?/, '')}:${n.callFrame.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + dt);
  }
}
const pct = (x: number) => `${((100 * x) / total).toFixed(1).padStart(5)} %`;
console.log(`busy ${(total / 1000).toFixed(0)} ms`);
for (const [g, t] of [...groups.entries()].sort((a, b) => b[1] - a[1])) console.log(`${pct(t)}  ${g}`);
console.log('');
for (const [f, t] of [...fns.entries()].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(t)}  ${f}`);
