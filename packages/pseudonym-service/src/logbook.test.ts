// The logbook's growth and the start's reading of it (docs/operations.md "Pseudonym
// service"): a key that keeps sending past its rate limit adds two lines a minute, not one
// per refusal; a logbook past V8's ≈ 512 MiB string limit does not stop a start; the
// running service rotates it at the UTC day change without losing a line or a count; a line the
// running service wrote onto a command's fragment still counts at the next start; files
// that group or others may read are refused; a pass of the counts that cannot write logs its
// system code; and the /metrics bearer token.

import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { type SigningKey, base64url, signRequest } from '@sluis/client-sdk';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { cli, startedServices } from './testing/cli.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

const { running, start: startService } = startedServices();

const DAY_MS = 86_400_000;

async function setup(o: { perMinute?: number; budget?: number; now?: number } = {}) {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'sluis-ps-log-')), 'data');
  mkdirSync(dataDir, { mode: 0o700 }); // as the install makes it: init as root does not
  expect((await cli(['init', '--data-dir', dataDir])).code).toBe(0);
  expect((await cli(['add-epoch', '--epoch', '7', '--data-dir', dataDir])).code).toBe(0);
  const org = caseSigningKey();
  const admit = ['admit', '--name', 'Org A', `--public-key=${base64url.encode(org.publicKey)}`];
  if (o.budget !== undefined) admit.push('--budget', String(o.budget));
  expect((await cli([...admit, '--data-dir', dataDir])).code).toBe(0);
  let now = o.now ?? Date.now();
  const clock = () => now;
  const start = () =>
    startService(dataDir, o.perMinute === undefined ? {} : { requestsPerMinute: o.perMinute }, clock);
  return { dataDir, org, clock, start, advance: (ms: number) => (now += ms) };
}

async function post(url: string, key: SigningKey, clock: () => number, elements = 1) {
  const body = {
    epoch: 7,
    blindedElements: Array.from({ length: elements }, () =>
      base64url.encode(ristretto255_oprf.voprf.blind(new Uint8Array([1, 2, 3])).blinded),
    ),
  };
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const headers = signRequest(key, { method: 'POST', path: '/v1/evaluate', query: '' }, bytes, {
    created: Math.floor(clock() / 1000),
  });
  const res = await fetch(`${url}/v1/evaluate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: bytes,
  });
  return {
    status: res.status,
    code: res.status === 200 ? 'ok' : (JSON.parse(await res.text()).code as string),
  };
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('pseudonym service logbook', () => {
  it('writes the first rate_limited refusal of a key in a minute, and the rest as one count', async () => {
    const s = await setup({ perMinute: 2, now: Math.floor(Date.now() / 60_000) * 60_000 + 1_000 });
    const service = await s.start();
    for (let i = 0; i < 2; i++) expect((await post(service.url, s.org, s.clock)).status).toBe(200);
    for (let i = 0; i < 50; i++) expect((await post(service.url, s.org, s.clock)).code).toBe('rate_limited');
    const path = join(s.dataDir, 'logbook.jsonl');
    expect(lines(path).filter((l) => l.code === 'rate_limited')).toHaveLength(1);
    // The minute's count comes out once the minute is over (here: at the stop).
    await running.pop()!.close();
    const repeated = lines(path).filter((l) => l.event === 'refused.repeated');
    expect(repeated).toEqual([
      {
        at: new Date(s.clock()).toISOString(),
        event: 'refused.repeated',
        code: 'rate_limited',
        organisation: 'Org A',
        keyId: s.org.keyId,
        minute: new Date(Math.floor(s.clock() / 60_000) * 60_000).toISOString(),
        further: 49,
      },
    ]);
  });

  it('starts on a logbook larger than a JavaScript string can hold, and still counts today', async () => {
    const s = await setup({ budget: 3 });
    const path = join(s.dataDir, 'logbook.jsonl');
    // 600 MiB of old, unreadable bytes (a sparse hole: no disk is used), then today's line.
    truncateSync(path, 600 * 2 ** 20);
    appendFileSync(
      path,
      `\n${JSON.stringify({ at: new Date(s.clock()).toISOString(), event: 'evaluated', organisation: 'Org A', keyId: s.org.keyId, epoch: 7, elements: 3 })}\n`,
    );
    const service = await s.start();
    expect((await post(service.url, s.org, s.clock)).code).toBe('budget_exceeded');
  });

  it("an answered request whose line a running service wrote onto a command's fragment counts at the next start", async () => {
    const s = await setup({ budget: 3 });
    let service = await s.start();
    const path = join(s.dataDir, 'logbook.jsonl');
    // What a command leaves when the disk had room for only the start of its line: no newline.
    const fragment = JSON.stringify({
      at: new Date(s.clock()).toISOString(),
      event: 'organisation.suspended',
      organisation: 'Org A',
    }).slice(0, 40);
    appendFileSync(path, fragment);
    expect((await post(service.url, s.org, s.clock, 2)).status).toBe(200);
    // The running service did not see the fragment: its line follows it on the same line.
    expect(readFileSync(path, 'utf8')).toContain(`${fragment}{"at":"`);
    await running.pop()!.close();
    // The restart counts the 2 elements: 2 more exceed the budget of 3, 1 more does not.
    service = await s.start();
    expect((await post(service.url, s.org, s.clock, 2)).code).toBe('budget_exceeded');
    expect((await post(service.url, s.org, s.clock, 1)).status).toBe(200);
  });

  it('rotates at the UTC day change without losing a line, and replays across the rotation', async () => {
    const dayStart = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const s = await setup({ now: dayStart + 10_000, budget: 10 });
    let service = await s.start();
    expect((await post(service.url, s.org, s.clock, 2)).status).toBe(200);
    s.advance(DAY_MS);
    expect((await post(service.url, s.org, s.clock, 3)).status).toBe(200);
    const archive = join(s.dataDir, `logbook-${new Date(dayStart).toISOString().slice(0, 10)}.jsonl`);
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    const evaluated = (p: string) =>
      lines(p)
        .filter((l) => l.event === 'evaluated')
        .map((l) => l.elements);
    expect(evaluated(archive)).toEqual([2]);
    expect(evaluated(join(s.dataDir, 'logbook.jsonl'))).toEqual([3]);
    // A restart the same day counts today's elements from the new file (3 + 8 > 10), and the
    // service goes on appending to it (its last line is of today).
    await running.pop()!.close();
    service = await s.start();
    expect((await post(service.url, s.org, s.clock, 8)).code).toBe('budget_exceeded');
    expect((await post(service.url, s.org, s.clock, 7)).status).toBe(200);
    expect(
      readdirSync(s.dataDir)
        .filter((f) => f.startsWith('logbook'))
        .sort(),
    ).toEqual([archive.slice(s.dataDir.length + 1), 'logbook.jsonl']);
  });

  it('a pass that cannot write its counts logs logbook_write_failed with the system code only', async () => {
    const s = await setup({ perMinute: 2, now: Math.floor(Date.now() / 60_000) * 60_000 + 1_000 });
    const service = await s.start();
    for (let i = 0; i < 2; i++) expect((await post(service.url, s.org, s.clock)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await post(service.url, s.org, s.clock)).code).toBe('rate_limited');
    // The stop's pass writes the four further refusals on the next UTC day, so it rotates: the
    // file it has open was moved away, and the new logbook.jsonl it opens is a directory (EISDIR).
    s.advance(DAY_MS);
    const path = join(s.dataDir, 'logbook.jsonl');
    renameSync(path, join(s.dataDir, 'moved.jsonl'));
    mkdirSync(path, { mode: 0o700 });
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk, ...rest) => {
      stderr.push(String(chunk));
      return write(chunk, ...(rest as []));
    });
    onTestFinished(() => spy.mockRestore());
    await running.pop()!.close();
    expect(
      stderr
        .flatMap((c) => c.split('\n'))
        .filter((l) => l.includes('logbook_write_failed'))
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([{ level: 'error', event: 'logbook_write_failed', code: 'EISDIR' }]);
    // That pass's counts are lost (the metric has them), no line was written in their place.
    expect(lines(join(s.dataDir, 'moved.jsonl')).filter((l) => l.event === 'refused.repeated')).toEqual([]);
  });

  it('refuses a logbook or nonces file that group or others may read, naming the file', async () => {
    const s = await setup();
    for (const f of ['logbook.jsonl', 'nonces.log']) {
      const path = join(s.dataDir, f);
      appendFileSync(path, '', { mode: 0o600 });
      chmodSync(path, 0o644);
      await expect(s.start()).rejects.toThrow(`key_file_insecure: ${path}`);
      const r = await cli(['start', '--port', '0', '--data-dir', s.dataDir]);
      expect([r.code, r.err]).toEqual([2, `sluis-pseudonym-service: key_file_insecure: ${path}\n`]);
      chmodSync(path, 0o600);
    }
  });

  it('/metrics needs the bearer token from metrics.token (0600), compared whole', async () => {
    const s = await setup();
    const service = await s.start();
    const token = readFileSync(join(s.dataDir, 'metrics.token'), 'utf8').trim();
    expect(statSync(join(s.dataDir, 'metrics.token')).mode & 0o777).toBe(0o600);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const authorization of [undefined, `Bearer ${token.slice(0, -1)}`, `Bearer ${token}x`, token]) {
      const res = await fetch(`${service.url}/metrics`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="sluis-pseudonym-metrics"');
      const text = await res.text();
      expect(JSON.parse(text).code).toBe('metrics_token_required');
      expect(text).not.toContain('Org A');
    }
    const ok = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
  });
});
