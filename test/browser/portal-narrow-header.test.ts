// The header and the menu on a phone (docs/portal.md "Accessibility": at 320 CSS pixels the
// screen's own content starts in the first view). A professional and an organisation
// coordinator, signed in, Dutch and English, every screen of their menus: the main landmark
// starts in the top 40 % of a 320 × 640 viewport (256 px; the header and menu took
// 312 px in Dutch before they were made compact, and 181–209 px since, fonts allowing) and nothing scrolls sideways.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Org } from '../support/e2e-world.js';
import { browserSkipReason } from './browser-support.js';
import {
  type PersonBrowser,
  PortalWorld,
  signedInPerson,
  startTwoOrganisations,
  stopTwoOrganisations,
  type TwoOrganisations,
} from './portal-world.js';

const skip = browserSkipReason();
const HEIGHT = 640;

/** Where main starts, and how wide the page is against the viewport. */
async function measure(page: Page): Promise<{ mainTop: number; scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    const root = document.scrollingElement ?? document.documentElement;
    return {
      // from the document's top: a screen that scrolled main into view is measured as unscrolled
      mainTop: Math.round((main?.getBoundingClientRect().top ?? Number.POSITIVE_INFINITY) + window.scrollY),
      scrollWidth: root.scrollWidth,
      clientWidth: root.clientWidth,
    };
  });
}

/** The hrefs of the main menu's links, as the signed-in person sees them. */
const menu = (page: Page) =>
  page
    .locator('header.sluis-header + nav a')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));

describe.skipIf(skip !== undefined)('portal: the header and the menu at 320 px', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let A: Org;
  const people: { label: string; who: PersonBrowser }[] = [];

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    ({ A } = started);
    const pro = await world.inviteNamed(A, 'Marieke van den Berg-Oosterhuis', ['professional']);
    people.push({ label: 'professional', who: await signedInPerson(world, started.browser, pro.code) });
    const co = await world.inviteNamed(A, 'Joost Verhoeven', ['organisation_coordinator', 'professional']);
    people.push({ label: 'coordinator', who: await signedInPerson(world, started.browser, co.code) });
  }, 300_000);
  afterAll(() => stopTwoOrganisations(world, started));

  it('every screen of the menu starts its content in the top 40 %, without sideways scrolling', async () => {
    const seen: string[] = [];
    for (const { label, who } of people) {
      const page = who.page;
      await page.setViewportSize({ width: 320, height: HEIGHT });
      for (const lang of ['nl', 'en'] as const) {
        await page.goto(`${world.origin}/portal/#/`);
        await page.locator('header.sluis-header + nav').waitFor();
        const current = await page.locator('html').getAttribute('lang');
        if (current !== lang) {
          await page.getByRole('button', { name: lang === 'en' ? 'English' : 'Nederlands' }).click();
          await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
        }
        const links = await menu(page);
        expect(links.length, `${label}'s menu`).toBeGreaterThan(2);
        for (const link of links) {
          await page.goto(`${world.origin}/portal/${link}`);
          await page.locator('header.sluis-header + nav').waitFor();
          // the signed-in line is read after the first answer: wait for it, it is part of the header
          await page.locator('.sluis-signed-in').waitFor();
          const m = await measure(page);
          seen.push(`${label} ${lang} ${link}: main at ${m.mainTop} px`);
          expect(m.mainTop, `${label} ${lang} ${link}`).toBeLessThanOrEqual(HEIGHT * 0.4);
          expect(m.scrollWidth, `${label} ${lang} ${link} scrolls sideways`).toBeLessThanOrEqual(
            m.clientWidth,
          );
        }
      }
    }
    console.log(seen.join('\n'));
  }, 180_000);
});
