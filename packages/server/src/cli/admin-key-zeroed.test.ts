// `sluis-server admin` zeroes the admin key it loaded once the command has settled, on every way
// out — done, refused, the server unreachable, a usage error after the key was loaded — and not
// before: no request of the command signs with a zeroed key (docs/keys.md §7). In-process through
// main(argv, env, io), the server a fake fetch; the key instances seen with a spy on
// SigningKey.fromSeed (every load) and on destroy(), as server.test.ts does for a failed start.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeSigningKeyFile } from '../ops/key-files.js';
import { captureCliIo } from '../testing/cli-io.js';
import { main } from './main.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

const BSN = '123456782';
const adminKey = caseSigningKey();
let dir: string;
let keyFile: string;
let covenantKeyFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-admin-key-zeroed-'));
  keyFile = join(dir, 'admin.key');
  writeSigningKeyFile(keyFile, adminKey);
  covenantKeyFile = join(dir, 'covenant.key');
  writeFileSync(covenantKeyFile, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * Runs one admin command against `answer`; its exit code, stderr, how many instances of the admin
 * key it loaded, whether each was zeroed by the time it returned, and whether one was zeroed
 * while a request was being sent.
 */
async function run(argv: string[], answer: (path: string) => Response, stdin?: string) {
  const loaded = vi.spyOn(SigningKey, 'fromSeed');
  const destroy = vi.spyOn(SigningKey.prototype, 'destroy');
  const instances = () =>
    loaded.mock.results.map((r) => r.value as SigningKey).filter((k) => k.keyId === adminKey.keyId);
  let zeroedDuringRequest = false;
  let requests = 0;
  try {
    const fetch = (async (url: string | URL) => {
      requests++;
      const zeroed = new Set(destroy.mock.contexts);
      if (instances().some((k) => zeroed.has(k))) zeroedDuringRequest = true;
      return answer(new URL(String(url)).pathname);
    }) as typeof globalThis.fetch;
    const c = captureCliIo(dir, { fetch, ...(stdin === undefined ? {} : { readStdin: async () => stdin }) });
    const code = await main(
      ['admin', ...argv, '--server', 'http://127.0.0.1:9', '--admin-key-file', keyFile],
      {},
      c.io,
    );
    const zeroed = new Set(destroy.mock.contexts);
    return {
      code,
      err: c.err(),
      requests,
      loaded: instances().length,
      allZeroed: instances().every((k) => zeroed.has(k)),
      zeroedDuringRequest,
    };
  } finally {
    loaded.mockRestore();
    destroy.mockRestore();
  }
}

describe('sluis-server admin zeroes the admin key it loaded', () => {
  it('when the command is done, refused or the server unreachable; not while it sends', async () => {
    const done = await run(['organisations'], () => json(200, { items: [] }));
    expect(done).toMatchObject({
      code: 0,
      requests: 1,
      loaded: 1,
      allZeroed: true,
      zeroedDuringRequest: false,
    });

    const refused = await run(['organisations'], () => json(403, { code: 'forbidden' }));
    expect(refused).toMatchObject({ code: 1, loaded: 1, allZeroed: true, zeroedDuringRequest: false });

    const unreachable = await run(['organisations'], () => {
      throw new TypeError('fetch failed');
    });
    expect(unreachable).toMatchObject({ code: 3, loaded: 1, allZeroed: true, zeroedDuringRequest: false });
  });

  it('when the command ends in a usage error after the key was loaded', async () => {
    // The server lists an active OPRF epoch the command was given no --oprf-epoch for: refused
    // after the epochs were asked for with the loaded key.
    const usage = await run(
      ['gdpr', 'access', '--pseudonym-key-file', covenantKeyFile, '--epoch', '1'],
      () => json(200, { items: [{ epoch: 3, status: 'active', kind: 'oprf' }] }),
      `${BSN}\n`,
    );
    expect(usage.err).toContain('active OPRF epoch 3 has no --oprf-epoch');
    expect(usage).toMatchObject({
      code: 2,
      requests: 1,
      loaded: 1,
      allZeroed: true,
      zeroedDuringRequest: false,
    });
  });
});
