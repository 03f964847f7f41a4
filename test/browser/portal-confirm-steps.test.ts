// The confirm steps of My signals in Chromium against the real match server and pseudonym
// service (docs/portal.md "Confirming"): *placed in error* and *forget what this browser keeps*.
// Escape, and Enter on the cancel button the dialog starts on, leave everything as it was and
// give the focus back to the button that opened the step; Tab to the confirm button and Enter
// does it, and the result takes the focus. axe on each state.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, randomBsn } from '../support/e2e-world.js';
import { focusedText } from '../support/focus.js';
import { SERVER_WAIT } from '../support/server-wait.js';
import { browserSkipReason, expectNoModerateAxeViolations } from './browser-support.js';
import {
  fillPlacement,
  type PersonBrowser,
  PortalWorld,
  signedInPerson,
  startTwoOrganisations,
  stopTwoOrganisations,
  type TwoOrganisations,
} from './portal-world.js';

const skip = browserSkipReason();

const dialogOpen = (page: Page) => page.locator('dialog[open]').count();

describe.skipIf(skip !== undefined)('portal: the confirm steps of My signals', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let A: Org;
  let piet: PersonBrowser;
  const ids = { piet: '' };
  const active = async () =>
    (await world.read(A.signingKey, `/v1/signals?status=active&personId=${ids.piet}`)) as {
      items: { id: string }[];
    };

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    ({ A } = started);
    const p = await world.inviteNamed(A, 'Piet Bakker', ['professional']);
    ids.piet = p.personId;
    piet = await signedInPerson(world, started.browser, p.code);
    for (const reference of ['DOS-1', 'DOS-2']) {
      await fillPlacement(world, piet, { bsn: randomBsn(), name: 'Piet Bakker', reference });
      await piet.page.getByRole('button', { name: 'Versturen' }).click();
      await piet.page.getByText('Uw signaal is afgegeven').waitFor();
    }
  }, 300_000);
  afterAll(() => stopTwoOrganisations(world, started));

  async function mySignals(): Promise<Page> {
    const page = piet.page;
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.goto(`${world.origin}/portal/#/signals`);
    await page.getByRole('cell', { name: 'DOS-2', exact: true }).waitFor();
    return page;
  }

  it('placed in error: Escape and Enter on Cancel change nothing; confirming removes the signal', async () => {
    const page = await mySignals();
    const open = page.getByRole('button', { name: 'Signaal verwijderen (ten onrechte afgegeven): DOS-1' });
    for (const key of ['Escape', 'Enter'] as const) {
      await open.click();
      await page.getByRole('dialog', { name: 'Signaal verwijderen?' }).waitFor();
      await expect.poll(() => focusedText(page)).toBe('Annuleren');
      await page.keyboard.press(key);
      await expect.poll(() => dialogOpen(page)).toBe(0);
      await expect.poll(() => focusedText(page)).toBe('Signaal verwijderen (ten onrechte afgegeven): DOS-1');
      expect((await active()).items).toHaveLength(2);
      expect(await page.getByRole('cell', { name: 'DOS-1', exact: true }).count()).toBe(1);
    }
    await open.click();
    const dialog = page.getByRole('dialog', { name: 'Signaal verwijderen?' });
    await dialog.waitFor();
    await expectNoModerateAxeViolations(page, 'the placed-in-error confirm step');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedText(page)).toBe('Ja, signaal verwijderen');
    await page.keyboard.press('Enter');
    await page.getByText('Het signaal is verwijderd.').waitFor();
    await expect.poll(() => focusedText(page)).toBe('Het signaal is verwijderd.');
    expect((await active()).items).toHaveLength(1);
    // The list is read again after the answer: wait for the row to go.
    await expect
      .poll(() => page.getByRole('cell', { name: 'DOS-1', exact: true }).count(), { timeout: SERVER_WAIT })
      .toBe(0);
    await expectNoModerateAxeViolations(page, 'a signal removed as placed in error');
  }, 240_000);

  it('forget what this browser keeps: Escape and Enter on Cancel keep it; confirming forgets it', async () => {
    const page = await mySignals();
    const open = page.getByRole('button', { name: 'Verwijder wat deze browser voor mij bewaart' });
    for (const key of ['Escape', 'Enter'] as const) {
      await open.click();
      await page.getByRole('dialog', { name: 'Verwijderen wat deze browser voor u bewaart?' }).waitFor();
      await expect.poll(() => focusedText(page)).toBe('Annuleren');
      await page.keyboard.press(key);
      await expect.poll(() => dialogOpen(page)).toBe(0);
      await expect.poll(() => focusedText(page)).toBe('Verwijder wat deze browser voor mij bewaart');
      expect(await page.getByRole('cell', { name: 'DOS-2', exact: true }).count()).toBe(1);
    }
    await open.click();
    await page.getByRole('dialog', { name: 'Verwijderen wat deze browser voor u bewaart?' }).waitFor();
    await expectNoModerateAxeViolations(page, 'the forget confirm step');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedText(page)).toBe('Ja, verwijderen');
    await page.keyboard.press('Enter');
    await page.getByText('Deze browser bewaart niets meer voor u.').waitFor();
    await expect.poll(() => focusedText(page)).toBe('Deze browser bewaart niets meer voor u.');
    // The reference was only in this browser: gone from the list, also after reading it again;
    // the signal itself stays at the server.
    await expect
      .poll(() => page.getByRole('cell', { name: 'DOS-2', exact: true }).count(), { timeout: SERVER_WAIT })
      .toBe(0);
    await mySignalsWithout(page);
    expect((await active()).items).toHaveLength(1);
    await expectNoModerateAxeViolations(page, 'what this browser kept, forgotten');
  }, 240_000);

  async function mySignalsWithout(page: Page): Promise<void> {
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.goto(`${world.origin}/portal/#/signals`);
    // The button stands before the list is read: wait for the signal's row, now without its reference.
    await page.getByText('(geen kenmerk in deze browser)').waitFor();
    expect(await page.getByText('DOS-2').count()).toBe(0);
  }
});
