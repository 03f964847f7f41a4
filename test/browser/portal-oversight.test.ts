// The municipality's oversight screens and the small fixes beside them (docs/portal.md
// "Screens"): management information for the match coordinator and the administrator — a
// table per closed month with the organisation types as row headers, suppressed cells and
// medians said in words with the server's threshold, a wrong period marked at its field and
// nothing sent; the auditor's logbook check in words and the key list, read only, with the
// export left to the admin CLI; navigation that offers these screens only to the roles the
// routes allow; the follow-up overview's status filter that shows what its option says; the
// device removal's confirm step naming the device by name and creation time (own devices and a
// colleague's); texts that send municipality staff to the municipality's administrator.
//
// Counts land in the month they are made, and only closed months are shown, so the server runs
// a test clock that is moved past the month's close after the counted events; each browser
// then runs at the server's time (Playwright's clock), since every request is signed with it.

import type { SigningKey } from '@sluis/client-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Org } from '../support/e2e-world.js';
import { SERVER_WAIT } from '../support/server-wait.js';
import { browserSkipReason, expectNoAxeViolations, launch } from './browser-support.js';
import { enrolAndSignIn, type PersonBrowser, PortalWorld } from './portal-world.js';

const skip = browserSkipReason();
const DAY_MS = 86_400_000;

/** Days to move a clock at `now` so that its month is closed (the second day of the next, UTC) with an hour to spare. */
function daysToClose(now: number): number {
  const d = new Date(now);
  const closes = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 2, 1);
  return Math.ceil((closes - now) / DAY_MS);
}

/** The menu's link texts. */
function navLinks(page: Page): Promise<string[]> {
  return page
    .getByRole('navigation', { name: /Hoofdmenu|Main menu/ })
    .getByRole('link')
    .allTextContents();
}

describe.skipIf(skip !== undefined)('portal: management information, the auditor, and small fixes', () => {
  const world = new PortalWorld();
  let browser: Browser;
  let A: Org;
  let admin: SigningKey;
  /** The month of the counted events, `YYYY-MM`, closed after the clock moved. */
  let month = '';
  let matchCoordinator: PersonBrowser;
  let administrator: PersonBrowser;
  let auditor: PersonBrowser;
  let coordinator: PersonBrowser;
  let professional: PersonBrowser;
  let endedSignal = '';

  /** A person's browser at the server's (moved) time, enrolled with `code` and signed in. */
  async function atServerTime(code: string): Promise<PersonBrowser> {
    const who = await world.person(browser);
    await who.context.clock.install({ time: world.clock() });
    await enrolAndSignIn(world, who, code);
    return who;
  }

  beforeAll(async () => {
    await world.startPortal(['--test-clock', '--statistics-suppression-threshold', '2']);
    browser = await launch();
    admin = await world.adminKey();
    A = await world.organisation('Jeugdteam Oost', 'youth_care');
    const B = await world.organisation('Wijkteam West', 'social_services');
    // Three matches this month; the youth care team records contact on two of them.
    const informed = { status: 'citizen' as const, date: new Date().toISOString().slice(0, 10) };
    for (let i = 0; i < 3; i++) {
      const bsn = world.bsn();
      const a = await A.client.placeSignal({ bsn, contact: world.contact(), informed });
      await B.client.placeSignal({ bsn, contact: world.contact(), informed });
      if (i === 0) endedSignal = a.signal.id;
    }
    const events = (await A.client.matches()).items;
    expect(events).toHaveLength(3);
    for (const e of events.slice(0, 2)) await A.client.recordFollowUp(e.matchId, 'contact_made');
    month = new Date(world.clock()).toISOString().slice(0, 7);
    await world.advanceClock(daysToClose(world.clock()));

    const mc = await world.municipalityPerson(admin, 'Mia Opvolging', ['match_coordinator']);
    const adm = await world.municipalityPerson(admin, 'Ada Beheer', ['administrator']);
    const aud = await world.municipalityPerson(admin, 'Otto Controle', ['auditor']);
    const c = await world.inviteNamed(A, 'Cor Coördinator', ['organisation_coordinator']);
    const p = await world.inviteNamed(A, 'Pim Professional', ['professional']);
    matchCoordinator = await atServerTime(mc.code);
    administrator = await atServerTime(adm.code);
    auditor = await atServerTime(aud.code);
    coordinator = await atServerTime(c.code);
    professional = await atServerTime(p.code);
  }, 400_000);
  afterAll(async () => {
    await browser?.close();
    await world.close();
  });

  it('shows management information per month and organisation type, small cells in words', async () => {
    const { page, requests } = matchCoordinator;
    expect(await navLinks(page)).toContain('Managementinformatie');
    await page.getByRole('link', { name: 'Managementinformatie' }).click();
    await page.getByRole('heading', { level: 1, name: 'Managementinformatie' }).waitFor();
    const [y, m] = month.split('-').map(Number) as [number, number];
    const monthName = new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString('nl-NL', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    const table = page.getByRole('table', { name: `Managementinformatie ${monthName}` });
    await table.waitFor();
    // The period asked is the last three closed months, ending with the events' month.
    const asked = requests.filter((r) => r.url.includes('/v1/admin/management-information')).at(-1)!;
    expect(new URL(asked.url).searchParams.get('to')).toBe(month);
    const server = await world.read(admin, `/v1/admin/management-information?from=${month}&to=${month}`);
    expect(server.threshold).toBe(2);
    const youth = server.rows.find((r: { organisationType: string }) => r.organisationType === 'youth_care');
    expect(youth).toMatchObject({ signalsPlaced: 3, matches: 3, contactMade: 2, signalsWithdrawn: '<2' });

    // Organisation types are row headers; each row reads as the server's cells, in words.
    const row = (type: string) =>
      table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: type }) });
    const youthCells = await row('jeugdzorg').getByRole('cell').allTextContents();
    expect(youthCells).toEqual([
      '3',
      'minder dan 2',
      '3',
      '2',
      'minder dan 2',
      'minder dan 2',
      'minder dan 2',
      `${youth.medianDaysToContact} dagen`,
    ]);
    const social = await row('sociaal wijkteam').getByRole('cell').allTextContents();
    expect(social[3]).toBe('minder dan 2');
    expect(social[7]).toBe('geen mediaan (minder dan 2 keer contact)');
    expect(await table.getByRole('columnheader', { name: 'Contact gelegd' }).count()).toBe(1);
    await page.getByText('Is een aantal kleiner dan 2? Dan staat er "minder dan 2".').waitFor();
    expect(await page.getByRole('main').textContent()).not.toMatch(/totaal/i);
    await expectNoAxeViolations(page, 'management information nl');

    // A month not yet closed, and a first month after the last: marked at the fields, nothing sent.
    const before = requests.length;
    const current = new Date(world.clock()).toISOString().slice(0, 7);
    await page.getByLabel('Tot en met maand').fill(current);
    await page.getByLabel('Van maand').fill('2999-01');
    await page.getByRole('button', { name: 'Tonen' }).click();
    await page.getByText('Deze maand is nog niet afgesloten.').first().waitFor();
    expect(await page.getByLabel('Tot en met maand').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Van maand').getAttribute('aria-invalid')).toBe('true');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-labelledby')))
      .toBe('mi-errors-title');
    expect(requests.length).toBe(before);
    await expectNoAxeViolations(page, 'management information with faults nl');

    await page.getByLabel('Van maand').fill(month);
    await page.getByLabel('Tot en met maand').fill(month);
    await page.getByRole('button', { name: 'Tonen' }).click();
    await page.getByRole('button', { name: 'English' }).click();
    const en = page.getByRole('table', { name: /^Management information / });
    await en.waitFor();
    expect(await page.getByRole('table').count()).toBe(1);
    await en.getByRole('rowheader', { name: 'youth care' }).waitFor();
    expect(await en.getByRole('cell', { name: 'fewer than 2' }).count()).toBeGreaterThan(0);
    await expectNoAxeViolations(page, 'management information en');
    await page.getByRole('button', { name: 'Nederlands' }).click();
  }, 180_000);

  it('offers management information to the administrator too, and neither screen to other roles', async () => {
    expect(await navLinks(administrator.page)).toContain('Managementinformatie');
    expect(await navLinks(administrator.page)).not.toContain('Logboek en sleutels');
    expect(await navLinks(matchCoordinator.page)).not.toContain('Logboek en sleutels');
    for (const who of [coordinator, professional, auditor]) {
      expect(await navLinks(who.page)).not.toContain('Managementinformatie');
    }
    for (const who of [coordinator, professional]) {
      expect(await navLinks(who.page)).not.toContain('Logboek en sleutels');
    }
    const { page } = professional;
    await page.goto(`${world.origin}/portal/#/management-information`);
    await page.getByRole('heading', { name: 'Niet voor uw rol' }).waitFor();
    await page.goto(`${world.origin}/portal/#/logbook`);
    await page.getByRole('heading', { name: 'Niet voor uw rol' }).waitFor();
  }, 180_000);

  it('lets the auditor check the logbook, said in words, and read the keys', async () => {
    const { page, requests } = auditor;
    // The auditor lands on their own screen.
    await expect.poll(() => page.url(), { timeout: SERVER_WAIT }).toBe(`${world.origin}/portal/#/logbook`);
    expect(await navLinks(page)).toContain('Logboek en sleutels');
    await page.getByRole('heading', { level: 1, name: 'Logboek en sleutels' }).waitFor();
    await page.getByRole('button', { name: 'Logboek controleren' }).click();
    const ok = page.getByText(/^Het logboek is in orde: de keten van alle \d+ regels klopt\.$/);
    await ok.waitFor();
    await expect
      .poll(() => ok.evaluate((e) => e.closest('[tabindex="-1"]') === document.activeElement), {
        timeout: 5_000,
      })
      .toBe(true);
    const server = await world.read(admin, '/v1/admin/logbook/verify');
    expect(server.ok).toBe(true);
    const shown = Number(/alle (\d+) regels/.exec((await ok.textContent()) ?? '')![1]);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(server.entries);
    const head = await page.locator('dd code').textContent();
    expect(head).toMatch(/^[A-Za-z0-9_=+/-]{20,}$/);
    // The verify answer holds no entry: no contact, name or e-mail reaches the page.
    const text = (await page.getByRole('main').textContent()) ?? '';
    for (const c of world.contacts) {
      expect(text).not.toContain(c.name);
      expect(text).not.toContain(c.email);
    }
    expect(text).not.toContain('Pim Professional');
    expect(requests.some((r) => new URL(r.url).pathname === '/v1/admin/logbook')).toBe(false);
    // The export is the CLI's, with the command as docs/operations.md writes it.
    await page.getByText('sluis-server admin logbook-export [--from-seq N] [--out FILE]').waitFor();

    const keys = await world.read(admin, '/v1/admin/keys');
    const table = page.getByRole('table', { name: 'Sleutels' });
    await table.waitFor();
    for (const k of keys.items as { keyId: string }[])
      await table.getByRole('rowheader', { name: k.keyId }).waitFor();
    expect(await table.getByRole('row').count()).toBe(keys.items.length + 1);
    expect(await table.getByRole('button').count()).toBe(0);
    await expectNoAxeViolations(page, 'logbook and keys nl');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Check the logbook' }).click();
    await page.getByText(/^The logbook is intact: the chain of all \d+ lines is correct\.$/).waitFor();
    await expectNoAxeViolations(page, 'logbook and keys en');
    await page.getByRole('button', { name: 'Nederlands' }).click();
  }, 180_000);

  it('follow-up: each status option shows the matches its name says', async () => {
    await A.client.withdraw(endedSignal, 'ended');
    const { page, requests } = matchCoordinator;
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.goto(`${world.origin}/portal/#/follow-up`);
    const status = page.getByLabel('Status', { exact: true });
    await status.waitFor();
    const labels = await status.locator('option').allTextContents();
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) {
      await status.selectOption({ label });
      // "alle" would have to show the ended match beside the active ones.
      // The status cell starts with a capital as the other values of the table; the option does not.
      const want =
        label === 'alle' ? ['Actief', 'Beëindigd'] : [label.charAt(0).toUpperCase() + label.slice(1)];
      await expect
        .poll(
          async () => [...new Set(await page.locator('tbody tr td:nth-child(3)').allTextContents())].sort(),
          { timeout: SERVER_WAIT },
        )
        .toEqual(want);
      const q = new URL(requests.filter((r) => r.url.includes('/v1/admin/follow-up')).at(-1)!.url);
      expect(q.searchParams.get('status')).not.toBeNull();
    }
  }, 180_000);

  it('names the device, by name and creation time, in the removal’s confirm step', async () => {
    const { page } = matchCoordinator;
    await page.goto(`${world.origin}/portal/#/devices`);
    const created = await page.locator('tbody tr td:nth-child(2)').first().textContent();
    await page.getByRole('button', { name: 'testlaptop verwijderen' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').textContent()).toBe(
      `Apparaat testlaptop (aangemaakt ${created}) verwijderen?`,
    );
    // Municipality staff get a new code from the municipality's administrator.
    expect(await dialog.textContent()).toContain('of van de beheerder van de gemeente als u daar werkt');
    await expectNoAxeViolations(page, 'device removal confirm nl');
    await page.keyboard.press('Escape');

    // The coordinator's view of a colleague's devices.
    const c = coordinator.page;
    await c.goto(`${world.origin}/portal/#/organisation`);
    await c.getByRole('button', { name: 'Apparaten van Pim Professional' }).click();
    const list = c.getByRole('region', { name: 'Apparaten van Pim Professional' });
    await list.waitFor();
    const theirs = await list.locator('tbody tr td:nth-child(2)').first().textContent();
    await list.getByRole('button', { name: 'testlaptop verwijderen' }).click();
    await c.getByRole('dialog').waitFor();
    expect(await c.getByRole('dialog').getByRole('heading').textContent()).toBe(
      `Apparaat testlaptop (aangemaakt ${theirs}) verwijderen?`,
    );
    await c.keyboard.press('Escape');
  }, 180_000);

  it('sends municipality staff to the municipality’s administrator', async () => {
    const who = await world.person(browser);
    const { page } = who;
    await page.goto(`${world.origin}/portal/#/accessibility`);
    await page
      .getByText('Werkt u bij de gemeente? Neem dan contact op met de beheerder van de gemeente.')
      .waitFor();
    await page.getByText('Werkt u bij de gemeente? Meld het dan bij de beheerder van de gemeente.').waitFor();
    await page.goto(`${world.origin}/portal/#/enrol`);
    await page.getByLabel('Uitnodigingscode').fill('ABCD-EFGH-JKLM-NPQR-STUV-WXYZ');
    await page.getByLabel('Naam van dit apparaat').fill('testlaptop');
    await page.getByRole('button', { name: 'Passkey aanmaken' }).click();
    await page.getByText('Werkt u bij de gemeente? Vraag het dan de beheerder van de gemeente.').waitFor();
    await who.context.close();
  }, 180_000);
});
