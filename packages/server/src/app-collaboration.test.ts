// Working together after a match through the real app (docs/engine.md "Working together after a match"): consent (form reference
// only for its own organisation, scopes for the counterpart), regie handover, the
// agreements list (codes only, unknown fields and free text refused, third parties get
// 404, frozen after an ended withdrawal) and the municipality's counts-only overview.

import { afterAll, describe, expect, it } from 'vitest';
import { BSN_A, json, makeHarnessWithThreeOrganisations } from './testing/harness.js';

const { h, A, B, C } = await makeHarnessWithThreeOrganisations();
afterAll(async () => h.close());

const day = (offsetDays: number) =>
  new Date(h.clock.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('collaboration routes', () => {
  let signalA: string;
  let signalB: string;
  let matchId: string;
  let agreementId: string;

  it('a match starts anonymous; consent makes it consented and the form reference stays home', async () => {
    signalA = (
      await json(await h.call(A.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'J. de Vries') }))
    ).signal.id;
    signalB = (
      await json(await h.call(B.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'A. Jansen') }))
    ).signal.id;
    const inbox = await json(await h.call(A.key, 'GET', '/v1/matches'));
    matchId = inbox.items[0].matchId;
    expect(inbox.items[0].match.coordination).toEqual({
      status: 'anonymous',
      myScopes: [],
      counterpartScopes: [],
    });

    const put = await h.call(A.key, 'PUT', `/v1/signals/${signalA}/consent`, {
      body: { date: day(0), scopes: ['share_with_matched'], formReference: 'toestemming/TF-9' },
    });
    expect(put.status).toBe(200);
    expect((await json(put)).consent).toMatchObject({ status: 'given', formReference: 'toestemming/TF-9' });
    const mine = await json(await h.call(A.key, 'GET', `/v1/signals/${signalA}/consent`));
    expect(mine.consent.scopes).toEqual(['share_with_matched']);
    expect((await json(await h.call(B.key, 'GET', `/v1/signals/${signalB}/consent`))).consent).toBeNull();
    expect((await h.call(B.key, 'GET', `/v1/signals/${signalA}/consent`)).status).toBe(404);

    const seen = await h.call(B.key, 'GET', `/v1/matches/${matchId}`);
    const text = await seen.text();
    expect(JSON.parse(text).coordination).toEqual({
      status: 'consented',
      myScopes: [],
      counterpartScopes: ['share_with_matched'],
    });
    expect(text).not.toContain('TF-9');

    const bad = await h.call(A.key, 'PUT', `/v1/signals/${signalA}/consent`, {
      body: { date: day(0), scopes: ['team_meeting'], formReference: 'moeder heeft schulden' },
    });
    expect(bad.status).toBe(400);
    expect((await json(bad)).fields).toEqual(['formReference']);
    const extra = await h.call(A.key, 'PUT', `/v1/signals/${signalA}/consent`, {
      body: { date: day(0), scopes: ['team_meeting'], remark: 'x' },
    });
    expect(extra.status).toBe(400);

    const w = await h.call(A.key, 'POST', `/v1/signals/${signalA}/consent/withdraw`, { body: {} });
    expect((await json(w)).consent.status).toBe('withdrawn');
    const again = await h.call(A.key, 'POST', `/v1/signals/${signalA}/consent/withdraw`, { body: {} });
    expect(again.status).toBe(409);
    expect(h.logs.join('\n')).not.toContain('TF-9');
  });

  it('regie: the holder hands it over; the overview shows the new holder', async () => {
    const r = await h.call(B.key, 'POST', `/v1/matches/${matchId}/regie`, { body: { action: 'handover' } });
    expect(r.status).toBe(409);
    const ok = await h.call(A.key, 'POST', `/v1/matches/${matchId}/regie`, { body: { action: 'handover' } });
    expect(ok.status).toBe(200);
    expect((await json(ok)).regie.holder).toBe('counterpart');
    const o = await json(await h.call(h.admin, 'GET', '/v1/admin/follow-up'));
    expect(o.items[0].regie.organisationId).toBe(B.id);
  });

  it('agreements: codes only, visible to both parties, 404 for a third, status appended', async () => {
    const voc = await json(await h.call(A.key, 'GET', '/v1/agreements/vocabulary'));
    expect(voc.actionKinds).toContain('home_visit');
    expect(voc.consentScopes).toEqual(['team_meeting', 'share_with_matched']);
    const body = {
      owner: 'counterpart',
      actionKind: 'home_visit',
      informationCategory: 'housing',
      purpose: 'prevent_eviction',
      dueDate: day(7),
    };
    const r = await h.call(A.key, 'POST', `/v1/matches/${matchId}/agreements`, { body });
    expect(r.status).toBe(201);
    const a = await json(r);
    agreementId = a.id;
    expect(a).toMatchObject({ owner: 'counterpart', createdBy: 'me', status: 'open' });
    const free = await h.call(A.key, 'POST', `/v1/matches/${matchId}/agreements`, {
      body: { ...body, actionKind: 'talk about her debts' },
    });
    expect(free.status).toBe(400);
    expect((await json(free)).fields).toEqual(['actionKind']);
    const unknownCode = await h.call(A.key, 'POST', `/v1/matches/${matchId}/agreements`, {
      body: { ...body, purpose: 'no_such_purpose' },
    });
    expect((await json(unknownCode)).fields).toEqual(['purpose']);
    const note = await h.call(A.key, 'POST', `/v1/matches/${matchId}/agreements`, {
      body: { ...body, note: 'x' },
    });
    expect(note.status).toBe(400);
    expect((await h.call(C.key, 'GET', `/v1/matches/${matchId}/agreements`)).status).toBe(404);
    expect((await h.call(C.key, 'POST', `/v1/matches/${matchId}/agreements`, { body })).status).toBe(404);

    const list = await json(await h.call(B.key, 'GET', `/v1/matches/${matchId}/agreements`));
    expect(list.items.map((x: { owner: string }) => x.owner)).toEqual(['me']);
    const st = await h.call(B.key, 'POST', `/v1/matches/${matchId}/agreements/${agreementId}/status`, {
      body: { status: 'done' },
    });
    expect(st.status).toBe(200);
    expect((await json(st)).history.map((x: { status: string }) => x.status)).toEqual(['open', 'done']);
    const bad = await h.call(B.key, 'POST', `/v1/matches/${matchId}/agreements/${agreementId}/status`, {
      body: { status: 'finished' },
    });
    expect(bad.status).toBe(400);
  });

  it('the municipality sees counts and overdue items only; organisations cannot', async () => {
    await h.call(A.key, 'POST', `/v1/matches/${matchId}/agreements`, {
      body: {
        owner: 'me',
        actionKind: 'evaluate',
        informationCategory: 'none',
        purpose: 'coordinate_support',
        dueDate: day(1),
      },
    });
    h.clock.advance(3 * 86_400_000);
    const r = await h.call(h.admin, 'GET', '/v1/admin/agreements/overview');
    expect(r.status).toBe(200);
    const text = await r.text();
    const o = JSON.parse(text);
    expect(o.items).toHaveLength(1);
    expect(o.items[0]).toMatchObject({
      matchId,
      matchStatus: 'active',
      counts: { total: 2, open: 1, done: 1, cancelled: 0, overdue: 1 },
    });
    expect(o.items[0].overdue[0].ownerOrganisationId).toBe(A.id);
    expect(text).not.toMatch(/evaluate|home_visit|housing/);
    expect((await h.call(A.key, 'GET', '/v1/admin/agreements/overview')).status).toBe(403);
  });

  it('after an ended withdrawal the list is readable but frozen', async () => {
    await h.call(A.key, 'POST', `/v1/signals/${signalA}/withdraw`, { body: { reason: 'ended' } });
    expect((await json(await h.call(B.key, 'GET', `/v1/matches/${matchId}/agreements`))).items).toHaveLength(
      2,
    );
    const r = await h.call(B.key, 'POST', `/v1/matches/${matchId}/agreements`, {
      body: {
        owner: 'me',
        actionKind: 'evaluate',
        informationCategory: 'none',
        purpose: 'coordinate_support',
        dueDate: day(1),
      },
    });
    expect(r.status).toBe(409);
    expect((await json(r)).code).toBe('conflict');
  });
});
