// The portal end to end, as the flow (docs/portal.md "Tests"): two professionals of
// two organisations in two browser contexts enrol and sign in with passkeys, place signals
// for the same child through the portal (the BSN typed, checked, pseudonymised through the
// real pseudonym service with a session credential, shown shortened before sending — one of
// them with the keyboard only); both see the match with the other's contact details, a
// third professional sees nothing; one records contact and withdraws; the other is told of
// the new match; a coordinator removes a professional and that browser's next action is
// refused. Every request the browsers sent, the match server's and the pseudonym service's
// data files and output are byte-scanned for the typed BSNs in several encodings.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBsn } from '../support/e2e-world.js';
import { filesUnder, type Haystack, type Needle, scan } from '../support/leak-scan.js';
import type { PseudonymServiceProcess } from '../support/pseudonym-service-process.js';
import { browserSkipReason, launch, watchPage } from './browser-support.js';
import { type PersonBrowser, PortalWorld, signedInPerson, startPortalWithService } from './portal-world.js';

const skip = browserSkipReason();

/** A typed BSN as text, UTF-16, hex and base64, and its 8-digit form: the encodings a leak could take. */
function needles(bsn: string, label: string): Needle[] {
  const forms = bsn.startsWith('0') ? [bsn, bsn.slice(1)] : [bsn];
  return forms.flatMap((f, i) => {
    const l = `${label}${i === 1 ? ' (8-digit)' : ''}`;
    return [
      { label: `${l} text`, bytes: Buffer.from(f, 'utf8') },
      { label: `${l} utf-16`, bytes: Buffer.from(f, 'utf16le') },
      { label: `${l} hex`, bytes: Buffer.from(Buffer.from(f, 'utf8').toString('hex'), 'utf8') },
      {
        label: `${l} base64`,
        bytes: Buffer.from(Buffer.from(f, 'utf8').toString('base64').replace(/=+$/, ''), 'utf8'),
      },
    ];
  });
}

/** Presses Tab until the focused element is `#id` (at most 60 presses): the keyboard-only path. */
async function tabTo(page: Page, id: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if ((await page.evaluate(() => document.activeElement?.id ?? '')) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`#${id} not reachable with Tab`);
}

async function tabToButton(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el?.tagName === 'BUTTON' ? (el.textContent ?? '') : '';
    });
    if (focused === name) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`button ${name} not reachable with Tab`);
}

describe.skipIf(skip !== undefined)('portal: two organisations match through the browser', () => {
  const world = new PortalWorld();
  let service: PseudonymServiceProcess;
  let browser: Browser;
  let anna: PersonBrowser; // professional, organisation A
  let bert: PersonBrowser; // professional, organisation B
  let carla: PersonBrowser; // professional, organisation C
  let coordinator: PersonBrowser; // organisation coordinator, organisation A
  const child = randomBsn();
  const parent = randomBsn(true);
  const other = randomBsn();

  beforeAll(async () => {
    const started = await startPortalWithService(world, [
      { name: 'Jeugdzorg Oost', type: 'youth_care' },
      { name: 'Wijkteam Noord', type: 'social_services' },
      { name: 'Schuldhulp Zuid', type: 'debt_counselling' },
    ]);
    service = started.service;
    const [A, B, C] = started.orgs;
    const codes = {
      anna: await world.inviteNamed(A, 'Anna Jansen', ['professional']),
      bert: await world.inviteNamed(B, 'Bert de Vries', ['professional']),
      carla: await world.inviteNamed(C, 'Carla Bakker', ['professional']),
      coordinator: await world.inviteNamed(A, 'Cor Smit', ['organisation_coordinator']),
    };
    browser = await launch();
    anna = await signedInPerson(world, browser, codes.anna.code);
    bert = await signedInPerson(world, browser, codes.bert.code);
    carla = await signedInPerson(world, browser, codes.carla.code);
    coordinator = await signedInPerson(world, browser, codes.coordinator.code);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await world.close();
  });

  it('Anna places a signal with the keyboard only: BSN checked in the page, what will be sent shown first', async () => {
    const page = anna.page;
    const watch = watchPage(page);
    await page.goto(`${world.origin}/portal/#/signals/new`);
    await page.locator('h1').waitFor();
    // The new screen's main region has the focus (a screen reader starts there); Tab goes on from it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    // A wrong BSN first: the page names the eleven test, nothing is sent.
    const before = anna.requests.length;
    await tabTo(page, 'place-bsn');
    await page.keyboard.type(`${child.slice(0, 8)}${(Number(child[8]) + 1) % 10}`);
    await tabToButton(page, 'Controleren');
    await page.keyboard.press('Enter');
    await page.getByText('Dit is geen geldig BSN: het voldoet niet aan de elfproef').first().waitFor();
    expect(
      anna.requests.slice(before).filter((r) => r.url.includes('/v1/') || r.url.includes(service.url)),
    ).toEqual([]);
    await tabTo(page, 'place-bsn');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(child);
    await tabTo(page, 'place-parent1');
    await page.keyboard.type(parent);
    await tabTo(page, 'place-informed-citizen');
    // Arrow keys move within the radio group: citizen → representative → both → not yet.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    expect(await page.isChecked('#place-informed-not_yet')).toBe(true);
    await tabTo(page, 'place-name');
    await page.keyboard.type('Anna Jansen');
    await tabTo(page, 'place-role');
    await page.keyboard.type('jeugdconsulent');
    await tabTo(page, 'place-phone');
    await page.keyboard.type('+31 10 555 1234');
    await tabTo(page, 'place-reference');
    await page.keyboard.type('dossier 1234-AB');
    await tabToButton(page, 'Controleren');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dit wordt verstuurd' }).waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Dit wordt verstuurd');
    const preview = (await page.locator('dl').textContent()) ?? '';
    expect(preview).toMatch(/2:[A-Za-z0-9_-]{8}…/);
    expect(preview).not.toContain(child);
    expect(preview).not.toContain(parent);
    await tabToButton(page, 'Versturen');
    await page.keyboard.press('Enter');
    await page.getByText('Uw signaal is afgegeven').waitFor();
    expect(watch.problems).toEqual([]);
  }, 120_000);

  it('Bert places a signal for the same child; Carla for another child', async () => {
    for (const [who, bsn, name] of [
      [bert, child, 'Bert de Vries'],
      [carla, other, 'Carla Bakker'],
    ] as const) {
      const page = who.page;
      await page.goto(`${world.origin}/portal/#/signals/new`);
      await page.getByLabel('BSN', { exact: true }).fill(bsn);
      await page.getByLabel('De jongere zelf (12 jaar of ouder)').check();
      await page.getByLabel('Datum waarop u informeerde').fill(new Date().toISOString().slice(0, 10));
      await page.getByLabel('Naam', { exact: true }).fill(name);
      await page.getByLabel('Functie').fill('wijkcoach');
      await page.getByLabel('E-mail').fill(`${name.split(' ')[0]!.toLowerCase()}@zorg.example.nl`);
      await page.getByRole('button', { name: 'Controleren' }).click();
      await page.getByRole('button', { name: 'Versturen' }).click();
      await page.getByText('Uw signaal is afgegeven').waitFor();
    }
  }, 120_000);

  it('Bert is told of the new match on another screen; both see the other’s contact details; Carla sees nothing', async () => {
    await bert.page.goto(`${world.origin}/portal/#/signals`);
    await bert.page.getByText('Er is 1 nieuwe match sinds uw laatste bezoek.').waitFor();
    await bert.page.goto(`${world.origin}/portal/#/matches`);
    await bert.page.getByRole('link', { name: 'Jeugdzorg Oost' }).waitFor();
    expect(await bert.page.getByRole('cell', { name: 'Anna Jansen' }).count()).toBe(1);
    await anna.page.goto(`${world.origin}/portal/#/matches`);
    await anna.page.getByRole('link', { name: 'Wijkteam Noord' }).click();
    await anna.page.getByText('bert@zorg.example.nl').waitFor();
    await carla.page.goto(`${world.origin}/portal/#/matches`);
    await carla.page.getByText('U hebt nog geen matches.').waitFor();
  }, 60_000);

  it('Anna finds her signal by typing the BSN again (local reference), records contact and withdraws', async () => {
    const page = anna.page;
    await page.goto(`${world.origin}/portal/#/signals`);
    await page.getByRole('cell', { name: 'dossier 1234-AB', exact: true }).waitFor();
    await page.getByLabel('BSN', { exact: true }).fill(child);
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.getByText('Gevonden: dossier 1234-AB').waitFor();
    await page.goto(`${world.origin}/portal/#/matches`);
    await page.getByRole('link', { name: 'Wijkteam Noord' }).click();
    await page.getByRole('button', { name: 'Contact gelegd' }).click();
    await page.getByText('U hebt vastgelegd: Contact gelegd.').waitFor();
    await page.getByRole('button', { name: 'Betrokkenheid beëindigen' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Ja, betrokkenheid beëindigen' }).click();
    await page.getByText('Het signaal is beëindigd en gaat naar het archief.').waitFor();
    // Bert was on the match list already: another screen first, so the list is read again.
    await bert.page.goto(`${world.origin}/portal/#/signals`);
    await bert.page.goto(`${world.origin}/portal/#/matches`);
    await bert.page.getByRole('cell', { name: 'Beëindigd', exact: true }).waitFor();
  }, 60_000);

  it('the coordinator removes Anna; her open page is refused at its next action', async () => {
    await coordinator.page.goto(`${world.origin}/portal/#/organisation`);
    await coordinator.page.getByRole('button', { name: 'Anna Jansen verwijderen' }).click();
    await coordinator.page.getByRole('button', { name: 'Ja, Anna Jansen verwijderen' }).click();
    await coordinator.page.getByText('Anna Jansen is verwijderd').waitFor();
    await anna.page.goto(`${world.origin}/portal/#/signals`);
    await anna.page.getByText('Uw sessie is beëindigd').waitFor();
  }, 60_000);

  it('no typed BSN is in any request the browsers sent, the databases, the files or the output of either server', async () => {
    await world.server.stop();
    await service.stop();
    const haystacks: Haystack[] = [];
    for (const [label, who] of Object.entries({ anna, bert, carla, coordinator })) {
      for (const [i, r] of who.requests.entries()) {
        haystacks.push({
          label: `${label} request ${i} ${r.method}`,
          bytes: Buffer.concat([Buffer.from(`${r.url}\n${JSON.stringify(r.headers)}\n`), r.body]),
        });
      }
    }
    expect(anna.requests.some((r) => r.url.startsWith(service.url))).toBe(true); // the page did call the service
    for (const f of filesUnder(world.server.dataDir, ['keys']))
      haystacks.push({ label: `match server ${f.label}`, bytes: f.bytes });
    for (const f of filesUnder(service.dataDir))
      haystacks.push({ label: `pseudonym service ${f.label}`, bytes: f.bytes });
    haystacks.push({ label: 'match server output', bytes: Buffer.from(world.serverOutput.join('')) });
    haystacks.push({ label: 'pseudonym service output', bytes: Buffer.from(service.output.join('')) });
    haystacks.push({ label: 'admin output', bytes: Buffer.from(world.adminOutput.join('')) });
    const all = [...needles(child, 'child'), ...needles(parent, 'parent'), ...needles(other, 'other child')];
    expect(scan(haystacks, all)).toEqual([]);
    // Positive control: the same scan sees a BSN wherever it is, in each encoding.
    const control = all.map((n) => ({
      label: `control ${n.label}`,
      bytes: Buffer.concat([Buffer.from('x'), n.bytes, Buffer.from('y')]),
    }));
    expect(scan(control, all).length).toBeGreaterThanOrEqual(all.length);
  }, 60_000);
});
