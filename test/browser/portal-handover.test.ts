// Handing one signal over in Chromium against the real match server and pseudonym service
// (docs/portal.md "Handing one signal over"): Kees places for a child Piet already signalled,
// is told a colleague holds it and asks the coordinator to hand it over; Cor sees the request
// in My organisation, hands the one signal over through the transfer's confirm step, and Kees
// then holds it. A second request is declined in English, and Kees sees the decline on My
// signals (when he asked, when it was declined, what he can do; nothing of the signal). axe-core
// on every new state in Dutch and English; the typed BSNs are in no URL, no request but the pseudonym service's, no
// browser storage and no console line, and Kees's ask carries only the placement's requestId.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, randomBsn } from '../support/e2e-world.js';
import { browserSkipReason, expectNoAxeViolations, kept, watchPage } from './browser-support.js';
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

describe.skipIf(skip !== undefined)('portal: handing one signal over', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let A: Org;
  let piet: PersonBrowser;
  let kees: PersonBrowser;
  let cor: PersonBrowser;
  const ids = { piet: '', kees: '' };
  const bsns = [randomBsn(), randomBsn(), randomBsn()];
  const consoles: string[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, held to the assertions below.
  const read = (path: string) => world.read(A.signingKey, path) as Promise<any>;
  const asks = () =>
    kees.requests.filter(
      (r) => r.method === 'POST' && new URL(r.url).pathname === '/v1/signals/handover-requests',
    );

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    ({ A } = started);
    const p = await world.inviteNamed(A, 'Piet Bakker', ['professional']);
    const k = await world.inviteNamed(A, 'Kees Visser', ['professional']);
    const c = await world.inviteNamed(A, 'Cor Smit', ['organisation_coordinator']);
    ids.piet = p.personId;
    ids.kees = k.personId;
    piet = await signedInPerson(world, started.browser, p.code);
    kees = await signedInPerson(world, started.browser, k.code);
    cor = await signedInPerson(world, started.browser, c.code);
    for (const who of [kees, cor]) {
      const watched = watchPage(who.page);
      who.page.on('close', () => consoles.push(...watched.problems));
      who.page.on('console', (m) => consoles.push(m.text()));
    }
  }, 240_000);
  afterAll(() => stopTwoOrganisations(world, started));

  /** Piet places for `bsn`; Kees places too and is told a colleague holds it. */
  async function refused(bsn: string): Promise<void> {
    await placeSignal(world, piet, bsn, 'Piet Bakker');
    await fillPlacement(world, kees, { bsn, name: 'Kees Visser' });
    await kees.page.getByRole('button', { name: 'Versturen' }).click();
    await kees.page.getByText('Uw organisatie heeft al een actief signaal voor deze persoon').waitFor();
  }

  it('Kees asks, Cor hands the one signal over, and Kees then holds it', async () => {
    await refused(bsns[0]!);
    const page = kees.page;
    await expectNoAxeViolations(page, 'the colleague answer with the ask');
    await page
      .getByRole('button', { name: 'Vraag uw coördinator om dit signaal aan u over te dragen' })
      .click();
    await page.getByText('Uw vraag is naar de coördinator van uw organisatie gestuurd.').waitFor();
    await expectNoAxeViolations(page, 'the ask sent');
    // Only the placement's requestId went: no BSN, no signal id (the page never had one).
    const [sent] = asks();
    expect(Object.keys(JSON.parse(sent!.body.toString()))).toEqual(['requestId']);
    const [pietSignal] = (await read(`/v1/signals?status=active&personId=${ids.piet}`)).items;
    expect(sent!.body.toString()).not.toContain(pietSignal.id);

    const c = cor.page;
    // From another screen, left for good: the coordinator lands on My organisation, and the
    // list is read when the screen opens.
    await c.goto(`${world.origin}/portal/#/devices`);
    await c.locator('#handover-title').waitFor({ state: 'detached' });
    await c.goto(`${world.origin}/portal/#/organisation`);
    await c.getByRole('heading', { name: 'Verzoeken om een signaal over te nemen' }).waitFor();
    await c.getByText('Kees Visser vraagt om een signaal van Piet Bakker').waitFor();
    await expectNoAxeViolations(c, 'My organisation with a request');
    await c.getByRole('button', { name: 'Overdragen aan Kees Visser' }).click();
    // The fields opened: the focus is on the first of them.
    await c.waitForFunction(() => document.activeElement?.id === 'handover-role');
    await c.locator('#handover-role').fill('jeugdconsulent');
    await c.getByRole('button', { name: 'Verder' }).click();
    const dialog = c.getByRole('dialog');
    await dialog.getByText('1 actief signaal van Piet Bakker gaat naar Kees Visser.').waitFor();
    await expectNoAxeViolations(c, 'the handover confirm step');
    await dialog.getByRole('button', { name: 'Ja, overdragen' }).click();
    await c.getByText('Het signaal is overgedragen aan Kees Visser.').waitFor();
    await c.getByText('Er zijn geen verzoeken.').waitFor();
    // The server's state: the one signal is Kees's now, with his contact; the request is gone.
    const held = (await read(`/v1/signals?status=active&personId=${ids.kees}`)).items;
    expect(held.map((s: { id: string }) => s.id)).toEqual([pietSignal.id]);
    expect(held[0].contact).toMatchObject({ name: 'Kees Visser', role: 'jeugdconsulent' });
    expect((await read('/v1/signals/handover-requests')).items).toEqual([]);
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.goto(`${world.origin}/portal/#/signals`);
    await page.locator('table').first().waitFor();
    expect(await page.getByText('U hebt geen actieve signalen.').count()).toBe(0);
  }, 240_000);

  it('Kees links the handed-over signal to his client: another person’s BSN keeps nothing and places nothing, his own links it', async () => {
    const page = kees.page;
    const [held] = (await read(`/v1/signals?status=active&personId=${ids.kees}`)).items;
    // A BSN a colleague holds a signal for: another person, said plainly; nothing kept, nothing made.
    await placeSignal(world, piet, bsns[2]!, 'Piet Bakker');
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.goto(`${world.origin}/portal/#/signals`);
    await page.getByText('(geen kenmerk in deze browser)').waitFor();
    await page.getByRole('button', { name: /^Koppelen aan cliënt: signaal in rij 1/ }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('link-title');
    await expectNoAxeViolations(page, 'the link form');
    await page.locator('#link-bsn').fill(bsns[2]!);
    await page.locator('#link-reference').fill('Q-9');
    await page.getByRole('button', { name: 'Koppelen', exact: true }).click();
    const other = page.getByText(/^Dit BSN hoort bij een andere persoon dan signaal in rij 1/);
    await other.waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toMatch(/andere persoon/);
    await page.getByText('(geen kenmerk in deze browser)').waitFor();
    expect(await kept(page)).not.toContain('Q-9');
    expect((await read(`/v1/signals?status=active&personId=${ids.kees}`)).items).toHaveLength(1);
    // A BSN nobody in the organisation signalled: the link is a look-up (existingOnly), answered
    // 404, so nothing is placed for that person (docs/api.md "POST /v1/signals — place a signal").
    const signalsBefore = (await read('/v1/signals?status=active')).items.length;
    await page.getByRole('button', { name: /^Koppelen aan cliënt: signaal in rij 1/ }).click();
    await page.locator('#link-bsn').fill(randomBsn());
    const answered = page.waitForResponse(
      (r) => r.url().endsWith('/v1/signals') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Koppelen', exact: true }).click();
    expect((await answered).status()).toBe(404);
    await other.waitFor();
    expect((await read('/v1/signals?status=active')).items).toHaveLength(signalsBefore);
    // His own client's BSN: the link is kept here, and the lookup by BSN finds it.
    await page.getByRole('button', { name: /^Koppelen aan cliënt: signaal in rij 1/ }).click();
    await page.locator('#link-bsn').fill(bsns[0]!);
    await page.locator('#link-reference').fill('Q-9');
    await page.getByRole('button', { name: 'Koppelen', exact: true }).click();
    await page.getByText('Gekoppeld: Q-9. U vindt dit signaal nu ook met het BSN.').waitFor();
    await expectNoAxeViolations(page, 'the signal linked');
    expect(await page.getByRole('button', { name: /^Koppelen aan cliënt/ }).count()).toBe(0);
    await page.locator('#lookup-bsn').fill(bsns[0]!);
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.getByText('Gevonden: Q-9').waitFor();
    // The server's state: still the one signal, Kees's, unchanged.
    const after = (await read(`/v1/signals?status=active&personId=${ids.kees}`)).items;
    expect(after).toEqual([held]);
  }, 240_000);

  it('in English: Kees asks again for another child and Cor declines; axe on each state', async () => {
    await refused(bsns[1]!);
    const page = kees.page;
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('button', { name: 'Ask your coordinator to hand this signal over to you' }).click();
    await page.getByText('Your question has been sent to your organisation’s coordinator.').waitFor();
    await expectNoAxeViolations(page, 'the ask sent, in English');
    const c = cor.page;
    await c.goto(`${world.origin}/portal/#/devices`);
    await c.locator('#handover-title').waitFor({ state: 'detached' });
    await c.goto(`${world.origin}/portal/#/organisation`);
    await c.getByRole('button', { name: 'English', exact: true }).click();
    await c.getByRole('heading', { name: 'Requests to take over a signal' }).waitFor();
    await c.getByText('Kees Visser asks for a signal held by Piet Bakker').waitFor();
    await expectNoAxeViolations(c, 'My organisation with a request, in English');
    await c.getByRole('button', { name: 'Hand over to Kees Visser' }).click();
    await c.locator('#handover-role').waitFor();
    await expectNoAxeViolations(c, 'the handover fields, in English');
    await c.getByRole('button', { name: 'Decline' }).click();
    await c
      .getByText(
        'You declined the request of Kees Visser. Kees Visser sees that under My signals, without the signal.',
      )
      .waitFor();
    await c.getByText('There are no requests.').waitFor();
    expect((await read('/v1/signals/handover-requests')).items).toEqual([]);
    // Piet still holds the second child's signal (and the third's, from the link above).
    expect((await read(`/v1/signals?status=active&personId=${ids.piet}`)).items).toHaveLength(2);
  }, 240_000);

  it('Kees sees the decline on My signals, in English and Dutch: when he asked, when, what next; nothing of the signal', async () => {
    const page = kees.page;
    await page.goto(`${world.origin}/portal/#/devices`);
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/signals/handover-requests/declined'));
    await page.goto(`${world.origin}/portal/#/signals`);
    const body = (await (await answered).json()) as { items: { requestedAt: string; declinedAt: string }[] };
    // One decline (the first request was handed over, not declined), with its two times only.
    expect(body.items).toHaveLength(1);
    expect(Object.keys(body.items[0]!).sort()).toEqual(['declinedAt', 'requestedAt']);
    const section = page.locator('section[aria-labelledby="declines-title"]');
    await section.getByRole('heading', { name: 'Declined requests for a signal' }).waitFor();
    await section
      .getByText(/^Your request of .+ was declined on .+ by your organisation’s coordinator\.$/)
      .waitFor();
    await section.getByText('Call or e-mail your organisation’s coordinator.', { exact: false }).waitFor();
    await expectNoAxeViolations(page, 'My signals with a declined request, in English');
    await page.getByRole('button', { name: 'Nederlands', exact: true }).click();
    await section.getByRole('heading', { name: 'Afgewezen vragen om een signaal' }).waitFor();
    await section
      .getByText(/^Uw vraag van .+ is afgewezen op .+ door de coördinator van uw organisatie\.$/)
      .waitFor();
    await section.getByText('Bel of mail de coördinator van uw organisatie.', { exact: false }).waitFor();
    await expectNoAxeViolations(page, 'My signals with a declined request');
    // Nothing of the signal: not its id, its holder or its contact.
    const [pietSignal] = (await read(`/v1/signals?status=active&personId=${ids.piet}`)).items;
    const shown = (await section.textContent()) ?? '';
    expect(shown).not.toContain('Piet');
    expect(JSON.stringify(body)).not.toContain(pietSignal.id);
    // Piet, who asked nothing, sees no such section.
    await piet.page.goto(`${world.origin}/portal/#/devices`);
    const none = piet.page.waitForResponse((r) => r.url().endsWith('/v1/signals/handover-requests/declined'));
    await piet.page.goto(`${world.origin}/portal/#/signals`);
    expect(((await (await none).json()) as { items: unknown[] }).items).toEqual([]);
    await piet.page.locator('#lookup-title').waitFor();
    expect(await piet.page.locator('#declines-title').count()).toBe(0);
  }, 240_000);

  it('no typed BSN in a URL, a request to the match server, the browsers’ storage or a console line', async () => {
    for (const who of [kees, cor]) {
      const store = await kept(who.page);
      const sentToServer = who.requests
        .filter((r) => r.url.startsWith(world.origin))
        .map((r) => `${r.url}\n${r.body.toString('latin1')}`)
        .join('\n');
      for (const bsn of bsns) {
        expect(store).not.toContain(bsn);
        expect(sentToServer).not.toContain(bsn);
        expect(consoles.join('\n')).not.toContain(bsn);
      }
    }
    expect(asks()).toHaveLength(2);
  }, 60_000);
});
