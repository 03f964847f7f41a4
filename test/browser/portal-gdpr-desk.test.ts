// The GDPR desk's screen (docs/portal.md "The GDPR desk"), in Chromium against the real match
// server and pseudonym service: the desk enrols and lands on *AVG-verzoeken*, the menu's entry;
// the citizen's BSN is checked in the page (every fault in the summary, nothing sent); a match
// server not configured for the desk's credentials is said in words with what to do; the typed
// BSN appears in no URL, no storage and no console message; axe in Dutch and English, and reflow
// at 320 px.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBsn } from '../support/e2e-world.js';
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

/** The menu's link texts. */
function navLinks(page: Page): Promise<string[]> {
  return page
    .getByRole('navigation', { name: /Hoofdmenu|Main menu/ })
    .getByRole('link')
    .allTextContents();
}

/** Everything the page keeps: localStorage, sessionStorage and every IndexedDB store's records, as text. */
function storedText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts: string[] = [JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const r = db.transaction(name).objectStore(name).getAll();
          r.onsuccess = () => resolve(r.result as unknown[]);
          r.onerror = () => reject(r.error);
        });
        parts.push(JSON.stringify(all, (_k, v) => (v instanceof CryptoKey ? 'CryptoKey' : v)));
      }
      db.close();
    }
    return parts.join('\n');
  });
}

/** At 320 px: the page does not scroll sideways and every table region stays on screen. */
async function expectReflow(page: Page, label: string): Promise<void> {
  await page.setViewportSize({ width: 320, height: 640 });
  const at = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    regions: Array.from(document.querySelectorAll('.sluis-table-scroll')).map((r) => {
      const b = r.getBoundingClientRect();
      return { left: b.left, right: b.right };
    }),
  }));
  expect(at.page, `${label}: the page scrolls sideways`).toBeLessThanOrEqual(320);
  for (const r of at.regions) {
    expect(r.left, label).toBeGreaterThanOrEqual(0);
    expect(r.right, label).toBeLessThanOrEqual(320);
  }
  await expectNoAxeViolations(page, `${label} at 320 px`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe.skipIf(skip !== undefined)('portal: the GDPR desk', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let desk: PersonBrowser;
  const urls: string[] = [];
  const consoleLines: string[] = [];
  const child = randomBsn();

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    const d = await world.municipalityPerson(started.admin, 'Gijs Loket', ['gdpr_desk']);
    desk = await world.person(started.browser);
    desk.page.on('console', (m) => consoleLines.push(m.text()));
    desk.page.on('pageerror', (e) => consoleLines.push(e.message));
    desk.page.on('framenavigated', (f) => urls.push(f.url()));
    desk.page.on('request', (r) => urls.push(r.url()));
    const { enrolAndSignIn } = await import('./portal-world.js');
    await enrolAndSignIn(world, desk, d.code);
  }, 240_000);
  afterAll(() => stopTwoOrganisations(world, started));

  it('lands the desk on AVG-verzoeken, its menu entry, and checks the BSN in the page', async () => {
    const { page } = desk;
    await page.getByRole('heading', { level: 1, name: 'AVG-verzoeken' }).waitFor();
    expect(page.url()).toBe(`${world.origin}/portal/#/gdpr`);
    expect(await navLinks(page)).toContain('AVG-verzoeken');
    await expect.poll(() => page.title()).toContain('AVG-verzoeken');
    await expectNoAxeViolations(page, 'GDPR desk nl');
    const sent = desk.requests.length;
    await page.getByLabel('BSN', { exact: true }).fill('123456789');
    await page.getByRole('button', { name: 'Zoek de burger op' }).click();
    const summary = page.locator('section.utrecht-alert--error a');
    await summary.first().waitFor();
    expect(await summary.allTextContents()).toEqual([
      'Dit is geen geldig BSN: het voldoet niet aan de elfproef. Controleer de cijfers.',
    ]);
    // Checked in the page: nothing went to the pseudonym service or the server.
    expect(desk.requests.slice(sent).filter((r) => r.method === 'POST')).toEqual([]);
    await expectNoAxeViolations(page, 'GDPR desk with a wrong BSN nl');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'GDPR requests' }).waitFor();
    await expectNoAxeViolations(page, 'GDPR desk with a wrong BSN en');
    await expectReflow(page, 'GDPR desk en');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.getByRole('heading', { level: 1, name: 'AVG-verzoeken' }).waitFor();
  }, 120_000);

  it('says what to do when the server is not configured for the desk, and the BSN is nowhere', async () => {
    const { page } = desk;
    await page.getByLabel('BSN', { exact: true }).fill(child);
    await page.getByRole('button', { name: 'Zoek de burger op' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('Het AVG-loket kan nog geen pseudoniemen maken.', { exact: false }).waitFor();
    expect(await alert.textContent()).toContain('degene die de server beheert');
    expect(await alert.textContent()).not.toContain(child);
    await expectNoAxeViolations(page, 'GDPR desk not configured nl');
    // The typed BSN: in no URL, no storage, no console message.
    for (const u of urls) expect(u).not.toContain(child);
    expect(await storedText(page)).not.toContain(child);
    for (const line of consoleLines) expect(line).not.toContain(child);
    // "New request" is not offered before the citizen is found; the field clears on the next request.
  }, 120_000);
});
