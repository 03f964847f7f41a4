// The GDPR desk's screen (docs/portal.md "The GDPR desk"), in Chromium against the real match
// server and pseudonym service: the desk enrols and lands on *AVG-verzoeken*, the menu's entry;
// the citizen's BSN is checked in the page (nothing sent); for a citizen two organisations placed
// a signal for, it reads the access overview and report, restricts (the professional's match says
// "verwerking beperkt") and lifts, registers and rejects an objection, and erases after a confirm
// step — each answer counting the citizen's links as a parent too, the overview read again after
// each act and the focus on the answer; the typed BSN appears in no URL, no storage and no console
// message; axe in Dutch and English on each state, and reflow at 320 px. For a parent whose two
// children have signals at the two organisations, the family match built on those parent links
// says "niet vermeld: gegevens van het kind" for its follow-up, regie and agreements. For a
// citizen whose ended signal's contact went to a new signaller in an archive notice, the desk
// lists that notice as received, its read again and a placement answered `existing` as viewed,
// in words (Dutch and English), axe clean. A match server without
// the desk's setting: the desk reads the operator's step, and nothing is sent with the BSN.

import { randomUUID } from 'node:crypto';
import type { SigningKey } from '@sluis/client-sdk';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBsn } from '../support/e2e-world.js';
import { SERVER_WAIT } from '../support/server-wait.js';
import { browserSkipReason, expectNoAxeViolations } from './browser-support.js';
import {
  enrolAndSignIn,
  fillContact,
  fillPlacement,
  openMatch,
  type PersonBrowser,
  PortalWorld,
  placeSignal,
  sendPlacement,
  signedInPerson,
  startTwoOrganisations,
  stopTwoOrganisations,
  type TwoOrganisations,
} from './portal-world.js';

const skip = browserSkipReason();
/** The id the pseudonym service admits the municipality with (docs/operations.md "The GDPR desk in the portal"). */
const MUNICIPALITY_AT_SERVICE = randomUUID();

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

/** The desk's answer: said in words, and the focus is on it. */
async function expectAnswer(page: Page, text: string): Promise<void> {
  const answer = page.locator('[role="status"][tabindex="-1"]', { hasText: text });
  await answer.waitFor();
  expect(await answer.textContent()).toBe(text);
  await expect.poll(() => answer.evaluate((e) => e === document.activeElement)).toBe(true);
}

/** The overview's signals table, column `i` (0-based), one text per signal. */
function column(page: Page, i: number): Promise<string[]> {
  return page
    .getByRole('table', { name: 'Signalen over deze burger' })
    .locator(`tbody tr td:nth-child(${i + 1})`)
    .allTextContents();
}

describe.skipIf(skip !== undefined)('portal: the GDPR desk', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let desk: PersonBrowser;
  let anna: PersonBrowser;
  let bert: PersonBrowser;
  const urls: string[] = [];
  const consoleLines: string[] = [];
  const child = randomBsn();
  /** A younger sibling's signal names `child` as a parent: the citizen's one link as a parent. */
  const sibling = randomBsn();
  /** A parent with no signal of their own: two organisations' signals about two of their children name them. */
  const parent = randomBsn();

  /** Places a signal about `bsn` through the form, naming `parentBsn` as its first parent. */
  async function placeWithParent(who: PersonBrowser, bsn: string, parentBsn: string, name: string) {
    await who.page.goto(`${world.origin}/portal/#/devices`);
    await who.page.goto(`${world.origin}/portal/#/signals/new`);
    await who.page.getByLabel('BSN', { exact: true }).fill(bsn);
    await who.page.getByLabel('BSN eerste ouder (niet verplicht)').fill(parentBsn);
    await fillContact(who.page, { name });
    await who.page.getByRole('button', { name: 'Controleren' }).click();
    await who.page.getByRole('button', { name: 'Versturen' }).click();
    await who.page.getByText('Uw signaal is afgegeven').waitFor();
  }

  beforeAll(async () => {
    // docs/operations.md "The GDPR desk in the portal": the match server names the municipality's
    // id at the pseudonym service, which admits it by that id.
    started = await startTwoOrganisations(world, {
      serverArgs: ['--gdpr-desk-service-organisation-id', MUNICIPALITY_AT_SERVICE],
      beforeServiceStart: (service) => service.admit('Gemeente AVG-loket', MUNICIPALITY_AT_SERVICE),
    });
    const { A, B, admin, browser } = started;
    // The portal names a citizen under the OPRF epochs only: the world's HMAC epoch 1 is retired
    // first (no signal yet), or the server refuses every request as incomplete (docs/portal.md "The GDPR desk").
    const retired = await world.admin(['retire-epoch', '--epoch', '1']);
    expect(retired.code, retired.stderr).toBe(0);
    const ac = await world.inviteNamed(A, 'Anna Jansen', ['professional']);
    const bc = await world.inviteNamed(B, 'Bert de Vries', ['professional']);
    anna = await signedInPerson(world, browser, ac.code);
    bert = await signedInPerson(world, browser, bc.code);
    await placeSignal(world, anna, child, 'A. Jansen');
    await placeSignal(world, bert, child, 'B. de Vries');
    // On the match, Anna records the citizen's consent and a process agreement: stored about the
    // citizen, so in the access answer (API 1.7.0) and on the desk's screen.
    await openMatch(world, anna, 'Wijkteam Noord');
    await anna.page.getByLabel('Overleg met de betrokken professionals').check();
    await anna.page.getByLabel('Datum van de toestemming').fill(new Date().toISOString().slice(0, 10));
    await anna.page.getByRole('button', { name: 'Toestemming vastleggen' }).click();
    await anna.page.getByText('Toestemming vastgelegd, gegeven op', { exact: false }).first().waitFor();
    await anna.page.getByLabel('Wie doet het?').selectOption('me');
    await anna.page.getByLabel('Soort actie').selectOption('home_visit');
    await anna.page.getByLabel('Soort informatie').selectOption('housing');
    await anna.page.getByLabel('Doel').selectOption('prevent_eviction');
    await anna.page
      .getByLabel('Uiterlijk op')
      .fill(new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10));
    await anna.page.getByRole('button', { name: 'Afspraak toevoegen' }).click();
    await anna.page.getByText('Huisbezoek · ', { exact: false }).waitFor();
    await placeWithParent(anna, sibling, child, 'A. Jansen');
    // A family match built on parent links only: `parent`'s two children, one at each organisation.
    await placeWithParent(anna, randomBsn(), parent, 'A. Jansen');
    await placeWithParent(bert, randomBsn(), parent, 'B. de Vries');
    const d = await world.municipalityPerson(admin, 'Gijs Loket', ['gdpr_desk']);
    desk = await world.person(started.browser);
    desk.page.on('console', (m) => consoleLines.push(m.text()));
    desk.page.on('pageerror', (e) => consoleLines.push(e.message));
    desk.page.on('framenavigated', (f) => urls.push(f.url()));
    desk.page.on('request', (r) => urls.push(r.url()));
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

  it('reads the access report, restricts and lifts, rejects an objection and erases; the BSN is nowhere', async () => {
    const { page } = desk;
    await page.getByLabel('BSN', { exact: true }).fill(child);
    await page.getByRole('button', { name: 'Zoek de burger op' }).click();
    await page.getByText('De burger is omgezet in pseudoniemen:', { exact: false }).waitFor();
    // The typed BSN is cleared from the page once the pseudonyms are there.
    expect(await page.getByRole('main').textContent()).not.toContain(child);

    // Access: the overview and the citizen's report, in Dutch and English.
    await page.getByRole('button', { name: 'Toon wat er is opgeslagen' }).click();
    await page.getByText('Gevonden: 2 signalen', { exact: false }).waitFor();
    const signals = page.getByRole('table', { name: 'Signalen over deze burger' });
    expect(await signals.textContent()).toContain('Jeugdzorg Oost');
    expect(await signals.textContent()).toContain('Wijkteam Noord');
    // What 1.7.0 adds, in words as the match screens say them: the legal basis and Anna's
    // consent on her signal; the match's follow-up, regie and Anna's agreement by organisation.
    expect(await signals.textContent()).toContain('Jeugdwet');
    expect(await signals.textContent()).toMatch(
      /Gegeven op .+, vastgelegd op .+, voor: overleg met de betrokken professionals\./,
    );
    const matches = page.getByRole('table', { name: 'Matches' });
    expect(await matches.textContent()).toMatch(
      /Huisbezoek · Wonen · Huisuitzetting voorkomen · uiterlijk .+ · door Jeugdzorg Oost · open/,
    );
    expect(await matches.textContent()).toContain('Wijkteam Noord: nog niets vastgelegd');
    const report = page.locator('pre.sluis-report');
    expect(await report.textContent()).toContain('Jeugdzorg Oost');
    expect(await report.textContent()).toContain('  Afspraak: Huisbezoek, door Jeugdzorg Oost.');
    expect(await report.textContent()).toContain(
      '  Uw toestemming om samen te werken: uw situatie bespreken in een overleg',
    );
    await expectNoAxeViolations(page, 'GDPR desk access nl');
    await expectReflow(page, 'GDPR desk access nl');
    await page.getByLabel('Engels').check();
    await expect.poll(() => report.getAttribute('lang')).toBe('en');

    // Restriction: the answer counts the link as a parent, the overview is read again and says
    // restricted, the focus is on the answer; the professional's match says "verwerking beperkt".
    await page.getByRole('button', { name: 'Verwerking beperken' }).click();
    await expectAnswer(
      page,
      'De verwerking is beperkt. De beperking geldt voor 2 signalen over deze burger: alle signalen, ook die al beperkt waren. Nieuw beperkt: 1 koppeling als ouder op signalen van kinderen (koppelingen die al beperkt waren, zijn niet meegeteld).',
    );
    await expect.poll(() => column(page, 7), { timeout: SERVER_WAIT }).toEqual(['ja', 'ja']);
    // Read again: the desk's own earlier request is the access request it was, not a match view.
    const seen = page.getByRole('table', { name: 'Wie het signaal ontving of bekeek' });
    expect(await seen.textContent()).toContain('Het AVG-loket van de gemeente — een inzageverzoek');
    await bert.page.goto(`${world.origin}/portal/#/devices`);
    await bert.page.goto(`${world.origin}/portal/#/matches`);
    await bert.page.getByText('verwerking beperkt').first().waitFor();
    await page.getByRole('button', { name: 'Beperking opheffen' }).click();
    await expectAnswer(
      page,
      'De beperking is opgeheven voor 2 signalen over deze burger: alle signalen. Nieuw vrijgegeven: 1 koppeling als ouder op signalen van kinderen (koppelingen die al vrij waren, zijn niet meegeteld).',
    );
    await expect.poll(() => column(page, 7), { timeout: SERVER_WAIT }).toEqual(['nee', 'nee']);
    await expectNoAxeViolations(page, 'GDPR desk after lifting nl');

    // Objection: registered pending today — on time (nobody informed yet: the term has not
    // started), so "late, but excused", ticked, is not used, as the page says before and after.
    expect(await page.getByRole('main').textContent()).toContain(
      'Kwam het bezwaar op tijd binnen? Dan verandert dit vinkje niets',
    );
    await page.getByLabel('Te laat, maar verschoonbaar').check();
    await page.getByRole('button', { name: 'Bezwaar registreren' }).click();
    await expectAnswer(
      page,
      'Het bezwaar is geregistreerd en beperkt de verwerking nu. Dit geldt voor 2 signalen over deze burger: alle signalen. Nieuw beperkt: 1 koppeling als ouder op signalen van kinderen (koppelingen die al beperkt waren, zijn niet meegeteld). Het bezwaar kwam op tijd binnen. Het vinkje "Te laat, maar verschoonbaar" is daarom niet gebruikt en niet opgeslagen.',
    );
    await expect.poll(() => column(page, 8), { timeout: SERVER_WAIT }).toEqual(['loopt', 'loopt']);
    await page.getByRole('button', { name: 'Bezwaar afwijzen' }).click();
    await expectAnswer(
      page,
      'Het bezwaar is afgewezen. De beperking is opgeheven voor 2 signalen over deze burger: alle signalen. Nieuw vrijgegeven: 1 koppeling als ouder op signalen van kinderen (koppelingen die al vrij waren, zijn niet meegeteld).',
    );
    await expect.poll(() => column(page, 8), { timeout: SERVER_WAIT }).toEqual(['afgewezen', 'afgewezen']);

    // Erasure after the confirm step; the signals are gone.
    await page.getByRole('button', { name: 'Alles van deze burger wissen' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('Dit kan niet ongedaan worden gemaakt.');
    await expectNoAxeViolations(page, 'GDPR desk erase confirm nl');
    await dialog.getByRole('button', { name: 'Ja, wissen' }).click();
    await expectAnswer(
      page,
      'Gewist: 2 signalen, 1 match en 1 koppeling als ouder op signalen van kinderen.',
    );
    // Read again without asking: nothing is found any more.
    await page.getByText('Er zijn geen signalen over deze burger.').waitFor();
    await page.getByText('Deze burger staat in geen enkel signaal als ouder.').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('There are no signals about this citizen.').waitFor();
    await expectNoAxeViolations(page, 'GDPR desk after erasure en');
    await page.getByRole('button', { name: 'Nederlands' }).click();

    // "Nieuw verzoek" forgets the citizen: the form is empty again.
    await page.getByRole('button', { name: 'Nieuw verzoek' }).click();
    await expect.poll(() => page.getByLabel('BSN', { exact: true }).inputValue()).toBe('');

    // The typed BSN: in no URL, no storage, no console message.
    for (const u of urls) expect(u).not.toContain(child);
    expect(await storedText(page)).not.toContain(child);
    for (const line of consoleLines) expect(line).not.toContain(child);
  }, 240_000);

  it('says of a family match built on a parent link that its follow-up, regie and agreements are the child’s', async () => {
    const { page } = desk;
    await page.getByLabel('BSN', { exact: true }).fill(parent);
    await page.getByRole('button', { name: 'Zoek de burger op' }).click();
    await page.getByText('De burger is omgezet in pseudoniemen:', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Toon wat er is opgeslagen' }).click();
    const row = page.getByRole('table', { name: 'Matches' }).locator('tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    // Kind, then from "via" on: the follow-up, regie and agreements are not "none recorded" but
    // the child's, which the answer leaves out (api.md "The access report's `access` list").
    const cells = async () => {
      const all = await row.locator('td').allTextContents();
      return [all[0], ...all.slice(4)];
    };
    const withheld = 'niet vermeld: gegevens van het kind';
    expect(await cells()).toEqual(['gezin', 'als ouder', withheld, withheld, withheld]);
    await page
      .getByText('Bij een gezinsmatch staat alleen de kant van deze persoon.', { exact: false })
      .waitFor();
    await expectNoAxeViolations(page, 'GDPR desk, a family match as a parent nl');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'GDPR requests' }).waitFor();
    const notListed = "not listed: the child's data";
    expect(await cells()).toEqual(['family', 'as a parent', notListed, notListed, notListed]);
    await expectNoAxeViolations(page, 'GDPR desk, a family match as a parent en');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.getByRole('button', { name: 'Nieuw verzoek' }).click();
    for (const u of urls) expect(u).not.toContain(parent);
    expect(await storedText(page)).not.toContain(parent);
    for (const line of consoleLines) expect(line).not.toContain(parent);
  }, 120_000);

  // API 1.9.0 (docs/privacy.md "Who saw the signal"): an archive notice is listed as received by
  // the new signaller's organisation, its read again and a placement answered `existing` as viewed.
  it('lists an archive notice received and read again and an existing answer, in words; axe clean', async () => {
    const { page } = desk;
    const { A, B } = started!;
    const citizen = randomBsn();
    /** The organisation's newest signal, as its own system lists it (docs/api.md `GET /v1/signals`). */
    const newest = async (key: SigningKey) =>
      ((await world.signed(key, 'GET', '/v1/signals?order=newest&limit=1')) as { items: { id: string }[] })
        .items[0]!.id;
    // Anna's signal ends (archived); Bert's new one is given its contact in an archive notice,
    // which Wijkteam Noord's system reads again; Bert placing once more is told his signal exists.
    await placeSignal(world, anna, citizen, 'A. Jansen');
    await world.signed(A.signingKey, 'POST', `/v1/signals/${await newest(A.signingKey)}/withdraw`, {
      reason: 'ended',
    });
    await placeSignal(world, bert, citizen, 'B. de Vries');
    const read = await world.signed(
      B.signingKey,
      'GET',
      `/v1/signals/${await newest(B.signingKey)}/archive-notices`,
    );
    expect((read as { items: unknown[] }).items).toHaveLength(1);
    await fillPlacement(world, bert, { bsn: citizen, name: 'B. de Vries' });
    await sendPlacement(bert);
    await bert.page.getByText('U had al een actief signaal', { exact: false }).waitFor();

    await page.getByLabel('BSN', { exact: true }).fill(citizen);
    await page.getByRole('button', { name: 'Zoek de burger op' }).click();
    await page.getByText('De burger is omgezet in pseudoniemen:', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Toon wat er is opgeslagen' }).click();
    /**
     * "Who received or viewed" says, in the table captioned `caption`, the notice received, its
     * read again and the existing answer in these words, each row without its time: what,
     * organisation, role, person.
     */
    const expectSeen = (
      caption: string,
      [received, reread, existing]: readonly [string, string, string],
      [system, professional]: readonly [string, string],
    ) =>
      expect
        .poll(
          () =>
            page
              .getByRole('table', { name: caption })
              .locator('tbody tr')
              .evaluateAll((trs) =>
                trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent).slice(1)),
              ),
          { timeout: SERVER_WAIT },
        )
        .toEqual([
          [received, 'Wijkteam Noord', system, '—'],
          [reread, 'Wijkteam Noord', system, '—'],
          [existing, 'Wijkteam Noord', professional, 'Bert de Vries'],
        ]);
    await expectSeen(
      'Wie het signaal ontving of bekeek',
      [
        'kreeg bij een nieuwe melding de contactgegevens van dit afgesloten signaal (een archiefbericht)',
        'bekeek dat archiefbericht opnieuw',
        'zag bij een melding of opzoeking dat het signaal al bestond',
      ],
      ['systeem van de organisatie', 'professional'],
    );
    const report = await page.locator('pre.sluis-report').textContent();
    for (const words of [
      '(een archiefbericht)',
      'heeft dat archiefbericht opnieuw ingezien',
      'zag bij een melding of opzoeking dat uw melding al bestond',
    ])
      expect(report).toContain(words);
    await expectNoAxeViolations(page, 'GDPR desk access with an archive notice and an existing answer nl');
    await page.getByRole('button', { name: 'English' }).click();
    await expectSeen(
      'Who received or viewed the signal',
      [
        'was given this ended signal’s contact details when placing a new one (an archive notice)',
        'viewed that archive notice again',
        'was shown, placing or looking up a signal, that it already existed',
      ],
      ['the organisation’s system', 'professional'],
    );
    await expectNoAxeViolations(page, 'GDPR desk access with an archive notice and an existing answer en');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.getByRole('button', { name: 'Nieuw verzoek' }).click();
    for (const u of urls) expect(u).not.toContain(citizen);
    expect(await storedText(page)).not.toContain(citizen);
    for (const line of consoleLines) expect(line).not.toContain(citizen);
  }, 180_000);
});

describe.skipIf(skip !== undefined)('portal: the GDPR desk on a server without its setting', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let desk: PersonBrowser;
  const consoleLines: string[] = [];

  beforeAll(async () => {
    // No --gdpr-desk-service-organisation-id: the server cannot name the municipality at the
    // pseudonym service (docs/operations.md "The GDPR desk in the portal").
    started = await startTwoOrganisations(world);
    const d = await world.municipalityPerson(started.admin, 'Gijs Loket', ['gdpr_desk']);
    desk = await world.person(started.browser);
    desk.page.on('console', (m) => consoleLines.push(m.text()));
    desk.page.on('pageerror', (e) => consoleLines.push(e.message));
    await enrolAndSignIn(world, desk, d.code);
  }, 240_000);
  afterAll(() => stopTwoOrganisations(world, started));

  it('says the operator’s step; nothing is sent with the BSN; axe clean', async () => {
    const { page } = desk;
    const bsn = randomBsn();
    await page.getByRole('heading', { level: 1, name: 'AVG-verzoeken' }).waitFor();
    const from = desk.requests.length;
    const answers: { url: string; status: number }[] = [];
    page.on('response', (r) => answers.push({ url: r.url(), status: r.status() }));
    await page.getByLabel('BSN', { exact: true }).fill(bsn);
    await page.getByRole('button', { name: 'Zoek de burger op' }).click();
    const alert = page.getByRole('alert');
    await alert
      .getByText('Het AVG-loket kan nog geen pseudoniemen maken. Er is niets verstuurd.', { exact: false })
      .waitFor();
    expect(await alert.textContent()).toContain(
      'die stelt het nummer van de gemeente bij de pseudoniemdienst in',
    );
    // The credential was refused with 503 gdpr_desk_unconfigured; nothing reached the pseudonym
    // service, and no request carried the BSN in its address or body.
    expect(answers.filter((a) => a.url.endsWith('/v1/pseudonym-credentials')).map((a) => a.status)).toEqual([
      503,
    ]);
    const sent = desk.requests.slice(from);
    expect(sent.filter((r) => r.url.startsWith(started!.service.url))).toEqual([]);
    for (const r of sent) {
      expect(r.url).not.toContain(bsn);
      expect(r.body.toString('utf8')).not.toContain(bsn);
    }
    for (const line of consoleLines) expect(line).not.toContain(bsn);
    // Still on the form, the citizen not identified.
    expect(await page.getByText('De burger is omgezet in pseudoniemen:', { exact: false }).count()).toBe(0);
    await expectNoAxeViolations(page, 'GDPR desk unconfigured nl');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'GDPR requests' }).waitFor();
    // The refusal is said in the page's language, also after switching.
    await alert
      .getByText('The GDPR desk cannot make pseudonyms yet. Nothing was sent.', { exact: false })
      .waitFor();
    await expectNoAxeViolations(page, 'GDPR desk unconfigured en');
  }, 120_000);
});
