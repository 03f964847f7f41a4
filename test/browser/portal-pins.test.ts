// The portal's pins (docs/portal.md "Pins"), in Chromium against the real match server and
// pseudonym service: the page is built pinned to the service's URL and epoch 2's public key
// from the service's key ceremony. It pseudonymises under that epoch; after an administrator
// registers an OPRF epoch with a key of their own at the match server (which then offers it in
// config.json), the page refuses to pseudonymise, with a code only, and sends nothing to the
// service. Also: the enrol form's error summary takes the focus (docs/portal.md "Accessibility").

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PseudonymServiceProcess } from '../support/pseudonym-service-process.js';
import { browserSkipReason, expectNoAxeViolations, launch } from './browser-support.js';
import { type PersonBrowser, PortalWorld, signedInPerson, startPortalWithService } from './portal-world.js';

const skip = browserSkipReason();
/** A valid ristretto255 element (the generator) whose private key anyone knows: 1. */
const ROGUE_KEY = Buffer.from(
  'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76',
  'hex',
).toString('base64url');

describe.skipIf(skip !== undefined)('portal: pinned pseudonym service and epochs', () => {
  const world = new PortalWorld();
  let service: PseudonymServiceProcess;
  let browser: Browser;
  let anna: PersonBrowser;

  beforeAll(async () => {
    const started = await startPortalWithService(world, [{ name: 'Jeugdzorg Oost', type: 'youth_care' }]);
    service = started.service;
    const [A] = started.orgs;
    const code = await world.inviteNamed(A, 'Anna Jansen', ['professional']);
    browser = await launch();
    anna = await signedInPerson(world, browser, code.code);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await world.close();
  });

  async function check(bsn: string): Promise<void> {
    const page = anna.page;
    // Through another screen and a reload: the page reads config.json afresh.
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.goto(`${world.origin}/portal/#/signals/new`);
    await page.reload();
    await page.getByLabel('BSN', { exact: true }).fill(bsn);
    await page.getByLabel('Nog niet').check();
    await page.getByLabel('Naam', { exact: true }).fill('Anna Jansen');
    await page.getByLabel('Functie').fill('jeugdconsulent');
    await page.getByLabel('Telefoon').fill('+31 10 555 1234');
    await page.getByRole('button', { name: 'Controleren' }).click();
  }

  const toService = (from: number) => anna.requests.slice(from).filter((r) => r.url.startsWith(service.url));

  it('pseudonymises through the pinned service under the pinned epoch', async () => {
    const before = anna.requests.length;
    await check('123456782');
    await anna.page.getByRole('heading', { name: 'Dit wordt verstuurd' }).waitFor();
    expect(toService(before).length).toBeGreaterThan(0);
  });

  it('refuses an epoch an administrator registered with a key of their own, and sends the service nothing', async () => {
    const r = await world.admin([
      'register-epoch',
      '--epoch',
      '7',
      '--kind',
      'oprf',
      `--public-key=${ROGUE_KEY}`,
    ]);
    expect(r.code).toBe(0);
    // The match server still reports what is active, the rogue epoch included.
    const config = (await (await fetch(`${world.origin}/portal/config.json`)).json()) as {
      oprfEpochs: { epoch: number; publicKey: string }[];
    };
    expect(config.oprfEpochs.map((e) => e.epoch)).toEqual([2, 7]);

    const before = anna.requests.length;
    await check('111222333');
    const alert = anna.page.getByRole('alert').filter({ hasText: 'oprf_epoch_not_pinned' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Er is niets verstuurd');
    await expect(anna.page.getByRole('heading', { name: 'Dit wordt verstuurd' }).count()).resolves.toBe(0);
    expect(toService(before)).toEqual([]);
    expect(
      anna.requests.slice(before).filter((x) => x.url.endsWith('/v1/pseudonym-credentials')),
      'no credential asked for',
    ).toEqual([]);
    // The refusal names the code, never the key.
    expect(await anna.page.locator('main').textContent()).not.toContain(ROGUE_KEY);
    await expectNoAxeViolations(anna.page, 'place a signal, epoch not pinned (nl)');
  });

  it('the enrol form lists its errors in a summary that takes the focus (nl, en)', async () => {
    for (const [lang, button, title] of [
      ['nl', 'Passkey aanmaken', 'Controleer de volgende velden'],
      ['en', 'Create passkey', 'Please check these fields'],
    ] as const) {
      const who = await world.person(browser, lang);
      try {
        const page = who.page;
        await page.goto(`${world.origin}/portal/#/enrol`);
        await page.getByRole('button', { name: button }).click();
        const summary = page.getByRole('region', { name: title });
        await summary.waitFor();
        await expect
          .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-labelledby')))
          .toBe('enrol-errors-title');
        const links = await summary
          .getByRole('link')
          .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        expect(links).toEqual(['#enrol-code', '#enrol-device']);
        for (const id of ['enrol-code', 'enrol-device'])
          await expect(page.locator(`#${id}`).getAttribute('aria-invalid')).resolves.toBe('true');
        await expectNoAxeViolations(page, `enrol, errors shown (${lang})`);
      } finally {
        await who.context.close();
      }
    }
  });
});
