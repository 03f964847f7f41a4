// The municipality administrator's screen in Chromium against the real match server
// (docs/portal.md "The municipality's administrator"): the administrator lands on it and only
// that role sees it in the navigation; a municipality person added (faults named at their
// fields first), given an invitation code after the administrator's own passkey confirms it,
// and enrolled with it in a second browser; an organisation admitted with the public key it
// made itself (its key then signs), suspended and reinstated after a confirm step (the key
// refused, then accepted again); the organisation's first coordinator added with a code and
// enrolled, landing on My organisation; a municipality person removed. Each step is checked
// against the server's state with the admin key, the focus after each action, and axe-core at
// WCAG 2.2 AA in Dutch and English.

import { base64url, type SigningKey } from '@sluis/client-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { focused, focusedText } from '../support/focus.js';
import {
  browserSkipReason,
  expectNoAxeViolations,
  expectNoModerateAxeViolations,
  launch,
} from './browser-support.js';
import { type PersonBrowser, PortalWorld, signedInPerson } from './portal-world.js';
import { caseSigningKey } from '../support/case-keys.js';

const skip = browserSkipReason();

describe.skipIf(skip !== undefined)('portal: the municipality administrator’s screen', () => {
  const world = new PortalWorld();
  let browser: Browser;
  let ada: PersonBrowser; // administrator
  let admin: SigningKey;
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, held to the assertions below.
  const read = (path: string): Promise<any> => world.read(admin, path);
  const row = (page: Page, name: string) =>
    page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });

  beforeAll(async () => {
    await world.startPortal();
    browser = await launch();
    admin = await world.adminKey();
    const a = await world.municipalityPerson(admin, 'Ada Beheer', ['administrator']);
    ada = await signedInPerson(world, browser, a.code);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await world.close();
  });

  it('lands the administrator on the screen, which only that role finds in the navigation', async () => {
    const { page } = ada;
    expect(page.url()).toBe(`${world.origin}/portal/#/municipality`);
    await page.getByRole('heading', { level: 1, name: 'Gemeente: mensen en organisaties' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('link', { name: 'Gemeente: mensen en organisaties' })
      .waitFor();
    // The own row offers no invitation code and no removal, and says who does them.
    await row(page, 'Ada Beheer').getByText('Dit bent u.').waitFor();
    expect(await row(page, 'Ada Beheer').getByRole('button').count()).toBe(0);
    await expectNoAxeViolations(page, 'municipality screen nl');
    // Best practices too: each region's name is its own (a table's caption is not its section's heading).
    await expectNoModerateAxeViolations(page, 'municipality screen nl');
  }, 60_000);

  it('adds a municipality person (faults first), makes a code after the passkey confirms, and the person enrols with it', async () => {
    const { page } = ada;
    const form = page.locator('form[aria-labelledby=municipality-person-title]');
    await form.getByRole('button', { name: 'Toevoegen', exact: true }).click();
    await form.getByText('Vul de naam in.').waitFor();
    await form.getByText('Kies minstens één rol.').waitFor();
    await expect.poll(() => focused(page)).toBe('municipality-person-name');
    await expectNoAxeViolations(page, 'municipality add-person form with faults');
    await form.getByLabel('Naam', { exact: true }).fill('Gijs Loket');
    await form.getByLabel('E-mailadres (niet verplicht)').fill('gijs@gemeente.example.nl');
    await form.getByLabel('AVG-loket: handelt verzoeken van burgers af').check();
    await form.getByRole('button', { name: 'Toevoegen', exact: true }).click();
    await form.getByText('Gijs Loket is toegevoegd.', { exact: false }).waitFor();
    await expect.poll(() => focused(page)).toBe('status');
    const people = (await read('/v1/admin/people')).people as { id: string; displayName: string }[];
    const gijs = people.find((p) => p.displayName === 'Gijs Loket');
    expect(gijs).toMatchObject({
      email: 'gijs@gemeente.example.nl',
      roles: ['gdpr_desk'],
      organisationId: null,
    });
    await row(page, 'Gijs Loket').getByRole('cell', { name: 'AVG-loket' }).waitFor();

    await page.getByRole('button', { name: 'Uitnodigingscode voor Gijs Loket' }).click();
    const alert = page.locator('#municipality-person-invitation-code');
    await alert.waitFor();
    await expect.poll(() => focused(page)).toBe('municipality-person-invitation-code');
    await alert.getByText('Uitnodigingscode voor Gijs Loket:').waitFor();
    const code = (await alert.locator('code').textContent())!.trim();
    expect(page.url()).not.toContain(code);
    await expectNoAxeViolations(page, 'municipality invitation code');
    const gijsBrowser = await signedInPerson(world, browser, code);
    // The GDPR desk lands on its own screen, and has no municipality screen in the menu.
    expect(gijsBrowser.page.url()).toBe(`${world.origin}/portal/#/gdpr`);
    expect(
      await gijsBrowser.page.getByRole('link', { name: 'Gemeente: mensen en organisaties' }).count(),
    ).toBe(0);
    await gijsBrowser.page.goto(`${world.origin}/portal/#/municipality`);
    await gijsBrowser.page.getByRole('heading', { name: 'Niet voor uw rol' }).waitFor();
    await gijsBrowser.context.close();
    expect((await read(`/v1/admin/people/${gijs!.id}/devices`)).devices).toHaveLength(1);
  }, 120_000);

  it('admits an organisation with its own public key, suspends and reinstates it after a confirm step', async () => {
    const { page } = ada;
    const key = caseSigningKey();
    const form = page.locator('form[aria-labelledby=admit-title]');
    await form.getByRole('button', { name: 'Toelaten', exact: true }).click();
    await form.getByText('Vul de naam van de organisatie in.').waitFor();
    await form.getByText('Kies de soort organisatie.').waitFor();
    await form.getByText('Vul de publieke sleutel van de organisatie in.').waitFor();
    await expect.poll(() => focused(page)).toBe('admit-name');
    await form.getByLabel('Publieke sleutel van de organisatie').fill('geen-sleutel');
    await form.getByRole('button', { name: 'Toelaten', exact: true }).click();
    await form.getByText('Dit is geen geldige publieke sleutel.', { exact: false }).waitFor();
    await expectNoAxeViolations(page, 'admit form with faults');
    expect((await read('/v1/admin/organisations')).items).toEqual([]);

    await form.getByLabel('Naam van de organisatie').fill('Jeugdzorg Oost');
    await form.getByLabel('Soort organisatie').selectOption('youth_care');
    await form.getByLabel('Publieke sleutel van de organisatie').fill(base64url.encode(key.publicKey));
    await form.getByRole('button', { name: 'Toelaten', exact: true }).click();
    await form.getByText('Jeugdzorg Oost is toegelaten.', { exact: false }).waitFor();
    await expect.poll(() => focused(page)).toBe('status');
    const [org] = (await read('/v1/admin/organisations')).items as { id: string; type: string }[];
    expect(org).toMatchObject({ name: 'Jeugdzorg Oost', type: 'youth_care', status: 'active' });
    // The key the organisation made signs for it now.
    expect(
      ((await world.signed(key, 'GET', '/v1/whoami')) as { organisation: { id: string } }).organisation.id,
    ).toBe(org!.id);
    const orgRow = row(page, 'Jeugdzorg Oost');
    await orgRow.getByRole('cell', { name: 'Jeugdzorg', exact: true }).waitFor();
    await orgRow.getByRole('cell', { name: 'actief' }).waitFor();

    await page.getByRole('button', { name: 'Jeugdzorg Oost schorsen' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog
      .getByText('Vanaf het volgende verzoek kan Jeugdzorg Oost niets meer', { exact: false })
      .waitFor();
    await expect.poll(() => focusedText(page)).toBe('Annuleren');
    await expectNoAxeViolations(page, 'suspend confirm step');
    await dialog.getByRole('button', { name: 'Ja, Jeugdzorg Oost schorsen' }).click();
    await page.getByText('Jeugdzorg Oost is geschorst.').waitFor();
    await expect.poll(() => focused(page)).toBe('status');
    await orgRow.getByRole('cell', { name: 'geschorst' }).waitFor();
    expect((await read(`/v1/admin/organisations/${org!.id}`)).organisation.status).toBe('suspended');
    await expect(world.signed(key, 'GET', '/v1/whoami')).rejects.toThrow(/→ 403/);

    await page.getByRole('button', { name: 'Jeugdzorg Oost weer toelaten' }).click();
    await page.getByRole('button', { name: 'Ja, Jeugdzorg Oost weer toelaten' }).click();
    await page.getByText('Jeugdzorg Oost is weer toegelaten.').waitFor();
    await expect.poll(() => focused(page)).toBe('status');
    expect((await read(`/v1/admin/organisations/${org!.id}`)).organisation.status).toBe('active');
    await world.signed(key, 'GET', '/v1/whoami');
    await expectNoAxeViolations(page, 'organisation reinstated');
  }, 120_000);

  it('starts the organisation: its first coordinator added with a code enrols and lands on My organisation', async () => {
    const { page } = ada;
    await page.getByRole('button', { name: 'Mensen van Jeugdzorg Oost' }).click();
    await expect.poll(() => focused(page)).toBe('organisation-people-title');
    await page.getByText('Er zijn nog geen mensen.').waitFor();
    const form = page.locator('form[aria-labelledby=organisation-person-title]');
    await form.getByLabel('Naam', { exact: true }).fill('Cor Smit');
    await form
      .getByLabel('Coördinator: beheert de mensen van de organisatie en draagt signalen over')
      .check();
    await form.getByRole('button', { name: 'Toevoegen', exact: true }).click();
    await form.getByText('Cor Smit is toegevoegd.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Uitnodigingscode voor Cor Smit' }).click();
    const alert = page.locator('#organisation-person-invitation-code');
    await alert.waitFor();
    await expect.poll(() => focused(page)).toBe('organisation-person-invitation-code');
    const code = (await alert.locator('code').textContent())!.trim();
    await expectNoAxeViolations(page, 'organisation people with a code');
    await expectNoModerateAxeViolations(page, 'organisation people with a code');
    const cor = await signedInPerson(world, browser, code);
    expect(cor.page.url()).toBe(`${world.origin}/portal/#/organisation`);
    await cor.page.getByRole('cell', { name: 'Cor Smit', exact: true }).waitFor();
    expect(await cor.page.getByRole('link', { name: 'Gemeente: mensen en organisaties' }).count()).toBe(0);
    await cor.context.close();
  }, 120_000);

  it('removes a municipality person after a confirm step that names them; the result takes the focus', async () => {
    const { page } = ada;
    await page.getByRole('button', { name: 'Gijs Loket verwijderen' }).click();
    await page
      .locator('dialog[open]')
      .getByText('Gijs Loket kan daarna niet meer inloggen', { exact: false })
      .waitFor();
    await page.getByRole('button', { name: 'Ja, Gijs Loket verwijderen' }).click();
    await page.getByText('Gijs Loket is verwijderd.', { exact: false }).waitFor();
    await expect.poll(() => focused(page)).toBe('status');
    expect(await row(page, 'Gijs Loket').count()).toBe(0);
    const people = (await read('/v1/admin/people')).people as { displayName: string; status: string }[];
    expect(people.find((p) => p.displayName === 'Gijs Loket')!.status).toBe('removed');
    expect(people.find((p) => p.displayName === 'Ada Beheer')!.status).toBe('active');
  }, 60_000);

  it('in English: the screen with its forms marked passes axe', async () => {
    const { page } = ada;
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Municipality: people and organisations' }).waitFor();
    await page
      .locator('form[aria-labelledby=admit-title]')
      .getByRole('button', { name: 'Admit', exact: true })
      .click();
    await page.getByText('Enter the name of the organisation.').waitFor();
    await expectNoAxeViolations(page, 'municipality screen en');
    await expectNoModerateAxeViolations(page, 'municipality screen en');
    await page.getByRole('button', { name: 'Nederlands' }).click();
  }, 60_000);
});
