// What an ended match still reveals, through the real app (docs/engine.md "What a match
// reveals", docs/api.md "GET /v1/matches"): once the counterpart withdrew its signal
// (involvement ended) the match reads ended with `counterpart.contact: null` and
// `underObjection: false` — the reason the portal tells apart — in the match and in the
// inbox, while the side that withdrew still sees its live counterpart's contact and the
// follow-up stays recordable.

import { afterAll, describe, expect, it } from 'vitest';
import { BSN_A, json, makeHarnessWithThreeOrganisations } from './testing/harness.js';

const { h, A, B } = await makeHarnessWithThreeOrganisations();
afterAll(async () => h.close());

/** A's contact (h.placement derives the e-mail address from the name). */
const WITHDRAWING = ['Wim Trekker', 'wimtrekker@example.nl'];

describe('a match whose counterpart withdrew its signal', () => {
  it('shows the withdrawn side’s contact to nobody; the withdrawing side still sees B’s', async () => {
    const placed = await json(
      await h.call(A.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, WITHDRAWING[0]!) }),
    );
    await h.call(B.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'A. Jansen') });
    const matchId = (await json(await h.call(B.key, 'GET', '/v1/matches'))).items[0].matchId;
    expect((await json(await h.call(B.key, 'GET', `/v1/matches/${matchId}`))).counterpart.contact.name).toBe(
      WITHDRAWING[0],
    );

    const withdrawn = await h.call(A.key, 'POST', `/v1/signals/${placed.signal.id}/withdraw`, {
      body: { reason: 'ended' },
    });
    expect(withdrawn.status).toBe(200);

    const one = await h.call(B.key, 'GET', `/v1/matches/${matchId}`);
    const list = await h.call(B.key, 'GET', '/v1/matches');
    const followUp = await h.call(B.key, 'POST', `/v1/matches/${matchId}/follow-up`, {
      body: { outcome: 'no_contact_needed' },
    });
    expect(followUp.status).toBe(200);
    const texts = [await one.text(), await list.text(), await followUp.text()];
    expect(JSON.parse(texts[0]!)).toMatchObject({
      status: 'ended',
      underObjection: false,
      counterpart: { organisationName: 'Jeugdzorg Rijnmond', contact: null },
    });
    expect(JSON.parse(texts[1]!).items.map((e: { type: string }) => e.type)).toEqual([
      'match.created',
      'match.ended',
    ]);
    expect(JSON.parse(texts[2]!)).toMatchObject({
      counterpart: { contact: null },
      followUp: { mine: { outcome: 'no_contact_needed' } },
    });
    for (const t of texts) for (const x of WITHDRAWING) expect(t).not.toContain(x);

    const own = await json(await h.call(A.key, 'GET', `/v1/matches/${matchId}`));
    expect(own).toMatchObject({ status: 'ended', counterpart: { contact: { name: 'A. Jansen' } } });
  });
});
