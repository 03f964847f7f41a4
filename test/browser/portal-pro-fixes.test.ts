// What a professional's walk-through of the portal found (docs/portal.md "Placing a signal",
// "Signing in", "Confirming"), in Chromium against the real match server and pseudonym
// service, checked at the server with the organisation's own key: the session's end keeps the
// screen and the form's fields that identify nobody (never the BSN); the preview's end date is
// the day the server keeps; Back from the preview returns to the filled form; placing the same
// client again says the new details were not saved; regie actions put the focus on their answer,
// an old answer is cleared by the next form's own check, hand-over asks first; the counterpart's
// follow-up and consent are shown; an ended involvement keeps its own reference; enrolling while
// signed in says so.

import { formatDate, lastActiveDay, parseDate } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, waitOverBoundary } from '../support/clock-boundary.js';
import { type Org, randomBsn } from '../support/e2e-world.js';
import { SERVER_WAIT } from '../support/server-wait.js';
import { browserSkipReason, expectNoAxeViolations } from './browser-support.js';
import {
  fillContact,
  fillPlacement,
  openMatch,
  type PersonBrowser,
  PortalWorld,
  sendPlacement,
  signedInPerson,
  startTwoOrganisations,
  stopTwoOrganisations,
  type TwoOrganisations,
} from './portal-world.js';

const skip = browserSkipReason();

/** The role and text of the focused element. */
const focused = (who: PersonBrowser) =>
  who.page.evaluate(() => ({
    role: document.activeElement?.getAttribute('role') ?? '',
    text: document.activeElement?.textContent ?? '',
  }));

describe.skipIf(skip !== undefined)('portal: what a professional’s walk-through found', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let A: Org;
  let eva: PersonBrowser; // professional, A
  let bert: PersonBrowser; // professional, B
  const ids = { eva: '' };
  const child = randomBsn();
  let evaMatch = '';

  const api = (path: string) => world.read(A.signingKey, path);

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    const { browser, B } = started;
    ({ A } = started);
    const evaInvite = await world.inviteNamed(A, 'Eva de Boer', ['professional']);
    const bertInvite = await world.inviteNamed(B, 'Bert de Vries', ['professional']);
    ids.eva = evaInvite.personId;
    eva = await signedInPerson(world, browser, evaInvite.code);
    bert = await signedInPerson(world, browser, bertInvite.code);
  }, 240_000);
  afterAll(() => stopTwoOrganisations(world, started));

  it('a session ended while placing: sign-in in place, back on the form with all but the identifiers', async () => {
    const page = eva.page;
    const bsn = randomBsn();
    const parent = randomBsn();
    await page.goto(`${world.origin}/portal/#/signals/new`);
    await page.getByLabel('BSN', { exact: true }).fill(bsn);
    await page.getByLabel('BSN eerste ouder (niet verplicht)').fill(parent);
    await page.getByLabel('Geboortedatum (niet verplicht)').fill('2015-03-10');
    await fillContact(page, { name: 'Eva de Boer', role: 'ambulant hulpverlener' });
    await page.getByLabel('Uw eigen kenmerk').fill('dossier 88');
    // Another tab of the same browser signs out: this tab's session has ended.
    const other = await eva.context.newPage();
    await other.goto(`${world.origin}/portal/#/devices`);
    await other.getByRole('button', { name: 'Uitloggen' }).click();
    await page.getByText('Uw sessie is beëindigd').waitFor();
    // The sign-in in the form's place: the focus on the new content, not left on <body>.
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    await other.close();
    expect(page.url()).toBe(`${world.origin}/portal/#/signals/new`);
    await page.getByRole('button', { name: 'Inloggen met passkey' }).click();
    await page.getByText('Uw sessie was beëindigd. Er is niets verstuurd.').waitFor();
    expect(page.url()).toBe(`${world.origin}/portal/#/signals/new`);
    // Signed in on the same address: the restored form's screen has the focus, not <body>.
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    expect(await page.getByLabel('BSN', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('BSN eerste ouder (niet verplicht)').inputValue()).toBe('');
    expect(await page.getByLabel('Geboortedatum (niet verplicht)').inputValue()).toBe('');
    expect(await page.getByLabel('Naam', { exact: true }).inputValue()).toBe('Eva de Boer');
    expect(await page.getByLabel('Functie').inputValue()).toBe('ambulant hulpverlener');
    expect(await page.getByLabel('Uw eigen kenmerk').inputValue()).toBe('dossier 88');
    expect(await page.getByLabel('Nog niet').isChecked()).toBe(true);
    // Nothing identifying was kept in any storage of the page.
    const stored = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    for (const secret of [bsn, parent, '2015-03-10']) expect(stored).not.toContain(secret);
    await expectNoAxeViolations(page, 'the form restored after the session ended');
  }, 120_000);

  it('the preview shows the end date the server keeps; Back returns to the filled form, Forward to the preview', async () => {
    // The page's today (the preview), this test's and the server's (the placement) must be one
    // UTC day: a minute of room before midnight, in a case of 120 s.
    await waitOverBoundary(Date.now, DAY_MS, 60_000);
    const page = eva.page;
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.goto(`${world.origin}/portal/#/signals/new`);
    // The contact name starts as the server knows Eva (GET /v1/me): not typed again for every signal.
    await expect
      .poll(() => page.getByLabel('Naam', { exact: true }).inputValue(), { timeout: SERVER_WAIT })
      .toBe('Eva de Boer');
    // Typed with spaces, as people group it.
    await page
      .getByLabel('BSN', { exact: true })
      .fill(`${child.slice(0, 4)} ${child.slice(4, 6)} ${child.slice(6)}`);
    await page.getByLabel('Geboortedatum (niet verplicht)').fill('2015-03-10');
    await fillContact(page, { name: 'Eva de Boer' });
    await page.getByLabel('Uw eigen kenmerk').fill('dossier 1');
    await page.getByRole('button', { name: 'Controleren' }).click();
    await page.getByRole('heading', { name: 'Dit wordt verstuurd' }).waitFor();
    expect(page.url()).toBe(`${world.origin}/portal/#/signals/new/preview`);
    const today = new Date().toISOString().slice(0, 10);
    const capped = formatDate(lastActiveDay(undefined, parseDate(today)!));
    expect(await page.locator('dd time').last().getAttribute('datetime')).toBe(capped);
    await page.goBack();
    await page.getByRole('button', { name: 'Controleren' }).waitFor();
    expect(await page.getByLabel('Uw eigen kenmerk').inputValue()).toBe('dossier 1');
    expect(await page.getByLabel('BSN', { exact: true }).inputValue()).not.toBe('');
    await page.goForward();
    await page.getByRole('heading', { name: 'Dit wordt verstuurd' }).waitFor();
    await sendPlacement(eva);
    const [signal] = (await api(`/v1/signals?status=active&personId=${ids.eva}`)).items as {
      expiresAt: string;
    }[];
    expect(signal!.expiresAt.slice(0, 10)).toBe(capped);
  }, 120_000);

  it('placing the same client again says the new details were not saved, and links My signals', async () => {
    const page = eva.page;
    await fillPlacement(world, eva, {
      bsn: child,
      name: 'Eva de Boer',
      role: 'teamleider',
      reference: 'dossier 2',
    });
    await sendPlacement(eva);
    await page.getByText('De nieuwe gegevens zijn niet opgeslagen').waitFor();
    await page.getByText('Uw nieuwe kenmerk staat nu bij dit signaal, alleen in deze browser.').waitFor();
    const [signal] = (await api(`/v1/signals?status=active&personId=${ids.eva}`)).items as {
      contact: { role: string };
    }[];
    expect(signal!.contact.role).toBe('jeugdconsulent');
    await page.getByRole('link', { name: /Geïnformeerd bijwerken/ }).click();
    await page.getByRole('cell', { name: 'dossier 2', exact: true }).waitFor();
  }, 120_000);

  it('regie: the answer takes the focus, an old answer goes at the next check, hand-over asks first', async () => {
    // The answer already holds the match: said and linked.
    await fillPlacement(world, bert, { bsn: child, name: 'Bert de Vries' });
    await bert.page.getByRole('button', { name: 'Versturen' }).click();
    await bert.page.getByText('Uw signaal is afgegeven. Er is al een match:').waitFor();
    await bert.page.getByRole('link', { name: 'Match met Jeugdzorg Oost' }).waitFor();
    evaMatch = await openMatch(world, eva, 'Wijkteam Noord');
    const page = eva.page;
    await page.getByText('De andere professional heeft nog niets vastgelegd.').waitFor();
    await page.getByRole('button', { name: 'Regie overdragen' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Annuleren' }).click();
    expect(await page.getByText('Regie ligt bij: u.').count()).toBe(1);
    await page.getByRole('button', { name: 'Voorstellen dat de ander de regie neemt' }).click();
    await expect
      .poll(() => focused(eva), { timeout: SERVER_WAIT })
      .toMatchObject({
        role: 'status',
        text: 'Uw voorstel is verstuurd. De regie verandert pas als de andere professional het aanneemt.',
      });
    // Own proposal open: no hand-over beside it.
    await page.getByText('U hebt voorgesteld dat de andere professional de regie neemt.').waitFor();
    expect(await page.getByRole('button', { name: 'Regie overdragen' }).count()).toBe(0);
    // The consent form's own check clears the earlier answer.
    await page.getByRole('button', { name: 'Toestemming vastleggen' }).click();
    await page.getByText('Kies minstens één onderdeel.').first().waitFor();
    expect(await page.getByText('Uw voorstel is verstuurd.').count()).toBe(0);
    await expectNoAxeViolations(page, 'a match with the regie proposal open');
  }, 120_000);

  it('the counterpart’s follow-up and consent are shown; saved consent says its date', async () => {
    const bertMatch = await openMatch(world, bert, 'Jeugdzorg Oost');
    expect(bertMatch).not.toBe('');
    await bert.page.getByRole('button', { name: 'Contact gelegd' }).click();
    await bert.page.getByText('U hebt vastgelegd: Contact gelegd.').waitFor();
    await bert.page.getByLabel('Overleg met de betrokken professionals').check();
    await bert.page.getByLabel('Datum van de toestemming').fill('2026-01-05');
    await bert.page.getByRole('button', { name: 'Toestemming vastleggen' }).click();
    await bert.page.getByText('Toestemming vastgelegd, gegeven op 5 jan 2026').first().waitFor();
    await openMatch(world, eva, 'Wijkteam Noord');
    await eva.page.getByText('De andere professional heeft vastgelegd: Contact gelegd.').waitFor();
    await eva.page.getByText('overleg met de betrokken professionals', { exact: true }).waitFor();
  }, 120_000);

  it('an ended involvement keeps its own reference on the ended match', async () => {
    const page = eva.page;
    await page.goto(`${world.origin}/portal/#/signals`);
    await page.getByRole('button', { name: 'Betrokkenheid beëindigen: dossier 2' }).click();
    await page.getByRole('dialog').getByText('dit signaal (dossier 2)', { exact: false }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Ja, betrokkenheid beëindigen' }).click();
    await page.getByText('Het signaal is beëindigd en gaat naar het archief.').waitFor();
    await page.goto(`${world.origin}/portal/#/matches/${evaMatch}`);
    await page.getByText('Deze match is beëindigd').waitFor();
    await page.getByText('dossier 2', { exact: true }).waitFor();
  }, 120_000);

  it('the enrolment screen tells someone signed in so, with a link to My devices', async () => {
    await eva.page.goto(`${world.origin}/portal/#/enrol`);
    await eva.page.getByText('U bent al ingelogd.').waitFor();
    await eva.page.getByRole('main').getByRole('link', { name: 'Mijn apparaten' }).waitFor();
  }, 60_000);
});
