// The portal for the people who are not professionals (docs/portal.md "Screens"): the
// municipality's administrator lands on their own screen, a GDPR desk who is also auditor on the
// auditor's, with the GDPR desk's own screen in the menu; a screen not for one's
// role says so (and is titled so) instead of showing the sign-in under "Ingelogd als …"; the follow-up overview says after how many days
// a match is overdue, lets the coordinator change that number and filter on the recorded
// outcome; role names and texts for municipality staff; a colleague without devices, two
// passkeys of one name, and the opened device list taking the focus. Real server, Chromium,
// virtual authenticators; axe on the new screens in Dutch and English.

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Org } from '../support/e2e-world.js';
import { SERVER_WAIT } from '../support/server-wait.js';
import { browserSkipReason, expectNoAxeViolations, launch } from './browser-support.js';
import { enrolAndSignIn, type PersonBrowser, PortalWorld, signedInPerson } from './portal-world.js';

const skip = browserSkipReason();
const today = () => new Date().toISOString().slice(0, 10);

describe.skipIf(skip !== undefined)('portal: roles without a screen, screens not for one’s role', () => {
  const world = new PortalWorld();
  let browser: Browser;
  let A: Org;
  let administrator: PersonBrowser;
  let deskAndAuditor: PersonBrowser;
  let coordinator: PersonBrowser;
  let matchCoordinator: PersonBrowser;
  let professional: PersonBrowser;
  let professionalId = '';

  beforeAll(async () => {
    await world.startPortal();
    browser = await launch();
    A = await world.organisation('Jeugdteam Noord');
    const B = await world.organisation('Wijkteam Zuid', 'social_services');
    const admin = await world.adminKey();
    const c = await world.inviteNamed(A, 'Cor Coördinator', ['organisation_coordinator']);
    const p = await world.inviteNamed(A, 'Pim Professional', ['professional']);
    professionalId = p.personId;
    // A colleague invited but not yet enrolled: no devices.
    await world.inviteNamed(A, 'Nina Nieuw', ['professional']);
    const adm = await world.municipalityPerson(admin, 'Ada Beheer', ['administrator']);
    const desk = await world.municipalityPerson(admin, 'Gijs Loket', ['gdpr_desk', 'auditor']);
    const mc = await world.municipalityPerson(admin, 'Mia Opvolging', ['match_coordinator']);
    administrator = await signedInPerson(world, browser, adm.code);
    deskAndAuditor = await signedInPerson(world, browser, desk.code);
    coordinator = await signedInPerson(world, browser, c.code);
    matchCoordinator = await signedInPerson(world, browser, mc.code);
    professional = await signedInPerson(world, browser, p.code);
    // One match between the two organisations, nothing recorded.
    const bsn = world.bsn();
    const informed = { status: 'citizen' as const, date: today() };
    await A.client.placeSignal({ bsn, contact: world.contact(), informed });
    await B.client.placeSignal({ bsn, contact: world.contact(), informed });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await world.close();
  });

  it('lands the administrator on their own screen, and a GDPR desk who is also auditor on the auditor’s screen with the GDPR desk’s screen in the menu', async () => {
    const { page } = administrator;
    expect(page.url()).toBe(`${world.origin}/portal/#/municipality`);
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: SERVER_WAIT })
      .toBe('Gemeente: mensen en organisaties');
    await page.goto(`${world.origin}/portal/#/`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Welkom bij sluis');
    const main = page.getByRole('main');
    await main.getByText('U bent ingelogd. Kies in het menu wat u wilt doen.').waitFor();
    const text = await main.textContent();
    expect(text).not.toContain('Voor uw rol heeft dit portaal geen eigen scherm.');
    await expectNoAxeViolations(page, 'administrator start page nl');

    // A GDPR desk who is also auditor lands on the auditor's screen; the GDPR desk's own
    // screen is in the menu beside it, and the start page says "choose in the menu".
    const desk = deskAndAuditor.page;
    await expect
      .poll(() => desk.locator('h1').textContent(), { timeout: SERVER_WAIT })
      .toBe('Logboek en sleutels');
    const menu = desk.getByRole('navigation', { name: 'Hoofdmenu' });
    await menu.getByRole('link', { name: 'AVG-verzoeken' }).waitFor();
    await desk.getByRole('link', { name: 'sluis — samenwerken rond een gezin' }).click();
    await expect.poll(() => desk.locator('h1').textContent()).toBe('Welkom bij sluis');
    await desk.getByText('U bent ingelogd. Kies in het menu').waitFor();
    expect(await desk.getByRole('main').textContent()).not.toContain('sluis-server admin gdpr');
    await desk.getByRole('button', { name: 'English' }).click();
    await desk.getByText('You are signed in. Choose what to do in the menu.').waitFor();
    await desk
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'GDPR requests' })
      .waitFor();
    await expectNoAxeViolations(desk, 'GDPR desk and auditor start page en');
    await desk.getByRole('button', { name: 'Nederlands' }).click();
  });

  it('says a screen is not for one’s role, titles it so and links to the own start page', async () => {
    const { page } = coordinator;
    await page.goto(`${world.origin}/portal/#/follow-up`);
    await page.getByRole('heading', { name: 'Niet voor uw rol' }).waitFor();
    await expect.poll(() => page.title()).toBe('Niet voor uw rol · sluis — samenwerken rond een gezin');
    expect(await page.getByRole('button', { name: 'Inloggen met passkey' }).count()).toBe(0);
    await page.getByText('Dit scherm is niet voor uw rol.').waitFor();
    await expectNoAxeViolations(page, 'not for your role nl');
    await page.getByRole('link', { name: 'Naar uw startpagina' }).click();
    await page.getByRole('heading', { name: 'Mijn organisatie' }).waitFor();
    expect(page.url()).toBe(`${world.origin}/portal/#/organisation`);

    // The administrator's start page is their own screen.
    const adm = administrator.page;
    await adm.goto(`${world.origin}/portal/#/matches`);
    await adm.getByRole('heading', { name: 'Niet voor uw rol' }).waitFor();
    await adm.getByRole('button', { name: 'English' }).click();
    await adm.getByRole('heading', { name: 'Not for your role' }).waitFor();
    await expect.poll(() => adm.title()).toBe('Not for your role · sluis — working together around a family');
    await expectNoAxeViolations(adm, 'not for your role en');
    await adm.getByRole('link', { name: 'Go to your start page' }).click();
    await adm.getByRole('heading', { level: 1, name: 'Municipality: people and organisations' }).waitFor();
    await adm.getByRole('button', { name: 'Nederlands' }).click();
  });

  it('follow-up: says after how many days a match is overdue, changes that number and filters on outcome', async () => {
    const { page, requests } = matchCoordinator;
    const followUpQueries = () =>
      requests.filter((r) => r.url.includes('/v1/admin/follow-up')).map((r) => new URL(r.url).searchParams);
    // The landing page read the overview before the match was made. Another screen and back
    // again, the hash changed twice before the page handles the first change (as a quick Back
    // and Forward, or a slow computer, can): the overview is opened anew and read again.
    await page.getByRole('heading', { level: 1, name: 'Opvolging van matches' }).waitFor();
    const readBefore = followUpQueries().length;
    await page.evaluate(() => {
      globalThis.location.hash = '#/devices';
      globalThis.location.hash = '#/follow-up';
    });
    await page.getByRole('columnheader', { name: 'Te laat (na 14 dagen)' }).waitFor();
    expect(followUpQueries().length).toBe(readBefore + 1);
    expect(followUpQueries().at(-1)!.get('noContactAfterDays')).toBe('14');
    // One wording for "no outcome yet": the filter option and the table cell.
    expect(await page.getByLabel('Opvolging', { exact: true }).locator('option').allTextContents()).toContain(
      'nog niets vastgelegd',
    );
    expect(await page.getByRole('cell', { name: /nog niets vastgelegd/ }).count()).toBeGreaterThan(0);

    const asked = followUpQueries().length;
    await page.getByLabel('Te laat na (dagen)').fill('abc');
    await page.getByText('Vul een aantal dagen in van 0 tot 3650.').waitFor();
    expect(await page.getByLabel('Te laat na (dagen)').getAttribute('aria-invalid')).toBe('true');
    expect(followUpQueries()).toHaveLength(asked);
    await page.getByLabel('Te laat na (dagen)').fill('0');
    await page.getByRole('columnheader', { name: 'Te laat (na 0 dagen)' }).waitFor();
    expect(followUpQueries().at(-1)!.get('noContactAfterDays')).toBe('0');
    // The page shows the server's answer for that threshold.
    const admin = await world.adminKey();
    const server = await world.read(admin, '/v1/admin/follow-up?noContactAfterDays=0');
    const overdue = await page.locator('tbody tr td:nth-child(5)').allTextContents();
    expect(overdue).toEqual(server.items.map((i: { overdue: boolean }) => (i.overdue ? 'ja' : 'nee')));
    await expectNoAxeViolations(page, 'follow-up with filters nl');

    await page.getByLabel('Vastgelegde uitkomst').selectOption({ label: 'Contact gelegd' });
    await page.getByText('Geen matches met deze filters.').waitFor();
    const q = followUpQueries().at(-1)!;
    expect(q.get('outcome')).toBe('contact_made');
    expect(q.get('noContactAfterDays')).toBe('0');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Recorded outcome').waitFor();
    await page.getByLabel('Recorded outcome').selectOption('');
    await page.getByRole('columnheader', { name: 'Overdue (after 0 days)' }).waitFor();
    await expectNoAxeViolations(page, 'follow-up with filters en');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    // Two axe runs take most of this test's time: 4–7 s each on a crowded machine, 9–17 s in a
    // page throttled 6× (measured), which passed 30 s with the rest.
  }, 60_000);

  it('names the roles plainly and tells municipality staff where to ask', async () => {
    const { page } = coordinator;
    await page.goto(`${world.origin}/portal/#/organisation`);
    await page.getByRole('cell', { name: 'coördinator van de organisatie' }).waitFor();
    // The enrolment form is for someone not signed in (a signed-in person sees no form).
    const stranger = await world.person(browser);
    await stranger.page.goto(`${world.origin}/portal/#/enrol`);
    await stranger.page.getByText('of van de gemeente als u daar werkt').waitFor();
    await stranger.context.close();
  });

  it('says a colleague has no devices yet and moves the focus to the opened list', async () => {
    const { page } = coordinator;
    await page.goto(`${world.origin}/portal/#/organisation`);
    await page.getByRole('button', { name: 'Apparaten van Nina Nieuw' }).click();
    const none = page.getByText('Apparaten van Nina Nieuw: Nog geen apparaten.');
    await none.waitFor();
    await expect.poll(() => none.evaluate((e) => e === document.activeElement)).toBe(true);
    expect(await page.locator('table').count()).toBe(1);
    await page.getByRole('button', { name: 'Apparaten van Pim Professional' }).click();
    const list = page.getByRole('region', { name: 'Apparaten van Pim Professional' });
    await list.waitFor();
    await expect.poll(() => list.evaluate((e) => e === document.activeElement)).toBe(true);
    await expectNoAxeViolations(page, 'a colleague without devices, then with nl');
  });

  it('gives two passkeys of one name removal buttons that differ', async () => {
    // A second passkey named as the first, from another browser with a new invitation code.
    const other = await world.person(browser);
    await enrolAndSignIn(world, other, await world.code(A.signingKey, professionalId));
    await other.context.close();
    const { page } = professional;
    await page.goto(`${world.origin}/portal/#/signals`);
    await page.goto(`${world.origin}/portal/#/devices`);
    await expect
      .poll(() => page.getByRole('cell', { name: 'testlaptop', exact: true }).count(), {
        timeout: SERVER_WAIT,
      })
      .toBe(2);
    const names = await page.locator('tbody button').allTextContents();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^testlaptop in rij 1 \(aangemaakt .+\) verwijderen$/);
    expect(names[1]).toMatch(/^testlaptop in rij 2 \(aangemaakt .+\) verwijderen$/);
    await expectNoAxeViolations(page, 'two passkeys of one name nl');
  });
});
