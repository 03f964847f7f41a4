// The portal as professionals found it (docs/portal.md "Screens", "Confirming", "Signing in"),
// in Chromium against the real match server and pseudonym service, each step checked at the
// server with the organisation's own key where it changes anything: a match names the own
// reference of the signal it is about, and placing the same client again keeps that
// reference; a BSN in "Functie" is named at the field; process agreements read in words and
// can be marked done, an empty one and a future consent date are marked at their fields;
// deleting a signal, removing a person or a device and a transfer each wait for a confirm
// step naming the consequence (a modal dialog, focus on "Annuleren", Escape cancels); the
// coordinator's own row offers no removal; an ended match offers no regie, consent or
// agreement changes; a session ended at the server while placing signs the page out, and
// signing out in one tab clears the others, whose channel message (docs/portal.md "Signing
// in") is `signed-out:<sessionId>` and nothing else.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, randomBsn } from '../support/e2e-world.js';
import { SERVER_WAIT } from '../support/server-wait.js';
import { browserSkipReason, expectNoAxeViolations } from './browser-support.js';
import {
  fillContact,
  fillPlacement,
  keptSession,
  type PersonBrowser,
  PortalWorld,
  sendPlacement,
  signedInPerson,
  startTwoOrganisations,
  stopTwoOrganisations,
  type TwoOrganisations,
} from './portal-world.js';

const skip = browserSkipReason();

describe.skipIf(skip !== undefined)('portal: what the review found', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let A: Org;
  let B: Org;
  let anna: PersonBrowser; // professional, A
  let bert: PersonBrowser; // professional, B
  let carla: PersonBrowser; // organisation coordinator, A
  let kees: PersonBrowser; // professional, A
  const ids = { anna: '', kees: '', dirk: '', bert: '', carla: '' };
  const child = randomBsn();
  const second = randomBsn();
  let annaMatch = '';

  const api = (path: string) => world.read(A.signingKey, path);

  /** The placing form filled with an own reference and checked, not yet sent. */
  const place = (
    who: PersonBrowser,
    bsn: string,
    reference: string,
    role = 'jeugdconsulent',
    name = 'Anna Jansen',
  ) => fillPlacement(world, who, { bsn, name, role, reference });

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    const { browser } = started;
    ({ A, B } = started);
    const annaInvite = await world.inviteNamed(A, 'Anna Jansen', ['professional']);
    const bertInvite = await world.inviteNamed(B, 'Bert de Vries', ['professional']);
    const carlaInvite = await world.inviteNamed(A, 'Carla Visser', ['organisation_coordinator']);
    const keesInvite = await world.inviteNamed(A, 'Kees Bakker', ['professional']);
    const dirk = await world.inviteNamed(A, 'Dirk Smit', ['professional']);
    ids.anna = annaInvite.personId;
    ids.kees = keesInvite.personId;
    ids.bert = bertInvite.personId;
    ids.dirk = dirk.personId;
    ids.carla = carlaInvite.personId;
    anna = await signedInPerson(world, browser, annaInvite.code);
    bert = await signedInPerson(world, browser, bertInvite.code);
    carla = await signedInPerson(world, browser, carlaInvite.code);
    kees = await signedInPerson(world, browser, keesInvite.code);
  }, 240_000);
  afterAll(() => stopTwoOrganisations(world, started));

  it('a BSN in "Functie" is named at that field; placing the same client again keeps the own reference', async () => {
    const page = anna.page;
    await place(anna, child, 'dossier 2041', randomBsn());
    const fieldError = page.locator('#place-role-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toContain('De functie bevat een nummer dat op een BSN lijkt');
    expect(await page.getByText(/code text_forbidden/).count()).toBe(0);
    await page.getByLabel('Functie').fill('jeugdconsulent');
    await page.getByRole('button', { name: 'Controleren' }).click();
    await sendPlacement(anna);
    // Again, without a reference: the server answers `existing`; the reference stays.
    await place(anna, child, '');
    await sendPlacement(anna);
    await page.getByText('U had al een actief signaal').waitFor();
    await place(anna, second, 'dossier 3001');
    await sendPlacement(anna);
    await page.goto(`${world.origin}/portal/#/signals`);
    await page.getByRole('cell', { name: 'dossier 2041', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'dossier 3001', exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: '(geen kenmerk in deze browser)' }).count()).toBe(0);
  }, 120_000);

  it('the match list and the match say which of my clients the match is about', async () => {
    await place(bert, child, 'B-1', 'wijkcoach', 'Bert de Vries');
    await sendPlacement(bert);
    const page = anna.page;
    await page.goto(`${world.origin}/portal/#/matches`);
    await page.getByRole('columnheader', { name: 'Mijn kenmerk' }).waitFor();
    await page.getByRole('cell', { name: 'dossier 2041', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Wijkteam Noord' }).click();
    await page.getByRole('heading', { name: 'Regie', exact: true }).waitFor();
    annaMatch = /#\/matches\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    const mine = page.locator('dl').first();
    expect(await mine.textContent()).toBe('Mijn kenmerkdossier 2041');
  }, 60_000);

  it('agreements read in words, an empty one and a future consent date are marked at their fields, and one is marked done', async () => {
    const page = anna.page;
    await page.getByRole('button', { name: 'Afspraak toevoegen' }).click();
    await page.locator('#agreement-actionKind-error').waitFor();
    expect(await page.locator('#agreement-actionKind-error').textContent()).toBe('Kies de soort actie.');
    expect(await page.locator('#agreement-dueDate-error').textContent()).toContain('Vul de datum in');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('agreement-actionKind');
    expect((await api(`/v1/matches/${annaMatch}/agreements`)).items).toEqual([]);

    await page.getByLabel('Soort actie').selectOption({ label: 'Huisbezoek' });
    await page.getByLabel('Soort informatie').selectOption({ label: 'Wonen' });
    await page.getByLabel('Doel').selectOption({ label: 'Huisuitzetting voorkomen' });
    const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Uiterlijk op').fill(due);
    await page.getByRole('button', { name: 'Afspraak toevoegen' }).click();
    const item = page.locator('li', { hasText: 'Huisbezoek · Wonen · Huisuitzetting voorkomen' });
    await item.waitFor();
    const text = (await item.textContent()) ?? '';
    expect(text).toContain('door u · open');
    expect(text).not.toMatch(/home_visit|housing|prevent_eviction|\d{4}-\d{2}-\d{2}/);
    await page.getByRole('button', { name: /^Gedaan: Huisbezoek, uiterlijk / }).click();
    await page.locator('li', { hasText: 'door u · gedaan' }).waitFor();
    expect((await api(`/v1/matches/${annaMatch}/agreements`)).items).toEqual([
      expect.objectContaining({ actionKind: 'home_visit', status: 'done' }),
    ]);

    await page.getByLabel('Overleg met de betrokken professionals').check();
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Datum van de toestemming').fill(tomorrow);
    await page.getByRole('button', { name: 'Toestemming vastleggen' }).click();
    await page.locator('#consent-date-error').waitFor();
    expect(await page.locator('#consent-date-error').textContent()).toBe(
      'De datum van de toestemming mag niet in de toekomst liggen.',
    );
    const own = (await api(`/v1/matches/${annaMatch}`)).ownSignalId;
    expect((await api(`/v1/signals/${own}/consent`)).consent).toBeNull();
    await expectNoAxeViolations(page, 'match with field errors');
  }, 60_000);

  it('"Signaal verwijderen (ten onrechte afgegeven)" waits for a confirm step; Escape cancels, confirming deletes', async () => {
    const page = anna.page;
    await page.goto(`${world.origin}/portal/#/signals`);
    const button = page.getByRole('button', {
      name: 'Signaal verwijderen (ten onrechte afgegeven): dossier 3001',
    });
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Signaal verwijderen?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Dit kunt u niet ongedaan maken.');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Annuleren');
    await expectNoAxeViolations(page, 'confirm dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Signaal verwijderen (ten onrechte afgegeven): dossier 3001');
    const active = async () =>
      (await api(`/v1/signals?status=active&personId=${ids.anna}`)).items.length as number;
    expect(await active()).toBe(2);
    await button.click();
    await page.getByRole('button', { name: 'Ja, signaal verwijderen' }).click();
    await page.getByText('Het signaal is verwijderd.').waitFor();
    expect(await active()).toBe(1);
  }, 60_000);

  it('an ended match offers no regie, consent or agreement changes; the withdrawing side sees it ended', async () => {
    const page = bert.page;
    await page.goto(`${world.origin}/portal/#/matches`);
    await page.getByRole('link', { name: 'Jeugdzorg Oost' }).click();
    // The confirm step (docs/portal.md "Confirming"): Escape cancels, the focus back on the button.
    const end = page.getByRole('button', { name: 'Betrokkenheid beëindigen' });
    await end.click();
    const dialog = page.getByRole('dialog', { name: 'Betrokkenheid beëindigen?' });
    await dialog
      .getByText('De matches ervan stoppen ook. Dit kunt u niet ongedaan maken.', { exact: false })
      .waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Betrokkenheid beëindigen');
    await end.click();
    await dialog.getByRole('button', { name: 'Ja, betrokkenheid beëindigen' }).click();
    await page.getByText('Het signaal is beëindigd en gaat naar het archief.').waitFor();
    // The buttons went with the signal: the answer has the focus, not the page (WCAG 2.4.3).
    await page.waitForFunction(() =>
      document.activeElement?.textContent?.includes('Het signaal is beëindigd'),
    );
    // Bert's own view refreshed: status ended, and nothing left to withdraw.
    await page.getByText('Deze match is beëindigd').waitFor();
    // The withdraw section goes once the reloaded own signal reads inactive (a second render).
    await page.getByRole('button', { name: 'Betrokkenheid beëindigen' }).waitFor({ state: 'detached' });
    expect(await page.locator('dd', { hasText: 'beëindigd' }).count()).toBe(1);
    await anna.page.goto(`${world.origin}/portal/#/signals`);
    await anna.page.goto(`${world.origin}/portal/#/matches/${annaMatch}`);
    await anna.page.getByText('Deze match is beëindigd').waitFor();
    for (const name of [
      'Voorstellen dat ik de regie neem',
      'Toestemming vastleggen',
      'Afspraak toevoegen',
      /^Gedaan:/,
    ])
      expect(await anna.page.getByRole('button', { name }).count(), String(name)).toBe(0);
    // Anna's own signal is still active: she can still end it.
    await anna.page.getByRole('button', { name: 'Betrokkenheid beëindigen' }).waitFor();
    await expectNoAxeViolations(anna.page, 'ended match');
  }, 60_000);

  it('the coordinator: no removal of herself, a confirm step for removing a person and for a transfer with its count', async () => {
    const page = carla.page;
    await page.goto(`${world.origin}/portal/#/organisation`);
    await page.getByRole('button', { name: 'Dirk Smit verwijderen' }).waitFor();
    expect(await page.getByRole('button', { name: 'Carla Visser verwijderen' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Apparaten van Carla Visser' }).click();
    await page.getByRole('cell', { name: 'testlaptop', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'testlaptop verwijderen' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Dirk Smit verwijderen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Dirk Smit verwijderen?' });
    expect(await dialog.textContent()).toContain('kan daarna niet meer inloggen');
    await page.getByRole('button', { name: 'Annuleren' }).click();
    const status = async (id: string) =>
      ((await api('/v1/people')).people as { id: string; status: string }[]).find((p) => p.id === id)?.status;
    expect(await status(ids.dirk)).toBe('active');
    await page.getByRole('button', { name: 'Dirk Smit verwijderen' }).click();
    await page.getByRole('button', { name: 'Ja, Dirk Smit verwijderen' }).click();
    await page.getByText('Dirk Smit is verwijderd').waitFor();
    expect(await status(ids.dirk)).toBe('removed');

    await page.getByLabel('Van (vertrekkende collega)').selectOption(ids.anna);
    await page.getByLabel('Naar (collega)').selectOption(ids.kees);
    await page.locator('#transfer-role').fill('jeugdconsulent');
    await page.getByRole('button', { name: 'Overdragen' }).click();
    const transfer = page.getByRole('dialog', { name: 'Signalen overdragen?' });
    expect(await transfer.textContent()).toContain('1 actief signaal van Anna Jansen gaat naar Kees Bakker.');
    await page.keyboard.press('Escape');
    await transfer.waitFor({ state: 'detached' });
    expect((await api(`/v1/signals?status=active&personId=${ids.anna}`)).items).toHaveLength(1);
  }, 60_000);

  it('removing one’s only passkey warns that signing in is then impossible; an empty device name is marked', async () => {
    const page = kees.page;
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.getByRole('button', { name: 'testlaptop verwijderen' }).click();
    // The confirm step names the device by name and creation time (docs/portal.md "Screens").
    const dialog = page.getByRole('dialog', {
      name: /^Apparaat testlaptop \(aangemaakt .+\) verwijderen\?$/,
    });
    expect(await dialog.textContent()).toContain('Dit is uw enige passkey.');
    expect(await dialog.textContent()).toContain('nieuwe uitnodigingscode');
    await page.getByRole('button', { name: 'Annuleren' }).click();
    await dialog.waitFor({ state: 'detached' });
    const before = kees.requests.length;
    await page.getByRole('button', { name: 'Bevestigen met mijn passkey' }).click();
    await page.getByText('Vul een naam voor het nieuwe apparaat in.').waitFor();
    expect(kees.requests.slice(before).filter((r) => r.url.includes('/v1/'))).toEqual([]);
    expect((await api(`/v1/people/${ids.kees}/devices`)).devices).toHaveLength(1);
  }, 60_000);

  it('a session ended at the server while placing signs the page out at the credential request', async () => {
    const page = kees.page;
    await page.goto(`${world.origin}/portal/#/signals/new`);
    await page.getByLabel('BSN', { exact: true }).fill(randomBsn());
    await fillContact(page, { name: 'Kees Bakker' });
    const [device] = (await api(`/v1/people/${ids.kees}/devices`)).devices as { id: string }[];
    await world.signed(A.signingKey, 'DELETE', `/v1/people/${ids.kees}/devices/${device!.id}`);
    await page.getByRole('button', { name: 'Controleren' }).click();
    await page.getByText('Uw sessie is beëindigd').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Inloggen');
    expect(await page.getByRole('button', { name: 'Uitloggen' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Signaal afgeven' }).count()).toBe(0);
  }, 60_000);

  it('signing out in one tab clears the other tab’s contact details at once', async () => {
    // Bert's signal ended above, so that match no longer shows his contact (docs/engine.md
    // "What a match reveals"): he places again, which makes a live match with Anna.
    await place(bert, child, 'B-2', 'wijkcoach', 'Bert de Vries');
    await sendPlacement(bert);
    const inbox = (await api('/v1/matches?limit=500')).items as {
      matchId: string;
      match: { status: string } | null;
    }[];
    const live = inbox.find((e) => e.matchId !== annaMatch && e.match?.status === 'active')!.matchId;
    const other = await anna.context.newPage();
    await other.goto(`${world.origin}/portal/#/matches/${live}`);
    await other.getByText('Bert de Vries').waitFor();
    await anna.page.goto(`${world.origin}/portal/#/signals`);
    await anna.page.getByRole('button', { name: 'Uitloggen' }).click();
    await other.getByRole('button', { name: 'Inloggen met passkey' }).waitFor();
    expect(await other.getByText('Bert de Vries').count()).toBe(0);
    expect(await other.getByRole('button', { name: 'Uitloggen' }).count()).toBe(0);
    await other.close();
  }, 60_000);
  it('the sign-out message another tab hears on the BroadcastChannel is `signed-out:<sessionId>` and nothing else', async () => {
    // A second tab of the same browser listens on the portal's channel as the page does.
    const listener = await carla.context.newPage();
    await listener.goto(`${world.origin}/portal/#/privacy`);
    await listener.locator('h1').waitFor();
    await listener.evaluate(() => {
      const heard: unknown[] = [];
      Object.assign(globalThis, { heard });
      new BroadcastChannel('sluis.signed-out').onmessage = (e: MessageEvent) => heard.push(e.data);
    });
    const heard = () => listener.evaluate(() => (globalThis as unknown as { heard: unknown[] }).heard);
    const page = carla.page;
    await page.goto(`${world.origin}/portal/#/organisation`);
    await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
    const sessionId = (await keptSession(page))?.sessionId ?? '';
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    // The sign-out's message reaches another tab (another renderer) once the page has signed out.
    await expect.poll(async () => (await heard()).length, { timeout: SERVER_WAIT }).toBeGreaterThan(0);
    // Anything sent later (a second message, another shape) would arrive within this wait.
    await listener.waitForTimeout(500);
    const messages = await heard();
    expect(messages).toEqual([`signed-out:${sessionId}`]);
    // The exact string above leaves no room for a pseudonym or anything else; spelled out for
    // what the page knows of the person: no name, no e-mail address, no person or organisation id.
    const text = JSON.stringify(messages);
    for (const leaked of ['Carla', 'Visser', 'carla@', ids.carla, A.id]) expect(text).not.toContain(leaked);
    await listener.close();
  }, 60_000);

  it('a tab whose older session ended leaves a newer sign-in kept in the browser alone', async () => {
    const page = bert.page;
    await page.goto(`${world.origin}/portal/#/matches`);
    await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
    // Another tab signed in since: the browser's one kept session is now a newer one.
    const newer = await page.evaluate(async () => {
      const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const record = {
        sessionId: 'newer-session',
        personId: 'newer-person',
        organisationId: null,
        roles: ['professional'],
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        idleExpiresAt: new Date(Date.now() + 1_800_000).toISOString(),
        privateKey: pair.privateKey,
      };
      const db = await new Promise<IDBDatabase>((ok, no) => {
        const r = indexedDB.open('sluis.portal');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => no(r.error);
      });
      await new Promise<void>((ok, no) => {
        const tx = db.transaction('session', 'readwrite');
        tx.objectStore('session').put(record, 'current');
        tx.oncomplete = () => ok();
        tx.onerror = () => no(tx.error);
      });
      db.close();
      return record.sessionId;
    });
    const kept = async () => (await keptSession(page))?.sessionId ?? null;
    // The older session ends at the server; this tab finds out at its next request.
    const { devices } = (await world.signed(B.signingKey, 'GET', `/v1/people/${ids.bert}/devices`)) as {
      devices: { id: string }[];
    };
    await world.signed(B.signingKey, 'DELETE', `/v1/people/${ids.bert}/devices/${devices[0]!.id}`);
    await page.goto(`${world.origin}/portal/#/signals`);
    await page.getByText('Uw sessie is beëindigd').waitFor();
    expect(await kept()).toBe(newer);
  }, 60_000);
});
