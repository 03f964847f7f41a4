// Regenerates the portal's screenshots in docs/screenshots/ (`pnpm screenshots`, after
// `pnpm build`): a real match server and pseudonym service, two professionals of two
// organisations who enrol, sign in and place signals for the same child, then one screenshot
// per main screen, and the municipality's GDPR desk on its landing page (docs/portal.md "The
// GDPR desk"). Test data only (made-up names, random valid BSNs never shown).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { randomBsn } from '../support/e2e-world.js';
import { ROOT } from '../support/server-process.js';
import type { PseudonymServiceProcess } from '../support/pseudonym-service-process.js';
import { browserSkipReason, launch } from './browser-support.js';
import { enrolAndSignIn, PortalWorld, startPortalWithService } from './portal-world.js';

const OUT = join(ROOT, 'docs', 'screenshots');

async function shot(page: Page, name: string): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  console.log(`docs/screenshots/${name}.png`);
}

async function main(): Promise<void> {
  if (browserSkipReason() !== undefined) process.exit(1);
  mkdirSync(OUT, { recursive: true });
  const world = new PortalWorld();
  const browser = await launch();
  let service: PseudonymServiceProcess | undefined;
  try {
    const started = await startPortalWithService(world, [
      { name: 'Jeugdzorg Oost', type: 'youth_care' },
      { name: 'Wijkteam Noord', type: 'social_services' },
    ]);
    service = started.service;
    const [A, B] = started.orgs;
    const a = await world.invite(A.signingKey, {
      displayName: 'Anna Jansen',
      email: 'anna@jeugdzorg.example.nl',
      roles: ['professional', 'organisation_coordinator'],
    });
    const b = await world.invite(B.signingKey, {
      displayName: 'Bert de Vries',
      email: 'bert@wijkteam.example.nl',
      roles: ['professional'],
    });
    const anna = await world.person(browser);
    const bert = await world.person(browser);
    await anna.context.setDefaultTimeout(30_000);
    await anna.page.setViewportSize({ width: 1100, height: 900 });
    await anna.page.goto(`${world.origin}/portal/`);
    await shot(anna.page, 'home');
    await enrolAndSignIn(world, anna, a.code);
    await enrolAndSignIn(world, bert, b.code);
    const child = randomBsn();
    for (const [who, name, email] of [
      [bert, 'Bert de Vries', 'bert@wijkteam.example.nl'],
      [anna, 'Anna Jansen', 'anna@jeugdzorg.example.nl'],
    ] as const) {
      const page = who.page;
      await page.goto(`${world.origin}/portal/#/signals/new`);
      await page.getByLabel('BSN', { exact: true }).fill(child);
      await page.getByLabel('Nog niet').check();
      await page.getByLabel('Naam', { exact: true }).fill(name);
      await page.getByLabel('Functie').fill('jeugdconsulent');
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Uw eigen kenmerk (niet verplicht)').fill('dossier 2041');
      if (who === anna) await shot(page, 'place-signal');
      await page.getByRole('button', { name: 'Controleren' }).click();
      await page
        .getByRole('heading', { name: 'Dit wordt verstuurd' })
        .waitFor()
        .catch(async (e: unknown) => {
          throw new Error(`no preview: ${await page.locator('.utrecht-alert').allTextContents()}`, {
            cause: e,
          });
        });
      if (who === anna) await shot(page, 'place-signal-preview');
      await page.getByRole('button', { name: 'Versturen' }).click();
      await page.getByText('Uw signaal is afgegeven').waitFor();
    }
    await anna.page.goto(`${world.origin}/portal/#/signals`);
    await anna.page.getByRole('cell', { name: 'dossier 2041', exact: true }).waitFor();
    await shot(anna.page, 'my-signals');
    await anna.page.goto(`${world.origin}/portal/#/matches`);
    await anna.page.getByRole('link', { name: 'Wijkteam Noord' }).waitFor();
    await shot(anna.page, 'matches');
    await anna.page.getByRole('link', { name: 'Wijkteam Noord' }).click();
    await anna.page.getByText('bert@wijkteam.example.nl').waitFor();
    await shot(anna.page, 'match');
    await anna.page.goto(`${world.origin}/portal/#/organisation`);
    await anna.page.getByRole('cell', { name: 'Anna Jansen', exact: true }).waitFor();
    await shot(anna.page, 'organisation');
    await anna.page.getByRole('button', { name: 'English' }).click();
    await anna.page.goto(`${world.origin}/portal/#/signals/new`);
    await shot(anna.page, 'place-signal-en');
    // The GDPR desk lands on AVG-verzoeken: the form that identifies the citizen, nothing typed.
    const admin = await world.adminKey();
    const d = await world.municipalityPerson(admin, 'Gijs Loket', ['gdpr_desk']);
    const desk = await world.person(browser);
    await desk.page.setViewportSize({ width: 1100, height: 900 });
    await enrolAndSignIn(world, desk, d.code);
    await desk.page.getByRole('heading', { level: 1, name: 'AVG-verzoeken' }).waitFor();
    await desk.page.getByRole('button', { name: 'Zoek de burger op' }).waitFor();
    await shot(desk.page, 'gdpr-desk');
  } finally {
    await browser.close();
    await service?.stop();
    await world.close();
  }
}

await main();
