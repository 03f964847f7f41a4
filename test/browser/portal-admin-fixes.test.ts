// What the administrator's walk-through found, in Chromium against the real match server
// (docs/portal.md "The municipality's administrator", "Signing in", "Accessibility"): one
// invitation code on screen at a time across the Municipality screen's sections (a code made for
// a municipality person is gone once another organisation's people open or another code is made),
// a code shown with until when it works and where to enrol, an admitted organisation's id and
// the pseudonym service's step that must follow, *People of …* closed by a button and focused
// again when pressed again, a refused enrolment or sign-in taking the focus, and management
// information on day one saying that each count is below the threshold (possibly 0), with the
// CSV command's server-host form; the auditor's key list naming each key's organisation.

import { base64url, type SigningKey } from '@sluis/client-sdk';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { focused } from '../support/focus.js';
import { browserSkipReason, expectNoAxeViolations, launch } from './browser-support.js';
import { enrolAndSignIn, type PersonBrowser, PortalWorld, signedInPerson } from './portal-world.js';
import { caseSigningKey } from '../support/case-keys.js';

const skip = browserSkipReason();

describe.skipIf(skip !== undefined)('portal: the administrator’s walk-through', () => {
  const world = new PortalWorld();
  let browser: Browser;
  let ada: PersonBrowser; // administrator
  let admin: SigningKey;
  let gijsId: string;
  let orgId = '';
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, held to the assertions below.
  const read = (path: string): Promise<any> => world.read(admin, path);

  beforeAll(async () => {
    await world.startPortal();
    browser = await launch();
    admin = await world.adminKey();
    gijsId = (await world.municipalityPerson(admin, 'Gijs Loket', ['gdpr_desk'])).personId;
    const a = await world.municipalityPerson(admin, 'Ada Beheer', ['administrator']);
    ada = await signedInPerson(world, browser, a.code);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await world.close();
  });

  it('admits an organisation: the result names its id and that the pseudonym service must know it first', async () => {
    const { page } = ada;
    const key = caseSigningKey();
    const form = page.locator('form[aria-labelledby=admit-title]');
    await form.getByLabel('Naam van de organisatie').fill('Jeugdzorg Oost');
    await form.getByLabel('Soort organisatie').selectOption('youth_care');
    await form.getByLabel('Publieke sleutel van de organisatie').fill(base64url.encode(key.publicKey));
    await form.getByRole('button', { name: 'Toelaten', exact: true }).click();
    await form.getByText('Jeugdzorg Oost is toegelaten.', { exact: false }).waitFor();
    const [org] = (await read('/v1/admin/organisations')).items as { id: string }[];
    orgId = org!.id;
    expect((await page.locator('#admitted-organisation-id').textContent())?.trim()).toBe(orgId);
    await form.getByText('Eerst moet de pseudoniemdienst Jeugdzorg Oost kennen.', { exact: false }).waitFor();
    await expect.poll(() => focused(page)).toBe('status');
    await expectNoAxeViolations(page, 'admitted organisation with its id');
  }, 120_000);

  it('shows one invitation code at a time across the sections, with its expiry and where to enrol', async () => {
    const { page } = ada;
    await page.getByRole('button', { name: 'Uitnodigingscode voor Gijs Loket' }).click();
    const gijsCode = page.locator('#municipality-person-invitation-code');
    await gijsCode.waitFor();
    // The admission's result above is gone: the next action started.
    expect(await page.locator('#admitted-organisation-id').count()).toBe(0);
    await gijsCode.getByText('De code werkt tot', { exact: false }).waitFor();
    const until = await gijsCode.locator('time').getAttribute('datetime');
    expect(Date.parse(until!)).toBeGreaterThan(Date.now());
    expect((await gijsCode.locator('time').textContent())?.trim()).not.toBe(until);
    await gijsCode.getByText(`${world.origin}/portal/#/enrol`).waitFor();
    await expectNoAxeViolations(page, 'invitation code with its expiry and address');

    // Opening an organisation's people is the next action: the municipality person's code goes.
    await page.getByRole('button', { name: 'Mensen van Jeugdzorg Oost', exact: true }).click();
    await expect.poll(() => focused(page)).toBe('organisation-people-title');
    expect(await gijsCode.count()).toBe(0);
    const form = page.locator('form[aria-labelledby=organisation-person-title]');
    await form.getByLabel('Naam', { exact: true }).fill('Cor Smit');
    await form
      .getByLabel('Coördinator: beheert de mensen van de organisatie en draagt signalen over')
      .check();
    await form.getByRole('button', { name: 'Toevoegen', exact: true }).click();
    await form.getByText('Cor Smit is toegevoegd.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Uitnodigingscode voor Cor Smit' }).click();
    const corCode = page.locator('#organisation-person-invitation-code');
    await corCode.waitFor();
    await expect.poll(() => focused(page)).toBe('organisation-person-invitation-code');
    expect(await page.locator('code.sluis-code').count()).toBe(1);
    expect(await gijsCode.count()).toBe(0);

    // And the other way round: a code in the municipality's people ends the organisation's.
    await page.getByRole('button', { name: 'Uitnodigingscode voor Gijs Loket' }).click();
    await gijsCode.waitFor();
    expect(await corCode.count()).toBe(0);
    expect(await page.locator('code.sluis-code').count()).toBe(1);
  }, 120_000);

  it('closes People of … with a button, and moves the focus to its heading when pressed again', async () => {
    const { page } = ada;
    await page.getByRole('button', { name: 'Uitnodigingscode voor Gijs Loket' }).focus();
    await page.getByRole('button', { name: 'Mensen van Jeugdzorg Oost', exact: true }).click();
    await expect.poll(() => focused(page)).toBe('organisation-people-title');
    // Pressed again for the same organisation while it is open.
    await page.getByRole('button', { name: 'Uitnodigingscode voor Gijs Loket' }).focus();
    await page.getByRole('button', { name: 'Mensen van Jeugdzorg Oost', exact: true }).click();
    await expect.poll(() => focused(page)).toBe('organisation-people-title');
    await page.getByRole('button', { name: 'Mensen van Jeugdzorg Oost sluiten' }).click();
    await page.locator('#organisation-people-title').waitFor({ state: 'detached' });
    await expect.poll(() => focused(page)).toBe(`organisation-people-${orgId}`);
    await expectNoAxeViolations(page, 'organisation people closed');
  }, 60_000);

  it('moves the focus to a refusal of the enrolment and of the sign-in', async () => {
    const stranger = await world.person(browser);
    await stranger.page.goto(`${world.origin}/portal/#/enrol`);
    await stranger.page.getByLabel('Uitnodigingscode').fill('ABCD-EFGH-JKLM-NPQR-STUV-WXYZ');
    await stranger.page.getByLabel('Naam van dit apparaat').fill('testlaptop');
    await stranger.page.getByRole('button', { name: 'Passkey aanmaken' }).click();
    await stranger.page.getByRole('alert').getByText('Deze uitnodigingscode is ongeldig').waitFor();
    await expect.poll(() => focused(stranger.page)).toBe('alert');
    // The first administrator, who has no administrator to ask, is sent to the server's operator.
    await stranger.page.getByText('Vraag het dan degene die de server beheert.', { exact: false }).waitFor();
    await stranger.context.close();

    const gijs = await world.person(browser);
    await enrolAndSignIn(world, gijs, await world.code(admin, gijsId, 'admin/people'));
    await gijs.page.getByRole('button', { name: 'Uitloggen' }).click();
    await gijs.page.getByRole('button', { name: 'Uitloggen' }).waitFor({ state: 'detached' });
    await gijs.page.goto(`${world.origin}/portal/#/sign-in`);
    await world.signed(admin, 'POST', `/v1/admin/people/${gijsId}/remove`, {});
    await gijs.page.getByRole('button', { name: 'Inloggen met passkey' }).click();
    await gijs.page.getByRole('alert').waitFor();
    await expect.poll(() => focused(gijs.page)).toBe('alert');
    await gijs.context.close();
  }, 120_000);

  it('names each organisation key’s organisation in the auditor’s key list', async () => {
    const a = await world.municipalityPerson(admin, 'Otto Toets', ['auditor']);
    const otto = await signedInPerson(world, browser, a.code);
    const table = otto.page.getByRole('table', { name: 'Sleutels' });
    await table.waitFor();
    await table.getByRole('cell', { name: `Jeugdzorg Oost (organisatie ${orgId})`, exact: true }).waitFor();
    const keys = (await read('/v1/admin/keys')).items as { organisationId: string | null }[];
    expect(keys.filter((k) => k.organisationId === orgId)).toEqual([
      expect.objectContaining({ organisationName: 'Jeugdzorg Oost' }),
    ]);
    const adminKeys = keys.filter((k) => k.organisationId === null);
    expect(adminKeys.length).toBeGreaterThan(0);
    for (const k of adminKeys) expect(k).toMatchObject({ organisationName: null });
    await expectNoAxeViolations(otto.page, 'key list with organisation names');
    await otto.context.close();
  }, 120_000);

  it('management information on day one: each month says that every count is below the threshold', async () => {
    const { page } = ada;
    await page.goto(`${world.origin}/portal/#/management-information`);
    await page.getByRole('heading', { level: 1, name: 'Managementinformatie' }).waitFor();
    const sentence = page.getByText('In deze maand is elk aantal kleiner dan 5. Dat kan ook 0 zijn', {
      exact: false,
    });
    await sentence.first().waitFor();
    expect(await sentence.count()).toBe(await page.getByRole('table').count());
    expect(await sentence.count()).toBe(3);
    await page
      .getByText('sudo -u sluis sluis-server admin management-info --data-dir /var/lib/sluis --from', {
        exact: false,
      })
      .waitFor();
    await expectNoAxeViolations(page, 'management information on day one');
  }, 60_000);
});
