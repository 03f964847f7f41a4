// Benchmark 4 (disk, the usual path): bytes on disk per signal when signals are placed one
// at a time — each with its own logbook entry — against the same number placed through the
// batch path (one logbook entry per 500), both through the engine in-process on a fresh
// file with the server's durability settings, one placement in ten matching. Case 4's
// 300 B target is measured on the batch path (the issue fills its database that way);
// this figure shows what single placements add on top of it.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { engineOnFile } from '../lib/engine-on-file.js';
import { benchContact } from '../lib/population.js';
import type { Figure } from '../lib/result.js';
import { spread } from '../lib/stats.js';

const ORGANISATIONS = 4;

interface Size {
  readonly perSignal: number;
  readonly tables: string;
}

async function bytesPerSignal(count: number, path: 'single' | 'batch'): Promise<Size> {
  const dir = mkdtempSync(join(tmpdir(), 'sluis-bench-size-'));
  try {
    const { engine, actors, serverSecrets } = await engineOnFile(
      join(dir, 'sluis.db'),
      ORGANISATIONS,
      'Size',
    );
    // People placed in earlier rounds, with their organisation: one placement in ten is
    // about one of them placed by ANOTHER organisation (so it matches).
    const placed: { value: string; org: number }[] = [];
    let created = 0;
    for (let done = 0; done < count; ) {
      const size = Math.min(path === 'batch' ? 500 : 64, count - done);
      const batchOrg = Math.floor(done / 500) % ORGANISATIONS;
      const round: { value: string; org: number }[] = [];
      const items = Array.from({ length: size }, (_, i) => {
        const n = done + i;
        const org = path === 'batch' ? batchOrg : n % ORGANISATIONS;
        let value: string | undefined;
        if (n % 10 === 9) {
          // a different earlier person for each such placement (no person twice)
          const from = placed.length - 1 - (Math.floor(n / 10) % 400);
          for (let k = from; k >= Math.max(0, from - 8); k--) {
            if (placed[k]!.org !== org) {
              value = placed[k]!.value;
              break;
            }
          }
        }
        if (value === undefined) {
          value = randomBytes(32).toString('base64url');
          round.push({ value, org });
        }
        return {
          org,
          input: {
            requestId: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
            subject: [{ epoch: 1, value }],
            contact: benchContact(path === 'batch' ? n : Math.floor(n / ORGANISATIONS), org),
            informed: { status: 'citizen' as const, date: '2026-01-05' },
          },
        };
      });
      const outcomes =
        path === 'batch'
          ? (
              await engine.placeSignals(
                actors[batchOrg]!,
                items.map((x) => x.input),
              )
            ).map((r) => (r.ok ? r.outcome : 'refused'))
          : (await Promise.all(items.map((x) => engine.placeSignal(actors[x.org]!, x.input)))).map(
              (r) => r.outcome,
            );
      if (outcomes.includes('refused')) throw new Error('size: a placement was refused');
      created += outcomes.filter((o) => o === 'created').length;
      placed.push(...round);
      done += size;
    }
    await engine.close();
    serverSecrets.destroy();
    const db = new Database(join(dir, 'sluis.db'), { readonly: true });
    try {
      const rows = db
        .prepare(
          `SELECT coalesce(m.tbl_name, d.name) AS t, sum(d.pgsize) AS b FROM dbstat d
           LEFT JOIN sqlite_schema m ON m.name = d.name GROUP BY t ORDER BY b DESC`,
        )
        .all() as { t: string; b: number }[];
      const total = rows.reduce((sum, r) => sum + r.b, 0);
      const tables = rows
        .slice(0, 5)
        .map((r) => `${r.t} ${(r.b / created).toFixed(0)}`)
        .join(', ');
      return { perSignal: total / created, tables };
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function singleSizeBench(quick: boolean): Promise<Figure[]> {
  const count = quick ? 2_000 : 20_000;
  const single = await bytesPerSignal(count, 'single');
  const batch = await bytesPerSignal(count, 'batch');
  return [
    {
      id: '4.disk.single',
      title: `bytes on disk per signal placed one at a time, ${count.toLocaleString('en-US')} signals (1 in 10 matching)`,
      unit: 'B',
      candidate: spread([single.perSignal]),
      baseline: spread([batch.perSignal]),
      baselineName: 'the same signals through the batch path',
      ratio: spread([single.perSignal / batch.perSignal]),
      note: `per signal by table, single: ${single.tables}; batch: ${batch.tables}`,
    },
  ];
}
