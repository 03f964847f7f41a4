// Bulk import and migration from CSV: bad rows reported by line and code while good rows
// go in; an interrupted run (lost answer, network failure, Ctrl-C) resumes without a
// single duplicate placement; no BSN is written to the state or results file.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient } from '../client/client.js';
import { SluisError } from '../errors.js';
import { NOW, PSEUDONYM_KEY_1, harness, localOprf, validBsn } from '../testing/fixtures.js';
import { csvLine, parseCsv } from './csv.js';
import { runCsvJob } from './csv-job.js';
import { IMPORT_COLUMNS } from './csv-rows.js';
import { casePseudonymKey } from '../../../../test/support/case-keys.js';

// The BSN columns (the columns of people without a BSN are tested below).
const HEADER = IMPORT_COLUMNS.slice(0, 11);

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

describe('CSV import of people without a BSN (docs/sdk.md "Bulk import")', () => {
  const header =
    'bsn,surname,date_of_birth,gender,name,role,email,informed_status,parent1_bsn,parent1_surname,parent1_date_of_birth,parent1_gender';
  const rows = [
    `${validBsn(1)},,,,A,r,a@b.nl,not_yet,,,,`, // 2: a BSN
    ',van der Berg,2014-03-04,V,A,r,a@b.nl,not_yet,,,,', // 3: without BSN
    `${validBsn(2)},,,,A,r,a@b.nl,not_yet,,d'Oliveira,1984-11-30,M`, // 4: a parent without BSN
    ',Berg 2,2014-03-04,V,A,r,a@b.nl,not_yet,,,,', // 5: a digit in the surname
    ',Jansen,2014-02-30,M,A,r,a@b.nl,not_yet,,,,', // 6: no such date
    ',Jansen,2014-02-03,X,A,r,a@b.nl,not_yet,,,,', // 7: no such gender
    `${validBsn(3)},Jansen,2014-02-03,M,A,r,a@b.nl,not_yet,,,,`, // 8: both
    `${validBsn(4)},,,,A,r,a@b.nl,not_yet,${validBsn(5)},Jansen,1980-01-01,M`, // 9: parent both
    ',Jansen,,M,A,r,a@b.nl,not_yet,,,,', // 10: no birth date
    `${validBsn(6)},,,,A,r,a@b.nl,not_yet,,Jansen,,M`, // 11: parent without birth date
  ];
  const SECRETS = [
    'Berg',
    'Oliveira',
    'Jansen',
    '2014-03-04',
    '1984-11-30',
    '2014-02-30',
    '2014-02-03',
    '1980-01-01',
  ];
  const expectNoSecret = (text: string) => {
    for (const s of SECRETS) expect(text.includes(s), `"${s}" was written`).toBe(false);
  };
  async function file(text: string): Promise<string> {
    const path = join(await mkdtemp(join(tmpdir(), 'sluis-import-')), 'without-bsn.csv');
    await writeFile(path, text);
    return path;
  }

  it('places them under an OPRF epoch; each bad cell is named by its column, never repeated', async () => {
    const h = harness({ pseudonymKeys: [localOprf(2).pseudonymiser] });
    const path = await file(`${header}\n${rows.join('\n')}\n`);
    const s = await runCsvJob({ kind: 'import', client: h.client, csvPath: path });
    expect(s.outcomes.created).toBe(3);
    expect(s.failures).toEqual([
      { line: 5, code: 'substitute_surname_invalid', fields: ['surname'] },
      { line: 6, code: 'substitute_date_invalid', fields: ['date_of_birth'] },
      { line: 7, code: 'substitute_gender_invalid', fields: ['gender'] },
      { line: 8, code: 'input_invalid', fields: ['bsn', 'surname'] },
      { line: 9, code: 'input_invalid', fields: ['parent1_bsn'] },
      { line: 10, code: 'substitute_date_invalid', fields: ['date_of_birth'] },
      { line: 11, code: 'substitute_date_invalid', fields: ['parent1_date_of_birth'] },
    ]);
    expectNoSecret(await readFile(s.resultsPath, 'utf8'));
    expectNoSecret(await readFile(s.statePath, 'utf8'));
    expectNoSecret(JSON.stringify(s));
    expectNoSecret(h.server.requests.map((r) => r.url + r.body + JSON.stringify(r.headers)).join(''));
  });

  it('refuses them row by row under an HMAC epoch (scheme_requires_oprf); the BSN rows go in', async () => {
    const h = harness();
    const path = await file(`${header}\n${rows.slice(0, 3).join('\n')}\n`);
    const s = await runCsvJob({ kind: 'import', client: h.client, csvPath: path });
    expect(s.error).toBeUndefined();
    expect(s.outcomes.created).toBe(1);
    expect(s.failures).toEqual([
      { line: 3, code: 'scheme_requires_oprf', fields: ['surname'] },
      { line: 4, code: 'scheme_requires_oprf', fields: ['parent1_surname'] },
    ]);
    expectNoSecret(await readFile(s.resultsPath, 'utf8'));
    expectNoSecret(h.server.requests.map((r) => r.url + r.body).join(''));
  });

  it('needs all three columns of a person without a BSN in the header', async () => {
    for (const bad of [
      'surname,gender,name,role,informed_status',
      'bsn,name,role,informed_status,parent1_surname,parent1_gender',
      'name,role,informed_status,date_of_birth',
    ]) {
      const e = await runCsvJob({
        kind: 'import',
        client: harness().client,
        csvPath: await file(`${bad}\n`),
      }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SluisError);
      expect((e as SluisError).details.line).toBe(1);
    }
  });

  it('migrates such a row to another OPRF epoch, and refuses it towards an HMAC epoch', async () => {
    const h = harness({ pseudonymKeys: [localOprf(2).pseudonymiser, localOprf(3, 0x44).pseudonymiser] });
    const placed = await h.client.placeSignal({
      substitute: { surname: 'van der Berg', dateOfBirth: '2014-03-04', gender: 'V' },
      contact: { name: 'A', role: 'r', email: 'a@b.nl' },
      informed: { status: 'not_yet' },
    });
    const path = await file(
      `signal_id,surname,date_of_birth,gender\n${placed.signal.id},Berg,2014-03-04,V\n`,
    );
    const s = await runCsvJob({ kind: 'migrate', client: h.client, csvPath: path, epochs: [3] });
    expect(s.outcomes.migrated).toBe(1);
    const toHmac = harness({ pseudonymKeys: [casePseudonymKey(PSEUDONYM_KEY_1, 4)] });
    const r = await runCsvJob({ kind: 'migrate', client: toHmac.client, csvPath: path, restart: true });
    expect(r.failures).toEqual([{ line: 2, code: 'scheme_requires_oprf', fields: ['surname'] }]);
    expect(toHmac.server.requests).toHaveLength(0);
    expectNoSecret(await readFile(r.resultsPath, 'utf8'));
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
    pseudonymKeys: [casePseudonymKey(PSEUDONYM_KEY_1, 1)],
    fetch,
    clock: () => NOW,
    sleep: async () => {},
  });
}
