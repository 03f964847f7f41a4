// Organisation routes end to end through the real app, engine and SQLite file: the
// SluiS flow (A signals, nothing revealed; B signals, both see each other's contact;
// C sees nothing), then every signal and match operation.

import { afterAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../test/support/clock-boundary.js';
import {
  BSN_A,
  BSN_B,
  json,
  keepClearOfBoundary,
  makeHarnessWithThreeOrganisations,
  uuid,
} from './testing/harness.js';
import { casePseudonymKey } from '../../../test/support/case-keys.js';

const { h, A, B, C } = await makeHarnessWithThreeOrganisations();
afterAll(async () => h.close());

describe('organisation routes', () => {
  let signalA: string;
  let signalB: string;
  let matchIdA: string;

  it('whoami shows own organisation, key, budget and epochs', async () => {
    const r = await h.call(A.key, 'GET', '/v1/whoami');
    expect(r.status).toBe(200);
    const b = await json(r);
    expect(b.organisation).toMatchObject({ id: A.id, name: 'Jeugdzorg Rijnmond', status: 'active' });
    expect(b.authenticatedBy).toBe('key');
    expect(b.key).toEqual({ keyId: A.key.keyId, status: 'active' });
    expect(b).not.toHaveProperty('session');
    expect(b.budget.perDay).toBeGreaterThan(0);
    expect(b.budget.usedToday).toBe(0);
    expect(b.epochs).toContainEqual({ epoch: 1, status: 'active' });
  });

  it('places a signal (201), replays it (200 replayed) and reports an existing one (200 existing)', async () => {
    // usedToday counts the UTC day: the placement and the whoami after it must share one (a
    // minute's room: the case fails at its 30 s timeout before it could use it up).
    keepClearOfBoundary(h, DAY_MS, 60_000);
    const p = h.placement(BSN_A, 'J. de Vries');
    const r1 = await h.call(A.key, 'POST', '/v1/signals', { body: p });
    expect(r1.status).toBe(201);
    const b1 = await json(r1);
    expect(b1.outcome).toBe('created');
    expect((await json(await h.call(A.key, 'GET', '/v1/whoami'))).budget.usedToday).toBe(1);
    expect(b1.signal).toMatchObject({ status: 'active', hasParents: false, epochs: [1] });
    expect(b1.signal.restricted).toBe(false);
    expect(b1.signal.placedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(JSON.stringify(b1)).not.toContain('match');
    signalA = b1.signal.id;
    const r2 = await h.call(A.key, 'POST', '/v1/signals', { body: p });
    expect(r2.status).toBe(200);
    expect((await json(r2)).outcome).toBe('replayed');
    const r3 = await h.call(A.key, 'POST', '/v1/signals', { body: { ...p, requestId: uuid() } });
    expect(r3.status).toBe(200);
    expect((await json(r3)).outcome).toBe('existing');
    const r4 = await h.call(A.key, 'POST', '/v1/signals', {
      body: { ...p, contact: { ...(p.contact as object), name: 'X' } },
    });
    expect(r4.status).toBe(409);
    expect((await json(r4)).code).toBe('request_id_reused');
  });

  it('nothing is revealed until a second organisation signals; then both see each other', async () => {
    expect((await json(await h.call(A.key, 'GET', '/v1/matches'))).items).toEqual([]);
    const r = await h.call(B.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'A. Jansen') });
    expect(r.status).toBe(201);
    signalB = (await json(r)).signal.id;
    const inboxA = await json(await h.call(A.key, 'GET', '/v1/matches'));
    expect(inboxA.items).toHaveLength(1);
    const ev = inboxA.items[0];
    expect(ev.type).toBe('match.created');
    expect(ev.match.ownSignalId).toBe(signalA);
    expect(ev.match.counterpart.organisationName).toBe('Wijkteam Noord');
    expect(ev.match.counterpart.contact.name).toBe('A. Jansen');
    matchIdA = ev.matchId;
    const inboxB = await json(await h.call(B.key, 'GET', '/v1/matches'));
    expect(inboxB.items[0].match.counterpart.contact.name).toBe('J. de Vries');
    const inboxC = await json(await h.call(C.key, 'GET', '/v1/matches'));
    expect(inboxC.items).toEqual([]);
  });

  it('the inbox cursor resumes after the last event', async () => {
    const first = await json(await h.call(A.key, 'GET', '/v1/matches?limit=1'));
    const cursor = first.items[0].cursor;
    const rest = await json(await h.call(A.key, 'GET', `/v1/matches?cursor=${encodeURIComponent(cursor)}`));
    expect(rest.items.every((e: { cursor: string }) => e.cursor !== cursor)).toBe(true);
  });

  it('reads one own signal and lists own signals; another organisation gets 404', async () => {
    expect((await h.call(A.key, 'GET', `/v1/signals/${signalA}`)).status).toBe(200);
    const other = await h.call(C.key, 'GET', `/v1/signals/${signalA}`);
    expect(other.status).toBe(404);
    expect((await json(other)).code).toBe('not_found');
    const list = await json(await h.call(A.key, 'GET', '/v1/signals?status=active&limit=10'));
    expect(list.items.map((s: { id: string }) => s.id)).toEqual([signalA]);
  });

  it('lists own signals newest first (order=newest); the cursor goes on in that order', async () => {
    const D = await h.admit('Huisartsenpraktijk Oost');
    const placed: string[] = [];
    for (const bsn of ['112345670', '127160474', '133333309']) {
      const r = await h.call(D.key, 'POST', '/v1/signals', { body: h.placement(bsn, 'D. Dokter') });
      placed.push((await json(r)).signal.id);
    }
    const ids = (b: { items?: { id: string }[] }) => b.items?.map((s) => s.id);
    const oldest = await json(await h.call(D.key, 'GET', '/v1/signals?limit=10'));
    expect(ids(oldest)).toEqual(placed);
    const first = await json(await h.call(D.key, 'GET', '/v1/signals?order=newest&limit=2'));
    expect(ids(first)).toEqual([placed[2], placed[1]]);
    expect(first.nextCursor).toBe(placed[1]);
    const rest = await json(
      await h.call(D.key, 'GET', `/v1/signals?order=newest&limit=2&cursor=${first.nextCursor}`),
    );
    expect(ids(rest)).toEqual([placed[0]]);
    expect(rest).not.toHaveProperty('nextCursor');
    // The same cursor in placement order goes the other way.
    const after = await json(await h.call(D.key, 'GET', `/v1/signals?order=oldest&cursor=${placed[1]}`));
    expect(ids(after)).toEqual([placed[2]]);
    const bad = await h.call(D.key, 'GET', '/v1/signals?order=latest');
    expect(bad.status).toBe(400);
    expect((await json(bad)).fields).toEqual(['query.order']);
  });

  it('match view, contact made and regie', async () => {
    const m = await h.call(A.key, 'GET', `/v1/matches/${matchIdA}`);
    expect(m.status).toBe(200);
    expect((await h.call(C.key, 'GET', `/v1/matches/${matchIdA}`)).status).toBe(404);
    const cm = await json(await h.call(A.key, 'POST', `/v1/matches/${matchIdA}/contact-made`, { body: {} }));
    expect(cm.followUp.contactMadeByMe).not.toBeNull();
    expect(cm.followUp.mine).toEqual({ outcome: 'contact_made', at: cm.followUp.contactMadeByMe });
    const bad = await h.call(A.key, 'POST', `/v1/matches/${matchIdA}/follow-up`, {
      body: { outcome: 'phoned' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await json(bad))).not.toContain('phoned');
    const idsB = await json(await h.call(B.key, 'GET', '/v1/matches'));
    const fu = await json(
      await h.call(B.key, 'POST', `/v1/matches/${idsB.items[0].matchId}/follow-up`, {
        body: { outcome: 'already_in_contact' },
      }),
    );
    expect(fu.followUp).toMatchObject({
      contactMadeByMe: null,
      mine: { outcome: 'already_in_contact' },
      counterpart: { outcome: 'contact_made' },
    });
    const prop = await h.call(A.key, 'POST', `/v1/matches/${matchIdA}/regie`, {
      body: { action: 'propose', for: 'counterpart' },
    });
    expect(prop.status).toBe(200);
    const viewB = await json(await h.call(B.key, 'GET', '/v1/matches'));
    const matchIdB = viewB.items[0].matchId;
    const acc = await h.call(B.key, 'POST', `/v1/matches/${matchIdB}/regie`, { body: { action: 'accept' } });
    expect(acc.status).toBe(200);
    expect((await json(acc)).regie.holder).toBe('me');
  });

  it('rectifies contact and informed; the counterpart sees the new contact', async () => {
    const r = await h.call(A.key, 'PUT', `/v1/signals/${signalA}/contact`, {
      body: { contact: { name: 'J. de Vries-Bakker', role: 'jeugdconsulent', email: 'jdv@example.nl' } },
    });
    expect(r.status).toBe(200);
    const i = await h.call(A.key, 'PUT', `/v1/signals/${signalA}/informed`, {
      body: { informed: { status: 'both', date: new Date(h.clock.now()).toISOString().slice(0, 10) } },
    });
    expect(i.status).toBe(200);
    expect((await json(i)).informed.status).toBe('both');
    const inboxB = await json(await h.call(B.key, 'GET', '/v1/matches'));
    const last = inboxB.items[inboxB.items.length - 1];
    expect(last.match.counterpart.contact.name).toBe('J. de Vries-Bakker');
  });

  it('transfers signals to a colleague', async () => {
    const r = await h.call(A.key, 'POST', '/v1/signals/transfer', {
      body: {
        signalIds: [signalA],
        contact: { name: 'P. Pieters', role: 'jeugdconsulent', phone: '010-1234567' },
      },
    });
    expect(r.status).toBe(200);
    expect(await json(r)).toEqual({ transferred: 1 });
  });

  it('batch placement: a bad item does not stop the others', async () => {
    const good = h.placement(BSN_B, 'K. Klaassen');
    const bad = { ...h.placement(BSN_B, 'K. Klaassen'), reason: 'x' };
    const r = await h.call(C.key, 'POST', '/v1/signals/batch', { body: { items: [good, bad] } });
    expect(r.status).toBe(200);
    const b = await json(r);
    expect(b.results[0]).toMatchObject({ index: 0, ok: true, outcome: 'created' });
    expect(b.results[1]).toMatchObject({ index: 1, ok: false, code: 'validation_failed' });
    expect(b.results[1].fields).toEqual(['items.1']);
  });

  it('migrate adds pseudonyms under a new epoch', async () => {
    const reg = await h.call(h.admin, 'POST', '/v1/admin/epochs', { body: { epoch: 2 } });
    expect(reg.status).toBe(201);
    const { canonicaliseIdentifier } = await import('@sluis/client-sdk');
    const k2 = casePseudonymKey(new Uint8Array(32).fill(7), 2);
    const r = await h.call(B.key, 'POST', '/v1/signals/migrate', {
      body: {
        items: [{ signalId: signalB, subject: [k2.pseudonymise(canonicaliseIdentifier('bsn', BSN_A))] }],
      },
    });
    expect(r.status).toBe(200);
    const b = await json(r);
    expect(b.results[0]).toMatchObject({ index: 0, ok: true });
    expect(b.results[0].signal.epochs).toEqual([1, 2]);
  });

  it('withdraw ended → 200 inactive; withdraw error → 204 and match.removed for the counterpart', async () => {
    const ended = await h.call(A.key, 'POST', `/v1/signals/${signalA}/withdraw`, {
      body: { reason: 'ended' },
    });
    expect(ended.status).toBe(200);
    expect((await json(ended)).status).toBe('inactive');
    const again = await h.call(A.key, 'POST', `/v1/signals/${signalA}/withdraw`, {
      body: { reason: 'ended' },
    });
    expect(again.status).toBe(409);
    expect((await json(again)).code).toBe('signal_inactive');
    const err = await h.call(B.key, 'POST', `/v1/signals/${signalB}/withdraw`, { body: { reason: 'error' } });
    expect(err.status).toBe(204);
    expect(await err.text()).toBe('');
    const inboxA = await json(await h.call(A.key, 'GET', '/v1/matches'));
    expect(inboxA.items.map((e: { type: string }) => e.type)).toContain('match.removed');
  });

  it('budget exhausted → 429 budget_exceeded with Retry-After', async () => {
    // The budget is per UTC day: both placements in one (a new day would give the second room).
    keepClearOfBoundary(h, DAY_MS, 60_000);
    const D = await h.admit('Huisartsenpraktijk', { type: 'general_practice', budget: 1 });
    expect((await h.call(D.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'Dr. Bos') })).status).toBe(
      201,
    );
    const r = await h.call(D.key, 'POST', '/v1/signals', { body: h.placement(BSN_B, 'Dr. Bos') });
    expect(r.status).toBe(429);
    expect((await json(r)).code).toBe('budget_exceeded');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
