// The portal's remaining actions driven in Chromium against the real match server and
// pseudonym service (docs/portal.md "Tests"), each followed by a look at the server's state
// through the API with the organisation's or the municipality's own key — never the DOM
// alone: the session kept across a reload and cleared at sign-out; regie proposed and
// accepted; the follow-up outcomes; consent; a process agreement; a colleague's second
// placement for the same child told plainly that a colleague holds it; a leaver's signals
// moved to a professional colleague, picked by the person who placed them (not by contact
// name), the colleague told of the matches inherited; the match
// coordinator's overview with filters and paging; and a device removed by the organisation
// coordinator, after which the open page is refused and its kept session deleted.

import type { SigningKey } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Org, randomBsn } from '../support/e2e-world.js';
import { SERVER_WAIT } from '../support/server-wait.js';
import { browserSkipReason } from './browser-support.js';
import {
  fillContact,
  keptSession,
  openMatch,
  type PersonBrowser,
  PortalWorld,
  placeSignal,
  signedInPerson,
  startTwoOrganisations,
  stopTwoOrganisations,
  type TwoOrganisations,
  waitUntilForgotten,
} from './portal-world.js';

const skip = browserSkipReason();

describe.skipIf(skip !== undefined)('portal: every action reaches the server', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let A: Org;
  let B: Org;
  let admin: SigningKey;
  let anna: PersonBrowser; // professional, A; places with a contact name other than her own
  let bert: PersonBrowser; // professional, B
  let cor: PersonBrowser; // organisation coordinator, A
  let dana: PersonBrowser; // professional, A; gets Anna's signal by a transfer
  let mia: PersonBrowser; // match coordinator, municipality
  const ids = { anna: '', dana: '' };
  const child = randomBsn();
  let annaMatch = '';
  let bertMatch = '';
  let annaSignal = '';

  const api = (key: SigningKey, path: string) => world.read(key, path);

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    const { browser } = started;
    ({ A, B, admin } = started);
    const a = await world.inviteNamed(A, 'Anna Jansen', ['professional']);
    const b = await world.inviteNamed(B, 'Bert de Vries', ['professional']);
    const c = await world.inviteNamed(A, 'Cor Smit', ['organisation_coordinator']);
    const d = await world.inviteNamed(A, 'Dana Dekker', ['professional']);
    ids.anna = a.personId;
    ids.dana = d.personId;
    const m = await world.municipalityPerson(admin, 'Mia Regisseur', ['match_coordinator']);
    // 21 more matches between two other organisations, placed by their own systems with
    // the SDK, so the overview has a second page (20 a page).
    const X = await world.organisation('School West', 'school', ['--budget', '100']);
    const Y = await world.organisation('Huisarts Zuid', 'general_practice', ['--budget', '100']);
    const many = Array.from({ length: 21 }, () => world.bsn());
    for (const o of [X, Y]) {
      const r = await o.client.placeSignals(
        many.map((bsn) => ({ bsn, contact: world.contact(), informed: { status: 'not_yet' as const } })),
      );
      expect(r.every((x) => x.ok)).toBe(true);
    }
    anna = await signedInPerson(world, browser, a.code);
    bert = await signedInPerson(world, browser, b.code);
    cor = await signedInPerson(world, browser, c.code);
    dana = await signedInPerson(world, browser, d.code);
    mia = await signedInPerson(world, browser, m.code);
  }, 240_000);
  afterAll(() => stopTwoOrganisations(world, started));

  it('keeps the session across a reload (key still non-extractable), places, and signs out for good', async () => {
    const page = anna.page;
    const kept = await keptSession(page);
    expect(kept?.extractable).toBe(false);
    await page.reload();
    await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
    await placeSignal(world, anna, child, 'A. Jansen');
    // The signal is at the server, placed by Anna (the filter by placing person).
    const mine = await api(A.signingKey, `/v1/signals?status=active&personId=${ids.anna}`);
    expect(mine.items.map((s: { contact: { name: string } }) => s.contact.name)).toEqual(['A. Jansen']);
    annaSignal = mine.items[0].id;
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await waitUntilForgotten(page);
    await page.reload();
    await page.goto(`${world.origin}/portal/#/signals`);
    await page.getByRole('button', { name: 'Inloggen met passkey' }).waitFor();
    expect(await page.getByRole('button', { name: 'Uitloggen' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Inloggen met passkey' }).click();
    await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
    const again = await keptSession(page);
    expect(again?.sessionId).not.toBe(kept?.sessionId);
  }, 120_000);

  it('regie: Anna holds it (first signaller), Bert proposes himself, Anna accepts, Bert hands it back', async () => {
    await placeSignal(world, bert, child, 'Bert de Vries');
    annaMatch = await openMatch(world, anna, 'Wijkteam Noord');
    bertMatch = await openMatch(world, bert, 'Jeugdzorg Oost');
    const holderSeenByA = async () => (await api(A.signingKey, `/v1/matches/${annaMatch}`)).regie.holder;
    expect(await holderSeenByA()).toBe('me');
    await bert.page.getByText('Regie ligt bij: de andere professional.').waitFor();
    await bert.page.getByRole('button', { name: 'Voorstellen dat ik de regie neem' }).click();
    await bert.page.getByText('Uw voorstel is verstuurd.', { exact: false }).waitFor();
    expect((await api(B.signingKey, `/v1/matches/${bertMatch}`)).regie.proposal).toMatchObject({
      by: 'me',
      for: 'me',
    });
    await anna.page.reload();
    await anna.page.getByRole('button', { name: 'Voorstel aannemen' }).click();
    await anna.page.getByText('Regie ligt bij: de andere professional.').waitFor();
    expect(await holderSeenByA()).toBe('counterpart');
    await bert.page.reload();
    await bert.page.getByText('Regie ligt bij: u.').waitFor();
    await bert.page.getByRole('button', { name: 'Regie overdragen' }).click();
    // Handing over asks first (docs/portal.md "Confirming").
    await bert.page.getByRole('dialog').getByRole('button', { name: 'Ja, regie overdragen' }).click();
    await bert.page.getByText('Regie ligt bij: de andere professional.').waitFor();
    expect(await holderSeenByA()).toBe('me');
  }, 60_000);

  it('follow-up outcomes, consent and a process agreement are recorded at the server', async () => {
    const page = anna.page;
    await page.getByRole('button', { name: 'Contact gelegd' }).click();
    await page.getByText('U hebt vastgelegd: Contact gelegd.').waitFor();
    await bert.page.getByRole('button', { name: 'Al in contact' }).click();
    await bert.page.getByText('U hebt vastgelegd: Al in contact.').waitFor();
    await bert.page.getByRole('button', { name: 'Cliënt weigert' }).click();
    await bert.page.getByText('U hebt vastgelegd: Cliënt weigert.').waitFor();
    const seenByA = await api(A.signingKey, `/v1/matches/${annaMatch}`);
    expect(seenByA.followUp.mine.outcome).toBe('contact_made');
    expect(seenByA.followUp.counterpart.outcome).toBe('client_refused');

    await page.getByLabel('Overleg met de betrokken professionals').check();
    await page.getByLabel('Datum van de toestemming').fill(new Date().toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Toestemming vastleggen' }).click();
    const consent = await eventually(async () => {
      const c = (await api(A.signingKey, `/v1/signals/${annaSignal}/consent`)).consent;
      return c === null ? undefined : c;
    });
    expect(consent).toMatchObject({ status: 'given', scopes: ['team_meeting'] });

    const vocabulary = await api(A.signingKey, '/v1/agreements/vocabulary');
    await page.getByLabel('Wie doet het?').selectOption('counterpart');
    await page.getByLabel('Soort actie').selectOption(vocabulary.actionKinds[0]);
    await page.getByLabel('Soort informatie').selectOption(vocabulary.informationCategories[0]);
    await page.getByLabel('Doel').selectOption(vocabulary.purposes[0]);
    const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Uiterlijk op').fill(due);
    await page.getByRole('button', { name: 'Afspraak toevoegen' }).click();
    // The code in words (the default vocabulary's first action kind).
    await page.getByText('Contact opnemen met de cliënt · ').waitFor();
    const agreements = await api(B.signingKey, `/v1/matches/${bertMatch}/agreements`);
    expect(agreements.items).toEqual([
      expect.objectContaining({
        owner: 'me',
        actionKind: vocabulary.actionKinds[0],
        informationCategory: vocabulary.informationCategories[0],
        purpose: vocabulary.purposes[0],
        dueDate: due,
      }),
    ]);
  }, 60_000);

  it('Dana places for Anna’s child: told plainly that a colleague holds it and to ask the coordinator; nothing kept', async () => {
    const page = dana.page;
    // Dana visits her (empty) match list after Anna's match was made, before the transfer
    // below (from another screen, so the list is opened anew and the visit recorded).
    await page.goto(`${world.origin}/portal/#/signals`);
    await page.getByText('U hebt geen actieve signalen.').waitFor();
    await page.goto(`${world.origin}/portal/#/matches`);
    await page.getByText('U hebt nog geen matches.').waitFor();
    await page.goto(`${world.origin}/portal/#/signals/new`);
    await page.getByLabel('BSN', { exact: true }).fill(child);
    await fillContact(page, { name: 'Dana Dekker', phone: '+31 10 555 4321' });
    await page.getByLabel('Uw eigen kenmerk').fill('DANA-1');
    await page.getByRole('button', { name: 'Controleren' }).click();
    await page.getByRole('button', { name: 'Versturen' }).click();
    const told = page.getByText(
      'Uw organisatie heeft al een actief signaal voor deze persoon, van een collega',
    );
    await told.waitFor();
    expect(await told.textContent()).toContain('Dat kan de coördinator van uw organisatie doen');
    // Nothing of the colleague's signal on the page, and no note of it in this browser.
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain('A. Jansen');
    expect(text).not.toContain(annaSignal);
    const kept = await page.evaluate(() => JSON.stringify(globalThis.localStorage));
    expect(kept).not.toContain(annaSignal);
    expect(kept).not.toContain('DANA-1');
    expect((await api(A.signingKey, `/v1/signals?status=active&personId=${ids.dana}`)).items).toEqual([]);
  }, 60_000);

  it('the coordinator moves Anna’s signals (placed as “A. Jansen”) to Dana, who becomes their placing person; the counterpart sees Dana', async () => {
    const page = cor.page;
    await page.goto(`${world.origin}/portal/#/organisation`);
    // Only professionals can hold a signal: the coordinator is no choice. The choices come with
    // the people list, read after the screen opens: wait for Dana before looking for Cor.
    const choices = () => page.getByLabel('Naar (collega)').locator('option').allTextContents();
    await expect
      .poll(async () => (await choices()).some((c) => c.includes('Dana Dekker')), { timeout: SERVER_WAIT })
      .toBe(true);
    expect((await choices()).some((c) => c.includes('Cor Smit'))).toBe(false);
    await page.getByLabel('Van (vertrekkende collega)').selectOption(ids.anna);
    await page.getByLabel('Naar (collega)').selectOption(ids.dana);
    await page.locator('#transfer-role').fill('jeugdconsulent');
    await page.getByRole('button', { name: 'Overdragen' }).click();
    await page.getByRole('button', { name: 'Ja, overdragen' }).click();
    await page.getByText('1 signaal is overgedragen aan Dana Dekker.').waitFor();
    expect((await api(A.signingKey, `/v1/signals?status=active&personId=${ids.anna}`)).items).toEqual([]);
    // Dana is now the placing person (her match notices, a later transfer).
    const danas = await api(A.signingKey, `/v1/signals?status=active&personId=${ids.dana}`);
    expect(danas.items.map((s: { id: string }) => s.id)).toEqual([annaSignal]);
    expect((await api(A.signingKey, `/v1/signals/${annaSignal}`)).contact).toMatchObject({
      name: 'Dana Dekker',
      email: 'dana@zorg.example.nl',
    });
    expect((await api(B.signingKey, `/v1/matches/${bertMatch}`)).counterpart.contact.name).toBe(
      'Dana Dekker',
    );
    // Nothing more to move: the page says so rather than sending an empty transfer (the form
    // was emptied after the transfer, so it is filled in again).
    await page.getByLabel('Van (vertrekkende collega)').selectOption(ids.anna);
    await page.getByLabel('Naar (collega)').selectOption(ids.dana);
    await page.locator('#transfer-role').fill('jeugdconsulent');
    await page.getByRole('button', { name: 'Overdragen' }).click();
    await page.getByText('Anna Jansen heeft geen actieve signalen.').waitFor();
    // Dana is told of the match she inherited, though it is older than her last visit.
    await dana.page.goto(`${world.origin}/portal/#/signals`);
    await dana.page
      .locator('#new-matches')
      .getByText('Er is 1 nieuwe match sinds uw laatste bezoek.')
      .waitFor();
    // Later screens keep the notice without reading the whole inbox again: only the events after
    // the last one read, with its cursor (docs/portal.md "Screens"). (My signals and Matches
    // read the whole inbox themselves, for the notes kept in this browser.)
    const inboxReads: string[] = [];
    const onRequest = (r: { url(): string }) => {
      const url = new URL(r.url());
      if (url.pathname === '/v1/matches') inboxReads.push(url.search);
    };
    dana.page.on('request', onRequest);
    const menu = dana.page.getByRole('navigation', { name: 'Hoofdmenu' });
    for (const screen of ['Mijn apparaten', 'Signaal afgeven', 'Mijn apparaten']) {
      await menu.getByRole('link', { name: screen, exact: true }).click();
      await dana.page.getByRole('heading', { level: 1, name: screen }).waitFor();
      await dana.page
        .locator('#new-matches')
        .getByText('Er is 1 nieuwe match sinds uw laatste bezoek.')
        .waitFor();
    }
    await eventually(async () => (inboxReads.length >= 3 ? true : undefined), 10_000, 'the inbox reads');
    expect(inboxReads).toHaveLength(3);
    dana.page.off('request', onRequest);
    for (const search of inboxReads) expect(new URLSearchParams(search).get('cursor')).toMatch(/^\d+$/);
    await dana.page.goto(`${world.origin}/portal/#/matches`);
    await dana.page.getByRole('link', { name: 'Wijkteam Noord' }).waitFor();
    expect(await dana.page.getByText('nieuw', { exact: true }).count()).toBe(1);
  }, 120_000);

  it('the match coordinator pages through the overview and filters it as the API does', async () => {
    const page = mia.page;
    const rows = () => page.locator('tbody tr').count();
    const all = await api(admin, '/v1/admin/follow-up?limit=500');
    expect(all.items.length).toBe(22);
    await page.goto(`${world.origin}/portal/#/follow-up`);
    await page.getByText('Matches, pagina 1').waitFor();
    expect(await rows()).toBe(20);
    await page.getByRole('button', { name: 'Volgende pagina' }).click();
    await page.getByText('Matches, pagina 2').waitFor();
    expect(await rows()).toBe(2);
    expect(await page.getByRole('button', { name: 'Volgende pagina' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Vorige pagina' }).click();
    await page.getByText('Matches, pagina 1').waitFor();
    await page.getByLabel('Opvolging', { exact: true }).selectOption('recorded');
    const recorded = await api(admin, '/v1/admin/follow-up?followUp=recorded');
    expect(recorded.items.length).toBe(1);
    await page.getByRole('cell', { name: /Jeugdzorg Oost: Contact gelegd/ }).waitFor();
    expect(await rows()).toBe(1);
    await page.getByLabel('Status', { exact: true }).selectOption('ended');
    await page.getByText('Geen matches met deze filters.').waitFor();
    expect((await api(admin, '/v1/admin/follow-up?followUp=recorded&status=ended')).items).toEqual([]);
  }, 60_000);

  it('a device removed by the coordinator: the open page is refused and its kept session deleted', async () => {
    const page = cor.page;
    await page.goto(`${world.origin}/portal/#/organisation`);
    await page.getByRole('button', { name: 'Apparaten van Anna Jansen' }).click();
    await page.getByRole('button', { name: 'testlaptop verwijderen' }).click();
    await page.getByRole('button', { name: 'Ja, testlaptop verwijderen' }).click();
    await page.getByText('Apparaat testlaptop is verwijderd.').waitFor();
    expect((await api(A.signingKey, `/v1/people/${ids.anna}/devices`)).devices).toEqual([]);
    expect(await keptSession(anna.page)).not.toBeNull();
    await anna.page.goto(`${world.origin}/portal/#/signals`);
    await anna.page.getByText('Uw sessie is beëindigd').waitFor();
    await waitUntilForgotten(anna.page);
    await anna.page.reload();
    await anna.page.getByRole('button', { name: 'Inloggen met passkey' }).waitFor();
    expect(await anna.page.getByRole('button', { name: 'Uitloggen' }).count()).toBe(0);
  }, 60_000);
});
