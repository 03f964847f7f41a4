// The `sluis import` command in-process (cli.test-util.ts): partial failures and a resumable
// results file, a spent budget, consent with its attestation, and column errors that never
// echo a value.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INFORMED_STATUSES } from '../client/types.js';
import { validBsn } from '../testing/fixtures.js';
import { EXIT } from './cli.js';
import { setup } from './cli.test-util.js';

describe('sluis CLI', () => {
  it('import: partial failures → exit 4, results file, resumable', async () => {
    const { run, server, dir } = await setup();
    const path = join(dir, 'caseload.csv');
    const good = [validBsn(10), validBsn(11), validBsn(12)];
    await writeFile(
      path,
      'bsn,name,role,phone,email,informed_status,informed_date,date_of_birth,end_date,parent1_bsn,parent2_bsn\r\n' +
        `${good[0]},"Vries, J. de",jeugdconsulent,,j@example.nl,citizen,2026-01-01,,,,\r\n` +
        '123456789,A,r,,a@example.nl,not_yet,,,,,\r\n' +
        `${good[1]},B,r,0101234567,,both,2026-01-02,2014-02-03,,${good[2]},\r\n`,
    );
    let stderr = '';
    const r = await run(['import', path]);
    stderr = r.stderr;
    expect(r.code).toBe(EXIT.partial);
    expect(r.stdout).toContain('2 created');
    expect(r.stdout).toContain('line 3: bsn_checksum (bsn)');
    expect(stderr).toMatch(/import \[#+\] 3\/3 rows 100%/);
    const results = await readFile(`${path}.results.csv`, 'utf8');
    for (const b of [...good, '123456789']) expect(results + r.stdout + stderr).not.toContain(b);
    const again = await run(['import', path, '--json']);
    expect(again.code).toBe(EXIT.partial);
    expect(JSON.parse(again.stdout)).toMatchObject({ skipped: 2, outcomes: { created: 2, invalid: 1 } });
    expect(server.created).toHaveLength(2);
  });

  it('import stops at the first budget_exceeded with one line; the refused rows stay pending', async () => {
    const { run, server, dir } = await setup({ budget: 1 });
    const path = join(dir, 'caseload.csv');
    const rows = [10, 11, 12, 13].map((i) => `${validBsn(i)},A,r,,a@example.nl,not_yet\r\n`);
    await writeFile(path, `bsn,name,role,phone,email,informed_status\r\n${rows.join('')}`);
    const r = await run(['import', path, '--batch-size', '2']);
    expect(r.code).toBe(EXIT.refused);
    expect(r.stdout).toContain('1 created');
    expect(r.stdout).toContain('3 pending');
    expect(r.stdout).not.toContain('budget_exceeded');
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error'));
    expect(errors).toEqual([
      'error: server_error: the server refused the request; server code budget_exceeded (HTTP 429)',
    ]);
    // The second batch of two was not sent.
    expect(server.requests.filter((q) => q.path === '/v1/signals/batch')).toHaveLength(1);
  });

  it('import: a person of 23 or older goes in on consent with its attestation; jeugdwet is refused locally', async () => {
    const { run, server, dir } = await setup();
    const path = join(dir, 'adults.csv');
    await writeFile(
      path,
      'bsn,name,role,email,informed_status,informed_date,date_of_birth,legal_basis,attestation_date,attestation_form_ref\r\n' +
        `${validBsn(30)},A,r,a@example.nl,citizen,2026-01-01,1961-07-19,consent,2026-01-02,TOEST-1\r\n` +
        `${validBsn(31)},A,r,a@example.nl,citizen,2026-01-01,1961-07-19,,,\r\n` +
        `${validBsn(32)},A,r,a@example.nl,citizen,2026-01-01,1961-07-19,no_objection,,\r\n`,
    );
    const r = await run(['import', path]);
    expect(r.code).toBe(EXIT.partial);
    expect(r.stdout).toContain('1 created');
    expect(r.stdout).toContain(
      'line 3: legal_basis_invalid (legal_basis: jeugdwet (the default) for a person',
    );
    expect(r.stdout).toContain('line 4: attestation_required (attestation_date: missing for consent');
    const sent = server.requests
      .filter((q) => q.path === '/v1/signals/batch')
      .flatMap((q) => (JSON.parse(q.body) as { items: Record<string, unknown>[] }).items);
    expect(sent.map((i) => [i.legalBasis, i.attestation])).toEqual([
      ['consent', { date: '2026-01-02', formReference: 'TOEST-1' }],
    ]);
    expect(JSON.stringify(sent)).not.toContain('1961-07-19');
  });

  it('import says what is wrong with a date column, never its value', async () => {
    const { run, dir } = await setup();
    const path = join(dir, 'dates.csv');
    await writeFile(
      path,
      `bsn,name,role,email,informed_status,informed_date\r\n${validBsn(20)},A,r,a@example.nl,citizen,2999-01-01\r\n`,
    );
    const r = await run(['import', path]);
    expect(r.stdout).toContain(
      'line 2: input_invalid (informed_date: not a YYYY-MM-DD date, or in the future, or given with informed_status not_yet)',
    );
    expect(r.stdout).not.toContain('2999');
  });

  it('import names the accepted informed_status values, from the SDK list, in the help, a refusal and the docs', async () => {
    const { run, dir } = await setup();
    const path = join(dir, 'informed.csv');
    await writeFile(
      path,
      'bsn,name,role,email,informed_status,informed_date\r\n' +
        `${validBsn(40)},A,r,a@example.nl,informiert,2026-01-01\r\n` +
        `${validBsn(41)},A,r,a@example.nl,,\r\n`,
    );
    const r = await run(['import', path]);
    for (const line of [2, 3]) {
      const hint = r.stdout
        .split('\n')
        .find((l) => l.startsWith(`  line ${line}: input_invalid (informed_status: `));
      expect(hint, `line ${line}`).toBeDefined();
      for (const status of INFORMED_STATUSES) expect(hint).toContain(status);
    }
    expect(r.stdout).not.toContain('informiert');
    const help = (await run(['--help'])).stdout;
    const column = help.slice(help.indexOf('Column informed_status:'));
    expect(column).not.toBe(help);
    for (const status of INFORMED_STATUSES) expect(column.split('\n')[0]).toContain(status);
    // docs/sdk.md "CSV import" lists the same values.
    const docs = await readFile(new URL('../../../../docs/sdk.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('### CSV import'), docs.indexOf('### CSV migration'));
    const listed = section.split('\n').find((l) => l.includes('`informed_status` is one of'));
    expect(listed).toBeDefined();
    expect([...listed!.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).slice(1)).toEqual([...INFORMED_STATUSES]);
  });
});
