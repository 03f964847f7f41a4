// The portal with a browser clock that is off or moved (docs/portal.md "Signing in": "A clock
// that is off", "A warning before the idle end"): the real server with its test clock and Chromium with Playwright's clock
// (`setSystemTime` moves the wall clock only, as a changed system clock does; `fastForward` is
// time passing). A clock 10 minutes fast or slow costs one refused request, signed again with
// the time of the server's `Date` header (docs/api.md "Conventions"), and the next screen none;
// when that cannot help, the page says in words to check the computer's clock. A clock set back
// after a request does not delay the idle warning: the page counts the time left on its
// monotonic clock too. The pseudonym service keeps its own clock and window: a refused
// evaluation is signed again once with the time of the service's `Date`, and a placement then
// goes through — also during an OPRF rotation, when both pinned epochs are evaluated at once and
// each is refused and signed again; still refused, the same words.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBsn } from '../support/e2e-world.js';
import { SERVER_WAIT } from '../support/server-wait.js';
import { browserSkipReason, launch } from './browser-support.js';
import {
  enrolAndSignIn,
  fillPlacement,
  type PersonBrowser,
  PortalWorld,
  startTwoOrganisations,
  stopTwoOrganisations,
  type TwoOrganisations,
} from './portal-world.js';

const skip = browserSkipReason();
const MINUTE = 60_000;

/** The statuses of the page's answers from the API (under `/v1/`, or only `path`), in order; no CORS preflight. */
function answers(page: Page, path?: string): number[] {
  const seen: number[] = [];
  page.on('response', (r) => {
    if (r.request().method() === 'OPTIONS') return;
    const p = new URL(r.url()).pathname;
    if (path === undefined ? p.startsWith('/v1/') : p === path) seen.push(r.status());
  });
  return seen;
}

describe.skipIf(skip !== undefined)('portal: a browser clock that is off or moved', () => {
  const world = new PortalWorld();
  let browser: Browser;
  let ann: PersonBrowser;
  let bob: PersonBrowser;

  beforeAll(async () => {
    await world.startPortal(['--test-clock']);
    browser = await launch();
    const org = await world.organisation('Jeugdteam Oost');
    const a = await world.inviteNamed(org, 'Ann Professional', ['professional']);
    const b = await world.inviteNamed(org, 'Bob Professional', ['professional']);
    ann = await world.person(browser);
    bob = await world.person(browser);
    for (const [who, code, name] of [
      [ann, a.code, 'Ann'],
      [bob, b.code, 'Bob'],
    ] as const) {
      await who.context.clock.install();
      await enrolAndSignIn(world, who, code);
      await who.page.getByText(`Ingelogd als ${name} Professional`).waitFor();
    }
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await world.close();
  });

  it('10 minutes fast: one refused request, signed again with the server’s time; the next screen none', async () => {
    const page = ann.page;
    const now = await page.evaluate(() => Date.now());
    await ann.context.clock.setSystemTime(now + 10 * MINUTE);
    const first = answers(page);
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.getByRole('cell', { name: 'testlaptop', exact: true }).waitFor();
    // Refused once (each request that was on its way), then answered. The answers are Chromium's
    // response events, which reach this process after the page has drawn what they carried.
    await expect
      .poll(() => first.filter((s) => s === 200).length, { timeout: SERVER_WAIT })
      .toBeGreaterThan(0);
    expect(first[0]).toBe(401);
    const next = answers(page, '/v1/signals');
    await page.goto(`${world.origin}/portal/#/signals`);
    // The screen's signed request and the server's answer (test/support/server-wait.ts).
    await expect.poll(() => next.length, { timeout: SERVER_WAIT }).toBeGreaterThan(0);
    expect(next).not.toContain(401);
    expect(await page.getByText(/timestamp_out_of_window|klok van deze computer/).count()).toBe(0);
  }, 120_000);

  it('still refused after that one re-signing: the page says to check the computer’s clock', async () => {
    const page = ann.page;
    // Another 10 minutes off, and a server `Date` that cannot help (as a proxy that rewrote it).
    const now = await page.evaluate(() => Date.now());
    await ann.context.clock.setSystemTime(now + 10 * MINUTE);
    await ann.context.route('**/v1/me/devices', async (route) => {
      const res = await route.fetch();
      await route.fulfill({
        response: res,
        headers: { ...res.headers(), date: 'Thu, 01 Jan 1970 00:00:00 GMT' },
      });
    });
    const devices = answers(page, '/v1/me/devices');
    await page.goto(`${world.origin}/portal/#/devices`);
    await page
      .getByText(/De klok van deze computer \(of van de server\) loopt meer dan 5 minuten/)
      .first()
      .waitFor();
    await expect.poll(() => devices, { timeout: SERVER_WAIT }).toEqual([401, 401]);
    expect(await page.getByText('timestamp_out_of_window').count()).toBe(0);
    await ann.context.unrouteAll();
  }, 120_000);

  it('a clock set back after the last request does not delay the idle warning nor the end', async () => {
    const page = bob.page;
    // The last answer said 30 minutes; then the clock is set back 4 minutes (inside the window).
    const now = await page.evaluate(() => Date.now());
    await bob.context.clock.setSystemTime(now - 4 * MINUTE);
    // 28.5 minutes pass, at the server and in the page.
    await world.advanceClock(0, 28.5 * 60);
    await bob.context.clock.fastForward(28.5 * MINUTE);
    await page.getByRole('alertdialog', { name: 'Wilt u ingelogd blijven?' }).waitFor({ timeout: 15_000 });
    // Ignored: the page ends the session when the server does, without a request.
    await world.advanceClock(0, 2 * 60);
    await bob.context.clock.fastForward(2 * MINUTE);
    await page.getByText('Uw sessie is beëindigd. Log opnieuw in.').waitFor({ timeout: 15_000 });
  }, 120_000);
});

/** Pien de Vries of Jeugdzorg Oost, enrolled and signed in on a browser whose clock the test moves. */
async function signedInPien(world: PortalWorld, started: TwoOrganisations): Promise<PersonBrowser> {
  const p = await world.inviteNamed(started.A, 'Pien de Vries', ['professional']);
  const pien = await world.person(started.browser);
  await pien.context.clock.install();
  await enrolAndSignIn(world, pien, p.code);
  return pien;
}

describe.skipIf(skip !== undefined)('portal: a browser clock that is off, at the pseudonym service', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let pien: PersonBrowser;
  const CLOCK_WORDS = /De klok van deze computer \(of van de server\) loopt meer dan 5 minuten/;

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    pien = await signedInPien(world, started);
  }, 240_000);
  afterAll(() => stopTwoOrganisations(world, started));

  it('10 minutes fast: the evaluation refused once, signed again with the service’s time; the placement goes through', async () => {
    const page = pien.page;
    const now = await page.evaluate(() => Date.now());
    await pien.context.clock.setSystemTime(now + 10 * MINUTE);
    const evaluations = answers(page, '/v1/evaluate');
    await fillPlacement(world, pien, { bsn: randomBsn(), name: 'Pien de Vries' });
    await page.getByRole('button', { name: 'Versturen' }).click();
    await page.getByText('Uw signaal is afgegeven').waitFor({ timeout: 30_000 });
    expect(evaluations).toEqual([401, 200]);
    expect(await page.getByText(CLOCK_WORDS).count()).toBe(0);
    expect(await page.getByText('timestamp_out_of_window').count()).toBe(0);
    // The service's signed placement reached the match server: the organisation sees it.
    const signals = await world.read(started!.A.signingKey, '/v1/signals?status=active');
    expect(signals.items.length).toBe(1);
  }, 120_000);

  it('still refused after that one re-signing: the page says to check the computer’s clock', async () => {
    const page = pien.page;
    const now = await page.evaluate(() => Date.now());
    await pien.context.clock.setSystemTime(now + 10 * MINUTE);
    // A service `Date` that cannot help (as a proxy that rewrote it).
    await pien.context.route('**/v1/evaluate', async (route) => {
      const res = await route.fetch();
      await route.fulfill({
        response: res,
        headers: { ...res.headers(), date: 'Thu, 01 Jan 1970 00:00:00 GMT' },
      });
    });
    const evaluations = answers(page, '/v1/evaluate');
    await fillPlacement(world, pien, { bsn: randomBsn(), name: 'Pien de Vries' });
    await page.getByText(CLOCK_WORDS).first().waitFor({ timeout: 30_000 });
    await expect.poll(() => evaluations, { timeout: SERVER_WAIT }).toEqual([401, 401]);
    expect(await page.getByText('timestamp_out_of_window').count()).toBe(0);
    await pien.context.unrouteAll();
  }, 120_000);
});

describe.skipIf(skip !== undefined)(
  'portal: a browser clock that is off, at the pseudonym service during a rotation',
  () => {
    const world = new PortalWorld();
    let started: TwoOrganisations | undefined;
    let pien: PersonBrowser;

    beforeAll(async () => {
      // Two OPRF epochs pinned and active (a rotation's overlap): the SDK evaluates both at once.
      started = await startTwoOrganisations(world, { epochs: [2, 3] });
      pien = await signedInPien(world, started);
    }, 240_000);
    afterAll(() => stopTwoOrganisations(world, started));

    it('10 minutes fast: both evaluations refused, each signed again with the service’s time; the placement goes through', async () => {
      const page = pien.page;
      const now = await page.evaluate(() => Date.now());
      await pien.context.clock.setSystemTime(now + 10 * MINUTE);
      // The two refusals reach the page's code together, as two answers of one rotation can:
      // the page's fetch hands each refused evaluation on only once both are in.
      await page.evaluate(() => {
        const fetch = globalThis.fetch.bind(globalThis);
        let refusals = 0;
        let bothIn!: () => void;
        const both = new Promise<void>((r) => {
          bothIn = r;
        });
        globalThis.fetch = async (input, init) => {
          const res = await fetch(input, init);
          if (String(input).endsWith('/v1/evaluate') && res.status === 401 && refusals < 2) {
            if (++refusals === 2) bothIn();
            await both;
          }
          return res;
        };
      });
      const evaluations = answers(page, '/v1/evaluate');
      await fillPlacement(world, pien, { bsn: randomBsn(), name: 'Pien de Vries' });
      await page.getByRole('button', { name: 'Versturen' }).click();
      await page.getByText('Uw signaal is afgegeven').waitFor({ timeout: 30_000 });
      expect([...evaluations].sort()).toEqual([200, 200, 401, 401]);
      expect(await page.getByText(/De klok van deze computer/).count()).toBe(0);
      const signals = await world.read(started!.A.signingKey, '/v1/signals?status=active');
      expect(signals.items.length).toBe(1);
    }, 120_000);
  },
);
