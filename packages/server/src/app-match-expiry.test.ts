// A match whose signal has passed its expiresAt, through the real app before the retention
// job has run (docs/privacy.md §4 "Retention", docs/engine.md "The life of a signal"): the
// counterpart's reads show it ended and carry no contact detail of the expired side, its
// actions are refused 409 as on an ended match, and /metrics counts it ended.

import { afterAll, describe, expect, it } from 'vitest';
import { BSN_A, json, keepClearOfBoundary, makeHarnessWithThreeOrganisations } from './testing/harness.js';

const { h, A, B } = await makeHarnessWithThreeOrganisations();
afterAll(async () => h.close());

const DAY_MS = 86_400_000;
/** A's contact (h.placement derives the e-mail address from the name). */
const EXPIRING = ['Ex Piring', 'expiring@example.nl'];

const gauge = (text: string, name: string, status: string) =>
  Number(new RegExp(`^${name}\\{status="${status}"\\} (\\d+)$`, 'm').exec(text)?.[1]);

/**
 * The signal and match gauges [signals active, inactive, matches active, ended] once they
 * equal `expected`, or as they are after 500 event-loop turns: the cache refreshes in the
 * background once a minute old, counting in pieces with turns between them.
 */
async function gaugesOnceRefreshed(expected: number[]): Promise<number[]> {
  h.clock.advance(60_000);
  let values: number[] = [];
  for (let turn = 0; turn < 500; turn++) {
    const text = await (await h.scrape()).text();
    values = [
      gauge(text, 'sluis_signals', 'active'),
      gauge(text, 'sluis_signals', 'inactive'),
      gauge(text, 'sluis_matches', 'active'),
      gauge(text, 'sluis_matches', 'ended'),
    ];
    if (values.every((v, i) => v === expected[i])) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return values;
}

describe('a match whose signal expired, before the retention job has run', () => {
  let matchId: string;

  it('is active with the contact details until the expiresAt', async () => {
    // The earliest end date: tomorrow (it expires at the end of that day). Still tomorrow when the
    // server reads it: the harness clock (wall time) is moved over midnight when it is less than a
    // minute away (test/support/clock-boundary.ts).
    keepClearOfBoundary(h, DAY_MS, 60_000);
    const tomorrow = new Date(h.clock.now() + DAY_MS).toISOString().slice(0, 10);
    const placed = await h.call(A.key, 'POST', '/v1/signals', {
      body: h.placement(BSN_A, EXPIRING[0]!, { endDate: tomorrow }),
    });
    expect(placed.status).toBe(201);
    await h.call(B.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'A. Jansen') });
    const inbox = await json(await h.call(B.key, 'GET', '/v1/matches'));
    matchId = inbox.items[0].matchId;
    const seen = await json(await h.call(B.key, 'GET', `/v1/matches/${matchId}`));
    expect(seen.status).toBe('active');
    expect(seen.counterpart.contact.name).toBe(EXPIRING[0]);
    expect(await gaugesOnceRefreshed([2, 0, 1, 0])).toEqual([2, 0, 1, 0]);
  });

  it('reads ended with no contact detail of the expired side; regie and agreements are refused 409', async () => {
    h.clock.advance(2 * DAY_MS);
    const one = await h.call(B.key, 'GET', `/v1/matches/${matchId}`);
    const list = await h.call(B.key, 'GET', '/v1/matches');
    const [oneText, listText] = [await one.text(), await list.text()];
    expect(JSON.parse(oneText)).toMatchObject({ status: 'ended', counterpart: { contact: null } });
    expect(JSON.parse(listText).items).toMatchObject([
      { type: 'match.created', match: { status: 'ended', counterpart: { contact: null } } },
    ]);
    for (const t of [oneText, listText]) for (const x of EXPIRING) expect(t).not.toContain(x);
    const regie = await h.call(B.key, 'POST', `/v1/matches/${matchId}/regie`, {
      body: { action: 'propose', for: 'me' },
    });
    expect(regie.status).toBe(409);
    expect((await json(regie)).code).toBe('conflict');
    const agreement = await h.call(B.key, 'POST', `/v1/matches/${matchId}/agreements`, {
      body: {
        owner: 'me',
        actionKind: 'home_visit',
        informationCategory: 'housing',
        purpose: 'prevent_eviction',
        dueDate: new Date(h.clock.now() + 30 * DAY_MS).toISOString().slice(0, 10),
      },
    });
    expect(agreement.status).toBe(409);
    expect(await gaugesOnceRefreshed([1, 1, 0, 1])).toEqual([1, 1, 0, 1]);
  });

  it('reads the same once retention has recorded the expiry', async () => {
    const before = await (await h.call(B.key, 'GET', `/v1/matches/${matchId}`)).text();
    const run = await h.call(h.admin, 'POST', '/v1/admin/retention/run', { body: {} });
    expect(run.status).toBe(200);
    expect((await json(run)).expired).toBe(1);
    expect(await (await h.call(B.key, 'GET', `/v1/matches/${matchId}`)).text()).toBe(before);
    expect(await gaugesOnceRefreshed([1, 1, 0, 1])).toEqual([1, 1, 0, 1]);
  });
});
