// The CLI's handling of identifiers typed by a person (docs/sdk.md "CLI reference"): parent BSNs can be read from
// the prompt like the subject's (a flag value is warned about: shell history), and an
// unknown command is refused without echoing the word (it might be a BSN); --informed's
// values are listed in the help and in the refusal of another value, which is not echoed.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signingKeyToPem } from '../keys/key-text.js';
import { bytesToHex } from '../protocol/encoding.js';
import { FakeServer } from '../testing/fake-server.js';
import { PSEUDONYM_KEY_1, validBsn } from '../testing/fixtures.js';
import { EXIT, main } from './cli.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

async function setup(lines: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'sluis-cli-input-'));
  const key = caseSigningKey();
  await writeFile(join(dir, 'signing.pem'), signingKeyToPem(key), { mode: 0o600 });
  await writeFile(join(dir, 'pseudonym.key'), `${bytesToHex(PSEUDONYM_KEY_1)}\n`, { mode: 0o600 });
  const server = new FakeServer({ publicKey: key.publicKey, keyId: key.keyId });
  const env = {
    SLUIS_SERVER_URL: 'https://sluis.example.nl',
    SLUIS_SIGNING_KEY_FILE: join(dir, 'signing.pem'),
    SLUIS_PSEUDONYM_KEY_FILE: join(dir, 'pseudonym.key'),
    SLUIS_PSEUDONYM_KEY_EPOCH: '1',
  };
  const prompts: string[] = [];
  let stdout = '';
  let stderr = '';
  const run = (argv: string[]) =>
    main(argv, env, {
      stdout: { write: (t) => (stdout += t) },
      stderr: { write: (t) => (stderr += t) },
      readLine: async (prompt) => {
        prompts.push(prompt);
        return lines.shift();
      },
      fetch: server.fetch,
      sleep: async () => {},
    });
  return { run, server, prompts, out: () => stdout + stderr };
}

const FLAGS = [
  '--name',
  'J. de Vries',
  '--role',
  'jeugdconsulent',
  '--email',
  'j@example.nl',
  '--informed',
  'not_yet',
];

describe('sluis CLI input of identifiers', () => {
  it('reads parent BSNs from the prompt with --parent-bsn - and never prints them', async () => {
    const [child, parent] = [validBsn(1), validBsn(2)];
    const s = await setup([child, parent]);
    expect(await s.run(['signal', ...FLAGS, '--parent-bsn', '-'])).toBe(EXIT.ok);
    expect(s.prompts).toEqual(['BSN: ', 'Parent BSN 1: ']);
    const body = JSON.parse(s.server.requests.at(-1)!.body);
    expect(body.parents).toHaveLength(1);
    expect(s.out()).not.toContain(child);
    expect(s.out()).not.toContain(parent);
    expect(s.out()).not.toContain('shell history');
  });

  it('warns when a parent BSN is given as a flag value', async () => {
    const s = await setup([validBsn(3)]);
    expect(await s.run(['signal', ...FLAGS, '--parent-bsn', validBsn(4)])).toBe(EXIT.ok);
    expect(s.out()).toContain('shell history');
    expect(s.out()).not.toContain(validBsn(4));
  });

  it('lists --informed’s values in the help and when one is missing or wrong, before anything is read or sent', async () => {
    const s = await setup([validBsn(6)]);
    expect(await s.run(['--help'])).toBe(EXIT.ok);
    expect(s.out()).toContain('--informed <citizen|representative|both|not_yet>');
    expect(s.out()).toContain('--informed: citizen, representative, both or not_yet');
    const values =
      'citizen, representative, both or not_yet (who was told of the signal: the citizen, a legal representative, both, or nobody yet — not_yet takes no --informed-date)';
    const wrong = await setup([validBsn(6)]);
    const typed = `told-${validBsn(7)}`;
    expect(await wrong.run(['signal', ...FLAGS.slice(0, -2), '--informed', typed])).toBe(EXIT.usage);
    expect(wrong.out()).toBe(`error: --informed must be: ${values} (see sluis --help)\n`);
    const missing = await setup([validBsn(6)]);
    expect(await missing.run(['signal', ...FLAGS.slice(0, -2)])).toBe(EXIT.usage);
    expect(missing.out()).toBe(`error: --informed is required: ${values} (see sluis --help)\n`);
    // Refused first: no BSN prompt, no request.
    for (const x of [wrong, missing]) {
      expect(x.prompts).toEqual([]);
      expect(x.server.requests).toHaveLength(0);
    }
  });

  it('refuses an unknown command without echoing it', async () => {
    const s = await setup([]);
    expect(await s.run([validBsn(5)])).toBe(EXIT.usage);
    expect(s.out()).toContain('unknown command');
    expect(s.out()).not.toContain(validBsn(5));
  });
});
