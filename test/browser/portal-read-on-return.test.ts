// Lists read again when the person comes back to the page (docs/portal.md "Screens"), in
// Chromium against the real match server and pseudonym service: Cor's handover-request list on
// My organisation shows Kees's request made while the screen was open, and Kees's Matches
// screen, open while Cor hands Piet's signal over to him, then shows its match — each without a
// reload, when the page is shown again; so does Piet's My signals, open while his signal is
// handed away and back (the tab's visibility or the window's focus; Chromium
// without a screen changes neither by itself, so the test fires the browser's own events).

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, randomBsn } from '../support/e2e-world.js';
import { SERVER_WAIT } from '../support/server-wait.js';
import { browserSkipReason, expectNoModerateAxeViolations } from './browser-support.js';
import {
  fillPlacement,
  type PersonBrowser,
  PortalWorld,
  placeSignal,
  signedInPerson,
  startTwoOrganisations,
  stopTwoOrganisations,
  type TwoOrganisations,
} from './portal-world.js';

const skip = browserSkipReason();

/** The page shown again: what a person switching back to the tab or window makes the browser fire. */
function comeBack(page: Page, how: 'visibilitychange' | 'focus'): Promise<void> {
  return page.evaluate((type) => {
    if (type === 'focus') globalThis.dispatchEvent(new Event('focus'));
    else document.dispatchEvent(new Event('visibilitychange'));
  }, how);
}

describe.skipIf(skip !== undefined)('portal: lists read again when the page is shown again', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let A: Org;
  let piet: PersonBrowser;
  let kees: PersonBrowser;
  let cor: PersonBrowser;
  let bert: PersonBrowser;
  const bsn = randomBsn();
  const ids = { piet: '', kees: '' };
  const reads = (who: PersonBrowser, path: string) =>
    who.requests.filter((r) => r.method === 'GET' && new URL(r.url).pathname === path).length;

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    ({ A } = started);
    const p = await world.inviteNamed(A, 'Piet Bakker', ['professional']);
    const k = await world.inviteNamed(A, 'Kees Visser', ['professional']);
    ids.piet = p.personId;
    ids.kees = k.personId;
    piet = await signedInPerson(world, started.browser, p.code);
    kees = await signedInPerson(world, started.browser, k.code);
    cor = await signedInPerson(
      world,
      started.browser,
      (await world.inviteNamed(A, 'Cor Smit', ['organisation_coordinator'])).code,
    );
    bert = await signedInPerson(
      world,
      started.browser,
      (await world.inviteNamed(started.B, 'Bert Jong', ['professional'])).code,
    );
  }, 240_000);
  afterAll(() => stopTwoOrganisations(world, started));

  it('a request made while My organisation is open shows when Cor comes back; a handover shows on Kees’s Matches', async () => {
    // Piet's signal matches Bert's (another organisation).
    await placeSignal(world, piet, bsn, 'Piet Bakker');
    await placeSignal(world, bert, bsn, 'Bert Jong');

    const c = cor.page;
    await c.goto(`${world.origin}/portal/#/organisation`);
    await c.getByText('Er zijn geen verzoeken.').waitFor();
    const before = reads(cor, '/v1/signals/handover-requests');

    // Kees places for the same child, is told a colleague holds it, and asks.
    await fillPlacement(world, kees, { bsn, name: 'Kees Visser' });
    await kees.page.getByRole('button', { name: 'Versturen' }).click();
    await kees.page
      .getByRole('button', { name: 'Vraag uw coördinator om dit signaal aan u over te dragen' })
      .click();
    await kees.page.getByText('Uw vraag is naar de coördinator van uw organisatie gestuurd.').waitFor();

    // Nothing reads while nobody comes back: the open screen still shows no request.
    expect(reads(cor, '/v1/signals/handover-requests')).toBe(before);
    await comeBack(c, 'visibilitychange');
    await c.getByText('Kees Visser vraagt om een signaal van Piet Bakker').waitFor();
    expect(reads(cor, '/v1/signals/handover-requests')).toBe(before + 1);
    await expectNoModerateAxeViolations(c, 'My organisation, the request read again');

    // Kees has the match list open, empty, while Cor hands the signal over.
    const k = kees.page;
    await k.goto(`${world.origin}/portal/#/matches`);
    await k.getByText('U hebt nog geen matches.').waitFor();
    await c.getByRole('button', { name: 'Overdragen aan Kees Visser' }).click();
    await c.locator('#handover-role').fill('jeugdconsulent');
    await c.getByRole('button', { name: 'Verder' }).click();
    await c.getByRole('dialog').getByRole('button', { name: 'Ja, overdragen' }).click();
    await c.getByText('Het signaal is overgedragen aan Kees Visser.').waitFor();

    await comeBack(k, 'focus');
    await k.getByRole('link', { name: 'Wijkteam Noord' }).waitFor();
    expect(await k.getByText('U hebt nog geen matches.').count()).toBe(0);
    await expectNoModerateAxeViolations(k, 'Matches, read again after a handover');

    // Handed back to Piet (by the organisation's system here): Kees's open list loses it.
    const held = (await world.read(A.signingKey, `/v1/signals?status=active&personId=${ids.kees}`)) as {
      items: { id: string }[];
    };
    await world.signed(A.signingKey, 'POST', '/v1/signals/transfer', {
      signalIds: held.items.map((s) => s.id),
      contact: { name: 'Piet Bakker', role: 'jeugdconsulent', phone: '+31 10 555 1234' },
      personId: ids.piet,
    });
    await comeBack(k, 'visibilitychange');
    await k.getByText('U hebt nog geen matches.').waitFor();
    expect(await k.getByRole('link', { name: 'Wijkteam Noord' }).count()).toBe(0);
  }, 300_000);

  it('Piet’s My signals, open while his signal is handed away and back, shows it when he comes back', async () => {
    const p = piet.page;
    await p.goto(`${world.origin}/portal/#/signals`);
    const rows = p.getByRole('table').getByRole('row');
    await expect.poll(() => rows.count(), { timeout: SERVER_WAIT }).toBe(2); // the header and Piet's signal
    const held = (await world.read(A.signingKey, `/v1/signals?status=active&personId=${ids.piet}`)) as {
      items: { id: string }[];
    };
    const handTo = (personId: string) =>
      world.signed(A.signingKey, 'POST', '/v1/signals/transfer', {
        signalIds: held.items.map((s) => s.id),
        contact: { name: 'Kees Visser', role: 'jeugdconsulent', phone: '+31 10 555 1234' },
        personId,
      });
    await handTo(ids.kees);
    // Nothing reads while nobody comes back: the open list still shows the signal.
    expect(await rows.count()).toBe(2);
    await comeBack(p, 'visibilitychange');
    await p.getByText('U hebt geen actieve signalen.').waitFor();
    await expectNoModerateAxeViolations(p, 'My signals, read again after a handover away');
    await handTo(ids.piet);
    await comeBack(p, 'focus');
    await expect.poll(() => rows.count(), { timeout: SERVER_WAIT }).toBe(2);
    expect(await p.getByText('U hebt geen actieve signalen.').count()).toBe(0);
  }, 120_000);
});
