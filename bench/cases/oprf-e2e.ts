// OPRF epochs end to end (docs/protocol.md §9), each against the same work in HMAC mode in
// the same run, on real processes: the built match server and the built pseudonym service
// (each its own process on 127.0.0.1, as deployed), driven by the SDK in this process.
//  oprf-3: a national year — placements one by one (`placeSignal`), 16 in flight over four
//          organisations, a third of them about a person another organisation placed (so
//          matching works) — placements/s in OPRF mode vs HMAC mode.
//  oprf-4: a bulk import (`runCsvJob`, what `sluis import` runs: batches of 500, one
//          evaluate request per batch, pipelined) by one organisation — rows/s, OPRF vs HMAC.
//  oprf-5: the OPRF import pipelined (the next batch evaluated while the current one is
//          placed) vs one batch at a time, alternated in pairs — rows/s.
// Each mode gets its own people (the same count and shape); the two modes alternate so that a
// change in the machine's load hits both. Reported, not asserted. Full counts are 170,000 and
// 100,000; `--oprf-counts year,import` scales them (docs/performance.md says which ran).

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OprfPseudonymiser,
  PseudonymKey,
  type Pseudonymiser,
  type SigningKey,
  type SluisClient,
  base64url,
  createClient,
  createPseudonymServiceClient,
} from '@sluis/client-sdk';
import { runCsvJob } from '@sluis/client-sdk/node';
import { untilListening } from '../../packages/pseudonym-service/src/testing/listening.js';
import { ROOT, runCli } from '../../test/support/server-process.js';
import { call, startBenchServer } from '../lib/bench-server.js';
import { noteSpawnedNode } from '../lib/machine.js';
import { bsnList } from '../lib/population.js';
import type { Figure } from '../lib/result.js';
import { spread } from '../lib/stats.js';

const SERVICE_CLI = join(ROOT, 'packages', 'pseudonym-service', 'bin', 'sluis-pseudonym-service.js');
const CONTACT = { name: 'J. de Vries', role: 'jeugdconsulent', email: 'j.devries@example.nl' };
const IN_FLIGHT = 16;
const OPRF_EPOCH = 2;

interface Service {
  readonly url: string;
  readonly publicKey: string;
  stop(): void;
}

/** The built pseudonym service in its own process, budgets lifted, the organisations admitted. */
async function startService(keys: readonly SigningKey[]): Promise<Service> {
  const dir = join(mkdtempSync(join(tmpdir(), 'sluis-bench-oprf-e2e-')), 'data');
  const cli = async (args: string[]) => {
    const r = await runCli(SERVICE_CLI, [...args, '--data-dir', dir]);
    if (r.code !== 0) throw new Error(`sluis-pseudonym-service ${args[0]}: ${r.stderr}`);
    return r.stdout;
  };
  mkdirSync(dir, { mode: 0o700 }); // as the install makes it: init as root does not
  await cli(['init']);
  const { publicKey } = JSON.parse(await cli(['add-epoch', '--epoch', String(OPRF_EPOCH), '--json'])) as {
    publicKey: string;
  };
  for (const [i, k] of keys.entries())
    await cli(['admit', '--name', `Bench ${i + 1}`, `--public-key=${base64url.encode(k.publicKey)}`]);
  const max = String(0xffffffff);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      SERVICE_CLI,
      'start',
      '--port',
      '0',
      '--data-dir',
      dir,
      '--budget-per-day',
      max,
      '--alert-per-hour',
      max,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SLUIS_PSEUDONYM_REQUESTS_PER_MINUTE: max },
    },
  );
  const { url } = await untilListening(child);
  noteSpawnedNode(child.pid);
  return {
    url,
    publicKey,
    stop: () => {
      child.kill('SIGTERM');
      rmSync(join(dir, '..'), { recursive: true, force: true });
    },
  };
}

/** placeSignal one by one, IN_FLIGHT at a time over the clients; person i%3==2 repeats i-1. */
async function year(clients: readonly SluisClient[], people: readonly string[]): Promise<number> {
  const date = new Date().toISOString().slice(0, 10);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = next++; i < people.length; i = next++) {
        const bsn = i % 3 === 2 ? people[i - 1]! : people[i]!;
        await clients[i % clients.length]!.placeSignal({
          bsn,
          contact: CONTACT,
          informed: { status: 'citizen', date },
        });
      }
    }),
  );
  return people.length / ((performance.now() - t0) / 1000);
}

/** `sluis import` of one CSV file (batches of 500) by one organisation. */
async function bulkImport(
  client: SluisClient,
  people: readonly string[],
  dir: string,
  pipeline = true,
  batchSize = 500,
): Promise<number> {
  const date = new Date().toISOString().slice(0, 10);
  const csv = join(dir, `import-${people[0]}.csv`);
  writeFileSync(
    csv,
    `bsn,name,role,email,informed_status,informed_date\n${people.map((b) => `${b},"${CONTACT.name}",${CONTACT.role},${CONTACT.email},citizen,${date}`).join('\n')}\n`,
  );
  const t0 = performance.now();
  const s = await runCsvJob({ kind: 'import', client, csvPath: csv, batchSize, pipeline });
  const seconds = (performance.now() - t0) / 1000;
  if (s.error !== undefined || s.outcomes.created !== people.length)
    throw new Error(`bulk import: ${JSON.stringify(s.outcomes)} ${s.error?.code ?? ''}`);
  return people.length / seconds;
}

export async function oprfEndToEndBench(
  quick: boolean,
  counts?: readonly [number, number],
): Promise<Figure[]> {
  const [yearCount, importCount] = counts ?? (quick ? [40, 200] : [170_000, 100_000]);
  // oprf-5: PAIRS pairs of imports of `abCount` rows (at most 10,000: a ratio, not a
  // capacity); quick mode: one pair of 60 rows in batches of 20, so that it pipelines at all.
  const PAIRS = quick ? 1 : 3;
  const abCount = quick ? 60 : Math.min(importCount, 10_000);
  const abBatch = quick ? 20 : 500;
  const bench = await startBenchServer(4, { budget: 1_000_000 });
  const service = await startService(bench.organisations.map((o) => o.key));
  const work = mkdtempSync(join(tmpdir(), 'sluis-bench-import-'));
  // Zeroed in the finally below, after the servers have stopped (docs/keys.md).
  const hmacKey = PseudonymKey.fromBytes(new Uint8Array(32).fill(9), 1);
  try {
    await call(bench.server.url, bench.admin, 'POST', '/v1/admin/epochs', {
      epoch: OPRF_EPOCH,
      kind: 'oprf',
      publicKey: service.publicKey,
    });
    // Retries 2 (both are repeatable): a long run meets the race of a keep-alive connection
    // closed by the server as a request goes out ('other side closed'), seen at 1,000s of requests.
    const clients = (mode: 'hmac' | 'oprf') =>
      bench.organisations.map((o) => {
        const key: Pseudonymiser =
          mode === 'hmac'
            ? hmacKey
            : OprfPseudonymiser.create({
                epoch: OPRF_EPOCH,
                publicKey: service.publicKey,
                service: createPseudonymServiceClient({
                  serviceUrl: service.url,
                  signingKey: o.key,
                  retries: 2,
                }),
              });
        return createClient({
          serverUrl: bench.server.url,
          signingKey: o.key,
          pseudonymKeys: [key],
          retries: 2,
          timeoutMs: 600_000,
        });
      });
    const [hmac, oprf] = [clients('hmac'), clients('oprf')];
    // Four disjoint populations: year and import, HMAC and OPRF.
    const all = bsnList(2 * yearCount + 2 * importCount + 2 * PAIRS * abCount, 100_000_000);
    const take = (k: number, n: number) => all.slice(k, k + n);
    // Alternated: HMAC then OPRF for the year, OPRF then HMAC for the import.
    const yearHmac = await year(hmac, take(0, yearCount));
    const yearOprf = await year(oprf, take(yearCount, yearCount));
    const importOprf = await bulkImport(oprf[0]!, take(2 * yearCount, importCount), work);
    const importHmac = await bulkImport(hmac[0]!, take(2 * yearCount + importCount, importCount), work);
    // oprf-5: pipelined and one batch at a time, alternated, each pair in its own order.
    const piped: number[] = [];
    const plain: number[] = [];
    let k = 2 * yearCount + 2 * importCount;
    for (let i = 0; i < PAIRS; i++) {
      const [first, second] = i % 2 === 0 ? [true, false] : [false, true];
      for (const pipeline of [first, second]) {
        const rate = await bulkImport(oprf[1]!, take(k, abCount), work, pipeline, abBatch);
        (pipeline ? piped : plain).push(rate);
        k += abCount;
      }
    }
    const one = (x: number) => spread([x]);
    const time = (count: number, rate: number) => `${(count / rate).toFixed(0)} s`;
    return [
      {
        id: 'oprf-3',
        title: `a national year: ${yearCount.toLocaleString('en-US')} single placements, ${IN_FLIGHT} in flight, OPRF mode vs HMAC mode`,
        unit: 'placements/s',
        candidate: one(yearOprf),
        baseline: one(yearHmac),
        baselineName: 'HMAC mode, same run',
        ratio: one(yearOprf / yearHmac),
        note: `OPRF ${time(yearCount, yearOprf)}, HMAC ${time(yearCount, yearHmac)}`,
      },
      {
        id: 'oprf-4',
        title: `bulk import of ${importCount.toLocaleString('en-US')} rows (runCsvJob, batches of 500), OPRF mode vs HMAC mode`,
        unit: 'rows/s',
        candidate: one(importOprf),
        baseline: one(importHmac),
        baselineName: 'HMAC mode, same run',
        ratio: one(importOprf / importHmac),
        note: `OPRF ${time(importCount, importOprf)}, HMAC ${time(importCount, importHmac)}`,
      },
      {
        id: 'oprf-5',
        title: `OPRF bulk import of ${abCount.toLocaleString('en-US')} rows in batches of ${abBatch}, pipelined vs one batch at a time (${PAIRS} alternated pairs)`,
        unit: 'rows/s',
        candidate: spread(piped),
        baseline: spread(plain),
        baselineName: 'one batch at a time, same run',
        ratio: spread(piped.map((x, i) => x / plain[i]!)),
      },
    ];
  } finally {
    service.stop();
    rmSync(work, { recursive: true, force: true });
    // Zeroes the organisations' keys too (bench-server.ts), once the servers have stopped.
    await bench.stop();
    hmacKey.destroy();
  }
}
