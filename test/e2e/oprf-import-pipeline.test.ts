// A pipelined bulk import under an OPRF epoch (docs/sdk.md "CSV import") on real processes:
// the match server and the pseudonym service. Two organisations import the same file, one
// batch at a time and pipelined (the next batch evaluated while the current one is placed),
// each stopped by its signal after the second batch and resumed: the per-row answers, the
// progress, the interrupted summary and the resumed results are the same both ways; a stop
// places nothing of the batch read ahead; no BSN, surname or birth date reaches an output.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SluisClient } from '@sluis/client-sdk';
import { type CsvJobProgress, type CsvJobSummary, runCsvJob } from '@sluis/client-sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World } from '../support/e2e-world.js';
import { PseudonymServiceProcess } from '../support/pseudonym-service-process.js';

const world = new World();
const service = new PseudonymServiceProcess(world.work);
let A: Org;
let B: Org;
const BATCH = 4;
const people = Array.from({ length: 14 }, () => world.bsn());
const NO_BSN = { surname: "van 't Veldhuyzen", dateOfBirth: '2012-03-04', gender: 'V' };

/**
 * 18 rows, batches of 4: a bad BSN (row 3), a person without a BSN (row 6), a person placed
 * again in a later batch (row 14 repeats row 2 → `existing`, which needs file order kept).
 */
function csvText(): string {
  const c = world.contact();
  const contact = `"${c.name}",${c.role},${c.email!},not_yet`;
  const rows = people.map((bsn) => `${bsn},,,,${contact}`);
  rows.splice(2, 0, `123456789,,,,${contact}`);
  rows.splice(5, 0, `,${NO_BSN.surname},${NO_BSN.dateOfBirth},${NO_BSN.gender},${contact}`);
  rows.splice(13, 0, `${people[1]!},,,,${contact}`);
  rows.splice(16, 0, `${people[3]!},,,,${contact}`);
  return `bsn,surname,date_of_birth,gender,name,role,email,informed_status\n${rows.join('\n')}\n`;
}

function client(org: Org): SluisClient {
  return world.client(org.signingKey, {
    pseudonymKeys: [service.pseudonymiser(world, 2, { signingKey: org.signingKey, retries: 1 })],
    retries: 1,
    timeoutMs: 60_000,
  });
}

interface Run {
  readonly first: CsvJobSummary;
  readonly progress: CsvJobProgress[];
  readonly placedAtStop: number;
  readonly resumed: CsvJobSummary;
  readonly results: string[][];
}

/** Imports the file for `org`, stops after the second batch, counts, resumes. */
async function importStoppedAndResumed(org: Org, pipeline: boolean): Promise<Run> {
  const csvPath = join(world.work, `import-${org.id}.csv`);
  writeFileSync(csvPath, csvText(), { mode: 0o600 });
  const c = client(org);
  const stop = new AbortController();
  const progress: CsvJobProgress[] = [];
  const first = await runCsvJob({
    kind: 'import',
    client: c,
    csvPath,
    batchSize: BATCH,
    pipeline,
    signal: stop.signal,
    onProgress: (p) => {
      progress.push(p);
      if (p.done >= 2 * BATCH) stop.abort();
    },
  });
  let placedAtStop = 0;
  for await (const _ of c.iterateSignals()) placedAtStop++;
  const resumed = await runCsvJob({ kind: 'import', client: c, csvPath, batchSize: BATCH, pipeline });
  const results = readFileSync(resumed.resultsPath, 'utf8')
    .trim()
    .split('\n')
    // line, outcome, error code, fields — the signal ids differ between organisations.
    .map((l) => l.split(','))
    .map((cells) => [cells[0]!, cells[2]!, cells[3]!, cells[4]!]);
  return { first, progress, placedAtStop, resumed, results };
}

const shape = (s: CsvJobSummary) => ({
  rows: s.rows,
  skipped: s.skipped,
  outcomes: s.outcomes,
  failures: s.failures,
  interrupted: s.interrupted,
  error: s.error?.code,
});

beforeAll(async () => {
  await world.start();
  A = await world.organisation('Jeugdzorg Oost', 'youth_care');
  B = await world.organisation('Wijkteam Noord', 'social_services');
  await service.init(2);
  await service.admitAll(world, [A, B]);
  await service.start();
  await service.registerEpoch(world, 2);
}, 180_000);

afterAll(async () => {
  await service.stop();
  await world.close();
});

describe('a pipelined import under an OPRF epoch', { timeout: 180_000 }, () => {
  it('answers, progress, stop and resume are those of the import one batch at a time', async () => {
    const plain = await importStoppedAndResumed(A, false);
    const piped = await importStoppedAndResumed(B, true);

    // The stop: after the second batch both ways, and nothing of the batch read ahead placed.
    expect(plain.first.interrupted).toBe(true);
    expect(shape(piped.first)).toEqual(shape(plain.first));
    expect(piped.progress).toEqual(plain.progress);
    expect(plain.first.outcomes.pending).toBe(18 - 2 * BATCH);
    expect(plain.placedAtStop).toBe(2 * BATCH - 1); // row 3 is invalid
    expect(piped.placedAtStop).toBe(plain.placedAtStop);

    // The resumed run: the same answer for every row.
    expect(shape(piped.resumed)).toEqual(shape(plain.resumed));
    expect(piped.results).toEqual(plain.results);
    expect(plain.resumed.outcomes).toMatchObject({ created: 15, existing: 2, invalid: 1, pending: 0 });
    const byLine = new Map(plain.results.map((r) => [r[0], r]));
    expect(byLine.get('4')?.slice(1, 3)).toEqual(['invalid', 'bsn_checksum']);
    expect(byLine.get('15')?.[1]).toBe('existing');
    expect(byLine.get('7')?.[1]).toBe('created');

    // Nothing of a row in the outputs.
    const outputs = [
      ...[plain, piped].flatMap((r) => [
        readFileSync(r.resumed.resultsPath, 'utf8'),
        readFileSync(r.resumed.statePath, 'utf8'),
      ]),
      world.server.output(),
      service.output.join(''),
    ].join('\n');
    for (const secret of [...people, NO_BSN.surname, 'Veldhuyzen', NO_BSN.dateOfBirth])
      expect(outputs.includes(secret), 'a row value in an output').toBe(false);
  });
});
