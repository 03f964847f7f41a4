// The `sluis` CLI end to end in-process: main(argv, env, io) with key files on disk and
// the signature-verifying FakeServer as fetch. Checks output, --json and exit codes.

import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INFORMED_STATUSES } from '../client/types.js';
import { base64url, bytesToHex } from '../protocol/encoding.js';
import { SigningKey } from '../protocol/signing-key.js';
import { FakeServer } from '../testing/fake-server.js';
import { PSEUDONYM_KEY_1, validBsn } from '../testing/fixtures.js';
import { signingKeyToPem } from '../keys/key-text.js';
import { EXIT, main } from './cli.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function setup(serverOptions: { budget?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'sluis-cli-'));
  const key = SigningKey.generate();
  const signingKeyFile = join(dir, 'signing.pem');
  await writeFile(signingKeyFile, signingKeyToPem(key), { mode: 0o600 });
  const pseudonymKeyFile = join(dir, 'pseudonym.key');
  await writeFile(pseudonymKeyFile, `${bytesToHex(PSEUDONYM_KEY_1)}\n`, { mode: 0o600 });
  const server = new FakeServer({ publicKey: key.publicKey, keyId: key.keyId, ...serverOptions });
  const env = {
    SLUIS_SERVER_URL: 'https://sluis.example.nl',
    SLUIS_SIGNING_KEY_FILE: signingKeyFile,
    SLUIS_PSEUDONYM_KEY_FILE: pseudonymKeyFile,
    SLUIS_PSEUDONYM_KEY_EPOCH: '1',
  };
  const run = async (
    argv: string[],
    opts: { input?: string; env?: Record<string, string> } = {},
  ): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    // One line per prompt; a single line answers every prompt.
    const lines = opts.input?.split('\n');
    let line = 0;
    const code = await main(
      argv,
      { ...env, ...opts.env },
      {
        stdout: {
          write: (t) => {
            stdout += t;
          },
        },
        stderr: {
          write: (t) => {
            stderr += t;
          },
        },
        readLine: async () => (lines === undefined ? undefined : lines[Math.min(line++, lines.length - 1)]),
        fetch: server.fetch,
        sleep: async () => {},
      },
    );
    return { code, stdout, stderr };
  };
  return { dir, key, server, env, run, signingKeyFile, pseudonymKeyFile };
}

const SIGNAL_FLAGS = ['--name', 'J. de Vries', '--role', 'jeugdconsulent', '--email', 'j@example.nl'];

describe('sluis CLI', () => {
  it('keygen writes a 0600 key and prints the public key and key id', async () => {
    const { dir, run } = await setup();
    const out = join(dir, 'new.pem');
    const r = await run(['keygen', '--out', out, '--json']);
    expect(r.code).toBe(EXIT.ok);
    const j = JSON.parse(r.stdout);
    const pem = await readFile(out, 'utf8');
    expect(j.keyId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(r.stdout).not.toContain(pem.split('\n')[1]!);
    if (process.platform !== 'win32') expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect((await run(['keygen', '--out', out])).code).toBe(EXIT.usage);
  });

  it('whoami, human and --json', async () => {
    const { run } = await setup();
    const human = await run(['whoami']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Jeugdzorg Test');
    // The budget counts people looked up (subject and parents), not placements
    // (docs/api.md "GET /v1/whoami").
    expect(human.stdout).toMatch(
      /budget: +\d+\/\d+ used today \(UTC; one unit per person looked up, parents included\)/,
    );
    const json = JSON.parse((await run(['whoami', '--json'])).stdout);
    expect(json.organisation.name).toBe('Jeugdzorg Test');
  });

  it('whoami reports the locally configured epochs, and none when there are none', async () => {
    const { run } = await setup();
    const human = await run(['whoami']);
    expect(human.stdout).toContain('local epochs: 1\n');
    expect(JSON.parse((await run(['whoami', '--json'])).stdout).localEpochs).toEqual([1]);
    const none = await run(['whoami'], {
      env: { SLUIS_PSEUDONYM_KEY_FILE: '', SLUIS_PSEUDONYM_KEY_EPOCH: '' },
    });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('local epochs: none configured');
  });

  it('matches --limit n prints n events and the cursor file resumes after them', async () => {
    const { run, server, dir } = await setup();
    for (let i = 0; i < 4; i++) server.addMatchEvent();
    const cursorFile = join(dir, 'cursor');
    const first = await run(['matches', '--limit', '1', '--cursor-file', cursorFile]);
    expect(first.stdout.trim().split('\n')).toHaveLength(2); // header + 1 row
    const next = await run(['matches', '--json', '--limit', '2', '--cursor-file', cursorFile]);
    expect(
      next.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).cursor),
    ).toEqual(['2', '3']);
  });

  it('signal reads the BSN from the prompt and never prints it', async () => {
    const { run, server } = await setup();
    const bsn = validBsn(1);
    const r = await run(
      ['signal', ...SIGNAL_FLAGS, '--informed', 'not_yet', '--date-of-birth', '2015-01-01'],
      {
        input: bsn,
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created: signal /);
    expect(r.stdout + r.stderr).not.toContain(bsn);
    expect(server.created).toHaveLength(1);
    const body = JSON.parse(server.requests[0]!.body);
    // The day before the 23rd birthday, rounded down to the month (the birth date stays local).
    expect(body.endDate).toBe('2037-12-01');
    const flagged = await run(['signal', ...SIGNAL_FLAGS, '--informed', 'not_yet', '--bsn', bsn, '--json']);
    expect(JSON.parse(flagged.stdout).outcome).toBe('existing');
    expect(flagged.stderr).toContain('shell history');
  });

  it('signal --without-bsn: refused under an HMAC epoch (docs/protocol.md §2.2), nothing sent or printed', async () => {
    const { run, server } = await setup();
    const r = await run([
      'signal',
      ...SIGNAL_FLAGS,
      '--informed',
      'not_yet',
      '--without-bsn',
      '--surname',
      'van der Bergsma',
      '--date-of-birth',
      '2015-03-04',
      '--gender',
      'V',
    ]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain('scheme_requires_oprf');
    expect(r.stdout + r.stderr).not.toContain('Bergsma');
    expect(server.requests).toHaveLength(0);
    const bad = await run(
      ['signal', ...SIGNAL_FLAGS, '--informed', 'not_yet', '--without-bsn', '--gender', 'V'],
      {
        input: 'Jansen2',
        env: {},
      },
    );
    expect(bad.stderr).toContain('substitute_surname_invalid');
    expect(bad.stderr).not.toContain('Jansen2');
    const both = await run([
      'signal',
      ...SIGNAL_FLAGS,
      '--informed',
      'not_yet',
      '--without-bsn',
      '--bsn',
      '1',
    ]);
    expect(both.code).toBe(EXIT.usage);
  });

  it('signal --parent-without-bsn -: prompted, refused under an HMAC epoch naming the parent; never a flag value', async () => {
    const { run, server } = await setup();
    const r = await run(
      ['signal', ...SIGNAL_FLAGS, '--informed', 'not_yet', '--parent-without-bsn', '-', '--json'],
      { input: `${validBsn(3)}\nd'Oliveira\n1984-11-30\nM\n` },
    );
    expect(r.code).toBe(EXIT.usage);
    expect(JSON.parse(r.stdout).error).toMatchObject({
      code: 'scheme_requires_oprf',
      fields: ['parents.0.substitute'],
    });
    expect(r.stdout + r.stderr).not.toMatch(/Oliveira|1984-11-30/);
    const literal = await run(
      ['signal', ...SIGNAL_FLAGS, '--informed', 'not_yet', '--parent-without-bsn', 'Oliveira'],
      { input: validBsn(3) },
    );
    expect(literal.code).toBe(EXIT.usage);
    expect(literal.stderr).toContain('--parent-without-bsn -');
    expect(literal.stderr).not.toContain('Oliveira');
    expect(server.requests).toHaveLength(0);
  });

  it('exit 2 for local validation and usage errors, with field names only', async () => {
    const { run, server } = await setup();
    const bad = await run(['signal', ...SIGNAL_FLAGS, '--informed', 'citizen'], { input: '123456789' });
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toContain('bsn_checksum');
    expect(bad.stderr).not.toContain('123456789');
    const inv = await run(['signal', '--name', 'A', '--role', 'r', '--informed', 'citizen', '--json'], {
      input: validBsn(2),
    });
    expect(inv.code).toBe(EXIT.usage);
    expect(JSON.parse(inv.stdout).error).toMatchObject({
      code: 'input_invalid',
      fields: ['contact.phone', 'contact.email', 'informed.date'],
    });
    expect((await run(['frobnicate'])).code).toBe(EXIT.usage);
    expect((await run(['whoami', '--no-such-flag'])).code).toBe(EXIT.usage);
    expect((await run([])).code).toBe(EXIT.usage);
    expect((await run(['--help'])).code).toBe(EXIT.ok);
    expect((await run(['whoami'], { env: { SLUIS_SERVER_URL: '' } })).stderr).toContain('no server URL');
    const usage = await run(['signals', '--status', 'maybe', '--json']);
    expect(usage.code).toBe(EXIT.usage);
    expect(JSON.parse(usage.stdout).error).toMatchObject({ code: 'usage_invalid' });
    expect(usage.stderr).toBe('error: --status must be active or inactive\n');
    expect(server.requests).toHaveLength(0);
  });

  it('takes option values that start with "-" and never echoes a value in a parse error', async () => {
    const { run } = await setup();
    // 1 in 64 base64url public keys starts with '-': parseArgs alone calls that ambiguous.
    let dash = SigningKey.generate();
    while (!base64url.encode(dash.publicKey).startsWith('-')) dash = SigningKey.generate();
    const publicKey = base64url.encode(dash.publicKey);
    const ok = await run(['whoami', '--server-public-key', publicKey, '--json']);
    expect(ok.code, ok.stderr).toBe(EXIT.ok);
    const missing = await run(['signal', '--bsn', '--json']);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toBe(
      'error: --bsn needs a value (use --bsn=VALUE when the value starts with "-") (see sluis --help)\n',
    );
    const stray = await run(['whoami', publicKey]);
    expect(stray.code).toBe(EXIT.usage);
    const strayFlag = await run(['whoami', `-${validBsn(3)}`]);
    expect(strayFlag.code).toBe(EXIT.usage);
    for (const r of [missing, stray, strayFlag]) {
      expect(r.stdout + r.stderr).not.toContain(publicKey.slice(1));
      expect(r.stdout + r.stderr).not.toContain(validBsn(3));
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('exit 1 when the server refuses, 3 when it cannot be reached', async () => {
    const { run, server } = await setup();
    server.faults.push({ kind: 'status', status: 403, code: 'organisation_suspended' });
    const refused = await run(['whoami']);
    expect(refused.code).toBe(EXIT.refused);
    expect(refused.stderr).toContain('organisation_suspended (HTTP 403)');
    expect(refused.stderr).toContain('correlation id corr-2');
    server.faults.push({ kind: 'network' }, { kind: 'network' }, { kind: 'network' }, { kind: 'network' });
    expect((await run(['whoami'])).code).toBe(EXIT.network);
    server.faults.push(
      ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 500, code: 'internal' })),
    );
    expect((await run(['whoami'])).code).toBe(EXIT.network);
  });

  it('refuses a group-readable key file (exit 2) unless told to warn', async () => {
    const { run, pseudonymKeyFile } = await setup();
    if (process.platform === 'win32') return;
    const { chmod } = await import('node:fs/promises');
    await chmod(pseudonymKeyFile, 0o640);
    const r = await run(['signal', ...SIGNAL_FLAGS, '--informed', 'not_yet'], { input: validBsn(1) });
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toContain('key_file_insecure');
    const w = await run(['signal', ...SIGNAL_FLAGS, '--informed', 'not_yet', '--warn-insecure-key-file'], {
      input: validBsn(1),
    });
    expect(w.code).toBe(0);
    expect(w.stderr).toContain('chmod 600');
  });

  it('withdraw, matches table / json / cursor file, followup', async () => {
    const { run, server, dir } = await setup();
    const placed = JSON.parse(
      (await run(['signal', ...SIGNAL_FLAGS, '--informed', 'not_yet', '--json'], { input: validBsn(3) }))
        .stdout,
    );
    const e1 = server.addMatchEvent();
    server.addMatchEvent('match.removed');
    const table = await run(['matches']);
    expect(table.stdout.split('\n')[0]).toMatch(/^CURSOR\s+EVENT\s+MATCH/);
    expect(table.stdout).toContain('Wijkteam Noord');
    expect(table.stdout).toContain('match.removed');
    const cursorFile = join(dir, 'cursor');
    const lines = (await run(['matches', '--json', '--cursor-file', cursorFile])).stdout.trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).cursor)).toEqual(['1', '2']);
    expect((await readFile(cursorFile, 'utf8')).trim()).toBe('2');
    server.addMatchEvent();
    const next = (await run(['matches', '--json', '--cursor-file', cursorFile])).stdout.trim().split('\n');
    expect(next.map((l) => JSON.parse(l).cursor)).toEqual(['3']);

    const f = await run(['followup', 'contact-made', e1.matchId as string]);
    expect(f.code).toBe(0);
    const o = await run(['followup', 'outcome', e1.matchId as string, 'client_refused']);
    expect(o.code).toBe(0);
    expect(server.requests[server.requests.length - 1]!.path).toBe(`/v1/matches/${e1.matchId}/follow-up`);
    expect(JSON.parse(server.requests[server.requests.length - 1]!.body)).toEqual({
      outcome: 'client_refused',
    });
    const bad = await run(['followup', 'outcome', e1.matchId as string, 'phoned']);
    expect(bad.code).toBe(2);
    const g = await run([
      'followup',
      'regie',
      e1.matchId as string,
      '--action',
      'propose',
      '--for',
      'counterpart',
    ]);
    expect(g.code).toBe(0);
    expect(JSON.parse(server.requests[server.requests.length - 1]!.body)).toEqual({
      action: 'propose',
      for: 'counterpart',
    });
    expect((await run(['followup', 'regie', e1.matchId as string, '--action', 'grab'])).code).toBe(
      EXIT.usage,
    );

    const w = await run(['withdraw', placed.signal.id, '--reason', 'ended']);
    expect(w.code).toBe(0);
    expect((await run(['withdraw', placed.signal.id])).code).toBe(EXIT.usage);
  });

  it('matches --watch follows from the last cursor until interrupted', async () => {
    const { server, env } = await setup();
    server.addMatchEvent();
    const controller = new AbortController();
    let stdout = '';
    let polls = 0;
    const code = await main(['matches', '--watch', '--interval', '5', '--json'], env, {
      stdout: {
        write: (t) => {
          stdout += t;
        },
      },
      stderr: { write: () => {} },
      fetch: server.fetch,
      sleep: async (ms) => {
        expect(ms).toBe(5000);
        polls++;
        if (polls === 1) server.addMatchEvent();
        if (polls === 2) controller.abort();
      },
      signal: controller.signal,
    });
    expect(code).toBe(0);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).cursor),
    ).toEqual(['1', '2']);
    const queries = server.requests.filter((r) => r.path === '/v1/matches').map((r) => r.query);
    expect(queries).toContain('cursor=1');
  });

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

  it('reads a JSON config file with relative key paths', async () => {
    const { run, dir, signingKeyFile } = await setup();
    const config = join(dir, 'sluis.json');
    await writeFile(
      config,
      JSON.stringify({
        serverUrl: 'https://sluis.example.nl',
        signingKeyFile: signingKeyFile.slice(dir.length + 1),
        pseudonymKeys: [{ file: 'pseudonym.key', epoch: 1 }],
      }),
    );
    const r = await run(['whoami', '--config', config], {
      env: {
        SLUIS_SERVER_URL: '',
        SLUIS_SIGNING_KEY_FILE: '',
        SLUIS_PSEUDONYM_KEY_FILE: '',
        SLUIS_PSEUDONYM_KEY_EPOCH: '',
      },
    });
    expect(r.code).toBe(0);
    await writeFile(config, JSON.stringify({ serverUrl: 'x', pseudonymKey: 'abc' }));
    const unknown = await run(['whoami', '--config', config]);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toContain('error: config file: unknown key; fields: pseudonymKey');
  });
});
