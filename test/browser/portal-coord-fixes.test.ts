// What an organisation coordinator's first week found, in Chromium against the real match server
// (docs/portal.md "Accessibility", "Confirming", "Screens"): the result of removing a colleague's
// device takes the focus; cancelling a confirm step while an invitation code is on screen returns
// the focus to the button that opened it (not to the code); a handover of more than 1000 signals
// goes in requests of at most 1000 (docs/api.md `POST /v1/signals/transfer`) and moves them all,
// and one whose later request is refused says what moved and what did not. Every count is
// checked against the server through the organisation's own key.

import { createClient } from '@sluis/client-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Org } from '../support/e2e-world.js';
import { focused, focusedText } from '../support/focus.js';
import { browserSkipReason, launch } from './browser-support.js';
import { type PersonBrowser, PortalWorld, signedInPerson } from './portal-world.js';

const skip = browserSkipReason();

describe.skipIf(skip !== undefined)('portal: fixes from a coordinator’s first week', () => {
  const world = new PortalWorld();
  let browser: Browser;
  let A: Org;
  let cor: PersonBrowser;
  const ids = { piet: '', anna: '', kees: '' };

  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, held to the assertions below.
  const read = (path: string) => world.signed(A.signingKey, 'GET', path) as Promise<any>;
  /** How many active signals the person holds, paged as the portal does. */
  async function held(personId: string): Promise<string[]> {
    const all: string[] = [];
    let cursor = '';
    for (;;) {
      const page = await read(
        `/v1/signals?status=active&personId=${personId}&limit=500${cursor === '' ? '' : `&cursor=${cursor}`}`,
      );
      all.push(...page.items.map((s: { id: string }) => s.id));
      if (page.nextCursor === undefined || page.items.length === 0) return all;
      cursor = page.nextCursor;
    }
  }
  const transfers = () =>
    cor.requests
      .filter((r) => r.method === 'POST' && new URL(r.url).pathname === '/v1/signals/transfer')
      .map((r) => (JSON.parse(r.body.toString()) as { signalIds: string[] }).signalIds);
  const contact = { name: 'Piet Bakker', role: 'jeugdconsulent', email: 'piet@zorg.example.nl' };

  beforeAll(async () => {
    await world.startPortal();
    browser = await launch();
    A = await world.organisation('Jeugdzorg Oost', 'youth_care', ['--budget', '5000']);
    const c = await world.inviteNamed(A, 'Cor Smit', ['organisation_coordinator']);
    const piet = await world.inviteNamed(A, 'Piet Bakker', ['professional']);
    const anna = await world.inviteNamed(A, 'Anna Jansen', ['professional']);
    const kees = await world.inviteNamed(A, 'Kees Visser', ['professional']);
    ids.piet = piet.personId;
    ids.anna = anna.personId;
    ids.kees = kees.personId;
    // Anna has a passkey the coordinator can remove.
    await signedInPerson(world, browser, anna.code);
    cor = await signedInPerson(world, browser, c.code);
    // 1002 signals by the organisation's system (the batch route), then handed to Piet through the API.
    const client = createClient({
      serverUrl: world.server.url,
      signingKey: A.signingKey,
      pseudonymKeys: [world.pseudonymKey],
      clock: world.clock,
    });
    const placed = await client.placeSignals(
      Array.from({ length: 1002 }, () => ({
        bsn: world.bsn(),
        contact: world.contact(),
        informed: { status: 'not_yet' as const },
      })),
    );
    const signalIds = placed.map((r) => (r.ok ? r.signal.id : ''));
    expect(signalIds.filter((id) => id === '')).toEqual([]);
    for (const chunk of [signalIds.slice(0, 1000), signalIds.slice(1000)])
      await world.signed(A.signingKey, 'POST', '/v1/signals/transfer', {
        signalIds: chunk,
        contact,
        personId: ids.piet,
      });
    expect(await held(ids.piet)).toHaveLength(1002);
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await world.close();
  });

  async function open(): Promise<Page> {
    const page = cor.page;
    await page.goto(`${world.origin}/portal/#/devices`);
    await page.goto(`${world.origin}/portal/#/organisation`);
    await page.getByRole('cell', { name: 'Anna Jansen', exact: true }).waitFor();
    return page;
  }

  it('removing a colleague’s device: the result takes the focus', async () => {
    const page = await open();
    await page.getByRole('button', { name: 'Apparaten van Anna Jansen' }).click();
    await page.getByRole('button', { name: 'testlaptop verwijderen' }).click();
    await page.getByRole('button', { name: 'Ja, testlaptop verwijderen' }).click();
    await page.getByText('Apparaat testlaptop is verwijderd.').waitFor();
    expect((await read(`/v1/people/${ids.anna}/devices`)).devices).toEqual([]);
    await expect.poll(() => focused(page)).toBe('status');
    expect(await focusedText(page)).toContain('Apparaat testlaptop is verwijderd.');
    // Anna's last passkey: the coordinator is told a new invitation code is needed.
    expect(await focusedText(page)).toContain('Inloggen kan pas weer met een nieuwe uitnodigingscode');
  }, 120_000);

  it('cancelling a confirm step with an invitation code on screen returns the focus to its opener', async () => {
    const page = await open();
    await page.getByRole('button', { name: 'Uitnodigingscode voor Piet Bakker' }).click();
    await page.locator('#invitation-code code').waitFor();
    await expect.poll(() => focused(page)).toBe('invitation-code');
    const remove = page.getByRole('button', { name: 'Kees Visser verwijderen' });
    await remove.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    // The dialog gives the focus back to Remove Kees; the code box must not take it again.
    await page.waitForTimeout(300);
    expect(await focusedText(page)).toBe('Kees Visser verwijderen');
    // Cancel with the button, the same.
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByRole('button', { name: 'Annuleren' }).click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await focusedText(page)).toBe('Kees Visser verwijderen');
    expect((await read('/v1/people')).people.some((p: { id: string }) => p.id === ids.kees)).toBe(true);
  }, 120_000);

  /** Fills the handover form from one professional to another and confirms it. */
  async function handOver(page: Page, from: string, to: string): Promise<void> {
    await page.getByLabel('Van (vertrekkende collega)').selectOption(from);
    await page.getByLabel('Naar (collega)').selectOption(to);
    await page.getByLabel('Functie van de collega').fill('jeugdconsulent');
    await page.getByRole('button', { name: 'Overdragen', exact: true }).click();
    await page.getByRole('dialog').getByText('1002 actieve signalen').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Ja, overdragen' }).click();
  }

  it('1002 signals go in requests of at most 1000, and all of them move', async () => {
    const page = await open();
    const before = transfers().length;
    await handOver(page, ids.piet, ids.kees);
    await page.getByText('1002 signalen zijn overgedragen aan Kees Visser.').waitFor({ timeout: 120_000 });
    const sent = transfers().slice(before);
    expect(sent.map((s) => s.length)).toEqual([1000, 2]);
    expect(new Set(sent.flat()).size).toBe(1002);
    expect(await held(ids.kees)).toHaveLength(1002);
    expect(await held(ids.piet)).toEqual([]);
  }, 300_000);

  it('a refused second request: the page says how many moved and how many did not', async () => {
    const page = await open();
    // The server refuses the second request because one of its signals ended meanwhile (its
    // holder's system withdrew it): the request itself reaches the real server unchanged.
    let ended = '';
    await page.route('**/v1/signals/transfer', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { signalIds: string[] };
      if (body.signalIds.length < 1000 && ended === '') {
        ended = body.signalIds[0]!;
        await world.signed(A.signingKey, 'POST', `/v1/signals/${ended}/withdraw`, { reason: 'ended' });
      }
      await route.continue();
    });
    const before = transfers().length;
    await handOver(page, ids.kees, ids.piet);
    const alert = page.getByRole('alert');
    await alert
      .getByText('1000 signalen zijn overgedragen aan Piet Bakker. 2 signalen zijn niet overgedragen.')
      .waitFor({ timeout: 120_000 });
    expect(
      transfers()
        .slice(before)
        .map((s) => s.length),
    ).toEqual([1000, 2]);
    expect(await held(ids.piet)).toHaveLength(1000);
    expect(await held(ids.kees)).toHaveLength(1);
    await expect.poll(() => focused(page)).toBe('alert');
    await page.unroute('**/v1/signals/transfer');
  }, 300_000);
});
