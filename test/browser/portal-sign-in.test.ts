// Signing in to the portal for real: invitation codes made by the organisation, passkeys
// created and used by Chromium's virtual authenticator through the portal's own screens,
// the session key held by WebCrypto in the page; devices; a coordinator makes an invitation
// code only after their own passkey confirms it (the step-up, docs/protocol.md §10.6), and a
// second code says that it replaces the first, which then no longer enrols; a
// coordinator removes a person and that person's open page is refused at its next action;
// axe on every screen behind the sign-in, in Dutch and English (docs/portal.md).

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAuthenticator } from '../support/browser.js';
import { SERVER_WAIT } from '../support/server-wait.js';
import { browserSkipReason, expectNoAxeViolations, launch, watchPage } from './browser-support.js';
import { type PersonBrowser, PortalWorld, signedInPerson } from './portal-world.js';

const skip = browserSkipReason();

describe.skipIf(skip !== undefined)('portal: passkey sign-in, devices, roles, removal', () => {
  const world = new PortalWorld();
  let browser: Browser;
  let professional: PersonBrowser;
  let coordinator: PersonBrowser;
  let regisseur: PersonBrowser;
  let professionalId = '';
  let coordinatorId = '';

  beforeAll(async () => {
    await world.startPortal();
    browser = await launch();
    const org = await world.organisation('Jeugdteam Noord');
    const p = await world.invite(org.signingKey, {
      displayName: 'Pim Professional',
      email: 'pim@jeugdteam.example.nl',
      roles: ['professional'],
    });
    professionalId = p.personId;
    const c = await world.invite(org.signingKey, {
      displayName: 'Cor Coördinator',
      email: 'cor@jeugdteam.example.nl',
      roles: ['organisation_coordinator'],
    });
    coordinatorId = c.personId;
    const admin = await world.adminKey();
    const m = (await world.signed(admin, 'POST', '/v1/admin/people', {
      organisationId: null,
      displayName: 'Mia Regisseur',
      email: 'mia@gemeente.example.nl',
      roles: ['match_coordinator'],
    })) as { person: { id: string } };
    const mCode = await world.code(admin, m.person.id, 'admin/people');
    professional = await signedInPerson(world, browser, p.code);
    coordinator = await signedInPerson(world, browser, c.code);
    regisseur = await signedInPerson(world, browser, mCode);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await world.close();
  });

  it('lands each person on the screen of their role and offers only their screens', async () => {
    // Each landing screen follows the server's answer about the person's roles (as portal-roles).
    await expect
      .poll(() => professional.page.locator('h1').textContent(), { timeout: SERVER_WAIT })
      .toBe('Matches');
    const nav = (p: PersonBrowser) =>
      p.page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link').allTextContents();
    expect(await nav(professional)).toEqual([
      'Signaal afgeven',
      'Mijn signalen',
      'Matches',
      'Mijn apparaten',
    ]);
    await expect
      .poll(() => coordinator.page.locator('h1').textContent(), { timeout: SERVER_WAIT })
      .toBe('Mijn organisatie');
    expect(await nav(coordinator)).toEqual(['Mijn organisatie', 'Mijn apparaten']);
    await expect
      .poll(() => regisseur.page.locator('h1').textContent(), { timeout: SERVER_WAIT })
      .toBe('Opvolging van matches');
    expect(await nav(regisseur)).toEqual(['Opvolging van matches', 'Managementinformatie', 'Mijn apparaten']);
  });

  it('lists the own passkey on the devices screen', async () => {
    await professional.page.goto(`${world.origin}/portal/#/devices`);
    await professional.page.getByRole('cell', { name: 'testlaptop', exact: true }).waitFor();
  });

  it('adds another passkey and removes it on the devices screen, each confirmed by a passkey already there', async () => {
    const { page, cdp } = professional;
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.getByRole('cell', { name: 'testlaptop', exact: true }).waitFor();
    const listed = async () => (await page.locator('tbody tr td:first-child').allTextContents()).sort();
    await page.getByLabel('Naam van de nieuwe passkey').fill('Telefoon');
    // Step 1: the passkey in use confirms (the step-up, docs/protocol.md §10.6).
    await page.getByRole('button', { name: 'Bevestigen met mijn passkey' }).click();
    await page.getByText('Bevestigd. Maak nu binnen 5 minuten de nieuwe passkey aan.').waitFor();
    // Step 2 on "another device": Chrome allows one internal authenticator a tab, so the first
    // one's passkey is kept aside and a second authenticator creates the new passkey.
    const { credentials } = await cdp.send('WebAuthn.getCredentials', {
      authenticatorId: professional.authenticatorId,
    });
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: professional.authenticatorId });
    const phone = await addAuthenticator(cdp);
    await page.getByRole('button', { name: 'Nieuwe passkey aanmaken' }).click();
    await page.getByText('Apparaat Telefoon is toegevoegd.').waitFor();
    await page.getByRole('cell', { name: 'Telefoon', exact: true }).waitFor();
    expect(await listed()).toEqual(['Telefoon', 'testlaptop']);
    // The first authenticator back, with its passkey: it confirms removing the phone's.
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: phone });
    const restored = await addAuthenticator(cdp);
    for (const credential of credentials) {
      await cdp.send('WebAuthn.addCredential', { authenticatorId: restored, credential });
    }
    (professional as { authenticatorId: string }).authenticatorId = restored;
    await page.getByRole('button', { name: 'Telefoon verwijderen' }).click();
    await page.getByRole('button', { name: 'Ja, Telefoon verwijderen' }).click();
    await page.getByText('Apparaat Telefoon is verwijderd.').waitFor();
    expect(await listed()).toEqual(['testlaptop']);
    // The session signed in with the laptop's passkey goes on.
    expect(await page.getByRole('button', { name: 'Uitloggen' }).count()).toBe(1);
  }, 120_000);

  it('has no axe violations on any signed-in screen, in Dutch and English', async () => {
    const screens: [PersonBrowser, string][] = [
      [professional, '/signals/new'],
      [professional, '/signals'],
      [professional, '/matches'],
      [professional, '/devices'],
      [coordinator, '/organisation'],
      [regisseur, '/follow-up'],
    ];
    for (const lang of ['Nederlands', 'English']) {
      for (const [who, screen] of screens) {
        const watch = watchPage(who.page);
        await who.page.goto(`${world.origin}/portal/#${screen}`);
        const other = lang === 'English' ? 'Nederlands' : 'English';
        if ((await who.page.getByRole('button', { name: other }).count()) === 0)
          await who.page.getByRole('button', { name: lang === 'English' ? 'English' : 'Nederlands' }).click();
        await who.page.locator('h1').waitFor();
        await who.page.getByText(/Bezig met laden|Loading/).waitFor({ state: 'detached' });
        await expectNoAxeViolations(who.page, `${screen} (${lang})`);
        expect(watch.problems, screen).toEqual([]);
      }
    }
    for (const who of [professional, coordinator, regisseur])
      await who.page.getByRole('button', { name: 'Nederlands' }).click();
  }, 300_000);

  it('a coordinator makes an invitation code only after their own passkey confirms it; without that, none', async () => {
    const { page, cdp, authenticatorId } = coordinator;
    const admin = await world.adminKey();
    /** Codes the coordinator issued for the professional, as the logbook records them. */
    const issued = async () => {
      const log = (await world.signed(admin, 'GET', '/v1/admin/logbook?limit=500')) as {
        items: { action: string; actor: { personId?: string }; refs: { personId?: string } }[];
      };
      return log.items.filter(
        (e) =>
          e.action === 'enrolment_code.issued' &&
          e.refs.personId === professionalId &&
          e.actor.personId === coordinatorId,
      ).length;
    };
    // The code is shown under the person's row, in its own element (docs/portal.md "Signing in").
    const shown = page.locator('#invitation-code code');
    await page.goto(`${world.origin}/portal/#/organisation`);
    const invite = page.getByRole('button', { name: 'Uitnodigingscode voor Pim Professional' });
    // The passkey cannot verify the person (no PIN, no fingerprint): no confirmation, no code.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    await invite.click();
    await page.getByText('Het gebruik van de passkey is afgebroken of niet gelukt.').waitFor();
    expect(await shown.count()).toBe(0);
    expect(await issued()).toBe(0);
    // Confirmed by the coordinator's own passkey: the code is shown once and logged as theirs.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
    await invite.click();
    await shown.waitFor();
    expect(await issued()).toBe(1);
    // The code works: it enrols a passkey for the professional.
    const code = ((await shown.textContent()) ?? '').trim();
    const options = await fetch(`${world.server.url}/v1/enrolment/options`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    expect(options.status).toBe(200);
  }, 120_000);

  it('a second invitation code says, in Dutch and English, that it replaces an earlier one, which then no longer enrols', async () => {
    const { page } = coordinator;
    await page.goto(`${world.origin}/portal/#/signals`);
    await page.goto(`${world.origin}/portal/#/organisation`);
    const codeIn = async () => ((await page.locator('#invitation-code code').textContent()) ?? '').trim();
    const status = page.locator('main').getByRole('status');
    /** Clicks the invitation button; while the step-up is held back, the confirm text is read. */
    const issue = async (
      button: string,
      confirm: string,
    ): Promise<{ asked: string; shown: string; code: string }> => {
      let release = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      await page.route(
        '**/v1/me/step-up',
        async (route) => {
          await held;
          await route.continue();
        },
        { times: 1 },
      );
      await page.getByRole('button', { name: button }).click();
      await status.filter({ hasText: confirm }).waitFor();
      const asked = (await status.textContent()) ?? '';
      release();
      await status.filter({ hasText: /[0-9A-Z]{4}-[0-9A-Z]{4}-/ }).waitFor();
      return { asked, shown: (await status.textContent()) ?? '', code: await codeIn() };
    };
    const first = await issue('Uitnodigingscode voor Pim Professional', 'Bevestig met uw eigen passkey');
    expect(first.asked).toContain(
      'Had Pim Professional al een uitnodigingscode die nog niet is gebruikt? Die werkt daarna niet meer.',
    );
    expect(first.shown).toContain(
      'Alleen deze code werkt: een eerdere, nog niet gebruikte uitnodigingscode voor Pim Professional is vanaf nu ongeldig. Passkeys die Pim Professional al heeft, blijven werken.',
    );
    const firstCode = first.code;
    await page.getByRole('button', { name: 'English' }).click();
    const second = await issue('Invitation code for Pim Professional', 'Confirm with your own passkey');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    expect(second.asked).toContain(
      'Does Pim Professional already have an unused invitation code? It stops working then.',
    );
    expect(second.shown).toContain(
      'Only this code works: an earlier, unused invitation code for Pim Professional is no longer valid from now on. Passkeys Pim Professional already has keep working.',
    );
    const secondCode = second.code;
    expect(firstCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    expect(secondCode).not.toBe(firstCode);
    // As the server has it: the first code is refused, the second works.
    const options = (code: string) =>
      fetch(`${world.server.url}/v1/enrolment/options`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
    const refused = await options(firstCode);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: string }).code).toBe('enrolment_code_invalid');
    expect((await options(secondCode)).status).toBe(200);
    // The enrol screen tells whoever types the first code that a newer one replaced it.
    const newcomer = await world.person(browser);
    await newcomer.page.goto(`${world.origin}/portal/#/enrol`);
    await newcomer.page.getByLabel('Uitnodigingscode').fill(firstCode);
    await newcomer.page.getByLabel('Naam van dit apparaat').fill('werkplek');
    await newcomer.page.getByRole('button', { name: 'Passkey aanmaken' }).click();
    await newcomer.page.getByText('of vervangen door een nieuwere code').waitFor();
    await newcomer.context.close();
    // The professional's own passkey still signs in.
    await professional.page.getByRole('button', { name: 'Uitloggen' }).click();
    await professional.page.getByRole('button', { name: 'Uitloggen' }).waitFor({ state: 'detached' });
    await professional.page.goto(`${world.origin}/portal/#/sign-in`);
    await professional.page.getByRole('button', { name: 'Inloggen met passkey' }).click();
    await professional.page.getByRole('button', { name: 'Uitloggen' }).waitFor();
  }, 120_000);

  it('a coordinator removes the professional; the professional’s open page is refused at its next action', async () => {
    const page = coordinator.page;
    await page.goto(`${world.origin}/portal/#/organisation`);
    await page.getByRole('button', { name: 'Pim Professional verwijderen' }).click();
    await page.getByRole('button', { name: 'Ja, Pim Professional verwijderen' }).click();
    await page.getByText('Pim Professional is verwijderd').waitFor();
    expect(professionalId).not.toBe('');
    await professional.page.goto(`${world.origin}/portal/#/signals`);
    await professional.page.getByText('Uw sessie is beëindigd').waitFor();
    expect(await professional.page.locator('h1').textContent()).toBe('Inloggen');
    // And signing in again with the passkey of a removed person fails.
    await professional.page.getByRole('button', { name: 'Inloggen met passkey' }).click();
    await professional.page.getByRole('alert').waitFor();
    expect(await professional.page.getByRole('button', { name: 'Uitloggen' }).count()).toBe(0);
  });
});
