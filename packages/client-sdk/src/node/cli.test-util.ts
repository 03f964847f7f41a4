// Test support for the `sluis` CLI tests (not part of the build): main(argv, env, io) run
// in-process with key files on disk and the signature-verifying FakeServer as fetch.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '../protocol/encoding.js';
import { FakeServer, type FakeServerOptions } from '../testing/fake-server.js';
import { PSEUDONYM_KEY_1 } from '../testing/fixtures.js';
import { signingKeyToPem } from '../keys/key-text.js';
import { main } from './cli.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function setup(serverOptions: Pick<FakeServerOptions, 'budget' | 'epochs'> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'sluis-cli-'));
  const key = caseSigningKey();
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

export const SIGNAL_FLAGS = ['--name', 'J. de Vries', '--role', 'jeugdconsulent', '--email', 'j@example.nl'];
