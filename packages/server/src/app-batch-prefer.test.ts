// `Prefer: return=minimal` on the batch routes (docs/api.md "POST /v1/signals/batch", RFC 7240)
// through the real app, engine and SQLite file: the full form unchanged without the header or
// with `return=representation`, the minimal form with it, a replay answered in the form its own
// request asked for, a refused item the same in both, the header's grammar, and the headers of
// the answer (Vary: Prefer always, Preference-Applied when applied).

import { afterAll, describe, expect, it } from 'vitest';
import { BSN_A, BSN_B, json, makeHarnessWithThreeOrganisations } from './testing/harness.js';
import { casePseudonymKey } from '../../../test/support/case-keys.js';

const { h, A, B } = await makeHarnessWithThreeOrganisations();
afterAll(async () => h.close());

const batch =
  (prefer?: string, key = A.key) =>
  (items: unknown[]) =>
    h.call(key, 'POST', '/v1/signals/batch', {
      body: { items },
      ...(prefer === undefined ? {} : { override: { prefer } }),
    });

/** A batch of one good item and one refused one (an unknown field), under fresh request ids. */
function twoItems(bsn: string) {
  return [h.placement(bsn, 'K. Klaassen'), { ...h.placement(bsn, 'K. Klaassen'), reason: 'x' }];
}
const REFUSED = { index: 1, ok: false, code: 'validation_failed', fields: ['items.1'] };

describe('Prefer: return=minimal on POST /v1/signals/batch', () => {
  it('without Prefer: the full form, byte for byte each signal’s own view; Vary: Prefer, nothing applied', async () => {
    const r = await batch()(twoItems(BSN_A));
    expect(r.status).toBe(200);
    expect(r.headers.get('vary')).toBe('Prefer');
    expect(r.headers.get('preference-applied')).toBeNull();
    const text = await r.text();
    const id = JSON.parse(text).results[0].signal.id as string;
    const view = await (await h.call(A.key, 'GET', `/v1/signals/${id}`)).text();
    expect(text).toBe(
      `{"results":[{"index":0,"ok":true,"outcome":"created","signal":${view}},${JSON.stringify(REFUSED)}]}`,
    );
  });

  it('minimal: index, ok, outcome and the signal’s id only; a refused item as in the full form', async () => {
    const r = await batch('return=minimal')(twoItems('111111110'));
    expect(r.status).toBe(200);
    expect(r.headers.get('vary')).toBe('Prefer');
    expect(r.headers.get('preference-applied')).toBe('return=minimal');
    const b = await json(r);
    expect(b).toEqual({
      results: [{ index: 0, ok: true, outcome: 'created', signal: { id: expect.any(String) } }, REFUSED],
    });
    // The id is the signal's: it opens it.
    expect((await h.call(A.key, 'GET', `/v1/signals/${b.results[0].signal.id}`)).status).toBe(200);
  });

  it('a replay gets the form its own request asks for; representation is the full form byte for byte', async () => {
    const items = twoItems('999999990');
    const minimal = await json(await batch('return=minimal')(items));
    expect(minimal.results[0].outcome).toBe('created');
    const id = minimal.results[0].signal.id as string;
    const full = await batch()(items);
    const representation = await batch('return=representation')(items);
    expect(representation.headers.get('preference-applied')).toBeNull();
    const fullText = await full.text();
    expect(await representation.text()).toBe(fullText);
    const view = await (await h.call(A.key, 'GET', `/v1/signals/${id}`)).text();
    expect(fullText).toBe(
      `{"results":[{"index":0,"ok":true,"outcome":"replayed","signal":${view}},${JSON.stringify(REFUSED)}]}`,
    );
    expect(await json(await batch('return=minimal')(items))).toEqual({
      results: [{ index: 0, ok: true, outcome: 'replayed', signal: { id } }, REFUSED],
    });
  });

  it.each([
    ['RETURN=MINIMAL', true],
    ['return = minimal', true],
    ['return="minimal"', true],
    ['respond-async, wait=10, return=minimal', true],
    ['return=minimal; foo="a, b; c", handling=lenient', true],
    ['foo="x,return=representation", return=minimal', true],
    ['return=minimal, return=representation', true],
    ['return=representation, return=minimal', false],
    ['return=minimalist', false],
    ['return', false],
    ['foo="return=minimal"', false],
    ['handling=strict', false],
    ['', false],
  ])('Prefer: %s → minimal %s', async (prefer, minimal) => {
    const r = await batch(prefer)([h.placement('123456782', 'K. Klaassen')]);
    expect(r.status).toBe(200);
    expect(r.headers.get('vary')).toBe('Prefer');
    expect(r.headers.get('preference-applied')).toBe(minimal ? 'return=minimal' : null);
    const signal = (await json(r)).results[0].signal;
    expect(Object.keys(signal)).toEqual(
      minimal ? ['id'] : expect.arrayContaining(['id', 'status', 'contact']),
    );
  });

  it('several Prefer fields count as one list (RFC 9110 §5.3)', async () => {
    const { signRequest } = await import('@sluis/client-sdk');
    const body = new TextEncoder().encode(JSON.stringify({ items: [h.placement(BSN_A, 'K. Klaassen')] }));
    const signed = signRequest(A.key, { method: 'POST', path: '/v1/signals/batch', query: '' }, body, {
      created: Math.floor(h.clock.now() / 1000),
    });
    const headers = new Headers(Object.entries(signed));
    headers.set('content-type', 'application/json');
    headers.append('prefer', 'respond-async');
    headers.append('prefer', 'return=minimal');
    const r = await h.app.request('http://sluis.test/v1/signals/batch', { method: 'POST', headers, body });
    expect(r.headers.get('preference-applied')).toBe('return=minimal');
  });

  it('a refused request is a problem either way, without Vary or Preference-Applied', async () => {
    const r = await batch('return=minimal')([]);
    expect(r.status).toBe(400);
    expect(r.headers.get('preference-applied')).toBeNull();
    expect(r.headers.get('vary')).toBeNull();
  });

  it('other routes ignore it: a single placement answers in full, without Vary: Prefer', async () => {
    const r = await h.call(A.key, 'POST', '/v1/signals', {
      body: h.placement('123456782', 'K. Klaassen'),
      override: { prefer: 'return=minimal' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('vary')).toBeNull();
    expect(r.headers.get('preference-applied')).toBeNull();
    expect((await json(r)).signal.status).toBe('active');
  });
});

describe('Prefer: return=minimal on POST /v1/signals/migrate', () => {
  it('answers each migrated signal with its id only; without Prefer with its view', async () => {
    expect((await h.call(h.admin, 'POST', '/v1/admin/epochs', { body: { epoch: 2 } })).status).toBe(201);
    const placed = await json(await batch(undefined, B.key)([h.placement(BSN_B, 'B. Bakker')]));
    const signalId = placed.results[0].signal.id as string;
    const { canonicaliseIdentifier } = await import('@sluis/client-sdk');
    const k2 = casePseudonymKey(new Uint8Array(32).fill(7), 2);
    const items = [{ signalId, subject: [k2.pseudonymise(canonicaliseIdentifier('bsn', BSN_B))] }];
    const migrate = (prefer?: string) =>
      h.call(B.key, 'POST', '/v1/signals/migrate', {
        body: { items },
        ...(prefer === undefined ? {} : { override: { prefer } }),
      });
    const minimal = await migrate('return=minimal');
    expect(minimal.headers.get('preference-applied')).toBe('return=minimal');
    expect(minimal.headers.get('vary')).toBe('Prefer');
    expect(await json(minimal)).toEqual({
      results: [{ index: 0, ok: true, outcome: 'created', signal: { id: signalId } }],
    });
    // Resent: nothing to add (`existing`), answered in full this time.
    const full = await migrate();
    expect(full.headers.get('preference-applied')).toBeNull();
    const view = await (await h.call(B.key, 'GET', `/v1/signals/${signalId}`)).text();
    expect(await full.text()).toBe(
      `{"results":[{"index":0,"ok":true,"outcome":"existing","signal":${view}}]}`,
    );
  });
});
