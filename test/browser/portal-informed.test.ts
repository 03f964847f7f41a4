// Dates, the match's facts and whom the professional informed (docs/portal.md "Dates and
// times", "My signals", "Accessibility"), in Chromium against the real match server and
// pseudonym service: every screen that shows a date shows it in words in Dutch and in English,
// never as `2026-12-04`, with the machine value in <time dateTime>; the match's facts are a
// Utrecht data list, key beside value on a wide screen and below it at 360 px; and a
// professional records again whom they informed — a future date marked at its field with
// nothing sent, the new status seen on the screen and at the server, a signal ended meanwhile
// said in words — with axe on each of those screens in both languages.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, randomBsn } from '../support/e2e-world.js';
import type { PseudonymServiceProcess } from '../support/pseudonym-service-process.js';
import { browserSkipReason, expectNoAxeViolations, launch } from './browser-support.js';
import { type PersonBrowser, PortalWorld, signedInPerson, startPortalWithService } from './portal-world.js';

const skip = browserSkipReason();

/** A UTC calendar day `days` from today, as the API writes it. */
function dayFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * No date or time on the screen (shown already) as the API writes it, and every <time> element
 * — there is at least one — carries the machine value while showing a year and a month in words.
 */
async function expectDatesInWords(page: Page, label: string): Promise<void> {
  const shown = await page.evaluate(() => ({
    text: document.body.textContent ?? '',
    times: Array.from(document.querySelectorAll('time')).map((t) => ({
      machine: t.getAttribute('datetime') ?? '',
      text: t.textContent ?? '',
    })),
  }));
  expect(shown.text, label).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}|T\d{2}:\d{2}|Invalid Date/);
  expect(shown.times.length, label).toBeGreaterThan(0);
  for (const time of shown.times) {
    expect(time.machine, label).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(time.text, label).toMatch(/\b\d{4}\b/);
    expect(time.text, label).toMatch(/\p{L}{3}/u);
  }
}

/** The check in Dutch, then in English (the header's language button), then back to Dutch. */
async function inBothLanguages(page: Page, label: string, check: (label: string) => Promise<void>) {
  await check(`${label} (nl)`);
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await page.locator('html[lang="en"]').waitFor();
  await check(`${label} (en)`);
  await page.getByRole('button', { name: 'Nederlands', exact: true }).click();
  await page.locator('html[lang="nl"]').waitFor();
}

describe.skipIf(skip !== undefined)(
  'portal: dates in words, the match as a data list, whom you informed',
  () => {
    const world = new PortalWorld();
    let service: PseudonymServiceProcess;
    let browser: Browser;
    let A: Org;
    let anna: PersonBrowser;
    let bert: PersonBrowser;
    let mia: PersonBrowser;
    const child = randomBsn();
    const informedOn = dayFromToday(-3);

    async function api(org: Org, method: string, path: string, body?: unknown) {
      // biome-ignore lint/suspicious/noExplicitAny: a JSON answer read in assertions
      return (await world.signed(org.signingKey, method, path, body)) as any;
    }

    async function place(
      who: PersonBrowser,
      o: { bsn: string; name: string; reference?: string; informed?: { label: string; date: string } },
    ): Promise<void> {
      const page = who.page;
      await page.goto(`${world.origin}/portal/#/devices`);
      await page.goto(`${world.origin}/portal/#/signals/new`);
      await page.getByLabel('BSN', { exact: true }).fill(o.bsn);
      await page.getByLabel('Geboortedatum (niet verplicht)').fill('2014-06-15');
      if (o.informed === undefined) await page.getByLabel('Nog niet').check();
      else {
        await page.getByLabel(o.informed.label).check();
        await page.getByLabel('Datum waarop u informeerde').fill(o.informed.date);
      }
      await page.getByLabel('Naam', { exact: true }).fill(o.name);
      await page.getByLabel('Functie').fill('jeugdconsulent');
      await page.getByLabel('Telefoon').fill('+31 10 555 1234');
      if (o.reference !== undefined)
        await page.getByLabel('Uw eigen kenmerk (niet verplicht)').fill(o.reference);
      await page.getByRole('button', { name: 'Controleren' }).click();
      await page.getByRole('button', { name: 'Versturen' }).waitFor();
    }

    async function send(who: PersonBrowser): Promise<void> {
      await who.page.getByRole('button', { name: 'Versturen' }).click();
      await who.page.getByText('Uw signaal is afgegeven').waitFor();
    }

    async function openMatch(page: Page): Promise<void> {
      await page.goto(`${world.origin}/portal/#/devices`);
      await page.goto(`${world.origin}/portal/#/matches`);
      await page.getByRole('link', { name: 'Wijkteam Noord' }).click();
      await page.getByRole('heading', { name: 'Regie', exact: true }).waitFor();
    }

    /** Anna's active signal with the reference, found through the organisation's own key. */
    async function annaSignal(): Promise<string> {
      const list = await api(A, 'GET', '/v1/signals?status=active');
      const mine = list.items.filter((s: { contact: { name: string } }) => s.contact.name === 'A. Jansen');
      expect(mine).toHaveLength(1);
      return mine[0].id;
    }

    beforeAll(async () => {
      const started = await startPortalWithService(world, [
        { name: 'Jeugdzorg Oost', type: 'youth_care' },
        { name: 'Wijkteam Noord', type: 'social_services' },
      ]);
      service = started.service;
      const [a, b] = started.orgs;
      A = a;
      const admin = await world.adminKey();
      const ac = await world.inviteNamed(a, 'Anna Jansen', ['professional']);
      const bc = await world.inviteNamed(b, 'Bert de Vries', ['professional']);
      const m = (await world.signed(admin, 'POST', '/v1/admin/people', {
        organisationId: null,
        displayName: 'Mia Regisseur',
        roles: ['match_coordinator'],
      })) as { person: { id: string } };
      const mCode = await world.code(admin, m.person.id, 'admin/people');
      browser = await launch();
      anna = await signedInPerson(world, browser, ac.code);
      bert = await signedInPerson(world, browser, bc.code);
      mia = await signedInPerson(world, browser, mCode);
    }, 240_000);
    afterAll(async () => {
      await browser?.close();
      await service?.stop();
      await world.close();
    });

    it('shows the dates of the placement preview in words, the informed date and the end date in <time>', async () => {
      await place(anna, {
        bsn: child,
        name: 'A. Jansen',
        reference: 'dossier 7',
        informed: { label: 'De jongere zelf (12 jaar of ouder)', date: informedOn },
      });
      const page = anna.page;
      await inBothLanguages(page, 'placement preview', async (label) => {
        await expectDatesInWords(page, label);
        const machine = await page
          .locator('time')
          .evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
        expect(machine, label).toContain(informedOn);
        expect(machine, label).toHaveLength(2);
        await expectNoAxeViolations(page, label);
      });
      await send(anna);
      await place(bert, { bsn: child, name: 'Bert de Vries' });
      await send(bert);
    }, 120_000);

    it('shows every date in words on My signals, the matches, the match, My devices and the follow-up overview', async () => {
      const page = anna.page;
      await page.goto(`${world.origin}/portal/#/signals`);
      await page.getByRole('cell', { name: 'dossier 7', exact: true }).waitFor();
      await inBothLanguages(page, 'my signals', (label) => expectDatesInWords(page, label));

      await page.goto(`${world.origin}/portal/#/matches`);
      await page.getByRole('link', { name: 'Wijkteam Noord' }).waitFor();
      await inBothLanguages(page, 'matches', (label) => expectDatesInWords(page, label));

      await openMatch(page);
      const vocabulary = await api(A, 'GET', '/v1/agreements/vocabulary');
      await page.getByLabel('Soort actie').selectOption(vocabulary.actionKinds[0]);
      await page.getByLabel('Soort informatie').selectOption(vocabulary.informationCategories[0]);
      await page.getByLabel('Doel').selectOption(vocabulary.purposes[0]);
      await page.getByLabel('Uiterlijk op').fill(dayFromToday(14));
      await page.getByRole('button', { name: 'Afspraak toevoegen' }).click();
      await page.getByText('Contact opnemen met de cliënt · ').waitFor();
      await inBothLanguages(page, 'match', (label) => expectDatesInWords(page, label));

      await page.goto(`${world.origin}/portal/#/devices`);
      await page.getByRole('cell', { name: 'testlaptop', exact: true }).waitFor();
      await inBothLanguages(page, 'my devices', (label) => expectDatesInWords(page, label));

      // Another screen first: the overview the sign-in landed on was read before the match existed.
      await mia.page.goto(`${world.origin}/portal/#/devices`);
      await mia.page.goto(`${world.origin}/portal/#/follow-up`);
      await mia.page.locator('table td').first().waitFor();
      await inBothLanguages(mia.page, 'follow-up overview', (label) => expectDatesInWords(mia.page, label));
    }, 180_000);

    it("shows the match's facts as a data list: key beside value when wide, below it at 360 px", async () => {
      const page = anna.page;
      const boxes = async () => {
        const item = page.locator('.utrecht-data-list__item', { hasText: 'Organisatie' });
        const key = await item.locator('dt').boundingBox();
        const value = await item.locator('dd').boundingBox();
        const weight = await item.locator('dt').evaluate((e) => getComputedStyle(e).fontWeight);
        return { key: key!, value: value!, weight };
      };
      await page.setViewportSize({ width: 1280, height: 800 });
      await openMatch(page);
      expect(await page.locator('dl').nth(1).locator('dt').count()).toBe(8);
      const wide = await boxes();
      expect(wide.weight).toBe('700');
      expect(Math.abs(wide.value.y - wide.key.y)).toBeLessThan(2);
      expect(wide.value.x).toBeGreaterThan(wide.key.x + wide.key.width);
      await inBothLanguages(page, 'match, wide', (label) => expectNoAxeViolations(page, label));

      await page.setViewportSize({ width: 360, height: 740 });
      const narrow = await boxes();
      expect(narrow.value.y).toBeGreaterThanOrEqual(narrow.key.y + narrow.key.height - 1);
      expect(Math.abs(narrow.value.x - narrow.key.x)).toBeLessThan(2);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await inBothLanguages(page, 'match at 360 px', (label) => expectNoAxeViolations(page, label));
      await page.setViewportSize({ width: 1280, height: 800 });
    }, 120_000);

    it('records again whom the professional informed, and shows the new status', async () => {
      const page = anna.page;
      const signalId = await annaSignal();
      await page.goto(`${world.origin}/portal/#/devices`);
      await page.goto(`${world.origin}/portal/#/signals`);
      const row = page.getByRole('row').filter({ hasText: 'dossier 7' });
      await expect(row.getByRole('cell').nth(3).textContent()).resolves.toContain(
        'De jongere zelf (12 jaar of ouder)',
      );
      await page.getByRole('button', { name: 'Geïnformeerd bijwerken: dossier 7' }).click();
      const heading = page.getByRole('heading', { name: 'Wie u hebt geïnformeerd: dossier 7' });
      await heading.waitFor();
      await expect.poll(() => heading.evaluate((h) => h === document.activeElement)).toBe(true);
      // The form starts from the status recorded now.
      expect(await page.getByLabel('De jongere zelf (12 jaar of ouder)').isChecked()).toBe(true);
      expect(await page.getByLabel('Datum waarop u informeerde').inputValue()).toBe(informedOn);
      await inBothLanguages(page, 'informed form', (label) => expectNoAxeViolations(page, label));

      // A date after today: marked at its field, the focus on it, nothing sent.
      await page.getByLabel('De jongere en de wettelijk vertegenwoordiger').check();
      await page.getByLabel('Datum waarop u informeerde').fill(dayFromToday(2));
      const sentBefore = anna.requests.filter((r) => r.method === 'PUT').length;
      await page.getByRole('button', { name: 'Opslaan' }).click();
      await page.locator('#informed-date-error').waitFor();
      expect(await page.locator('#informed-date-error').textContent()).toBe(
        'De datum van informeren mag niet in de toekomst liggen.',
      );
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('informed-date');
      await expectNoAxeViolations(page, 'informed form with a future date');
      expect(anna.requests.filter((r) => r.method === 'PUT')).toHaveLength(sentBefore);

      const today = dayFromToday(0);
      await page.getByLabel('Datum waarop u informeerde').fill(today);
      await page.getByRole('button', { name: 'Opslaan' }).click();
      const saved = page.getByText(
        'Vastgelegd voor dossier 7: De jongere en de wettelijk vertegenwoordiger, op ',
      );
      await saved.waitFor();
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
        .toContain('Vastgelegd voor dossier 7');
      await page
        .getByRole('heading', { name: 'Wie u hebt geïnformeerd: dossier 7' })
        .waitFor({ state: 'detached' });
      const cell = page.getByRole('row').filter({ hasText: 'dossier 7' }).getByRole('cell').nth(3);
      await expect(cell.textContent()).resolves.toContain('De jongere en de wettelijk vertegenwoordiger');
      expect(await cell.locator('time').getAttribute('datetime')).toBe(today);
      const atServer = await api(A, 'GET', `/v1/signals/${signalId}`);
      expect(atServer.informed).toEqual({ status: 'both', date: today });
      await inBothLanguages(page, 'my signals after recording whom you informed', async (label) => {
        await expectDatesInWords(page, label);
        await expectNoAxeViolations(page, label);
      });

      // "Not yet" needs no date.
      await page.getByRole('button', { name: 'Geïnformeerd bijwerken: dossier 7' }).click();
      await page.getByLabel('Nog niet').check();
      await page.getByLabel('Datum waarop u informeerde').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Opslaan' }).click();
      await page.getByText('Vastgelegd voor dossier 7: Nog niet.').waitFor();
      expect((await api(A, 'GET', `/v1/signals/${signalId}`)).informed).toEqual({ status: 'not_yet' });
    }, 120_000);

    it('says in words that a signal ended meanwhile cannot be changed', async () => {
      const page = anna.page;
      const signalId = await annaSignal();
      await page.goto(`${world.origin}/portal/#/devices`);
      await page.goto(`${world.origin}/portal/#/signals`);
      await page.getByRole('button', { name: 'Geïnformeerd bijwerken: dossier 7' }).click();
      await page.getByLabel('De jongere zelf (12 jaar of ouder)').check();
      await page.getByLabel('Datum waarop u informeerde').fill(dayFromToday(0));
      // The organisation's own system ends the signal while the form is open.
      await api(A, 'POST', `/v1/signals/${signalId}/withdraw`, { reason: 'ended' });
      await page.getByRole('button', { name: 'Opslaan' }).click();
      const refused = page.getByRole('alert').filter({
        hasText: 'Dit signaal is niet meer actief (beëindigd of verlopen) en kan niet meer worden gewijzigd.',
      });
      await refused.waitFor();
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('role')))
        .toBe('alert');
      await page.getByText('U hebt geen actieve signalen.').waitFor();
      expect((await api(A, 'GET', `/v1/signals/${signalId}`)).informed).toEqual({ status: 'not_yet' });
      await expectNoAxeViolations(page, 'my signals, signal ended meanwhile');
    }, 60_000);
  },
);
