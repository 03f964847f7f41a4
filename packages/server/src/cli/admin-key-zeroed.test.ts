// `sluis-server admin` zeroes the admin key it loaded once the command has settled, on every way
// out — done, refused, the server unreachable, a usage error after the key was loaded — and not
// before: no request of the command signs with a zeroed key (docs/keys.md §7). `admin gdpr`
// zeroes each covenant key once its pseudonym is made and each OPRF epoch's pseudonymiser once
// the pseudonym service has answered — evaluated, refused, or with an answer whose proof does
// not verify — and not while the evaluation is under way. In-process through main(argv, env,
// io), the server and the pseudonym service a fake fetch; the key instances seen with a spy on
// SigningKey.fromSeed, PseudonymKey.fromBytes and OprfPseudonymiser.create (every load) and on
// each one's destroy(), as server.test.ts does for a failed start.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OprfPseudonymiser, PseudonymKey, SigningKey } from '@sluis/client-sdk';
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
 * Runs one admin command against `answer` (the match server's paths and the pseudonym service's
 * /v1/evaluate); its exit code, stderr, how many instances of the admin key it loaded, whether
 * each was zeroed by the time it returned, and whether one was zeroed while a request was being
 * sent; and the same of the covenant keys (PseudonymKey) and OPRF pseudonymisers it made, the
 * latter checked at each evaluate request.
 */
async function run(argv: string[], answer: (path: string) => Response, stdin?: string) {
  const loaded = vi.spyOn(SigningKey, 'fromSeed');
  const destroy = vi.spyOn(SigningKey.prototype, 'destroy');
  const covenantLoaded = vi.spyOn(PseudonymKey, 'fromBytes');
  const covenantDestroy = vi.spyOn(PseudonymKey.prototype, 'destroy');
  const oprfMade = vi.spyOn(OprfPseudonymiser, 'create');
  const oprfDestroy = vi.spyOn(OprfPseudonymiser.prototype, 'destroy');
  const instances = () =>
    loaded.mock.results.map((r) => r.value as SigningKey).filter((k) => k.keyId === adminKey.keyId);
  const made = <T>(spy: { mock: { results: { type: string; value: unknown }[] } }) =>
    spy.mock.results.filter((r) => r.type === 'return').map((r) => r.value as T);
  let zeroedDuringRequest = false;
  let pseudonymiserZeroedDuringEvaluate = false;
  let requests = 0;
  try {
    const fetch = (async (url: string | URL) => {
      requests++;
      const zeroed = new Set(destroy.mock.contexts);
      if (instances().some((k) => zeroed.has(k))) zeroedDuringRequest = true;
      const path = new URL(String(url)).pathname;
      if (path === '/v1/evaluate') {
        const zeroedOprf = new Set(oprfDestroy.mock.contexts);
        if (made<OprfPseudonymiser>(oprfMade).some((p) => zeroedOprf.has(p)))
          pseudonymiserZeroedDuringEvaluate = true;
      }
      return answer(path);
    }) as typeof globalThis.fetch;
    const c = captureCliIo(dir, { fetch, ...(stdin === undefined ? {} : { readStdin: async () => stdin }) });
    const code = await main(
      ['admin', ...argv, '--server', 'http://127.0.0.1:9', '--admin-key-file', keyFile],
      {},
      c.io,
    );
    const zeroed = new Set(destroy.mock.contexts);
    const covenantZeroed = new Set(covenantDestroy.mock.contexts);
    const oprfZeroed = new Set(oprfDestroy.mock.contexts);
    return {
      code,
      err: c.err(),
      requests,
      loaded: instances().length,
      allZeroed: instances().every((k) => zeroed.has(k)),
      zeroedDuringRequest,
      covenantKeys: made<PseudonymKey>(covenantLoaded).length,
      covenantKeysZeroed: made<PseudonymKey>(covenantLoaded).every((k) => covenantZeroed.has(k)),
      pseudonymisers: made<OprfPseudonymiser>(oprfMade).length,
      pseudonymisersZeroed: made<OprfPseudonymiser>(oprfMade).every((p) => oprfZeroed.has(p)),
      pseudonymiserZeroedDuringEvaluate,
    };
  } finally {
    for (const spy of [loaded, destroy, covenantLoaded, covenantDestroy, oprfMade, oprfDestroy])
      spy.mockRestore();
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

describe('sluis-server admin gdpr zeroes the pseudonymisers it made', () => {
  const epochs = (...items: { epoch: number; kind: string }[]) =>
    json(200, { items: items.map((e) => ({ ...e, status: 'active' })) });
  const oprf = [
    '--oprf-epoch',
    '3',
    '--oprf-public-key=4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY',
    '--pseudonym-service-url',
    'http://127.0.0.1:8',
  ];

  it('each covenant key once its pseudonym is made', async () => {
    const covenant2 = join(dir, 'covenant-2.key');
    writeFileSync(covenant2, `${'cd'.repeat(32)}\n`, { mode: 0o600 });
    const keyFiles = ['--pseudonym-key-file', covenantKeyFile, '--epoch', '1'];
    const done = await run(
      ['gdpr', 'access', ...keyFiles, '--pseudonym-key-file', covenant2, '--epoch', '2'],
      (path) =>
        path === '/v1/admin/epochs'
          ? epochs({ epoch: 1, kind: 'hmac' }, { epoch: 2, kind: 'hmac' })
          : json(200, { signals: [], matches: [] }),
      `${BSN}\n`,
    );
    expect(done).toMatchObject({
      code: 0,
      requests: 2,
      covenantKeys: 2,
      covenantKeysZeroed: true,
      allZeroed: true,
    });

    // Refused by the server: the key was zeroed before the request already.
    const refused = await run(
      ['gdpr', 'erase', ...keyFiles],
      (path) =>
        path === '/v1/admin/epochs' ? epochs({ epoch: 1, kind: 'hmac' }) : json(403, { code: 'forbidden' }),
      `${BSN}\n`,
    );
    expect(refused).toMatchObject({ code: 1, covenantKeys: 1, covenantKeysZeroed: true, allZeroed: true });
  });

  it('each OPRF pseudonymiser once the pseudonym service has answered, not while it evaluates', async () => {
    // The match server lists OPRF epoch 3 only; the pseudonym service answers `evaluate`.
    const oprfEpochServer = (evaluate: () => Response) => (path: string) =>
      path === '/v1/admin/epochs'
        ? epochs({ epoch: 3, kind: 'oprf' })
        : path === '/v1/evaluate'
          ? evaluate()
          : json(200, { signals: 0 });
    // The service refuses the admin key.
    const refused = await run(
      ['gdpr', 'erase', ...oprf],
      oprfEpochServer(() => json(403, { code: 'key_unknown' })),
      `${BSN}\n`,
    );
    expect(refused.err).toContain('key_unknown');
    expect(refused).toMatchObject({
      code: 1,
      pseudonymisers: 1,
      pseudonymisersZeroed: true,
      pseudonymiserZeroedDuringEvaluate: false,
      allZeroed: true,
    });
    // An answer of the right shape whose proof does not verify against the pinned key.
    const element = '4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY';
    const unverified = await run(
      ['gdpr', 'erase', ...oprf],
      oprfEpochServer(() => json(200, { epoch: 3, evaluatedElements: [element], proof: 'A'.repeat(86) })),
      `${BSN}\n`,
    );
    expect(unverified.err).toContain('the pseudonym service did not evaluate (oprf_proof_invalid)');
    expect(unverified).toMatchObject({
      code: 2,
      pseudonymisers: 1,
      pseudonymisersZeroed: true,
      pseudonymiserZeroedDuringEvaluate: false,
    });
  });

  it('each OPRF pseudonymiser once its evaluation is done (the evaluation itself stubbed)', async () => {
    // No OPRF key answers here (the server package has no OPRF evaluation; the real one is in
    // test/e2e/oprf-migration.test.ts): the pseudonymiser's own evaluation returns a pseudonym,
    // while the command's make, use and destroy of it run as they are.
    // Whether the pseudonymiser the evaluation is asked of was destroyed already, seen at the call
    // by run()'s spy on destroy(): the command must zero it after its evaluation, not before.
    let zeroedAtCall: boolean | undefined;
    const evaluated = vi
      .spyOn(OprfPseudonymiser.prototype, 'pseudonymiseBatch')
      .mockImplementation(async function (this: OprfPseudonymiser) {
        zeroedAtCall = vi.mocked(OprfPseudonymiser.prototype.destroy).mock.contexts.includes(this);
        return [{ epoch: 3, value: 'A'.repeat(43) }];
      });
    try {
      const done = await run(
        ['gdpr', 'erase', ...oprf],
        (path) =>
          path === '/v1/admin/epochs' ? epochs({ epoch: 3, kind: 'oprf' }) : json(200, { signals: 0 }),
        `${BSN}\n`,
      );
      expect(evaluated).toHaveBeenCalledTimes(1);
      expect(zeroedAtCall).toBe(false);
      expect(done).toMatchObject({ code: 0, pseudonymisers: 1, pseudonymisersZeroed: true, allZeroed: true });
    } finally {
      evaluated.mockRestore();
    }
  });
});
