// The pseudonym service on real HTTP, real files: evaluation with a proof the SDK
// verifies, every refusal of docs/protocol.md §9.6 with its code — each changing nothing
// and echoing no element —, the budget surviving a restart, retirement, file modes, and
// a CLI that prints only public keys.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import {
  OprfPseudonymiser,
  type SigningKey,
  base64url,
  canonicaliseIdentifier,
  createPseudonymServiceClient,
  signRequest,
} from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { cli, startedServices } from './testing/cli.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

const { running, start: startService } = startedServices();

async function setup(options: { budget?: number; perMinute?: number; alert?: number } = {}) {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'sluis-ps-')), 'data');
  mkdirSync(dataDir, { mode: 0o700 }); // as the install makes it: init as root does not
  expect((await cli(['init', '--data-dir', dataDir])).code).toBe(0);
  const added = await cli(['add-epoch', '--epoch', '7', '--data-dir', dataDir, '--json']);
  const { publicKey } = JSON.parse(added.out) as { publicKey: string };
  const org = caseSigningKey();
  const stranger = caseSigningKey();
  const admitted = await cli([
    'admit',
    '--name',
    'Jeugdzorg A',
    '--public-key',
    base64url.encode(org.publicKey),
    '--data-dir',
    dataDir,
    ...(options.budget === undefined ? [] : ['--budget', String(options.budget)]),
  ]);
  expect([admitted.code, admitted.err]).toEqual([0, '']);
  let now = Date.now();
  const clock = () => now;
  const start = () =>
    startService(
      dataDir,
      {
        ...(options.alert === undefined ? {} : { evaluationAlertPerHour: options.alert }),
        ...(options.perMinute === undefined ? {} : { requestsPerMinute: options.perMinute }),
      },
      clock,
    );
  const service = await start();
  return { dataDir, publicKey, org, stranger, service, start, clock, advance: (ms: number) => (now += ms) };
}

/** A signed evaluate request with any body, as raw HTTP. */
async function post(url: string, key: SigningKey, body: unknown, clock: () => number, nonce?: string) {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const headers = signRequest(key, { method: 'POST', path: '/v1/evaluate', query: '' }, bytes, {
    created: Math.floor(clock() / 1000),
    ...(nonce === undefined ? {} : { nonce }),
  });
  const res = await fetch(`${url}/v1/evaluate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: bytes,
  });
  return { status: res.status, text: await res.text(), retryAfter: res.headers.get('retry-after') };
}

const element = () => base64url.encode(ristretto255_oprf.voprf.blind(new Uint8Array([1, 2, 3])).blinded);
const evaluatedLines = (dataDir: string) =>
  readFileSync(join(dataDir, 'logbook.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"event":"evaluated"')).length;

describe('pseudonym service', () => {
  it('keeps its files private and prints only public keys', async () => {
    const { dataDir, publicKey } = await setup();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'keys')).mode & 0o777).toBe(0o700);
    for (const f of ['keys/oprf-epoch-7.key', 'admission.json', 'logbook.jsonl', 'metrics.token']) {
      expect(statSync(join(dataDir, f)).mode & 0o777).toBe(0o600);
    }
    const secret = readFileSync(join(dataDir, 'keys/oprf-epoch-7.key'), 'utf8').trim();
    const listed = await cli(['public-keys', '--data-dir', dataDir]);
    expect(listed.out).toBe(`epoch 7  ${publicKey}\n`);
    expect(listed.out).not.toContain(secret);
    expect((await cli(['add-epoch', '--epoch', '7', '--data-dir', dataDir])).code).toBe(2); // never overwritten
    // A base64url public key may begin with '-': still a value, not an option.
    let dashKey = caseSigningKey();
    while (!base64url.encode(dashKey.publicKey).startsWith('-')) dashKey = caseSigningKey();
    const dash = await cli([
      'admit',
      '--name',
      'Dash',
      '--public-key',
      base64url.encode(dashKey.publicKey),
      '--data-dir',
      dataDir,
    ]);
    expect([dash.code, dash.err]).toEqual([0, '']);
  });

  it('evaluates a batch whose single proof the SDK verifies, and publishes the key', async () => {
    const { service, org, publicKey, dataDir } = await setup();
    const client = createPseudonymServiceClient({ serviceUrl: service.url, signingKey: org, retries: 0 });
    const p = OprfPseudonymiser.create({ epoch: 7, publicKey, service: client });
    const ids = ['999900006', '999900018'].map((b) => canonicaliseIdentifier('bsn', b));
    const out = await p.pseudonymiseBatch(ids);
    expect(out).toHaveLength(2);
    expect(await p.pseudonymiseBatch(ids.slice(1))).toEqual(out.slice(1));
    expect((await client.publishedKeys()).map((k) => [k.epoch, base64url.encode(k.publicKey)])).toEqual([
      [7, publicKey],
    ]);
    const logbook = readFileSync(join(dataDir, 'logbook.jsonl'), 'utf8');
    expect(logbook).toContain('"elements":2');
    for (const id of ids) expect(logbook).not.toContain(id.reveal());
  });

  it('refuses each bad request with its code, evaluates nothing and echoes no element', async () => {
    const { service, org, stranger, clock, dataDir } = await setup();
    const good = element();
    const cases: [unknown, string, string[] | undefined][] = [
      [
        { epoch: 7, blindedElements: [good, base64url.encode(new Uint8Array(32))] },
        'element_identity',
        ['blindedElements.1'],
      ],
      [
        { epoch: 7, blindedElements: [good, `${good.slice(0, 42)}_`] },
        'element_invalid',
        ['blindedElements.1'],
      ],
      [
        { epoch: 7, blindedElements: [base64url.encode(new Uint8Array(32).fill(0xff))] },
        'element_invalid',
        ['blindedElements.0'],
      ],
      [
        { epoch: 7, blindedElements: Array.from({ length: 1001 }, () => good) },
        'batch_too_large',
        ['blindedElements'],
      ],
      [{ epoch: 7, blindedElements: [] }, 'validation_failed', ['blindedElements']],
      [{ epoch: 8, blindedElements: [good] }, 'epoch_unknown', ['epoch']],
      [{ epoch: 7, blindedElements: [good], extra: good }, 'validation_failed', ['']],
      [{ epoch: 7, blindedElements: [good], [good]: 1, '999900006': 1 }, 'validation_failed', ['']],
      [{ epoch: 0, blindedElements: [good] }, 'validation_failed', ['epoch']],
    ];
    for (const [body, code, fields] of cases) {
      const r = await post(service.url, org, body, clock);
      const p = JSON.parse(r.text) as { code: string; fields?: string[] };
      expect([p.code, p.fields]).toEqual([code, fields]);
      expect(r.text).not.toContain(good);
      expect(r.text).not.toContain(good.slice(0, 40));
      expect(r.text).not.toContain('999900006');
    }
    const notAdmitted = await post(service.url, stranger, { epoch: 7, blindedElements: [good] }, clock);
    expect(JSON.parse(notAdmitted.text).code).toBe('key_unknown');
    expect(evaluatedLines(dataDir)).toBe(0);
    // A replayed request (same nonce) is refused after the first was answered.
    const nonce = base64url.encode(new Uint8Array(16).fill(9));
    expect((await post(service.url, org, { epoch: 7, blindedElements: [good] }, clock, nonce)).status).toBe(
      200,
    );
    const replay = await post(service.url, org, { epoch: 7, blindedElements: [good] }, clock, nonce);
    expect(JSON.parse(replay.text).code).toBe('nonce_reused');
    expect(evaluatedLines(dataDir)).toBe(1);
  });

  it('charges a daily budget that a restart does not reset, and suspends at once', async () => {
    const s = await setup({ budget: 3 });
    const body = { epoch: 7, blindedElements: [element(), element()] };
    expect((await post(s.service.url, s.org, body, s.clock)).status).toBe(200);
    const over = await post(s.service.url, s.org, body, s.clock);
    expect([over.status, JSON.parse(over.text).code]).toEqual([429, 'budget_exceeded']);
    expect(Number(over.retryAfter)).toBeGreaterThan(0);
    await running.pop()!.close();
    const again = await s.start();
    expect(JSON.parse((await post(again.url, s.org, body, s.clock)).text).code).toBe('budget_exceeded');
    s.advance(24 * 3_600_000);
    expect((await post(again.url, s.org, body, s.clock)).status).toBe(200);
    expect((await cli(['suspend', '--name', 'Jeugdzorg A', '--data-dir', s.dataDir])).code).toBe(0);
    const suspended = await post(again.url, s.org, { epoch: 7, blindedElements: [element()] }, s.clock);
    expect(JSON.parse(suspended.text).code).toBe('organisation_suspended');
  });

  it('limits requests per key per minute and raises the hourly alert once', async () => {
    const s = await setup({ perMinute: 2, alert: 2 });
    const body = { epoch: 7, blindedElements: [element(), element()] };
    expect((await post(s.service.url, s.org, body, s.clock)).status).toBe(200);
    expect((await post(s.service.url, s.org, body, s.clock)).status).toBe(200);
    const limited = await post(s.service.url, s.org, body, s.clock);
    expect(JSON.parse(limited.text).code).toBe('rate_limited');
    const logbook = readFileSync(join(s.dataDir, 'logbook.jsonl'), 'utf8');
    expect(logbook.split('alert.evaluation_rate').length - 1).toBe(1);
    const token = readFileSync(join(s.dataDir, 'metrics.token'), 'utf8').trim();
    const metrics = await (
      await fetch(`${s.service.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
    ).text();
    expect(metrics).toContain('sluis_pseudonym_evaluation_rate_alerts_total{organisation="Jeugdzorg A"} 1');
  });

  it('remembers an accepted nonce across a restart (nonces.log, read line by line)', async () => {
    const s = await setup();
    const nonce = base64url.encode(new Uint8Array(16).fill(5));
    const body = { epoch: 7, blindedElements: [element()] };
    expect((await post(s.service.url, s.org, body, s.clock, nonce)).status).toBe(200);
    await running.pop()!.close();
    const again = await s.start();
    expect(JSON.parse((await post(again.url, s.org, body, s.clock, nonce)).text).code).toBe('nonce_reused');
    expect(
      readFileSync(join(s.dataDir, 'nonces.log'), 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    ).toHaveLength(1);
  });

  it('judges the budget on the element count before decoding an element', async () => {
    const s = await setup({ budget: 3 });
    // 1,000 elements that are not even base64url: the budget refuses the count first.
    const body = { epoch: 7, blindedElements: Array.from({ length: 1000 }, () => '!') };
    const r = await post(s.service.url, s.org, body, s.clock);
    expect([r.status, JSON.parse(r.text).code]).toEqual([429, 'budget_exceeded']);
    // Within the budget the elements are still checked, each by position.
    const bad = await post(s.service.url, s.org, { epoch: 7, blindedElements: ['!'] }, s.clock);
    expect(JSON.parse(bad.text)).toMatchObject({ code: 'element_invalid', fields: ['blindedElements.0'] });
  });

  it('a retired epoch never evaluates again: its key file is gone', async () => {
    const s = await setup();
    expect((await cli(['retire-epoch', '--epoch', '7', '--data-dir', s.dataDir])).code).toBe(0);
    expect(readdirSync(join(s.dataDir, 'keys'))).toEqual([]);
    const r = await post(s.service.url, s.org, { epoch: 7, blindedElements: [element()] }, s.clock);
    expect(JSON.parse(r.text).code).toBe('epoch_unknown');
    expect(JSON.parse(await (await fetch(`${s.service.url}/v1/keys`)).text()).keys).toEqual([]);
  });
});
