// `pnpm bench` — every benchmark of docs/performance.md, each against a baseline
// measured in the same run. `pnpm bench --quick` is the < 60 s smoke run CI executes
// so the benchmarks never rot. Talks only to 127.0.0.1; every loop is bounded.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bulkImportBench } from './cases/bulk-import.js';
import { followUpBench } from './cases/follow-up.js';
import { oprfBench } from './cases/oprf.js';
import { oprfEndToEndBench } from './cases/oprf-e2e.js';
import { placementBench } from './cases/placement.js';
import { coalesceBench } from './cases/coalesce.js';
import { portalBench } from './cases/portal.js';
import { postgresBench } from './cases/postgres.js';
import { pseudonymiseBench } from './cases/pseudonymise.js';
import { ristrettoLibsBench } from './cases/ristretto-libs.js';
import { scalingBench } from './cases/scaling.js';
import { singleSizeBench } from './cases/single-size.js';
import { verifyBench } from './cases/verify.js';
import { machineInfo } from './lib/machine.js';
import { type Figure, markdownTable, meetsTarget } from './lib/result.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    large: { type: 'string' },
    /** `year,import`: scales the oprf-e2e case's 170,000 and 100,000 (docs/performance.md). */
    'oprf-counts': { type: 'string' },
  },
});
const quick = values.quick ?? false;

type Case = { readonly name: string; readonly run: (quick: boolean) => Figure[] | Promise<Figure[]> };
const cases: Case[] = [
  { name: 'pseudonymise', run: pseudonymiseBench },
  { name: 'verify', run: verifyBench },
  { name: 'oprf', run: oprfBench },
  {
    name: 'oprf-e2e',
    run: (q) => {
      const c = values['oprf-counts']?.split(',').map(Number);
      return oprfEndToEndBench(q, c?.length === 2 && c.every((n) => n > 0) ? [c[0]!, c[1]!] : undefined);
    },
  },
  { name: 'ristretto-libs', run: ristrettoLibsBench },
  { name: 'placement', run: placementBench },
  { name: 'bulk', run: bulkImportBench },
  { name: 'size', run: singleSizeBench },
  { name: 'follow-up', run: followUpBench },
  { name: 'portal', run: portalBench },
  { name: 'postgres', run: postgresBench },
  { name: 'coalesce', run: coalesceBench },
  {
    name: 'scaling',
    run: (q) => scalingBench(q, values.large === undefined ? undefined : Number(values.large)),
  },
];

const started = performance.now();
const figures: Figure[] = [];
for (const c of cases) {
  if (values.only !== undefined && !values.only.split(',').includes(c.name)) continue;
  process.stderr.write(`bench: ${c.name}${quick ? ' (quick)' : ''}…\n`);
  figures.push(...(await c.run(quick)));
}
const machine = machineInfo();
const seconds = (performance.now() - started) / 1000;
console.log(
  `\nmachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node} (V8 ${machine.v8}; the servers it started: ${machine.spawnedNodes.length === 0 ? 'none' : machine.spawnedNodes.join(', ')}), ${machine.platform}`,
);
console.log(`mode: ${quick ? 'quick' : 'full'}, ${seconds.toFixed(1)} s\n`);
console.log(markdownTable(figures));
const notes = figures.filter((f) => f.note !== undefined);
if (notes.length > 0) console.log(`\n${notes.map((f) => `- ${f.id}: ${f.note}`).join('\n')}`);
if (values.out !== undefined) {
  writeFileSync(values.out, `${JSON.stringify({ machine, quick, seconds, figures }, null, 2)}\n`);
}
const missed = figures.filter((f) => meetsTarget(f) === false);
if (missed.length > 0) console.log(`\ntargets missed: ${missed.map((f) => f.id).join(', ')}`);
