// The portal as professionals use it (docs/portal.md "Accessibility", "Signing in", "Placing a
// signal", "Matches"), in Chromium against the real match server and pseudonym service:
// every fault of the placement form in one round with error-summary links that name their
// field; focus on the result after sending, "Wijzigen" and a withdrawal; withdrawal buttons that
// differ without a reference; a regie proposal said in words to both sides; the follow-up
// overview's regie column; who is signed in; a deep link kept through sign-in; and the
// tables at 360 px without a word broken, with axe on each of those screens.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBsn } from '../support/e2e-world.js';
import { browserSkipReason, expectNoAxeViolations } from './browser-support.js';
import {
  fillContact,
  openMatch,
  type PersonBrowser,
  PortalWorld,
  placeSignal,
  signedInPerson,
  startTwoOrganisations,
  stopTwoOrganisations,
  type TwoOrganisations,
} from './portal-world.js';

const skip = browserSkipReason();

/** Words (runs without white space) of table cells that the layout split over two lines. */
function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const cell of Array.from(document.querySelectorAll('th, td'))) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
        const text = n.textContent ?? '';
        for (const m of text.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(n, m.index);
          range.setEnd(n, m.index + m[0].length);
          const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(m[0]);
        }
      }
    }
    return broken;
  });
}

describe.skipIf(skip !== undefined)('portal: what the review of 2026-12-04 found', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let anna: PersonBrowser;
  let bert: PersonBrowser;
  let mia: PersonBrowser;
  const child = randomBsn();
  const other = randomBsn();
  let bertMatch = '';

  /** The focused element once the screen's effects have run (they run after paint). */
  async function focused(page: Page): Promise<{ tag: string; text: string }> {
    await page
      .waitForFunction(() => document.activeElement !== document.body, undefined, { timeout: 3_000 })
      .catch(() => {});
    return page.evaluate(() => ({
      tag: document.activeElement?.tagName ?? '',
      text: document.activeElement?.textContent ?? '',
    }));
  }

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    const { A, B, admin, browser } = started;
    const ac = await world.inviteNamed(A, 'Anna Jansen', ['professional']);
    const bc = await world.inviteNamed(B, 'Bert de Vries', ['professional']);
    const m = await world.municipalityPerson(admin, 'Mia Regisseur', ['match_coordinator']);
    anna = await signedInPerson(world, browser, ac.code);
    bert = await signedInPerson(world, browser, bc.code);
    mia = await signedInPerson(world, browser, m.code);
  }, 240_000);
  afterAll(() => stopTwoOrganisations(world, started));

  it('shows who is signed in, in the header only', async () => {
    await anna.page.getByText('Ingelogd als Anna Jansen (Jeugdzorg Oost)').waitFor();
    await mia.page.getByText('Ingelogd als Mia Regisseur').waitFor();
    expect(await anna.page.title()).not.toContain('Anna');
    expect(anna.page.url()).not.toContain('Anna');
  }, 30_000);

  it('reports every fault in one round, each summary link naming its field', async () => {
    const page = anna.page;
    await page.goto(`${world.origin}/portal/#/signals/new`);
    await page.getByLabel('BSN', { exact: true }).fill('1234567');
    await page.getByLabel('BSN eerste ouder').fill('7654321');
    await page.getByLabel('BSN tweede ouder').fill('12');
    await fillContact(page, { name: 'A. Jansen' });
    await page.getByLabel('E-mail').fill('anna@');
    await page.getByRole('button', { name: 'Controleren' }).click();
    const links = page.locator('section.utrecht-alert--error a');
    await links.first().waitFor();
    const texts = await links.allTextContents();
    expect(texts).toEqual([
      'BSN: Het BSN heeft 8 of 9 cijfers.',
      'BSN eerste ouder: Het BSN heeft 8 of 9 cijfers.',
      'BSN tweede ouder: Het BSN heeft 8 of 9 cijfers.',
      'Vul een geldig e-mailadres in.',
    ]);
    await expectNoAxeViolations(page, 'placement form with errors');
  }, 60_000);

  it('moves the focus to the result after "Wijzigen", sending and a withdrawal', async () => {
    const page = anna.page;
    // Another screen first, so the form starts empty.
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.goto(`${world.origin}/portal/#/signals/new`);
    await page.getByLabel('BSN', { exact: true }).fill(child);
    await fillContact(page, { name: 'A. Jansen' });
    await page.getByRole('button', { name: 'Controleren' }).click();
    await page.getByRole('button', { name: 'Wijzigen' }).click();
    await page.getByRole('button', { name: 'Controleren' }).waitFor();
    await expect.poll(() => focused(page)).toEqual({ tag: 'H1', text: 'Signaal afgeven' });
    await page.getByRole('button', { name: 'Controleren' }).click();
    await page.getByRole('button', { name: 'Versturen' }).click();
    await page.getByText('Uw signaal is afgegeven').waitFor();
    await expect.poll(async () => (await focused(page)).text).toContain('Uw signaal is afgegeven');
    // Two more signals without a reference: their buttons still differ.
    await placeSignal(world, anna, other, 'A. Jansen');
    await placeSignal(world, anna, randomBsn(), 'A. Jansen');
    await page.goto(`${world.origin}/portal/#/signals`);
    const ended = page.getByRole('button', { name: /^Betrokkenheid beëindigen: / });
    await ended.first().waitFor();
    const names = await ended.allTextContents();
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(3);
    expect(names[0]).toMatch(/^Betrokkenheid beëindigen: signaal in rij 1, afgegeven /);
    await ended.nth(2).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Ja, betrokkenheid beëindigen' }).click();
    await page.getByText('Het signaal is beëindigd').waitFor();
    await expect.poll(async () => (await focused(page)).text).toContain('Het signaal is beëindigd');
    await expectNoAxeViolations(page, 'my signals after a withdrawal');
  }, 120_000);

  it('says a regie proposal in words to both sides', async () => {
    await placeSignal(world, bert, child, 'Bert de Vries');
    bertMatch = await openMatch(world, bert, 'Jeugdzorg Oost');
    await bert.page.getByRole('button', { name: 'Voorstellen dat ik de regie neem' }).click();
    await bert.page.getByText('U hebt voorgesteld zelf de regie te nemen.', { exact: false }).waitFor();
    await openMatch(world, anna, 'Wijkteam Noord');
    await anna.page
      .getByText('De andere professional stelt voor zelf de regie te nemen.', { exact: false })
      .waitFor();
    await anna.page.getByRole('button', { name: 'Voorstel aannemen' }).waitFor();
    await expectNoAxeViolations(anna.page, 'match with a regie proposal');
  }, 60_000);

  it('shows who holds regie in the follow-up overview', async () => {
    const page = mia.page;
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.goto(`${world.origin}/portal/#/follow-up`);
    await page.locator('table td').first().waitFor();
    expect(await page.locator('table th').allTextContents()).toContain('Regie');
    // Anna placed first, so her organisation holds regie (Bert's proposal is still open).
    const row = page.getByRole('row').filter({ hasText: 'Wijkteam Noord' });
    await expect(row.getByRole('cell').last().textContent()).resolves.toBe('Jeugdzorg Oost');
  }, 60_000);

  it('keeps a deep link through sign-in', async () => {
    const page = bert.page;
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.getByRole('button', { name: 'Uitloggen' }).waitFor({ state: 'detached' });
    await page.goto(`${world.origin}/portal/#/matches/${bertMatch}`);
    await page.getByRole('button', { name: 'Inloggen met passkey' }).click();
    await page.getByRole('heading', { name: 'Regie', exact: true }).waitFor();
    expect(page.url()).toContain(`#/matches/${bertMatch}`);
  }, 60_000);

  it('breaks no word in a table at 360 px, and the page does not scroll sideways', async () => {
    for (const [who, path] of [
      [anna, '/signals'],
      [anna, '/matches'],
      [mia, '/follow-up'],
      [anna, '/devices'],
    ] as const) {
      const page = who.page;
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto(`${world.origin}/portal/#/accessibility`);
      await page.goto(`${world.origin}/portal/#${path}`);
      await page.locator('table td').first().waitFor();
      expect(await brokenWords(page), path).toEqual([]);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(wide, path).toBeLessThanOrEqual(360);
      await expectNoAxeViolations(page, `${path} at 360 px`);
    }
  }, 120_000);
});
