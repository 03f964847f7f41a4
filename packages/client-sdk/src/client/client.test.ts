// The API client against the signature-verifying FakeServer: what is sent (signed,
// pseudonymised, no BSN), retries and their idempotency, typed errors, pagination.

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SluisError } from '../errors.js';
import { bytesToHex } from '../protocol/encoding.js';
import { checkBsn } from '../protocol/identifier.js';
import {
  CONTACT,
  INFORMED,
  NOW,
  PSEUDONYM_KEY_1,
  PSEUDONYM_KEY_2,
  SEED,
  harness,
  validBsn,
  refusal,
} from '../testing/fixtures.js';
import { createClient } from './client.js';
import { casePseudonymKey } from '../../../../test/support/case-keys.js';

const BSN = validBsn(1);
const PARENT = validBsn(2);

function pseudonymOf(bsn: string, key: Uint8Array, epoch: number): string {
  const r = checkBsn(bsn);
  if (!r.ok) throw new Error('bad fixture');
  return casePseudonymKey(key, epoch).pseudonymise(r.identifier).value;
}

/** Everything that went over the wire, as one string. */
function wire(h: ReturnType<typeof harness>): string {
  return h.server.requests.map((r) => `${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`).join('\n');
}

describe('placeSignal', () => {
  it('sends a signed, pseudonymised placement and never the BSN', async () => {
    const h = harness();
    const r = await h.client.placeSignal({
      bsn: BSN,
      contact: CONTACT,
      informed: INFORMED,
      parentsBsn: [PARENT],
    });
    expect(r.outcome).toBe('created');
    expect(h.server.requests).toHaveLength(1);
    const sent = h.server.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/signals');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['signature-input']).toMatch(/^sluis=\(/);
    const body = JSON.parse(sent.body);
    expect(Object.keys(body).sort()).toEqual(['contact', 'informed', 'parents', 'requestId', 'subject']);
    expect(body.subject).toEqual([{ epoch: 1, value: pseudonymOf(BSN, PSEUDONYM_KEY_1, 1) }]);
    expect(body.parents).toEqual([[{ epoch: 1, value: pseudonymOf(PARENT, PSEUDONYM_KEY_1, 1) }]]);
    expect(body.requestId).toBe(r.requestId);
    const all = wire(h);
    for (const secret of [
      BSN,
      BSN.replace(/^0/, ''),
      PARENT,
      bytesToHex(PSEUDONYM_KEY_1),
      bytesToHex(SEED),
    ]) {
      expect(all).not.toContain(secret);
    }
  });

  it('pseudonymises under both epochs during a key rotation', async () => {
    const h = harness({
      pseudonymKeys: [casePseudonymKey(PSEUDONYM_KEY_2, 2), casePseudonymKey(PSEUDONYM_KEY_1, 1)],
    });
    await h.client.placeSignal({ bsn: BSN, contact: CONTACT, informed: INFORMED });
    expect(JSON.parse(h.server.requests[0]!.body).subject).toEqual([
      { epoch: 1, value: pseudonymOf(BSN, PSEUDONYM_KEY_1, 1) },
      { epoch: 2, value: pseudonymOf(BSN, PSEUDONYM_KEY_2, 2) },
    ]);
    expect(h.client.epochs).toEqual([1, 2]);
    const after = h.client.withPseudonymKeys([casePseudonymKey(PSEUDONYM_KEY_2, 2)]);
    expect(after.epochs).toEqual([2]);
    expect(after.keyId).toBe(h.client.keyId);
    expect(h.client.epochs).toEqual([1, 2]);
  });

  it('refuses a bad BSN with its code and sends nothing', async () => {
    const h = harness();
    const e = await refusal(h.client.placeSignal({ bsn: '123456789', contact: CONTACT, informed: INFORMED }));
    expect(e.code).toBe('bsn_checksum');
    expect(e.details.fields).toEqual(['bsn']);
    const p = await refusal(
      h.client.placeSignal({ bsn: BSN, contact: CONTACT, informed: INFORMED, parentsBsn: ['12a'] }),
    );
    expect(p.code).toBe('bsn_non_digit');
    expect(p.details.fields).toEqual(['parentsBsn.0']);
    const same = await refusal(
      h.client.placeSignal({ bsn: BSN, contact: CONTACT, informed: INFORMED, parentsBsn: [BSN] }),
    );
    expect(same.details.fields).toEqual(['parentsBsn.0']);
    expect(h.server.requests).toHaveLength(0);
    for (const err of [e, p, same]) {
      expect(`${err.message} ${JSON.stringify(err)} ${inspect(err)}`).not.toContain('123456789');
    }
  });

  it('derives the age band locally: a jeugdwet signal at 23+ is refused, consent needs its attestation', async () => {
    const h = harness();
    // 23 on 2026-11-22 (the harness's today is 2026-11-22): jeugdwet no longer applies.
    const over = { bsn: BSN, contact: CONTACT, informed: INFORMED, dateOfBirth: '2003-11-22' };
    const e = await refusal(h.client.placeSignal(over));
    expect(e.code).toBe('legal_basis_invalid');
    expect(e.details.fields).toEqual(['legalBasis']);
    const missing = await refusal(h.client.placeSignal({ ...over, legalBasis: 'consent' }));
    expect(missing.code).toBe('attestation_required');
    const future = await refusal(
      h.client.placeSignal({ ...over, legalBasis: 'consent', attestation: { date: '2026-11-23' } }),
    );
    expect(future.details.fields).toEqual(['attestation.date']);
    expect(h.server.requests).toHaveLength(0);
    const r = await h.client.placeSignal({
      ...over,
      legalBasis: 'no_objection',
      attestation: { date: '2026-11-20', formReference: 'NB-7/2026' },
    });
    expect(r.signal.legalBasis).toBe('no_objection');
    const body = JSON.parse(h.server.requests[0]!.body);
    // No end date from the birth date (the youth term does not apply) and never the birth date.
    expect(Object.keys(body).sort()).toEqual([
      'attestation',
      'contact',
      'informed',
      'legalBasis',
      'requestId',
      'subject',
    ]);
    expect(body.attestation).toEqual({ date: '2026-11-20', formReference: 'NB-7/2026' });
    expect(h.server.requests[0]!.body).not.toContain('2003-11-22');
    // Under 23 the default basis is jeugdwet: no basis on the wire, the end date from the birth date.
    await h.client.placeSignal({ ...over, bsn: PARENT, dateOfBirth: '2004-12-05' });
    const young = JSON.parse(h.server.requests[1]!.body);
    expect(young.legalBasis).toBeUndefined();
    expect(young.endDate).toBe('2027-12-01');
  });

  it.each([
    [{ contact: { name: '', role: 'r', email: 'a@b.nl' } }, ['contact.name']],
    [{ contact: { name: 'n', role: 'r' } }, ['contact.phone', 'contact.email']],
    [{ contact: { name: 'n', role: 'r', phone: 'call me' } }, ['contact.phone']],
    [{ contact: { name: 'n', role: 'r', email: 'a@@b' } }, ['contact.email']],
    [{ contact: { name: ' n', role: 'r', email: 'a@b.nl' } }, ['contact.name']],
    [{ contact: { ...CONTACT, reason: 'x' } }, ['contact.reason']],
    [{ informed: { status: 'maybe' } }, ['informed.status']],
    [{ informed: { status: 'citizen' } }, ['informed.date']],
    [{ informed: { status: 'citizen', date: '2026-11-23' } }, ['informed.date']],
    [{ informed: { status: 'not_yet', date: '2026-11-20' } }, ['informed.date']],
    [{ endDate: '2026-11-22' }, ['endDate']],
    [{ endDate: '2027-02-30' }, ['endDate']],
    [{ dateOfBirth: '2030-01-01' }, ['dateOfBirth']],
    [{ requestId: 'not-a-uuid' }, ['requestId']],
    [{ reason: 'free text' }, ['reason']],
  ])('refuses invalid input %j → fields %j, sends nothing', async (patch, fields) => {
    const h = harness();
    const e = await refusal(
      h.client.placeSignal({ bsn: BSN, contact: CONTACT, informed: INFORMED, ...patch } as never),
    );
    expect(e.code).toBe('input_invalid');
    expect(e.details.fields).toEqual(fields);
    expect(h.server.requests).toHaveLength(0);
  });

  it.each([
    // The day before the 23rd birthday, rounded down to the first of its month (docs/sdk.md "Methods",
    // the end date rule: the server must not learn the birth date); tomorrow when that first day is not
    // after today.
    ['2010-06-15', undefined, '2033-06-01'],
    ['2008-03-01', undefined, '2031-02-01'],
    ['2008-02-29', undefined, '2031-02-01'],
    ['2004-01-01', undefined, '2026-12-01'],
    ['2003-11-30', undefined, '2026-11-23'],
    ['2010-06-15', '2027-01-01', '2027-01-01'],
    ['2004-01-01', '2026-12-17', '2026-12-01'],
    [undefined, '2027-01-01', '2027-01-01'],
    // An explicit end date is sent as given (docs/sdk.md: prefer the first of a month).
    [undefined, '2027-01-17', '2027-01-17'],
  ])(
    'date of birth %s, end date %s → sends end date %s (never the birth date)',
    async (dob, end, expected) => {
      const h = harness();
      await h.client.placeSignal({
        bsn: BSN,
        contact: CONTACT,
        informed: INFORMED,
        ...(dob === undefined ? {} : { dateOfBirth: dob }),
        ...(end === undefined ? {} : { endDate: end }),
      });
      const body = JSON.parse(h.server.requests[0]!.body);
      expect(body.endDate).toBe(expected);
      expect(body.dateOfBirth).toBeUndefined();
      if (dob !== undefined) {
        expect(wire(h)).not.toContain(dob);
        // Every birth date in the same month (before the last day) gives the same end date.
        expect(expected.endsWith('-01') || expected === '2026-11-23').toBe(true);
      }
    },
  );
});

describe('retries', () => {
  it('retries 5xx and network errors, re-signing with a fresh nonce and keeping the requestId', async () => {
    const h = harness();
    h.server.faults.push({ kind: 'status', status: 503, code: 'unavailable' }, { kind: 'network' });
    const r = await h.client.placeSignal({ bsn: BSN, contact: CONTACT, informed: INFORMED });
    expect(r.outcome).toBe('created');
    // The network failure never reached the recorder; the 503 and the success did.
    expect(h.server.requests).toHaveLength(2);
    const [a, b] = h.server.requests;
    expect(a!.body).toBe(b!.body);
    expect(a!.nonce).not.toBe(b!.nonce);
    expect(h.sleeps).toHaveLength(2);
  });

  it('honours Retry-After on 429', async () => {
    const h = harness();
    h.server.faults.push({ kind: 'status', status: 429, code: 'rate_limited', retryAfter: '7' });
    await h.client.whoami();
    expect(h.sleeps[0]).toBeGreaterThanOrEqual(7000);
  });

  it('does not wait for a Retry-After beyond the limit: a typed error instead', async () => {
    const h = harness();
    h.server.faults.push({ kind: 'status', status: 429, code: 'budget_exceeded', retryAfter: '3600' });
    const e = await refusal(h.client.placeSignal({ bsn: BSN, contact: CONTACT, informed: INFORMED }));
    expect(e.details).toMatchObject({ status: 429, problemCode: 'budget_exceeded', retryAfterSeconds: 3600 });
    expect(h.sleeps).toHaveLength(0);
  });

  it('times out a hanging attempt and retries it', async () => {
    const h = harness({ timeoutMs: 20 });
    h.server.faults.push({ kind: 'hang' });
    expect((await h.client.whoami()).organisation.name).toBe('Jeugdzorg Test');
    const h2 = harness({ timeoutMs: 20, retries: 1 });
    h2.server.faults.push({ kind: 'hang' }, { kind: 'hang' });
    expect((await refusal(h2.client.whoami())).code).toBe('timeout');
  });

  it('a placement whose answer was lost is replayed, not duplicated', async () => {
    const h = harness();
    h.server.faults.push({ kind: 'lose-answer' });
    const r = await h.client.placeSignal({ bsn: BSN, contact: CONTACT, informed: INFORMED });
    expect(r.outcome).toBe('replayed');
    expect(h.server.created).toEqual([r.requestId]);
  });

  it('gives up after the configured retries with network_error', async () => {
    const h = harness({ retries: 2 });
    h.server.faults.push({ kind: 'network' }, { kind: 'network' }, { kind: 'network' });
    expect((await refusal(h.client.whoami())).code).toBe('network_error');
    expect(h.sleeps).toHaveLength(2);
  });

  it('does not repeat a withdrawal after a lost connection, but does after 503', async () => {
    const h = harness();
    const { signal } = await h.client.placeSignal({ bsn: BSN, contact: CONTACT, informed: INFORMED });
    h.server.faults.push({ kind: 'network' });
    expect((await refusal(h.client.withdraw(signal.id, 'ended'))).code).toBe('network_error');
    h.server.faults.push({ kind: 'status', status: 503, code: 'unavailable' });
    expect((await h.client.withdraw(signal.id, 'ended'))?.status).toBe('inactive');
  });
});

describe('server refusals', () => {
  it('become typed errors with status, problem code, fields and correlation id', async () => {
    const h = harness();
    h.server.faults.push({ kind: 'status', status: 409, code: 'request_id_reused' });
    const e = await refusal(h.client.placeSignal({ bsn: BSN, contact: CONTACT, informed: INFORMED }));
    expect(e.code).toBe('server_error');
    expect(e.details).toEqual({
      status: 409,
      problemCode: 'request_id_reused',
      fields: [],
      correlationId: 'corr-2',
      // the placement's own request id, as sent (docs/sdk.md "Errors")
      requestId: JSON.parse(h.server.requests[0]!.body).requestId,
    });
    expect(h.server.requests).toHaveLength(1);
  });

  it('maps an unknown server code to "unknown"', async () => {
    const h = harness();
    h.server.faults.push({ kind: 'status', status: 400, code: 'something_new' });
    expect((await refusal(h.client.whoami())).details.problemCode).toBe('unknown');
  });

  it('404 for an unknown signal', async () => {
    const h = harness();
    const e = await refusal(h.client.getSignal('00000000-0000-4000-8000-00000000ffff'));
    expect(e.details.problemCode).toBe('not_found');
    expect((await refusal(h.client.getSignal('../admin'))).code).toBe('input_invalid');
  });
});

describe('pagination', () => {
  it('iterates all own signals and the whole inbox page by page', async () => {
    const h = harness({ pageSize: 2 });
    for (let i = 0; i < 5; i++) {
      await h.client.placeSignal({ bsn: validBsn(10 + i), contact: CONTACT, informed: INFORMED });
    }
    const ids = [];
    for await (const s of h.client.iterateSignals()) ids.push(s.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);

    for (let i = 0; i < 5; i++) h.server.addMatchEvent(i === 4 ? 'match.removed' : 'match.created');
    const cursors = [];
    for await (const e of h.client.inbox()) cursors.push(e.cursor);
    expect(cursors).toEqual(['1', '2', '3', '4', '5']);
    const rest = [];
    for await (const e of h.client.inbox({ from: '3' })) rest.push(e.cursor);
    expect(rest).toEqual(['4', '5']);
    const page = await h.client.matches({ cursor: '1', limit: 2 });
    expect(page.items.map((e) => e.cursor)).toEqual(['2', '3']);
    const q = h.server.requests[h.server.requests.length - 1]!;
    expect(q.query).toBe('cursor=1&limit=2');
  });
});

describe('batch placement and migration', () => {
  it('chunks, keeps order, and separates local from server refusals', async () => {
    const h = harness();
    const items = Array.from({ length: 1203 }, (_, i) => ({
      bsn: i === 5 ? '111111111' : validBsn(100 + i),
      contact: i === 7 ? { ...CONTACT, name: 'server-refuses' } : CONTACT,
      informed: INFORMED,
    }));
    const progress: number[] = [];
    const results = await h.client.placeSignals(items, { onProgress: (d) => progress.push(d) });
    expect(h.server.requests).toHaveLength(3);
    expect(results).toHaveLength(1203);
    expect(results.map((r) => r.index)).toEqual(results.map((_, i) => i));
    expect(results[5]).toMatchObject({ ok: false, code: 'bsn_checksum', local: true, fields: ['bsn'] });
    expect(results[7]).toMatchObject({ ok: false, code: 'validation_failed', local: false });
    expect(results.filter((r) => r.ok)).toHaveLength(1201);
    expect(progress[progress.length - 1]).toBe(1203);
    expect(wire(h)).not.toContain(validBsn(100));
  });

  it('migrates under the newest epoch by default', async () => {
    const keys = [casePseudonymKey(PSEUDONYM_KEY_1, 1), casePseudonymKey(PSEUDONYM_KEY_2, 2)];
    const h = harness({ pseudonymKeys: keys });
    const { signal } = await h.client.placeSignal({ bsn: BSN, contact: CONTACT, informed: INFORMED });
    const r = await h.client.migrateSignals([
      { signalId: signal.id, bsn: BSN, parentsBsn: [PARENT] },
      { signalId: 'nope', bsn: BSN },
    ]);
    expect(r[0]).toMatchObject({ ok: true });
    expect(r[1]).toMatchObject({ ok: false, code: 'input_invalid', fields: ['signalId'], local: true });
    expect(h.server.migrated).toEqual([
      {
        signalId: signal.id,
        subject: [{ epoch: 2, value: pseudonymOf(BSN, PSEUDONYM_KEY_2, 2) }],
        parents: [[{ epoch: 2, value: pseudonymOf(PARENT, PSEUDONYM_KEY_2, 2) }]],
      },
    ]);
    await h.client.migrateSignals([{ signalId: signal.id, bsn: BSN }], { epochs: [1, 2] });
    expect((h.server.migrated[1]!.subject as unknown[]).length).toBe(2);
    await expect(h.client.migrateSignals([], { epochs: [3] })).rejects.toMatchObject({
      code: 'epoch_invalid',
    });
  });
});

describe('other routes', () => {
  it('withdraw, transfer, rectify, informed, matches, follow-up', async () => {
    const h = harness();
    const { signal } = await h.client.placeSignal({ bsn: BSN, contact: CONTACT, informed: INFORMED });
    expect((await h.client.getSignal(signal.id)).id).toBe(signal.id);
    expect(await h.client.transfer([signal.id], { name: 'B', role: 'r', email: 'b@example.nl' })).toEqual({
      transferred: 1,
    });
    // With a colleague's person id, the id travels in the body; a malformed one is refused here.
    const colleague = '5f0c8b1e-2d3a-4c5b-8e9f-0a1b2c3d4e5f';
    await h.client.transfer(
      [signal.id],
      { name: 'B', role: 'r', email: 'b@example.nl' },
      { personId: colleague },
    );
    const transferRequest = h.server.requests.filter((r) => r.path === '/v1/signals/transfer').at(-1);
    expect(JSON.parse(transferRequest!.body).personId).toBe(colleague);
    await expect(
      h.client.transfer([signal.id], { name: 'B', role: 'r', email: 'b@example.nl' }, { personId: 'x' }),
    ).rejects.toMatchObject({ details: { fields: ['personId'] } });
    expect(
      (await h.client.rectify(signal.id, { name: 'C', role: 'r', email: 'c@example.nl' })).contact.name,
    ).toBe('C');
    expect(
      (await h.client.updateInformed(signal.id, { status: 'both', date: '2026-11-21' })).informed.status,
    ).toBe('both');
    const ev = h.server.addMatchEvent();
    const matchId = ev.matchId as string;
    expect((await h.client.getMatch(matchId)).id).toBe(matchId);
    expect((await h.client.contactMade(matchId)).id).toBe(matchId);
    expect((await h.client.recordFollowUp(matchId, 'already_in_contact')).id).toBe(matchId);
    const sent = h.server.requests.length;
    await expect(h.client.recordFollowUp(matchId, 'phoned' as never)).rejects.toMatchObject({
      code: 'input_invalid',
      details: { fields: ['outcome'] },
    });
    expect(h.server.requests.length).toBe(sent); // refused locally, nothing sent
    expect((await h.client.regie(matchId, { action: 'propose', for: 'counterpart' })).id).toBe(matchId);
    await expect(h.client.regie(matchId, { action: 'take' } as never)).rejects.toMatchObject({
      code: 'input_invalid',
    });
    expect(await h.client.withdraw(signal.id, 'error')).toBeNull();
    const paths = h.server.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain(`PUT /v1/signals/${signal.id}/contact`);
    expect(paths).toContain(`POST /v1/matches/${matchId}/regie`);
    expect(paths).toContain(`POST /v1/matches/${matchId}/follow-up`);
    const fu = h.server.requests.find((r) => r.path === `/v1/matches/${matchId}/follow-up`);
    expect(JSON.parse(fu!.body)).toEqual({ outcome: 'already_in_contact' });
    expect(paths).toContain(`POST /v1/signals/${signal.id}/withdraw`);
  });

  it('a client without pseudonym keys reads the inbox but cannot place', async () => {
    const h = harness({ pseudonymKeys: [] });
    await h.client.whoami();
    await expect(
      h.client.placeSignal({ bsn: BSN, contact: CONTACT, informed: INFORMED }),
    ).rejects.toMatchObject({
      code: 'key_invalid',
    });
  });
});

describe('options', () => {
  it('refuses plain http except on loopback, and bad keys', () => {
    const h = harness();
    const base = {
      signingKey: h.signingKey,
      pseudonymKeys: [casePseudonymKey(PSEUDONYM_KEY_1, 1)],
    };
    expect(() => createClient({ ...base, serverUrl: 'http://sluis.example.nl' })).toThrowError(
      expect.objectContaining({ code: 'input_invalid' }),
    );
    expect(() => createClient({ ...base, serverUrl: 'https://x.nl/?q=1' })).toThrow(SluisError);
    expect(createClient({ ...base, serverUrl: 'http://127.0.0.1:8080/' }).toJSON().serverUrl).toBe(
      'http://127.0.0.1:8080',
    );
    expect(() =>
      createClient({
        ...base,
        serverUrl: 'https://x.nl',
        pseudonymKeys: [casePseudonymKey(PSEUDONYM_KEY_1, 1), casePseudonymKey(PSEUDONYM_KEY_2, 1)],
      }),
    ).toThrowError(expect.objectContaining({ code: 'epoch_invalid' }));
    expect(() => createClient({ ...base, serverUrl: 'https://x.nl', signingKey: {} as never })).toThrowError(
      expect.objectContaining({ code: 'key_invalid' }),
    );
  });

  it('signs the base path of a server behind a prefix', async () => {
    const h = harness({ serverUrl: 'https://gemeente.example.nl/sluis/' });
    // The fake verifies against the request line's path, which includes /sluis.
    await h.client.whoami();
    expect(h.server.requests[0]!.path).toBe('/sluis/v1/whoami');
    expect(h.server.requests[0]!.url.startsWith('https://gemeente.example.nl/sluis/v1/whoami')).toBe(true);
    expect(NOW).toBeGreaterThan(0);
  });
});
