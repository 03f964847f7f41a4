// A restricted match through the real app (docs/engine.md "What a match reveals", docs/api.md
// "Versions" 1.2.0): while the GDPR desk restricts the person (art. 18), both parties' JSON
// answers — one match, the inbox and a follow-up's answer — hold `counterpart.contact: null`
// and `restricted: true` beside `underObjection: false`, with none of the contact's values
// anywhere in the text; lifting shows the contact again.

import { afterAll, describe, expect, it } from 'vitest';
import { BSN_A, json, makeHarnessWithThreeOrganisations } from './testing/harness.js';

const { h, A, B } = await makeHarnessWithThreeOrganisations();
afterAll(async () => h.close());

/** A's contact (h.placement derives the e-mail address from the name). */
const RESTRICTED = ['Rita Beperkt', 'ritabeperkt@example.nl'];

describe('a match while the person is restricted', () => {
  it('answers restricted: true and no contact to both parties; lifting shows it again', async () => {
    await h.call(A.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, RESTRICTED[0]!) });
    await h.call(B.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'A. Jansen') });
    const matchId = (await json(await h.call(B.key, 'GET', '/v1/matches'))).items[0].matchId;
    const restrict = async (restricted: boolean) => {
      const r = await h.call(h.admin, 'POST', '/v1/admin/gdpr/restrict', {
        body: { subject: [h.pseudonym(BSN_A)], restricted },
      });
      expect(r.status).toBe(200);
    };

    await restrict(true);
    const one = await h.call(B.key, 'GET', `/v1/matches/${matchId}`);
    const list = await h.call(B.key, 'GET', '/v1/matches');
    const followUp = await h.call(B.key, 'POST', `/v1/matches/${matchId}/follow-up`, {
      body: { outcome: 'already_in_contact' },
    });
    expect([one.status, list.status, followUp.status]).toEqual([200, 200, 200]);
    const texts = [await one.text(), await list.text(), await followUp.text()];
    const withheld = {
      status: 'active',
      restricted: true,
      underObjection: false,
      counterpart: { contact: null },
    };
    expect(JSON.parse(texts[0]!)).toMatchObject({
      ...withheld,
      counterpart: { organisationName: 'Jeugdzorg Rijnmond', contact: null },
    });
    const events = JSON.parse(texts[1]!).items;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['match.created', 'match.updated']);
    for (const e of events) expect(e.match).toMatchObject(withheld);
    expect(JSON.parse(texts[2]!)).toMatchObject(withheld);
    for (const t of texts) for (const x of RESTRICTED) expect(t).not.toContain(x);
    // The restricted side does not see its live counterpart's contact either.
    expect(await json(await h.call(A.key, 'GET', `/v1/matches/${matchId}`))).toMatchObject(withheld);

    await restrict(false);
    expect(await json(await h.call(B.key, 'GET', `/v1/matches/${matchId}`))).toMatchObject({
      restricted: false,
      underObjection: false,
      counterpart: { contact: { name: RESTRICTED[0], email: RESTRICTED[1] } },
    });
  });
});
