// Admin (municipality) routes through the real app and engine: organisations and keys,
// GDPR requests by pseudonym in the body, follow-up, retention, logbook, statistics,
// webhooks, epochs, and the test clock route (present only when enabled).

import { base64url } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BSN_A, type Harness, json, makeHarness } from './testing/harness.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

let h: Harness;

beforeAll(async () => {
  h = await makeHarness({ testClockRoutes: true });
});
afterAll(async () => h.close());

describe('admin routes', () => {
  let orgId: string;

  it('admits, lists, reads and updates organisations', async () => {
    const key = caseSigningKey();
    const r = await h.call(h.admin, 'POST', '/v1/admin/organisations', {
      body: { name: 'Wijkteam Zuid', type: 'social_services', publicKeys: [base64url.encode(key.publicKey)] },
    });
    expect(r.status).toBe(201);
    const b = await json(r);
    orgId = b.organisation.id;
    expect(b.keys).toHaveLength(1);
    expect(b.keys[0]).toMatchObject({ keyId: key.keyId, role: 'organisation', status: 'active' });
    const list = await json(await h.call(h.admin, 'GET', '/v1/admin/organisations'));
    expect(list.items.map((o: { id: string }) => o.id)).toContain(orgId);
    expect((await h.call(h.admin, 'GET', `/v1/admin/organisations/${orgId}`)).status).toBe(200);
    const p = await h.call(h.admin, 'PATCH', `/v1/admin/organisations/${orgId}`, {
      body: { placementBudgetPerDay: 50 },
    });
    expect((await json(p)).organisation.placementBudgetPerDay).toBe(50);
    expect(
      (await h.call(h.admin, 'GET', '/v1/admin/organisations/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
  });

  it('refuses an invalid public key and an unknown organisation type', async () => {
    const bad = await h.call(h.admin, 'POST', '/v1/admin/organisations', {
      body: { name: 'X', type: 'youth_care', publicKeys: ['A'.repeat(43)] },
    });
    expect(bad.status).toBe(400);
    const type = await h.call(h.admin, 'POST', '/v1/admin/organisations', {
      body: { name: 'X', type: 'astrology', publicKeys: [base64url.encode(caseSigningKey().publicKey)] },
    });
    expect(type.status).toBe(400);
  });

  it('lists the organisation types this server admits, in the configured order', async () => {
    const r = await h.call(h.admin, 'GET', '/v1/admin/organisation-types');
    expect(r.status).toBe(200);
    const defaults = (await json(r)).items as string[];
    expect(defaults).toContain('youth_care');
    expect(defaults).toContain('social_services');
    const own = await makeHarness({ engineConfig: { organisationTypes: ['wijkteam', 'youth_care'] } });
    try {
      const listed = await json(await own.call(own.admin, 'GET', '/v1/admin/organisation-types'));
      expect(listed).toEqual({ items: ['wijkteam', 'youth_care'] });
      // What the list offers is what an admission accepts.
      const admitted = await own.call(own.admin, 'POST', '/v1/admin/organisations', {
        body: {
          name: 'Wijkteam Oost',
          type: 'wijkteam',
          publicKeys: [base64url.encode(caseSigningKey().publicKey)],
        },
      });
      expect(admitted.status).toBe(201);
    } finally {
      await own.close();
    }
  });

  it('adds organisation and admin keys, lists and revokes them', async () => {
    const k = caseSigningKey();
    const r = await h.call(h.admin, 'POST', `/v1/admin/organisations/${orgId}/keys`, {
      body: { publicKey: base64url.encode(k.publicKey) },
    });
    expect(r.status).toBe(201);
    const admin2 = caseSigningKey();
    const a = await h.call(h.admin, 'POST', '/v1/admin/keys', {
      body: { publicKey: base64url.encode(admin2.publicKey) },
    });
    expect(a.status).toBe(201);
    expect((await json(a)).key.role).toBe('admin');
    expect((await h.call(admin2, 'GET', '/v1/admin/statistics')).status).toBe(200);
    const keys = await json(await h.call(h.admin, 'GET', '/v1/admin/keys'));
    expect(keys.items.map((x: { keyId: string }) => x.keyId)).toEqual(
      expect.arrayContaining([k.keyId, admin2.keyId, h.admin.keyId]),
    );
    const rv = await h.call(h.admin, 'POST', `/v1/admin/keys/${admin2.keyId}/revoke`, { body: {} });
    expect((await json(rv)).key.status).toBe('revoked');
    expect((await h.call(admin2, 'GET', '/v1/admin/statistics')).status).toBe(401);
  });

  it('restrict and object answer the parent links they held or freed; a registration says whether on time', async () => {
    // docs/api.md "Versions" 1.4.0: a parent without signals of their own, named on two children's signals.
    const [PARENT, CHILD_1, CHILD_2] = ['200000007', '200000019', '200000020'];
    const A = await h.admit('Jeugdarts Oost');
    const B = await h.admit('Basisschool Oost', { type: 'school' });
    const parents = [[h.pseudonym(PARENT)]];
    for (const [o, bsn] of [
      [A, CHILD_1],
      [B, CHILD_2],
    ] as const)
      expect(
        (await h.call(o.key, 'POST', '/v1/signals', { body: h.placement(bsn, 'K. Kind', { parents }) }))
          .status,
      ).toBe(201);
    const subject = [h.pseudonym(PARENT)];
    const gdpr = async (path: string, body: Record<string, unknown>) => {
      const r = await h.call(h.admin, 'POST', `/v1/admin/gdpr/${path}`, { body: { subject, ...body } });
      expect(r.status).toBe(200);
      return json(r);
    };
    expect(await gdpr('restrict', { restricted: true })).toEqual({ signals: 0, parentLinks: 2 });
    expect(await gdpr('restrict', { restricted: true })).toEqual({ signals: 0, parentLinks: 0 });
    expect(await gdpr('restrict', { restricted: false })).toEqual({ signals: 0, parentLinks: 2 });
    // Excused although on time: registered as on time, the flag changes nothing (engine.md "Objections").
    expect(await gdpr('object', { status: 'pending', lateExcused: true })).toEqual({
      signals: 0,
      parentLinks: 2,
      onTime: true,
    });
    expect(await gdpr('object', { status: 'rejected' })).toEqual({ signals: 0, parentLinks: 2 });
  });

  it('GDPR access, restrict, object and erase take the pseudonym in the body', async () => {
    const A = await h.admit('Jeugdzorg');
    const B = await h.admit('School', { type: 'school' });
    const placed = await json(
      await h.call(A.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'J. de Vries') }),
    );
    await h.call(B.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'M. Meester') });
    const signalId = placed.signal.id;
    const consent = { date: '2026-01-12', scopes: ['team_meeting'], formReference: 'F-17' };
    expect((await h.call(A.key, 'PUT', `/v1/signals/${signalId}/consent`, { body: consent })).status).toBe(
      200,
    );
    const matchId = (await json(await h.call(A.key, 'GET', '/v1/matches'))).items[0].matchId;
    const agreed = await h.call(A.key, 'POST', `/v1/matches/${matchId}/agreements`, {
      body: {
        owner: 'me',
        actionKind: 'home_visit',
        informationCategory: 'health',
        purpose: 'assess_need',
        dueDate: '2099-02-01',
      },
    });
    expect(agreed.status).toBe(201);
    // B records a follow-up and takes regie (A accepts B's proposal): both in the answer below.
    const matchIdB = (await json(await h.call(B.key, 'GET', '/v1/matches'))).items[0].matchId;
    const fu = await json(
      await h.call(B.key, 'POST', `/v1/matches/${matchIdB}/follow-up`, {
        body: { outcome: 'already_in_contact' },
      }),
    );
    h.clock.advance(60_000);
    const propose = { action: 'propose', for: 'me' };
    expect((await h.call(B.key, 'POST', `/v1/matches/${matchIdB}/regie`, { body: propose })).status).toBe(
      200,
    );
    const accepted = await json(
      await h.call(A.key, 'POST', `/v1/matches/${matchId}/regie`, { body: { action: 'accept' } }),
    );
    expect(accepted.regie.holder).toBe('counterpart');
    const subject = [h.pseudonym(BSN_A)];
    const access = await json(await h.call(h.admin, 'POST', '/v1/admin/gdpr/access', { body: { subject } }));
    expect(access.signals).toHaveLength(2);
    expect(access.matches).toHaveLength(1);
    // API 1.7.0: the legal basis, the consent, the follow-up, regie and agreements (privacy.md §2, art. 15)
    const own = access.signals.find((s: { signalId: string }) => s.signalId === signalId);
    expect(own).toMatchObject({
      legalBasis: 'jeugdwet',
      attestedOn: null,
      consent: { date: '2026-01-12', scopes: ['team_meeting'], withdrawnAt: null },
    });
    expect(own.consent.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const m = access.matches[0];
    const [iA, iB] = [m.organisationNames.indexOf('Jeugdzorg'), m.organisationNames.indexOf('School')];
    // The timestamps as ISO strings (wire.ts), the same instants the organisations were answered.
    const followUp: unknown[] = [null, null];
    followUp[iB] = { outcome: 'already_in_contact', at: fu.followUp.mine.at };
    expect(fu.followUp.mine.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(m.followUp).toEqual(followUp);
    expect(accepted.regie.since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(accepted.regie.since).not.toBe(fu.followUp.mine.at);
    expect(m.regie).toEqual({ holder: iB, since: accepted.regie.since });
    const agreement = await json(agreed);
    expect(m.agreements).toEqual([
      {
        agreementId: agreement.id,
        owner: iA,
        actionKind: 'home_visit',
        informationCategory: 'health',
        purpose: 'assess_need',
        dueDate: '2099-02-01',
        status: 'open',
        createdAt: agreement.createdAt,
        createdBy: iA,
        history: [{ status: 'open', at: agreement.createdAt, by: iA }],
      },
    ]);
    expect(agreement.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(JSON.stringify(access)).not.toContain('F-17');
    expect(JSON.stringify(access)).not.toContain(subject[0]!.value);
    const restrict = await json(
      await h.call(h.admin, 'POST', '/v1/admin/gdpr/restrict', { body: { subject, restricted: true } }),
    );
    expect(restrict.signals).toBe(2);
    const object = await json(
      await h.call(h.admin, 'POST', '/v1/admin/gdpr/object', { body: { subject, status: 'pending' } }),
    );
    expect(object.signals).toBe(2);
    const follow = await json(await h.call(h.admin, 'GET', '/v1/admin/follow-up?noContactAfterDays=0'));
    expect(follow.items.length).toBeGreaterThanOrEqual(1);
    const filtered = await json(
      await h.call(
        h.admin,
        'GET',
        '/v1/admin/follow-up?followUp=none&organisationType=youth_care&minAgeDays=0&maxAgeDays=30&sort=newest&limit=1',
      ),
    );
    expect(filtered.items).toHaveLength(1);
    expect(
      filtered.items[0].parties.map((p: { organisationType: string }) => p.organisationType).sort(),
    ).toEqual(['school', 'youth_care']);
    const none = await json(await h.call(h.admin, 'GET', '/v1/admin/follow-up?organisationType=police'));
    expect(none).toEqual({ items: [] });
    if (filtered.nextCursor !== undefined) {
      const next = await h.call(
        h.admin,
        'GET',
        `/v1/admin/follow-up?followUp=none&sort=newest&limit=1&cursor=${encodeURIComponent(filtered.nextCursor)}`,
      );
      expect(next.status).toBe(200);
    }
    const badFilter = await h.call(h.admin, 'GET', '/v1/admin/follow-up?outcome=phoned&limit=0');
    expect(badFilter.status).toBe(400);
    expect(JSON.stringify(await json(badFilter))).not.toContain('phoned');
    const erase = await json(await h.call(h.admin, 'POST', '/v1/admin/gdpr/erase', { body: { subject } }));
    expect(erase).toEqual({ signals: 2, matches: 1, parentLinks: 0 });
    const after = await json(await h.call(h.admin, 'POST', '/v1/admin/gdpr/access', { body: { subject } }));
    expect(after.signals).toHaveLength(0);
  });

  it('retention, logbook (paged and verified), statistics, webhooks and epochs', async () => {
    const ret = await json(await h.call(h.admin, 'POST', '/v1/admin/retention/run', { body: {} }));
    expect(ret).toMatchObject({ expired: expect.any(Number), purgedSignals: expect.any(Number) });
    // The admin's run logs the scheduled run's event, with the same counts (operations.md "Logs").
    const runs = h.logs
      .flatMap((l) => l.split('\n').filter((x) => x !== ''))
      .map((l) => JSON.parse(l))
      .filter((l) => l.event === 'retention_run');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      level: 'info',
      by: 'admin',
      expired: ret.expired,
      purgedSignals: ret.purgedSignals,
      purgedMatches: ret.purgedMatches,
    });
    const page = await json(await h.call(h.admin, 'GET', '/v1/admin/logbook?fromSeq=1&limit=2'));
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBe(String(page.items[1].seq + 1));
    const verify = await json(await h.call(h.admin, 'GET', '/v1/admin/logbook/verify'));
    expect(verify.ok).toBe(true);
    const stats = await json(await h.call(h.admin, 'GET', '/v1/admin/statistics'));
    expect(stats.organisations.active).toBeGreaterThan(0);
    expect(Object.keys(stats.followUp.outcomes).sort()).toEqual([
      'already_in_contact',
      'client_refused',
      'contact_made',
      'no_contact_needed',
    ]);
    expect((await h.call(h.admin, 'GET', '/v1/admin/webhooks?status=pending')).status).toBe(200);
    const epochs = await json(await h.call(h.admin, 'GET', '/v1/admin/epochs'));
    expect(epochs.items[0]).toMatchObject({ epoch: 1, status: 'active' });
    expect((await h.call(h.admin, 'POST', '/v1/admin/epochs', { body: { epoch: 3 } })).status).toBe(201);
    const retired = await json(await h.call(h.admin, 'POST', '/v1/admin/epochs/3/retire', { body: {} }));
    expect(retired.epoch.status).toBe('retired');
  });

  it('suspending an unknown organisation → 404', async () => {
    const r = await h.call(
      h.admin,
      'POST',
      '/v1/admin/organisations/00000000-0000-4000-8000-000000000000/suspend',
      {
        body: {},
      },
    );
    expect(r.status).toBe(404);
  });
});

describe('test clock route', () => {
  it('moves the server clock forward only, and signing follows the server time', async () => {
    const before = await json(await h.call(h.admin, 'GET', '/v1/admin/test/clock'));
    const r = await h.call(h.admin, 'POST', '/v1/admin/test/clock', { body: { advanceDays: 1 } });
    expect(r.status).toBe(200);
    const after = await json(r);
    expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(86_400_000);
    expect(Date.parse(r.headers.get('date')!)).toBeGreaterThan(Date.now() + 86_000_000);
    const stale = Math.floor(Date.now() / 1000);
    expect((await h.call(h.admin, 'GET', '/v1/admin/statistics', { created: stale })).status).toBe(401);
  });

  it('does not exist without the test clock', async () => {
    const plain = await makeHarness();
    try {
      const r = await plain.call(plain.admin, 'POST', '/v1/admin/test/clock', { body: { advanceDays: 1 } });
      expect(r.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
