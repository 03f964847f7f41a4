// The accessibility statement's contact (docs/portal.md "Accessibility statement"), in Chromium
// against the real match server process: the address the operator set with
// --portal-accessibility-contact is shown as a link, in Dutch and English; a server started
// without it makes the statement say plainly that no address was set, and show no link of
// its own making. axe-core at WCAG 2.2 AA on both.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../support/server-process.js';
import { browserSkipReason, expectNoAxeViolations, launch, watchPage } from './browser-support.js';

const skip = browserSkipReason();
const ADDRESS = 'digitoegankelijk@gemeente.example.nl';

const TEXTS = {
  nl: {
    report: 'Meld het bij de gemeente.',
    label: 'E-mailadres:',
    none: 'De beheerder van dit portaal heeft nog geen adres ingesteld om een toegankelijkheidsprobleem te melden.',
  },
  en: {
    report: 'Report it to the municipality.',
    label: 'E-mail address:',
    none: 'The operator of this portal has not yet set an address for reporting an accessibility problem.',
  },
} as const;

describe.skipIf(skip !== undefined)('portal: where to report an accessibility problem', () => {
  let withContact: ServerProcess;
  let without: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    withContact = await startServer({ args: ['--portal-accessibility-contact', `mailto:${ADDRESS}`] });
    without = await startServer();
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await withContact?.stop();
    await without?.stop();
  });

  async function statement(server: ServerProcess, lang: 'nl' | 'en'): Promise<Page> {
    const context = await browser.newContext();
    await context.addInitScript((l) => localStorage.setItem('sluis.lang', l), lang);
    const page = await context.newPage();
    await page.goto(`${server.url}/portal/#/accessibility`);
    await page.locator('h1').waitFor();
    return page;
  }

  for (const lang of ['nl', 'en'] as const) {
    it(`shows the address the operator set as a mailto link (${lang})`, async () => {
      const page = await statement(withContact, lang);
      const watch = watchPage(page);
      const link = page.getByRole('link', { name: ADDRESS, exact: true });
      await link.waitFor();
      expect(await link.getAttribute('href')).toBe(`mailto:${ADDRESS}`);
      const main = (await page.locator('main').textContent()) ?? '';
      expect(main).toContain(TEXTS[lang].report);
      expect(main).toContain(`${TEXTS[lang].label} ${ADDRESS}`);
      expect(main).not.toContain(TEXTS[lang].none);
      await expectNoAxeViolations(page, `accessibility statement with a contact (${lang})`);
      expect(watch.problems).toEqual([]);
      await page.context().close();
    }, 60_000);

    it(`says plainly that no address was set, and links to none (${lang})`, async () => {
      const page = await statement(without, lang);
      await page.getByText(TEXTS[lang].none).waitFor();
      const hrefs = await page
        .locator('main a')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs.filter((h) => /^(mailto|tel|https?):/.test(h))).toEqual([]);
      expect((await page.locator('main').textContent()) ?? '').not.toContain(TEXTS[lang].report);
      await expectNoAxeViolations(page, `accessibility statement without a contact (${lang})`);
      await page.context().close();
    }, 60_000);
  }
});
