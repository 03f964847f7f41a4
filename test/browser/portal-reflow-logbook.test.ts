// Two checks of the portal against the real match server in Chromium. Reflow at 320 CSS px
// (WCAG 1.4.10, docs/portal.md "Accessibility"): the administrator's tables and My signals —
// the page does not scroll sideways, every table's region stays on screen with its caption
// wholly inside it, and a region wider than its view scrolls with the keyboard, its caption
// staying in view. And
// the auditor's logbook check on a chain broken for real: the server stopped, one line of its
// SQLite logbook changed with better-sqlite3, the server started again on the same data; the
// screen names the line from which the chain breaks, why (the reason in words; for a stored-form
// cell written back as TEXT, its column) and what to do.

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createClient, type SigningKey } from '@sluis/client-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/server-process.js';
import { browserSkipReason, expectNoAxeViolations, launch } from './browser-support.js';
import { type PersonBrowser, PortalWorld, signedInPerson } from './portal-world.js';

const skip = browserSkipReason();

/** better-sqlite3 as the engine has it (the test package does not depend on it itself). */
interface Sqlite {
  prepare(sql: string): { run(...values: unknown[]): { changes: number }; get(): unknown };
  close(): void;
}
const openSqlite = createRequire(join(ROOT, 'packages', 'engine', 'package.json'))('better-sqlite3') as new (
  path: string,
) => Sqlite;

/** Where each table's region, its caption and the page stand at the current width. */
function layout(page: Page) {
  return page.evaluate(() => {
    const regions = Array.from(document.querySelectorAll('.sluis-table-scroll')).map((region) => {
      const r = region.getBoundingClientRect();
      const caption = region.querySelector('caption');
      const range = document.createRange();
      if (caption !== null) range.selectNodeContents(caption);
      const lines = caption === null ? [] : Array.from(range.getClientRects());
      return {
        caption: caption?.textContent ?? '',
        left: r.left,
        right: r.right,
        captionLeft: Math.min(...lines.map((l) => l.left)),
        captionRight: Math.max(...lines.map((l) => l.right)),
        overflows: region.scrollWidth > region.clientWidth,
      };
    });
    return { page: document.documentElement.scrollWidth, regions };
  });
}

/** The page, every region and every line of its caption on screen at 320 px. */
function expectOnScreen(at: Awaited<ReturnType<typeof layout>>, label: string): void {
  expect(at.page, `${label}: the page scrolls sideways`).toBeLessThanOrEqual(320);
  for (const r of at.regions) {
    const what = `${label}: ${r.caption}`;
    expect(r.left, what).toBeGreaterThanOrEqual(0);
    expect(r.right, what).toBeLessThanOrEqual(320);
    // The caption is read whole without scrolling: every line of it inside the region.
    expect(r.captionLeft, what).toBeGreaterThanOrEqual(r.left - 0.5);
    expect(r.captionRight, what).toBeLessThanOrEqual(r.right + 0.5);
  }
}

async function expectReflows(page: Page, label: string, tables: number): Promise<void> {
  const regions = page.locator('.sluis-table-scroll');
  // Every region at its start first (a click may have scrolled one to a button).
  await regions.evaluateAll((all) => {
    for (const e of all) e.scrollLeft = 0;
  });
  const at = await layout(page);
  expect(at.regions.length, label).toBeGreaterThanOrEqual(tables);
  expectOnScreen(at, label);
  // A table wider than its region scrolls with the keyboard (the region takes the focus), and
  // its caption stays in view while it does.
  for (const [i, r] of at.regions.entries()) {
    if (!r.overflows) continue;
    const region = regions.nth(i);
    await region.focus();
    for (let k = 0; k < 10; k++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => region.evaluate((e) => e.scrollLeft), { timeout: 2_000 }).toBeGreaterThan(0);
    expectOnScreen(await layout(page), `${label}, ${r.caption} scrolled sideways`);
  }
  await expectNoAxeViolations(page, `${label} at 320 px`);
}

describe.skipIf(skip !== undefined)('portal: reflow at 320 px, and a broken logbook chain', () => {
  const world = new PortalWorld();
  let browser: Browser;
  let admin: SigningKey;
  let ada: PersonBrowser; // administrator
  let otto: PersonBrowser; // auditor
  let pim: PersonBrowser; // professional

  beforeAll(async () => {
    await world.startPortal();
    browser = await launch();
    admin = await world.adminKey();
    const org = await world.organisation('Jeugdteam Noord-Oost en Kralingen');
    const p = await world.inviteNamed(org, 'Pim Professional', ['professional']);
    await world.inviteNamed(org, 'Cor Coördinator-Verhoeven', ['organisation_coordinator']);
    const a = await world.municipalityPerson(admin, 'Ada Beheer', ['administrator']);
    const o = await world.municipalityPerson(admin, 'Otto Auditor', ['auditor']);
    // Signals Pim holds: placed by the organisation's system on Pim's behalf.
    const client = createClient({
      serverUrl: world.server.url,
      signingKey: org.signingKey,
      pseudonymKeys: [world.pseudonymKey],
      clock: world.clock,
      onBehalfOf: p.personId,
    });
    const bsns = [world.bsn(), world.bsn()];
    for (const bsn of bsns)
      await client.placeSignal({ bsn, contact: world.contact(), informed: { status: 'not_yet' } });
    // Another organisation signals the first child too: Pim has a match.
    const other = await world.organisation('Wijkteam Charlois en IJsselmonde');
    await createClient({
      serverUrl: world.server.url,
      signingKey: other.signingKey,
      pseudonymKeys: [world.pseudonymKey],
      clock: world.clock,
    }).placeSignal({ bsn: bsns[0]!, contact: world.contact(), informed: { status: 'not_yet' } });
    pim = await signedInPerson(world, browser, p.code);
    ada = await signedInPerson(world, browser, a.code);
    otto = await signedInPerson(world, browser, o.code);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await world.close();
  });

  it('the administrator’s tables at 320 px: no sideways page, regions and captions on screen', async () => {
    const page = ada.page;
    await page.setViewportSize({ width: 320, height: 640 });
    try {
      await page.goto(`${world.origin}/portal/#/devices`);
      await page.goto(`${world.origin}/portal/#/municipality`);
      await page.getByRole('cell', { name: 'Otto Auditor', exact: true }).waitFor();
      await page.getByRole('cell', { name: 'Jeugdteam Noord-Oost en Kralingen', exact: true }).waitFor();
      await expectReflows(page, 'municipality', 2);
      await page.getByRole('button', { name: 'Mensen van Jeugdteam Noord-Oost en Kralingen' }).click();
      await page.getByRole('cell', { name: 'Cor Coördinator-Verhoeven', exact: true }).waitFor();
      await expectReflows(page, 'municipality, an organisation’s people', 3);
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  }, 120_000);

  it('My signals at 320 px: the caption on screen, the page not sideways', async () => {
    const page = pim.page;
    await page.setViewportSize({ width: 320, height: 640 });
    try {
      await page.goto(`${world.origin}/portal/#/devices`);
      await page.goto(`${world.origin}/portal/#/signals`);
      await page.getByRole('table', { name: 'Actieve signalen' }).waitFor();
      await page.locator('table tbody tr').nth(1).waitFor();
      await expectReflows(page, 'My signals', 1);
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  }, 120_000);

  // docs/portal.md "Screens": below 40rem their rows stack as My organisation's do, so no column
  // — the actions least of all — waits off the screen in a region scrolled sideways.
  it('Matches, My signals and My devices at 320 px: rows stack, neither the page nor a table scrolls sideways', async () => {
    const page = pim.page;
    await page.setViewportSize({ width: 320, height: 640 });
    const sideways = () =>
      page.evaluate(() => {
        const wide: string[] = [];
        const root = document.scrollingElement!;
        if (root.scrollWidth > root.clientWidth) wide.push(`page ${root.scrollWidth}`);
        for (const e of Array.from(document.querySelectorAll<HTMLElement>('.sluis-table-scroll, table')))
          if (e.scrollWidth > e.clientWidth || e.getBoundingClientRect().right > root.clientWidth)
            wide.push(`${e.localName} ${e.scrollWidth} in ${e.clientWidth}`);
        return wide;
      });
    try {
      for (const [screen, table] of [
        ['matches', 'Uw matches'],
        ['signals', 'Actieve signalen'],
        ['devices', 'Uw passkeys'],
      ] as const) {
        await page.goto(`${world.origin}/portal/#/${screen === 'devices' ? 'signals' : 'devices'}`);
        await page.goto(`${world.origin}/portal/#/${screen}`);
        await page.locator('table tbody tr').first().waitFor();
        expect(await page.locator('table caption').first().textContent(), screen).toContain(table);
        expect(await sideways(), screen).toEqual([]);
        // The last column, the actions, is on the screen.
        const last = page.locator('table tbody tr td:last-child').first();
        const box = (await last.boundingBox())!;
        expect(box.x + box.width, screen).toBeLessThanOrEqual(320);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  }, 120_000);

  it('names the line from which a really broken chain breaks, and what to do', async () => {
    const page = otto.page;
    await page.goto(`${world.origin}/portal/#/logbook`);
    await page.getByRole('button', { name: 'Logboek controleren' }).click();
    await page.getByText(/^Het logboek is in orde: de keten van alle \d+ regels klopt\.$/).waitFor();

    // The server stopped; line 2 of its logbook changed in the database file; started again.
    const dataDir = world.server.dataDir;
    await world.server.stop();
    const db = new openSqlite(join(dataDir, 'sluis.db'));
    try {
      expect(db.prepare('UPDATE logbook SET at = at + 1 WHERE seq = 2').run().changes).toBe(1);
    } finally {
      db.close();
    }
    await world.startPortal([], dataDir);
    const server = await world.read(admin, '/v1/admin/logbook/verify');
    expect(server).toMatchObject({ ok: false, firstBadSeq: 2 });

    await page.reload();
    await page.getByRole('button', { name: 'Logboek controleren' }).click();
    await page
      .getByText(
        /^Het logboek is niet in orde: de keten klopt niet vanaf regel 2\. Er zijn \d+ regels gecontroleerd\.$/,
      )
      .waitFor();
    // The reason in words (API 1.10.0, docs/operations.md "When logbook-verify fails").
    await page.getByText('Oorzaak: die regel past niet bij zijn controlewaarde.', { exact: false }).waitFor();
    await page.getByText('Meld dit meteen aan de beheerder van de gemeente.', { exact: false }).waitFor();
    await expectNoAxeViolations(page, 'a broken logbook chain');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Check the logbook' }).click();
    await page.getByText('the chain breaks from line 2.', { exact: false }).waitFor();
    await page.getByText('Cause: that line does not match its check value.', { exact: false }).waitFor();

    // The edit undone, but one of line 2's stored-form cells written back as TEXT: stored_form,
    // with the column named.
    await world.server.stop();
    const db2 = new openSqlite(join(dataDir, 'sluis.db'));
    let column: string;
    try {
      db2.prepare('UPDATE logbook SET at = at - 1 WHERE seq = 2').run();
      const types = db2
        .prepare(
          'SELECT typeof(actor) AS actor, typeof(action) AS action, typeof(refs) AS refs, typeof(details) AS details FROM logbook WHERE seq = 2',
        )
        .get() as Record<string, string>;
      column = ['actor', 'action', 'refs', 'details'].find((c) => types[c] === 'blob')!;
      expect(column).toBeDefined();
      db2.prepare(`UPDATE logbook SET ${column} = CAST(${column} AS TEXT) WHERE seq = 2`).run();
    } finally {
      db2.close();
    }
    await world.startPortal([], dataDir);
    expect(await world.read(admin, '/v1/admin/logbook/verify')).toMatchObject({
      ok: false,
      firstBadSeq: 2,
      reason: 'stored_form',
      column,
    });
    await page.reload();
    await page.getByRole('button', { name: 'Check the logbook' }).click();
    await page
      .getByText(`Cause: the field “${column}” of that line holds the right content`, { exact: false })
      .waitFor();
    await expectNoAxeViolations(page, 'a broken logbook chain, stored_form (en)');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.getByRole('button', { name: 'Logboek controleren' }).click();
    await page
      .getByText(`Oorzaak: het veld ‘${column}’ van die regel heeft de juiste inhoud`, { exact: false })
      .waitFor();
    await expectNoAxeViolations(page, 'a broken logbook chain, stored_form (nl)');
  }, 240_000);
});
