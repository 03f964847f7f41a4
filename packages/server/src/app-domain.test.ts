// The legal basis, the archive notice, objections and management information through the
// real app and engine, at the HTTP level the SDK never shows: the server's own refusal of
// a 23+ basis without attestation (the SDK refuses it before sending), the placement
// answer's archive notice and its route, the objection term's 422, and the CSV export.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BSN_A, BSN_B, type Harness, json, makeHarness } from './testing/harness.js';
import type { Admitted } from './testing/harness.js';

let h: Harness;
let A: Admitted;
let B: Admitted;

beforeAll(async () => {
  h = await makeHarness({ testClockRoutes: true });
  A = await h.admit('Jeugdzorg Rijnmond');
  B = await h.admit('Wijkteam Noord', { type: 'social_services' });
});
afterAll(async () => h.close());

describe('domain routes', () => {
  it('refuses consent without attestation (400 attestation_required, nothing written) and records it with one', async () => {
    const body = { ...h.placement(BSN_A, 'C. Jansen'), legalBasis: 'consent' };
    const r = await h.call(A.key, 'POST', '/v1/signals', { body });
    expect(r.status).toBe(400);
    expect(await json(r)).toMatchObject({ code: 'attestation_required', fields: ['attestation'] });
    expect((await json(await h.call(A.key, 'GET', '/v1/signals'))).items).toEqual([]);
    const ok = await h.call(A.key, 'POST', '/v1/signals', {
      // Informed in 2020: an objection's term has long passed (the third case).
      body: {
        ...body,
        attestation: { date: '2020-01-01' },
        informed: { status: 'citizen', date: '2020-01-02' },
      },
    });
    expect(ok.status).toBe(201);
    expect((await json(ok)).signal).toMatchObject({ legalBasis: 'consent', underObjection: false });
    const unknown = await h.call(A.key, 'POST', '/v1/signals', {
      body: {
        ...h.placement(BSN_B, 'C. Jansen'),
        legalBasis: 'consent',
        attestation: { date: '2020-01-01', x: 1 },
      },
    });
    expect(unknown.status).toBe(400);
  });

  it('answers the archive notice once and serves it again; not to another organisation', async () => {
    const old = await json(
      await h.call(B.key, 'POST', '/v1/signals', { body: h.placement(BSN_B, 'D. Smit') }),
    );
    await h.call(B.key, 'POST', `/v1/signals/${old.signal.id}/withdraw`, { body: { reason: 'ended' } });
    const placed = await json(
      await h.call(A.key, 'POST', '/v1/signals', { body: h.placement(BSN_B, 'E. Bos') }),
    );
    expect(placed.archiveNotices).toHaveLength(1);
    expect(placed.archiveNotices[0]).toMatchObject({
      organisationName: 'Wijkteam Noord',
      contact: { name: 'D. Smit' },
    });
    const path = `/v1/signals/${placed.signal.id}/archive-notices`;
    expect((await json(await h.call(A.key, 'GET', path))).items).toEqual(placed.archiveNotices);
    expect((await h.call(B.key, 'GET', path)).status).toBe(404);
    // Restricted (GDPR art. 18): the notice is left out until lifted, as a match withholds the
    // contact (engine.md "Archive notice").
    const restrict = (restricted: boolean) =>
      h.call(h.admin, 'POST', '/v1/admin/gdpr/restrict', {
        body: { subject: [h.pseudonym(BSN_B)], restricted },
      });
    expect((await restrict(true)).status).toBe(200);
    const restricted = await h.call(A.key, 'GET', path);
    expect(restricted.status).toBe(200);
    expect((await json(restricted)).items).toEqual([]);
    expect((await restrict(false)).status).toBe(200);
    expect((await json(await h.call(A.key, 'GET', path))).items).toEqual(placed.archiveNotices);
  });

  it('refuses a late objection with 422 objection_out_of_term', async () => {
    const subject = [h.pseudonym(BSN_A)];
    const late = await h.call(h.admin, 'POST', '/v1/admin/gdpr/object', {
      body: { subject, status: 'pending' },
    });
    expect(late.status).toBe(422);
    expect(await json(late)).toMatchObject({ code: 'objection_out_of_term' });
    const bad = await h.call(h.admin, 'POST', '/v1/admin/gdpr/object', {
      body: { subject, status: 'rejected', receivedOn: 'soon' },
    });
    expect(bad.status).toBe(400);
    const excused = await h.call(h.admin, 'POST', '/v1/admin/gdpr/object', {
      body: { subject, status: 'pending', lateExcused: true },
    });
    expect(excused.status).toBe(200);
  });

  it('exports management information as JSON and CSV; an open month is refused', async () => {
    const now = new Date(
      (await json(await h.call(h.admin, 'POST', '/v1/admin/test/clock', { body: {} }))).now,
    );
    const month = (d: Date) => d.toISOString().slice(0, 7);
    const mi = (q: string) => `/v1/admin/management-information?${q}`;
    const open = await h.call(h.admin, 'GET', mi(`from=${month(now)}&to=${month(now)}`));
    expect(open.status).toBe(400);
    const closed = month(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1)));
    const j = await json(await h.call(h.admin, 'GET', mi(`from=${closed}&to=${closed}`)));
    expect(j.threshold).toBe(5);
    expect(j.rows.length).toBeGreaterThan(1);
    const csv = await h.call(
      h.admin,
      'GET',
      mi(`from=${closed}&to=${closed}&format=csv&organisationType=youth_care`),
    );
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toBe(
      `month,organisation_type,signals_placed,signals_withdrawn,matches,contact_made,already_in_contact,no_contact_needed,client_refused,median_days_to_contact\r\n${closed},youth_care,<5,<5,<5,<5,<5,<5,<5,<5\r\n`,
    );
    expect((await h.call(A.key, 'GET', mi(`from=${closed}&to=${closed}`))).status).toBe(403);
  });
});
