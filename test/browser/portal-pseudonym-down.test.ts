// The pseudonym service really stopped (docs/portal.md "Pins", docs/sdk.md "Errors"): the
// professional presses *Controleren* and reads that the pseudonym service cannot be reached and
// that nothing was sent — not that "the server" is down — while the match server, which still
// answers, received no placement; the typed form stays. In Chromium against the real match server
// and the real pseudonym service process, stopped with SIGTERM.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBsn } from '../support/e2e-world.js';
import { browserSkipReason } from './browser-support.js';
import {
  fillContact,
  type PersonBrowser,
  PortalWorld,
  signedInPerson,
  startTwoOrganisations,
  stopTwoOrganisations,
  type TwoOrganisations,
} from './portal-world.js';

const skip = browserSkipReason();

describe.skipIf(skip !== undefined)('portal: the pseudonym service stopped', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let pien: PersonBrowser;

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    const p = await world.inviteNamed(started.A, 'Pien de Vries', ['professional']);
    pien = await signedInPerson(world, started.browser, p.code);
  }, 240_000);
  afterAll(() => stopTwoOrganisations(world, started));

  it('says the pseudonym service cannot be reached and nothing was sent, in Dutch and English', async () => {
    const page = pien.page;
    const bsn = randomBsn();
    await page.goto(`${world.origin}/portal/#/signals/new`);
    await page.getByLabel('BSN', { exact: true }).fill(bsn);
    await fillContact(page, { name: 'Pien de Vries' });
    await started!.service.stop();
    await page.getByRole('button', { name: 'Controleren' }).click();
    await page
      .getByText('De pseudoniemdienst is niet bereikbaar. Er is niets verstuurd.')
      .waitFor({ timeout: 60_000 });
    expect(await page.getByText('De server is niet bereikbaar').count()).toBe(0);
    // The typed form stays; nothing reached the match server as a placement.
    expect(await page.getByLabel('BSN', { exact: true }).inputValue()).toBe(bsn);
    expect(pien.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/v1/signals'))).toEqual([]);
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('button', { name: 'Check' }).click();
    await page
      .getByText('The pseudonym service cannot be reached. Nothing was sent.')
      .waitFor({ timeout: 60_000 });
  }, 180_000);
});
