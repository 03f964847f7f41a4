// Consent, regie handover and the agreements list through the client against the
// signature-verifying FakeServer: what goes over the wire, and that free text, unknown
// fields and bad codes are refused locally before anything is sent.

import { describe, expect, it } from 'vitest';
import { CONTACT, INFORMED, harness, refusal, validBsn } from '../testing/fixtures.js';

describe('consent', () => {
  it('records, shows and withdraws consent on an own signal', async () => {
    const h = harness();
    const s = (await h.client.placeSignal({ bsn: validBsn(1), contact: CONTACT, informed: INFORMED })).signal;
    expect(await h.client.getConsent(s.id)).toBeNull();
    const c = await h.client.recordConsent(s.id, {
      date: '2026-11-21',
      scopes: ['team_meeting'],
      formReference: 'map/TF-3',
    });
    expect(c).toMatchObject({ status: 'given', scopes: ['team_meeting'], formReference: 'map/TF-3' });
    const sent = h.server.requests.at(-1)!;
    expect([sent.method, sent.path]).toEqual(['PUT', `/v1/signals/${s.id}/consent`]);
    expect(JSON.parse(sent.body)).toEqual({
      date: '2026-11-21',
      scopes: ['team_meeting'],
      formReference: 'map/TF-3',
    });
    expect((await h.client.withdrawConsent(s.id)).status).toBe('withdrawn');
    const again = await refusal(h.client.withdrawConsent(s.id));
    expect(again.details.problemCode).toBe('conflict');
  });

  it('refuses free text, a BSN-like reference, unknown scopes and future dates locally', async () => {
    const h = harness();
    const id = '00000000-0000-4000-8000-000000000001';
    const n = h.server.requests.length;
    const cases: [unknown, string[], string?][] = [
      [
        { date: '2026-11-21', scopes: ['team_meeting'], formReference: 'mevrouw heeft schulden' },
        ['formReference'],
      ],
      [
        { date: '2026-11-21', scopes: ['team_meeting'], formReference: `f/${validBsn(1)}` },
        ['formReference'],
        'text_forbidden',
      ],
      [{ date: '2026-11-21', scopes: ['all'] }, ['scopes']],
      [{ date: '2026-11-23', scopes: ['team_meeting'] }, ['date']],
      [{ date: '2026-11-21', scopes: ['team_meeting'], note: 'x' }, ['note']],
    ];
    for (const [input, fields, code = 'input_invalid'] of cases) {
      const e = await refusal(h.client.recordConsent(id, input as never));
      expect([e.code, e.details.fields]).toEqual([code, fields]);
    }
    expect(h.server.requests.length).toBe(n);
  });
});

describe('regie and agreements', () => {
  it('hands over regie, adds agreements, changes status and reads the vocabulary', async () => {
    const h = harness();
    const e = h.server.addMatchEvent();
    const matchId = e.matchId as string;
    await h.client.regie(matchId, { action: 'handover' });
    expect(JSON.parse(h.server.requests.at(-1)!.body)).toEqual({ action: 'handover' });
    const voc = await h.client.vocabulary();
    expect(voc.actionKinds).toContain('home_visit');
    const a = await h.client.addAgreement(matchId, {
      owner: 'counterpart',
      actionKind: 'home_visit',
      informationCategory: 'housing',
      purpose: 'prevent_eviction',
      dueDate: '2026-12-01',
    });
    expect(a.status).toBe('open');
    const sent = h.server.requests.at(-1)!;
    expect([sent.method, sent.path]).toEqual(['POST', `/v1/matches/${matchId}/agreements`]);
    const done = await h.client.setAgreementStatus(matchId, a.id, 'done');
    expect(done.history.map((x) => x.status)).toEqual(['open', 'done']);
    expect(h.server.requests.at(-1)!.path).toBe(`/v1/matches/${matchId}/agreements/${a.id}/status`);
    expect((await h.client.listAgreements(matchId)).map((x) => x.status)).toEqual(['done']);
  });

  it('refuses free text and unknown fields in an agreement before sending', async () => {
    const h = harness();
    const matchId = h.server.addMatchEvent().matchId as string;
    const ok = {
      owner: 'me',
      actionKind: 'home_visit',
      informationCategory: 'housing',
      purpose: 'prevent_eviction',
      dueDate: '2026-12-01',
    };
    const n = h.server.requests.length;
    const cases: [unknown, string[]][] = [
      [{ ...ok, actionKind: 'Visit the mother' }, ['actionKind']],
      [{ ...ok, purpose: 'she drinks' }, ['purpose']],
      [{ ...ok, note: 'anything' }, ['note']],
      [{ ...ok, owner: 'the GP' }, ['owner']],
      [{ ...ok, dueDate: '2026-11-01' }, ['dueDate']],
    ];
    for (const [input, fields] of cases) {
      const e = await refusal(h.client.addAgreement(matchId, input as never));
      expect([e.code, e.details.fields]).toEqual(['input_invalid', fields]);
    }
    await expect(h.client.setAgreementStatus(matchId, matchId, 'finished' as never)).rejects.toMatchObject({
      code: 'input_invalid',
    });
    await expect(h.client.regie(matchId, { action: 'handover', for: 'me' } as never)).rejects.toMatchObject({
      code: 'input_invalid',
    });
    expect(h.server.requests.length).toBe(n);
  });
});
