// The coordinator's My organisation screen in Chromium against the real match server
// (docs/portal.md "Screens", "Accessibility"): the people table with e-mail
// addresses, adding a person (fields checked in the page, then at the server), an invitation
// code shown under its row with the focus on it — also at 320 px — and never in the URL or
// the browser's storage, no code for oneself, the transfer's fields checked before the confirm
// step (the SDK's text rules, a phone for a colleague without e-mail), the contact shown in the
// confirm step, a refusal named at its field, each action's result focused where the action
// was and an earlier one cleared, and the table stacked on a narrow screen. Each step is
// checked against the server's state through the organisation's own key, and axe-core at
// WCAG 2.2 AA on every state shown, in Dutch and English.

import AxeBuilder from '@axe-core/playwright';
import { createClient } from '@sluis/client-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, randomBsn } from '../support/e2e-world.js';
import { focused, focusedText } from '../support/focus.js';
import { browserSkipReason, kept, launch } from './browser-support.js';
import { type CapturedRequest, type PersonBrowser, PortalWorld, signedInPerson } from './portal-world.js';

const skip = browserSkipReason();

/** axe-core at WCAG 2.0, 2.1 and 2.2 A and AA: zero violations, by rule id and target. */
async function axe(page: Page, label: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const violations = result.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(violations, `axe on ${label}`).toEqual([]);
}

describe.skipIf(skip !== undefined)('portal: the coordinator’s My organisation screen', () => {
  const world = new PortalWorld();
  let browser: Browser;
  let A: Org;
  let cor: PersonBrowser; // organisation coordinator (not a professional)
  const ids = { cor: '', piet: '', anna: '', karel: '', bea: '', rita: '', jan: '' };
  const placedForPiet: string[] = [];

  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, held to the assertions below.
  const read = (path: string) => world.signed(A.signingKey, 'GET', path) as Promise<any>;
  const add = async (displayName: string, roles: readonly string[], email?: string) =>
    (
      (await world.signed(A.signingKey, 'POST', '/v1/people', {
        displayName,
        roles,
        ...(email === undefined ? {} : { email }),
      })) as { person: { id: string } }
    ).person.id;
  /** Signals placed by the organisation's system on the person's behalf: that person holds them. */
  async function placeFor(personId: string, count: number): Promise<string[]> {
    const client = createClient({
      serverUrl: world.server.url,
      signingKey: A.signingKey,
      pseudonymKeys: [world.pseudonymKey],
      clock: world.clock,
      onBehalfOf: personId,
    });
    // One at a time: a person acts through the single placement route (the batch route is the system's).
    const placed: string[] = [];
    for (let i = 0; i < count; i++) {
      const r = await client.placeSignal({
        bsn: world.bsn(),
        contact: world.contact(),
        informed: { status: 'not_yet' },
      });
      placed.push(r.signal.id);
    }
    return placed;
  }
  const sent = (method: string, path: string) =>
    cor.requests.filter((r: CapturedRequest) => r.method === method && new URL(r.url).pathname === path);
  async function open(): Promise<Page> {
    const page = cor.page;
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.goto(`${world.origin}/portal/#/organisation`);
    await page.getByRole('cell', { name: 'Anna Jansen', exact: true }).waitFor();
    return page;
  }
  const transferButton = () => cor.page.getByRole('button', { name: 'Overdragen', exact: true });

  beforeAll(async () => {
    await world.startPortal();
    browser = await launch();
    A = await world.organisation('Jeugdzorg Oost');
    const c = await world.inviteNamed(A, 'Cor Smit', ['organisation_coordinator']);
    ids.cor = c.personId;
    ids.piet = await add('Piet Bakker', ['professional'], 'piet@zorg.example.nl');
    ids.anna = await add('Anna Jansen', ['professional'], 'anna@zorg.example.nl');
    ids.karel = await add('Karel Zondermail', ['professional']);
    ids.bea = await add('Bea Both', ['organisation_coordinator'], 'bea@zorg.example.nl');
    ids.rita = await add('Rita Weg', ['professional'], 'rita@zorg.example.nl');
    ids.jan = await add('Jan Weg', ['professional'], 'jan@zorg.example.nl');
    placedForPiet.push(...(await placeFor(ids.piet, 2)));
    await placeFor(ids.rita, 1);
    await world.signed(A.signingKey, 'POST', `/v1/people/${ids.rita}/remove`, {});
    cor = await signedInPerson(world, browser, c.code);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await world.close();
  });

  it('the table shows each person’s e-mail address; the own row offers no invitation code and says where one comes from', async () => {
    const page = await open();
    const anna = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Anna Jansen' }) });
    await anna.getByRole('cell', { name: 'anna@zorg.example.nl' }).waitFor();
    await page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'Karel Zondermail' }) })
      .getByRole('cell', { name: 'geen', exact: true })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Uitnodigingscode voor Cor Smit' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Uitnodigingscode voor Anna Jansen' }).count()).toBe(1);
    await page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'Cor Smit' }) })
      .getByText('U krijgt die van een andere coördinator van uw organisatie of van de gemeente.')
      .waitFor();
    await axe(page, 'My organisation');
  }, 60_000);

  it('hand over with nothing filled in: every field marked, the focus on the first, nothing asked or sent', async () => {
    const page = await open();
    const before = cor.requests.length;
    await transferButton().click();
    await page.getByText('Kies de collega die vertrekt.').waitFor();
    await expect.poll(() => focused(page)).toBe('transfer-from');
    for (const id of ['transfer-from', 'transfer-to', 'transfer-role'])
      expect(await page.locator(`#${id}`).getAttribute('aria-invalid'), id).toBe('true');
    expect(await page.locator('#transfer-to').getAttribute('aria-describedby')).toBe('transfer-to-error');
    await page.getByText('Kies de collega die de signalen krijgt.').waitFor();
    await page.getByText('Vul de functie van de collega in.').waitFor();
    // the screen's own read of the handover requests (read again when the page is shown) is no
    // transfer; a decline (DELETE …/{id}) or an ask (POST) would be sent: only the read is left out
    const toSignals = cor.requests
      .slice(before)
      .filter(
        (r) =>
          r.url.includes('/v1/signals') &&
          !(r.method === 'GET' && new URL(r.url).pathname === '/v1/signals/handover-requests'),
      );
    expect(toSignals).toEqual([]);
    expect(await page.locator('dialog[open]').count()).toBe(0);
    await axe(page, 'the transfer form with every field marked');
  }, 60_000);

  it('only professionals are offered as leaver, a removed one marked; the leaver is no colleague; wrong input is named before the confirm step', async () => {
    const page = await open();
    const leavers = await page.locator('#transfer-from option').allTextContents();
    expect(leavers).toEqual(
      expect.arrayContaining(['Piet Bakker', 'Anna Jansen', 'Karel Zondermail', 'Rita Weg (verwijderd)']),
    );
    expect(leavers.some((l) => l.includes('Bea Both') || l.includes('Cor Smit'))).toBe(false);
    await page.getByLabel('Van (vertrekkende collega)').selectOption(ids.piet);
    const colleagues = await page.locator('#transfer-to option').allTextContents();
    expect(colleagues).toContain('Anna Jansen');
    expect(colleagues).not.toContain('Piet Bakker');
    expect(colleagues.some((l) => l.includes('Rita Weg') || l.includes('Bea Both'))).toBe(false);
    await page.getByLabel('Naar (collega)').selectOption(ids.anna);
    // A BSN in the role and a phone number that is none: found in the page, nothing sent.
    await page.getByLabel('Functie van de collega').fill(`jeugdconsulent ${randomBsn()}`);
    await page.getByLabel('Telefoonnummer van de collega').fill('bel mij');
    const before = cor.requests.length;
    await transferButton().click();
    await page.getByText('De functie bevat een nummer dat op een BSN lijkt').waitFor();
    await page.getByText('Vul een geldig telefoonnummer in: 6 tot 20 tekens').waitFor();
    await expect.poll(() => focused(page)).toBe('transfer-role');
    expect(await page.locator('dialog[open]').count()).toBe(0);
    // Karel has no e-mail address: the contact then needs a phone number (the server's rule).
    await page.getByLabel('Naar (collega)').selectOption(ids.karel);
    await page.getByLabel('Functie van de collega').fill('jeugdconsulent');
    await page.getByLabel('Telefoonnummer van de collega').fill('');
    await transferButton().click();
    await page.getByText('Deze collega heeft geen e-mailadres. Vul daarom een telefoonnummer in.').waitFor();
    await expect.poll(() => focused(page)).toBe('transfer-phone');
    expect(await page.locator('#transfer-role').getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('dialog[open]').count()).toBe(0);
    // the screen's own read of the handover requests (read again when the page is shown) is no
    // transfer; a decline (DELETE …/{id}) or an ask (POST) would be sent: only the read is left out
    const toSignals = cor.requests
      .slice(before)
      .filter(
        (r) =>
          r.url.includes('/v1/signals') &&
          !(r.method === 'GET' && new URL(r.url).pathname === '/v1/signals/handover-requests'),
      );
    expect(toSignals).toEqual([]);
    await axe(page, 'the transfer form with wrong input');
  }, 60_000);

  it('a refusal after the confirm step is named at its field (a colleague removed meanwhile): nothing moves', async () => {
    const page = await open();
    await page.getByLabel('Van (vertrekkende collega)').selectOption(ids.piet);
    await page.getByLabel('Naar (collega)').selectOption(ids.jan);
    await page.getByLabel('Functie van de collega').fill('jeugdconsulent');
    await transferButton().click();
    await page.getByRole('button', { name: 'Ja, overdragen' }).waitFor();
    await world.signed(A.signingKey, 'POST', `/v1/people/${ids.jan}/remove`, {});
    await page.getByRole('button', { name: 'Ja, overdragen' }).click();
    await page.getByText('Deze collega kan de signalen niet krijgen.').waitFor();
    await expect.poll(() => focused(page)).toBe('transfer-to');
    expect(await page.locator('#transfer-to').getAttribute('aria-invalid')).toBe('true');
    const piets = await read(`/v1/signals?status=active&personId=${ids.piet}`);
    expect(piets.items.map((s: { id: string }) => s.id).sort()).toEqual([...placedForPiet].sort());
    await axe(page, 'a refused transfer');
  }, 60_000);

  it('the confirm step shows the contact others will see; the result takes the focus under the form, which is emptied; the next submit clears it', async () => {
    const page = await open();
    await page.getByLabel('Van (vertrekkende collega)').selectOption(ids.piet);
    await page.getByLabel('Naar (collega)').selectOption(ids.anna);
    await page.getByLabel('Functie van de collega').fill('jeugdconsulent');
    await page.getByLabel('Telefoonnummer van de collega').fill('010 555 1234');
    await transferButton().click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByText('2 actieve signalen van Piet Bakker gaan naar Anna Jansen.').waitFor();
    await dialog.getByText('Deze contactgegevens zien de andere professionals voortaan:').waitFor();
    for (const value of ['Anna Jansen', 'jeugdconsulent', '010 555 1234', 'anna@zorg.example.nl'])
      await dialog.locator('dd', { hasText: value }).waitFor();
    await axe(page, 'the transfer confirm step');
    await page.getByRole('button', { name: 'Ja, overdragen' }).click();
    await page.getByText('2 signalen zijn overgedragen aan Anna Jansen.').waitFor();
    await expect.poll(() => focused(page)).toBe('status');
    expect(await focusedText(page)).toContain('2 signalen zijn overgedragen aan Anna Jansen.');
    // The result sits under the transfer form, where the coordinator is.
    expect(await page.locator('form[aria-labelledby=transfer-title] [role=status]').textContent()).toContain(
      '2 signalen zijn overgedragen',
    );
    for (const id of ['transfer-from', 'transfer-to', 'transfer-role', 'transfer-phone'])
      expect(await page.locator(`#${id}`).inputValue(), id).toBe('');
    const annas = await read(`/v1/signals?status=active&personId=${ids.anna}`);
    expect(annas.items.map((s: { id: string }) => s.id).sort()).toEqual([...placedForPiet].sort());
    expect(annas.items[0].contact).toEqual({
      name: 'Anna Jansen',
      role: 'jeugdconsulent',
      phone: '010 555 1234',
      email: 'anna@zorg.example.nl',
    });
    await axe(page, 'a transfer done');
    await transferButton().click();
    await page.getByText('Kies de collega die vertrekt.').waitFor();
    expect(await page.getByText('2 signalen zijn overgedragen').count()).toBe(0);
  }, 60_000);

  it('removing a person: the result takes the focus (not <body>)', async () => {
    const page = await open();
    await page.getByRole('button', { name: 'Karel Zondermail verwijderen' }).click();
    await page.getByRole('button', { name: 'Ja, Karel Zondermail verwijderen' }).click();
    await page.getByText('Karel Zondermail is verwijderd.').waitFor();
    await expect.poll(() => focused(page)).toBe('status');
    expect(await focusedText(page)).toContain('Karel Zondermail is verwijderd.');
    expect((await read(`/v1/people/${ids.karel}`)).person.status).toBe('removed');
    await axe(page, 'a person removed');
  }, 60_000);

  it('adding a person: faults named at their fields first, then added with roles and e-mail, shown in the table', async () => {
    const page = await open();
    const before = sent('POST', '/v1/people').length;
    await page.getByRole('button', { name: 'Toevoegen', exact: true }).click();
    await page.getByText('Vul de naam in.').waitFor();
    await page.getByText('Kies minstens één rol.').waitFor();
    await expect.poll(() => focused(page)).toBe('add-person-name');
    expect(await page.locator('#add-person-name').getAttribute('aria-invalid')).toBe('true');
    await axe(page, 'the add-person form with faults');
    await page.getByLabel('Naam', { exact: true }).fill(`Sanne ${randomBsn()}`);
    await page.getByLabel('E-mailadres (niet verplicht)').fill('sanne-at-zorg');
    await page.getByLabel('Professional: geeft signalen af en ziet matches').check();
    await page.getByRole('button', { name: 'Toevoegen', exact: true }).click();
    await page.getByText('De naam bevat een nummer dat op een BSN lijkt').waitFor();
    await page.getByText('Vul een geldig e-mailadres in, zoals naam@organisatie.nl.').waitFor();
    await expect.poll(() => focused(page)).toBe('add-person-name');
    expect(sent('POST', '/v1/people').length).toBe(before);
    await page.getByLabel('Naam', { exact: true }).fill('Sanne Nieuw');
    await page.getByLabel('E-mailadres (niet verplicht)').fill('sanne@zorg.example.nl');
    await page.getByRole('button', { name: 'Toevoegen', exact: true }).click();
    await page.getByText('Sanne Nieuw is toegevoegd.').waitFor();
    await expect.poll(() => focused(page)).toBe('status');
    expect(await page.locator('#add-person-name').inputValue()).toBe('');
    const people = (await read('/v1/people')).people as {
      displayName: string;
      email: string;
      roles: string[];
    }[];
    expect(people.find((p) => p.displayName === 'Sanne Nieuw')).toMatchObject({
      email: 'sanne@zorg.example.nl',
      roles: ['professional'],
    });
    await page
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'Sanne Nieuw' }) })
      .getByRole('cell', { name: 'sanne@zorg.example.nl' })
      .waitFor();
    // The new person can be chosen as colleague at once.
    expect(await page.locator('#transfer-to option').allTextContents()).toContain('Sanne Nieuw');
    await axe(page, 'a person added');
  }, 60_000);

  it('at 320 px: the actions stack under the name, the page and the table do not scroll sideways', async () => {
    const page = cor.page;
    await page.setViewportSize({ width: 320, height: 640 });
    try {
      await open();
      // One measurement of Anna's row (nothing moves in between): name, e-mail, roles and
      // actions one under the other, all on screen, and no content spilling over the next.
      const row = await page.evaluate(() => {
        const tr = Array.from(document.querySelectorAll('.sluis-people tbody tr')).find(
          (r) => r.querySelector('td')?.textContent === 'Anna Jansen',
        )!;
        const box = (e: Element) => {
          const r = e.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, right: r.right };
        };
        return {
          cells: Array.from(tr.querySelectorAll('td')).map(box),
          buttons: Array.from(tr.querySelectorAll('button')).map(box),
          next: box(tr.nextElementSibling!),
        };
      });
      expect(row.cells).toHaveLength(4);
      for (let i = 1; i < row.cells.length; i++)
        expect(row.cells[i]!.top).toBeGreaterThanOrEqual(row.cells[i - 1]!.bottom - 1);
      expect(row.buttons).toHaveLength(3);
      for (const b of [...row.cells, ...row.buttons]) expect(b.right).toBeLessThanOrEqual(320);
      for (const b of row.buttons) {
        expect(b.top).toBeGreaterThanOrEqual(row.cells[3]!.top);
        expect(b.bottom).toBeLessThanOrEqual(row.cells[3]!.bottom);
      }
      expect(row.next.top).toBeGreaterThanOrEqual(row.cells[3]!.bottom - 1);
      const widths = await page.evaluate(() => {
        const region = document.querySelector('.sluis-table-scroll')!;
        return {
          page: document.documentElement.scrollWidth,
          region: region.scrollWidth,
          regionView: region.clientWidth,
        };
      });
      expect(widths.page).toBeLessThanOrEqual(320);
      expect(widths.region).toBeLessThanOrEqual(widths.regionView);
      // Still a table to a screen reader: rows, cells and the column headers.
      expect(await page.getByRole('columnheader', { name: 'E-mailadres' }).count()).toBe(1);
      await axe(page, 'My organisation at 320 px');
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  }, 60_000);

  it('an invitation code at 320 px: under the person’s row, focused and in view, an earlier result cleared; never in the URL or storage; it enrols', async () => {
    const page = cor.page;
    await page.setViewportSize({ width: 320, height: 640 });
    try {
      await open();
      // An earlier result first (nothing to move from Piet any more).
      await page.getByLabel('Van (vertrekkende collega)').selectOption(ids.piet);
      await page.getByLabel('Naar (collega)').selectOption(ids.anna);
      await page.getByLabel('Functie van de collega').fill('jeugdconsulent');
      await transferButton().click();
      await page.getByText('Piet Bakker heeft geen actieve signalen.').waitFor();
      await expect.poll(() => focused(page)).toBe('status');
      await page.getByRole('button', { name: 'Uitnodigingscode voor Anna Jansen' }).click();
      const alert = page.locator('#invitation-code');
      await alert.waitFor();
      expect(await page.getByText('Piet Bakker heeft geen actieve signalen.').count()).toBe(0);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('invitation-code');
      const box = await alert.boundingBox();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeLessThan(640);
      // In the row after Anna's.
      const next = page
        .getByRole('row')
        .filter({ has: page.getByRole('cell', { name: 'Anna Jansen', exact: true }) })
        .locator('xpath=following-sibling::tr[1]');
      expect(await next.locator('#invitation-code').count()).toBe(1);
      const code = (await alert.locator('code').textContent())!.trim();
      expect(code.length).toBeGreaterThan(10);
      await alert.getByText('Uitnodigingscode voor Anna Jansen:').waitFor();
      expect(await kept(page)).not.toContain(code);
      await axe(page, 'an invitation code at 320 px');
      // The code shown is the one the server made: Anna enrols with it.
      const anna = await signedInPerson(world, browser, code);
      await anna.context.close();
      expect((await read(`/v1/people/${ids.anna}/devices`)).devices).toHaveLength(1);
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  }, 90_000);

  it('in English: the screen, the marked forms and the stacked table pass axe', async () => {
    const page = cor.page;
    await page.evaluate(() => localStorage.setItem('sluis.lang', 'en'));
    try {
      await page.goto(`${world.origin}/portal/#/organisation`);
      await page.reload();
      await page.getByRole('cell', { name: 'Anna Jansen', exact: true }).waitFor();
      await page.getByRole('cell', { name: 'anna@zorg.example.nl' }).waitFor();
      await page
        .getByText('Another coordinator of your organisation or the municipality gives you one.')
        .waitFor();
      await page.getByRole('button', { name: 'Hand over', exact: true }).click();
      await page.getByText('Choose the colleague who is leaving.').waitFor();
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByText('Enter the name.').waitFor();
      await axe(page, 'My organisation in English, forms marked');
      await page.setViewportSize({ width: 320, height: 640 });
      await axe(page, 'My organisation in English at 320 px');
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.evaluate(() => localStorage.setItem('sluis.lang', 'nl'));
      await page.reload();
    }
  }, 60_000);
});
