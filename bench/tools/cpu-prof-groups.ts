// Groups the samples of a V8 `--cpu-prof` profile (docs/performance.md "Bulk: the batch
// path", "Ninth pass"): from the first sample under `--from` (default `placeSignalBatch`,
// so a server's start-up is left out), each busy sample is counted once, under the first
// group (in the order given) one of whose patterns matches a frame of its stack, or as
// "rest". With `--under <pattern>`, the leaf frames of the samples under that frame
// instead. `--cpu-prof` samples the main thread only and counts a native call (SQLite,
// fsync) to the JavaScript function that made it. Not part of `pnpm bench`.
//   node --import tsx bench/tools/cpu-prof-groups.ts <file.cpuprofile> '^\(garbage' '^preparePlacement' …
//   node --import tsx bench/tools/cpu-prof-groups.ts <file.cpuprofile> --under '^planItem'

import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}

const [file, ...rest] = process.argv.slice(2);
if (file === undefined)
  throw new Error('usage: cpu-prof-groups.ts <file.cpuprofile> [--from re] [--under re | re …]');
const option = (name: string): string | undefined => {
  const i = rest.indexOf(name);
  return i < 0 ? undefined : rest.splice(i, 2)[1];
};
const from = new RegExp(option('--from') ?? '^placeSignalBatch');
const underOption = option('--under');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (id: number) => {
  const f = byId.get(id)!.callFrame;
  return `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
};
const frameMatching = (id: number, re: RegExp): number | undefined => {
  for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) if (re.test(name(x))) return x;
  return undefined;
};

const start = Math.max(
  0,
  profile.samples.findIndex((id) => frameMatching(id, from) !== undefined),
);
const busy = profile.samples.slice(start).filter((id) => byId.get(id)!.callFrame.functionName !== '(idle)');
const pct = (n: number) => `${((100 * n) / busy.length).toFixed(1).padStart(5)} %`;
console.log(`busy samples from the first under ${from.source}: ${busy.length}`);

if (underOption !== undefined) {
  const under = new RegExp(underOption);
  const leaves = new Map<string, number>();
  let hit = 0;
  for (const id of busy) {
    if (frameMatching(id, under) === undefined) continue;
    hit++;
    leaves.set(name(id), (leaves.get(name(id)) ?? 0) + 1);
  }
  console.log(`${pct(hit)}  under ${under.source}; its leaf frames:`);
  for (const [k, v] of [...leaves].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${pct(v)}  ${k}`);
} else {
  const groups = rest.map((s) => new RegExp(s));
  const counts = groups.map(() => 0);
  let other = 0;
  for (const id of busy) {
    const g = groups.findIndex((re) => frameMatching(id, re) !== undefined);
    if (g < 0) other++;
    else counts[g]!++;
  }
  for (const [i, re] of groups.entries()) console.log(`${pct(counts[i]!)}  ${re.source}`);
  console.log(`${pct(other)}  (rest)`);
}
