// The commit-time page-cache walk on the store itself (docs/performance.md "Thirty-fourth pass:
// the commit-time cache walk, traced"): an engine and its SQLite store in this process
// (engine-on-file.ts), filled with `prefill` placements of case 2's mix, `group` a commit as the
// server's group commit forms them at 64; then, once the file SLUIS_TRACE_GO names exists (a
// debugger attached meanwhile: bench/tools/pcache-trace.py), `count` more. Prints the pid, the
// database's size in pages and the time per placement of the traced part. Not part of `pnpm bench`;
// nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/cache-walk-store.ts [prefill] [count] [group]

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { engineOnFile, placeInProcess } from '../lib/engine-on-file.js';
import { placementMix } from '../lib/placement-mix.js';
import { pseudonyms } from '../lib/population.js';

const prefill = Number(process.argv[2] ?? 111_000);
const count = Number(process.argv[3] ?? 2_000);
const group = Number(process.argv[4] ?? 22);
const go = process.env.SLUIS_TRACE_GO;

const dir = mkdtempSync(join(tmpdir(), 'sluis-cache-walk-store-'));
try {
  const path = join(dir, 'walk.db');
  const e = await engineOnFile(path, 4, 'walk');
  const mix = placementMix(pseudonyms(Math.ceil((prefill + count) * 0.7) + 10));
  await placeInProcess(e, mix, prefill, group);
  const pages = () => {
    const db = new Database(path, { readonly: true });
    try {
      return db.pragma('page_count', { simple: true }) as number;
    } finally {
      db.close();
    }
  };
  console.log(`pid ${process.pid}: ${prefill} placed, the database ${pages()} pages`);
  if (go !== undefined) while (!existsSync(go)) await sleep(100);
  const t0 = performance.now();
  await placeInProcess(e, mix, count, group);
  console.log(
    `${count} placed, ${group} a commit: ${(((performance.now() - t0) * 1000) / count).toFixed(0)} µs a placement; the database ${pages()} pages`,
  );
  await e.store.close();
  e.serverSecrets.destroy();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
