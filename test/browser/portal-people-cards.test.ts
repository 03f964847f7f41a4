// The people tables as cards on a phone (docs/portal.md "Accessibility"), in Chromium against the
// real match server and pseudonym service: at 320 px each person's card on My organisation and on
// the municipality's administrator's screen names its e-mail address and roles by their columns,
// as the other stacked tables name their values (the name is the card's title, the actions go
// unnamed), and a long e-mail address or name wraps inside the card instead of running off it
// (`.sluis-rows .utrecht-table__cell` outweighs the scroll region's no-break rule); axe in
// Dutch and English. portal-stacked-rows.test.ts checks the same tables' roles.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_WAIT } from '../support/server-wait.js';
import { browserSkipReason, expectNoAxeViolations } from './browser-support.js';
import {
  type PersonBrowser,
  PortalWorld,
  signedInPerson,
  startTwoOrganisations,
  stopTwoOrganisations,
  type TwoOrganisations,
} from './portal-world.js';

const skip = browserSkipReason();

/** One unbroken word each, far wider than a 320 px card. */
const LONG_NAME = 'Wilhelmina Oudshoornvanderbeeksteenhuizenbroekhuijsen';
const LONG_EMAIL = 'wilhelmina.oudshoornvanderbeeksteenhuizen@jeugdzorgregiorijnmondzuid.example.nl';

/** Per card of the people table `caption`: the text shown before each cell's value (its `::before`). */
function cardLabels(page: Page, caption: string): Promise<string[][]> {
  return page.locator('.sluis-rows table', { hasText: caption }).evaluate((table) =>
    Array.from(table.querySelectorAll('tbody tr')).map((row) =>
      Array.from(row.children).map((cell) => {
        const content = getComputedStyle(cell, '::before').content;
        return content === 'none' || content === 'normal' ? '' : content;
      }),
    ),
  );
}

/** Each cell of the table `caption` whose content is wider than the cell, and the page's overflow. */
function overflows(page: Page, caption: string): Promise<string[]> {
  return page.locator('.sluis-rows table', { hasText: caption }).evaluate((table) => {
    const out: string[] = [];
    for (const cell of Array.from(table.querySelectorAll('tbody td')))
      if (cell.scrollWidth > cell.clientWidth) out.push(`cell "${cell.textContent}"`);
    const region = table.closest('.sluis-table-scroll')!;
    if (region.scrollWidth > region.clientWidth) out.push('the table region scrolls sideways');
    if (document.documentElement.scrollWidth > window.innerWidth) out.push('the page scrolls sideways');
    return out;
  });
}

describe.skipIf(skip !== undefined)('portal: the people tables’ cards at 320 px', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let cor: PersonBrowser;
  let ada: PersonBrowser;

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    const { A, admin, browser } = started;
    cor = await signedInPerson(
      world,
      browser,
      (await world.inviteNamed(A, 'Cor Smit', ['organisation_coordinator'])).code,
    );
    await world.invite(A.signingKey, { displayName: LONG_NAME, email: LONG_EMAIL, roles: ['professional'] });
    ada = await signedInPerson(
      world,
      browser,
      (await world.municipalityPerson(admin, 'Ada Beheer', ['administrator'])).code,
    );
    await world.signed(admin, 'POST', '/v1/admin/people', {
      organisationId: null,
      displayName: LONG_NAME,
      email: LONG_EMAIL,
      roles: ['gdpr_desk'],
    });
  }, 300_000);
  afterAll(() => stopTwoOrganisations(world, started));

  const screens = [
    {
      who: () => cor,
      path: 'organisation',
      caption: { nl: 'Mensen', en: 'People' },
      labels: { nl: ['E-mailadres: ', 'Rollen: '], en: ['E-mail address: ', 'Roles: '] },
    },
    {
      who: () => ada,
      path: 'municipality',
      caption: {
        nl: 'Mensen van de gemeente en hun rollen',
        en: 'People of the municipality and their roles',
      },
      labels: { nl: ['E-mailadres: ', 'Rollen: '], en: ['E-mail address: ', 'Roles: '] },
    },
  ] as const;

  for (const screen of screens) {
    it(`${screen.path}: each card names its e-mail address and roles, and a long one wraps; axe clean`, async () => {
      const page = screen.who().page;
      await page.setViewportSize({ width: 320, height: 640 });
      await page.goto(`${world.origin}/portal/#/`);
      await page.goto(`${world.origin}/portal/#/${screen.path}`);
      for (const lang of ['nl', 'en'] as const) {
        if (lang === 'en') {
          await page.getByRole('button', { name: 'English', exact: true }).click();
          await page.locator('html[lang="en"]').waitFor();
        }
        const caption = screen.caption[lang];
        const rows = page.locator('.sluis-rows table', { hasText: caption }).locator('tbody tr');
        await expect.poll(() => rows.count(), { timeout: SERVER_WAIT }).toBe(2);
        // Name (the title) and actions unnamed; e-mail address and roles named by their columns.
        const [email, roles] = screen.labels[lang];
        await expect
          .poll(() => cardLabels(page, caption), { timeout: SERVER_WAIT })
          .toEqual([
            ['', `"${email}"`, `"${roles}"`, ''],
            ['', `"${email}"`, `"${roles}"`, ''],
          ]);
        const long = rows.filter({ hasText: LONG_EMAIL });
        await long.waitFor();
        expect(await long.locator('td').first().textContent()).toBe(LONG_NAME);
        expect(await overflows(page, caption)).toEqual([]);
        await expectNoAxeViolations(page, `${screen.path} people cards at 320 px (${lang})`);
      }
      await page.getByRole('button', { name: 'Nederlands', exact: true }).click();
      await page.locator('html[lang="nl"]').waitFor();
    }, 120_000);
  }
});
