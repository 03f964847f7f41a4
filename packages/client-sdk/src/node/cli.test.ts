// The `sluis` CLI end to end in-process: main(argv, env, io) with key files on disk and
// the signature-verifying FakeServer as fetch (cli.test-util.ts). Checks output, --json and
// exit codes; the import command is in cli-import.test.ts.

import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type MockInstance, describe, expect, it, vi } from 'vitest';
import { OprfPseudonymiser } from '../client/oprf-pseudonymiser.js';
import { base64url } from '../protocol/encoding.js';
import { PseudonymKey } from '../protocol/pseudonym.js';
import { SigningKey } from '../protocol/signing-key.js';
import { validBsn } from '../testing/fixtures.js';
import { EXIT, main } from './cli.js';
import { SIGNAL_FLAGS, setup } from './cli.test-util.js';
import { StopSignalAbort } from './stop-signals.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

/**
 * Every key a command loads (a signing key from its file, a covenant key from its file, an OPRF
 * epoch's pseudonymiser) and every destroy(), seen with spies (as server.test.ts does for a failed
 * start): `live()` lists the loaded instances not zeroed.
 */
function watchKeys() {
  const spies = [
    [vi.spyOn(SigningKey, 'fromSeed'), vi.spyOn(SigningKey.prototype, 'destroy')],
    [vi.spyOn(PseudonymKey, 'fromBytes'), vi.spyOn(PseudonymKey.prototype, 'destroy')],
    [vi.spyOn(OprfPseudonymiser, 'create'), vi.spyOn(OprfPseudonymiser.prototype, 'destroy')],
  ] as unknown as [MockInstance, MockInstance][];
  const made = () =>
    spies.map(([load, destroy]) => ({
      loaded: load.mock.results.filter((r) => r.type === 'return').map((r) => r.value as object),
      zeroed: new Set(destroy.mock.contexts),
    }));
  return {
    /** How many signing keys, covenant keys and OPRF pseudonymisers were loaded. */
    loaded: () => made().map((m) => m.loaded.length),
    live: () => made().flatMap((m) => m.loaded.filter((k) => !m.zeroed.has(k))),
    clear: () => {
      for (const [load, destroy] of spies) {
        load.mockClear();
        destroy.mockClear();
      }
    },
    restore: () => {
      for (const [load, destroy] of spies) {
        load.mockRestore();
        destroy.mockRestore();
      }
    },
  };
}

describe('sluis CLI', () => {
  it('zeroes every key a command loaded on every way out, and none while it still signs (docs/keys.md §7)', async () => {
    const { run, server, env, dir } = await setup();
    const keys = watchKeys();
    try {
      // Done. The fake server verifies every signature: a key zeroed too early would be refused.
      const done = await run(['whoami']);
      expect([done.code, keys.loaded(), keys.live()]).toEqual([EXIT.ok, [1, 1, 0], []]);
      keys.clear();
      // An import in batches of one, pipelined (the next batch pseudonymised while one is placed).
      const csv = join(dir, 'zeroed.csv');
      await writeFile(
        csv,
        'bsn,name,role,phone,email,informed_status,informed_date\r\n' +
          [20, 21, 22].map((i) => `${validBsn(i)},A,r,,a@example.nl,citizen,2026-01-01\r\n`).join(''),
      );
      const imported = await run(['import', csv, '--batch-size', '1']);
      expect(imported.code).toBe(EXIT.ok);
      expect(imported.stdout).toContain('3 created');
      expect([keys.loaded(), keys.live()]).toEqual([[1, 1, 0], []]);
      keys.clear();
      // Refused, and the server unreachable.
      server.faults.push({ kind: 'status', status: 403, code: 'organisation_suspended' });
      expect((await run(['whoami'])).code).toBe(EXIT.refused);
      server.faults.push(...Array.from({ length: 4 }, () => ({ kind: 'network' as const })));
      expect((await run(['signals'])).code).toBe(EXIT.network);
      expect([keys.loaded(), keys.live()]).toEqual([[2, 1, 0], []]);
      keys.clear();
      // A usage error after the keys were loaded: a bad --on-behalf-of; a bad OPRF public key
      // after a good one (its pseudonymiser made).
      const onBehalf = await run(['signals', '--on-behalf-of', 'someone']);
      expect(onBehalf.code).toBe(EXIT.usage);
      expect(onBehalf.stderr).toContain('--on-behalf-of must be a person id');
      const oprf = await run(['whoami'], {
        env: {
          // At most two epochs: the OPRF ones only.
          SLUIS_PSEUDONYM_KEY_FILE: '',
          SLUIS_PSEUDONYM_KEY_EPOCH: '',
          SLUIS_OPRF_EPOCH: '2',
          SLUIS_OPRF_PUBLIC_KEY: '4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY',
          SLUIS_OPRF_EPOCH_2: '3',
          SLUIS_OPRF_PUBLIC_KEY_2: 'AAAA',
          SLUIS_PSEUDONYM_SERVICE_URL: 'https://pseudonyms.example.nl',
        },
      });
      expect(oprf.code).toBe(EXIT.usage);
      expect(oprf.stderr).toContain('an OPRF public key is not a valid ristretto255 element');
      expect([keys.loaded(), keys.live()]).toEqual([[2, 0, 1], []]);
      keys.clear();
      // Stopped (SIGINT) during --watch: zeroed once the command has returned.
      const controller = new AbortController();
      const watched = await main(['matches', '--watch', '--json'], env, {
        stdout: { write: () => {} },
        stderr: { write: () => {} },
        fetch: server.fetch,
        sleep: async () => {
          expect(keys.live()).toHaveLength(1);
          controller.abort(new StopSignalAbort('SIGINT'));
        },
        signal: controller.signal,
      });
      expect(watched).toBe(EXIT.ok);
      expect([keys.loaded(), keys.live()]).toEqual([[1, 0, 0], []]);
      expect(server.requests.length).toBeGreaterThan(0);
    } finally {
      keys.restore();
    }
  });

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

  it('signal refused with epoch_retired: its own label, what to do, exit 6', async () => {
    const { run, server } = await setup();
    server.faults.push({ kind: 'status', status: 400, code: 'epoch_retired' });
    const bsn = validBsn(1);
    const r = await run(['signal', ...SIGNAL_FLAGS, '--informed', 'not_yet'], { input: bsn });
    expect(r.code).toBe(EXIT.epoch);
    expect(r.stderr).toMatch(/^error: epoch_retired: the server retired a configured key epoch; configure/);
    expect(r.stderr).not.toContain('server_error');
    expect(r.stderr).toContain('server code epoch_retired (HTTP 400)');
    expect(r.stdout + r.stderr).not.toContain(bsn);
    server.faults.push({ kind: 'status', status: 400, code: 'epoch_retired' });
    const json = await run(['signal', ...SIGNAL_FLAGS, '--informed', 'not_yet', '--json'], { input: bsn });
    expect(json.code).toBe(EXIT.epoch);
    expect(JSON.parse(json.stdout).error.problemCode).toBe('epoch_retired');
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
    const help = await run(['--help']);
    expect(help.code).toBe(EXIT.ok);
    // a contact needs a phone number or an e-mail address (docs/sdk.md): neither is shown as optional
    expect(help.stdout + help.stderr).toContain('--name --role --phone|--email (one of them or both)');
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
    let dash = caseSigningKey();
    while (!base64url.encode(dash.publicKey).startsWith('-')) dash = caseSigningKey();
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
  it('a stop handed on to fetch ends the command with the signal’s code, not as an unexpected failure', async () => {
    const { server, env } = await setup();
    const controller = new AbortController();
    controller.abort(new StopSignalAbort('SIGTERM'));
    let stderr = '';
    const code = await main(['matches', '--json'], env, {
      stdout: { write: () => {} },
      stderr: {
        write: (t) => {
          stderr += t;
        },
      },
      // What fetch(…, { signal }) does once the signal is aborted: rejects with its reason.
      fetch: (...args) =>
        controller.signal.aborted ? Promise.reject(controller.signal.reason) : server.fetch(...args),
      signal: controller.signal,
    });
    expect([code, stderr]).toEqual([EXIT.terminated, '']);
    expect(server.requests).toEqual([]);
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
