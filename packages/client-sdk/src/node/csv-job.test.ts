// Bulk import and migration from CSV: bad rows reported by line and code while good rows
// go in; an interrupted run (lost answer, network failure, Ctrl-C) resumes without a
// single duplicate placement; no BSN is written to the state or results file.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient } from '../client/client.js';
import { PseudonymKey } from '../protocol/pseudonym.js';
import { NOW, PSEUDONYM_KEY_1, harness, validBsn } from '../testing/fixtures.js';
import { csvLine, parseCsv } from './csv.js';
import { runCsvJob } from './csv-job.js';
import { IMPORT_COLUMNS } from './csv-rows.js';

const HEADER = [...IMPORT_COLUMNS];

/** Row i; every 97th has a bad BSN, every 101st a bad e-mail. */
function row(i: number): string[] {
  const bsn = i % 97 === 5 ? '123456789' : validBsn(1000 + i);
  return [
    bsn,
    `de Vries, J. ${i}`,
    'jeugdconsulent',
    '+31 10 123 4567',
    i % 101 === 7 ? 'no-at-sign' : `p${i}@example.nl`,
    'citizen',
    '2026-11-01',
    i % 3 === 0 ? '2012-05-17' : '',
    '',
    i % 5 === 0 ? validBsn(900_000 + i) : '',
    '',
    '', // legal_basis: jeugdwet
    '',
    '',
  ];
}

async function csvFile(rows: number, eol = '\r\n'): Promise<{ path: string; bsns: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'sluis-import-'));
  const path = join(dir, 'caseload.csv');
  let text = csvLine(HEADER).replace('\r\n', eol);
  const bsns: string[] = [];
  for (let i = 0; i < rows; i++) {
    const r = row(i);
    bsns.push(r[0]!);
    if (r[9] !== '') bsns.push(r[9]!);
    text += csvLine(r).replace(/\r\n$/, eol);
  }
  await writeFile(path, text);
  return { path, bsns: bsns.filter((b) => b !== '123456789') };
}

function expectNoBsn(text: string, bsns: readonly string[]): void {
  for (const b of bsns) expect(text.includes(b), 'a BSN was written').toBe(false);
}

const expectedBad = (n: number) =>
  Array.from({ length: n }, (_, i) => i).filter((i) => i % 97 === 5 || i % 101 === 7).length;

describe('CSV import', () => {
  it('resumes after a lost answer and a network failure without duplicates', async () => {
    const rows = 2500;
    const { path, bsns } = await csvFile(rows);
    const h = harness();
    // Batch 5: the server processes it but the answer is lost, then the network is down.
    let batches = 0;
    const fetch = h.server.fetch;
    const flaky = async (url: string, init: RequestInit) => {
      if (url.endsWith('/v1/signals/batch') && ++batches === 5) {
        h.server.faults.push(
          { kind: 'lose-answer' },
          { kind: 'network' },
          { kind: 'network' },
          { kind: 'network' },
        );
      }
      return fetch(url, init);
    };
    const first = await runCsvJob({
      kind: 'import',
      client: withFetch(h, flaky),
      csvPath: path,
      batchSize: 200,
    });
    expect(first.error?.code).toBe('network_error');
    expect(first.outcomes.pending).toBe(rows - 800);
    const createdBefore = h.server.created.length;
    expect(createdBefore).toBeGreaterThan(800 - 20); // batch 5 went in on the server

    const progress: number[] = [];
    const second = await runCsvJob({
      kind: 'import',
      client: h.client,
      csvPath: path,
      batchSize: 200,
      onProgress: (p) => progress.push(p.done),
    });
    expect(second.error).toBeUndefined();
    expect(second.skipped).toBe(800 - expectedBad(800));
    const good = rows - expectedBad(rows);
    expect(h.server.created).toHaveLength(good);
    expect(new Set(h.server.created).size).toBe(good);
    expect(second.outcomes.created + second.outcomes.replayed).toBe(good);
    expect(second.outcomes.replayed).toBe(200 - expectedBad(1000) + expectedBad(800));
    expect(second.outcomes.invalid).toBe(expectedBad(rows));
    expect(second.outcomes.pending).toBe(0);
    expect(second.failures[0]).toEqual({ line: 7, code: 'bsn_checksum', fields: ['bsn'] });
    expect(second.failures.find((f) => f.line === 9)).toEqual({
      line: 9,
      code: 'input_invalid',
      fields: ['email'],
    });
    expect(progress[progress.length - 1]).toBe(rows - second.skipped);

    const results = await readFile(second.resultsPath, 'utf8');
    const parsed = parseCsv(results);
    expect(parsed[0]!.fields).toEqual(['line', 'signal_id', 'outcome', 'error_code', 'fields']);
    expect(parsed).toHaveLength(rows + 1);
    expect(parsed[1]!.fields.slice(2)).toEqual(['created', '', '']);
    expect(parsed[6]!.fields).toEqual(['7', '', 'invalid', 'bsn_checksum', 'bsn']);
    expectNoBsn(results, bsns);
    expectNoBsn(await readFile(second.statePath, 'utf8'), bsns);
    expectNoBsn(h.server.requests.map((r) => r.url + r.body + JSON.stringify(r.headers)).join(''), bsns);

    // A third run has nothing left to send.
    const third = await runCsvJob({ kind: 'import', client: h.client, csvPath: path, batchSize: 200 });
    expect(third.skipped).toBe(good);
    expect(h.server.created).toHaveLength(good);
  });

  it('stops after the batch in flight on interrupt, and resumes', async () => {
    const { path } = await csvFile(1000, '\n');
    const h = harness();
    const controller = new AbortController();
    const first = await runCsvJob({
      kind: 'import',
      client: h.client,
      csvPath: path,
      batchSize: 100,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done >= 300) controller.abort();
      },
    });
    expect(first.interrupted).toBe(true);
    expect(first.outcomes.pending).toBe(700);
    const second = await runCsvJob({ kind: 'import', client: h.client, csvPath: path, batchSize: 100 });
    expect(second.interrupted).toBe(false);
    expect(new Set(h.server.created).size).toBe(h.server.created.length);
    expect(h.server.created).toHaveLength(1000 - expectedBad(1000));
  });

  it('refuses to resume when the file changed; --restart starts over and the server prevents duplicates', async () => {
    const { path } = await csvFile(50);
    const h = harness();
    await runCsvJob({ kind: 'import', client: h.client, csvPath: path });
    await writeFile(path, `${await readFile(path, 'utf8')}${csvLine(row(50))}`);
    await expect(runCsvJob({ kind: 'import', client: h.client, csvPath: path })).rejects.toMatchObject({
      code: 'state_mismatch',
    });
    const again = await runCsvJob({ kind: 'import', client: h.client, csvPath: path, restart: true });
    expect(again.outcomes.existing).toBe(50 - expectedBad(50));
    expect(again.outcomes.created).toBe(1);
  });

  it('refuses unknown, duplicate and missing columns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluis-import-'));
    for (const header of [
      'bsn,name,role,informed_status,reason',
      'bsn,name,role',
      'bsn,bsn,name,role,informed_status',
    ]) {
      const path = join(dir, 'x.csv');
      await writeFile(path, `${header}\n`);
      await expect(
        runCsvJob({ kind: 'import', client: harness().client, csvPath: path, restart: true }),
      ).rejects.toMatchObject({
        code: 'csv_malformed',
        details: { line: 1 },
      });
    }
  });

  it('reports a row with the wrong number of cells by line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluis-import-'));
    const path = join(dir, 'x.csv');
    await writeFile(
      path,
      `bsn,name,role,email,informed_status\n${validBsn(1)},A,r,a@b.nl,not_yet\n${validBsn(2)},B,r\n`,
    );
    const s = await runCsvJob({ kind: 'import', client: harness().client, csvPath: path });
    expect(s.outcomes.created).toBe(1);
    expect(s.failures).toEqual([{ line: 3, code: 'csv_malformed', fields: [] }]);
  });
});

describe('CSV migration', () => {
  it('pseudonymises under the new epoch and writes results', async () => {
    const h = harness();
    const { signal } = await h.client.placeSignal({
      bsn: validBsn(1),
      contact: { name: 'A', role: 'r', email: 'a@b.nl' },
      informed: { status: 'not_yet' },
    });
    const dir = await mkdtemp(join(tmpdir(), 'sluis-migrate-'));
    const path = join(dir, 'm.csv');
    await writeFile(path, `signal_id,bsn\n${signal.id},${validBsn(1)}\nnot-an-id,${validBsn(2)}\n`);
    const s = await runCsvJob({ kind: 'migrate', client: h.client, csvPath: path });
    expect(s.outcomes.migrated).toBe(1);
    expect(s.failures).toEqual([{ line: 3, code: 'input_invalid', fields: ['signal_id'] }]);
    expect(h.server.migrated).toHaveLength(1);
    expectNoBsn(await readFile(s.resultsPath, 'utf8'), [validBsn(1), validBsn(2)]);
  });
});

/** The same identity as the harness's client, with a different fetch. */
function withFetch(h: ReturnType<typeof harness>, fetch: (u: string, i: RequestInit) => Promise<Response>) {
  return createClient({
    serverUrl: 'https://sluis.example.nl',
    signingKey: h.signingKey,
    pseudonymKeys: [PseudonymKey.fromBytes(PSEUDONYM_KEY_1, 1)],
    fetch,
    clock: () => NOW,
    sleep: async () => {},
  });
}
