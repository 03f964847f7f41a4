// Stacked table rows keep their table semantics (docs/portal.md "Accessibility"), in Chromium
// against the real match server and pseudonym service. At 320 px the rows of My signals,
// Matches, My devices and My organisation's people stack into cards; a table part displayed as
// a block may lose its implicit role (WebKit has dropped it, Chromium keeps it), so each such part
// carries its ARIA role explicitly. Checked at 320 px: every table part whose display is no
// longer its table display has its role written out; every value a card names (`data-label`)
// is named by its own column's header; Chromium's accessibility tree holds the table named by
// its caption, a header row of column headers and, under it, rows of exactly one cell per
// column; axe in Dutch and English.

import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, randomBsn } from '../support/e2e-world.js';
import { SERVER_WAIT } from '../support/server-wait.js';
import { browserSkipReason, expectNoAxeViolations } from './browser-support.js';
import {
  type PersonBrowser,
  PortalWorld,
  placeSignal,
  signedInPerson,
  startTwoOrganisations,
  stopTwoOrganisations,
  type TwoOrganisations,
} from './portal-world.js';

const skip = browserSkipReason();

/** A node of `Accessibility.getFullAXTree`, as far as read here. */
interface AXNode {
  readonly nodeId: string;
  readonly ignored: boolean;
  readonly role?: { readonly value: string };
  readonly name?: { readonly value: string };
  readonly childIds?: readonly string[];
}

/** A row of a table in the accessibility tree: the role and name of each of its children. */
type AXRow = readonly { readonly role: string; readonly name: string }[];

/**
 * The rows of the table named `caption` in Chromium's own accessibility tree (what a screen
 * reader is given, not Playwright's role guess from the tag names), through its row groups;
 * undefined when no table has that name.
 */
async function axTableRows(cdp: CDPSession, caption: string): Promise<AXRow[] | undefined> {
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  // An ignored node (a generic wrapper) stands aside: its children count as its parent's.
  const children = (n: AXNode): AXNode[] =>
    (n.childIds ?? []).flatMap((id) => {
      const c = byId.get(id);
      if (c === undefined) return [];
      return c.ignored ? children(c) : [c];
    });
  const table = nodes.find((n) => !n.ignored && n.role?.value === 'table' && n.name?.value === caption);
  if (table === undefined) return undefined;
  const rows: AXRow[] = [];
  const walk = (n: AXNode): void => {
    for (const c of children(n)) {
      if (c.role?.value === 'row')
        rows.push(children(c).map((x) => ({ role: x.role?.value ?? '', name: x.name?.value ?? '' })));
      else if (c.role?.value === 'rowgroup') walk(c);
    }
  };
  walk(table);
  return rows;
}

/**
 * What the stacked tables on the page break of the rule: a table part (table, thead, tbody, tr,
 * th, td) whose computed display is not its table display carries its ARIA role explicitly, and
 * a cell's `data-label` is its column header's text.
 */
function stackedTableFaults(page: Page): Promise<string[]> {
  return page.locator('.sluis-rows table').evaluateAll((tables) => {
    const native: Record<string, readonly [role: string, display: string]> = {
      TABLE: ['table', 'table'],
      THEAD: ['rowgroup', 'table-header-group'],
      TBODY: ['rowgroup', 'table-row-group'],
      TR: ['row', 'table-row'],
      TH: ['columnheader', 'table-cell'],
      TD: ['cell', 'table-cell'],
    };
    const faults: string[] = [];
    for (const table of tables) {
      const caption = table.querySelector('caption')?.textContent ?? '';
      const headers = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent ?? '');
      for (const part of [table, ...Array.from(table.querySelectorAll('thead, tbody, tr, th, td'))]) {
        const [role, display] = native[part.tagName]!;
        const shown = getComputedStyle(part).display;
        if (shown !== display && part.getAttribute('role') !== role)
          faults.push(`${caption}: a ${part.tagName.toLowerCase()} shown as ${shown} without role=${role}`);
      }
      for (const row of Array.from(table.querySelectorAll('tbody tr'))) {
        Array.from(row.children).forEach((cell, i) => {
          const label = cell.getAttribute('data-label');
          if (label !== null && label !== headers[i])
            faults.push(`${caption}: a cell labelled "${label}" in column "${headers[i] ?? '?'}"`);
        });
      }
    }
    return faults;
  });
}

describe.skipIf(skip !== undefined)('portal: stacked table rows keep their table semantics at 320 px', () => {
  const world = new PortalWorld();
  let started: TwoOrganisations | undefined;
  let A: Org;
  let B: Org;
  let anna: PersonBrowser;
  const child = randomBsn();

  beforeAll(async () => {
    started = await startTwoOrganisations(world);
    ({ A, B } = started);
    const a = await world.inviteNamed(A, 'Anna de Vries', ['professional', 'organisation_coordinator']);
    anna = await signedInPerson(world, started.browser, a.code);
    const b = await world.inviteNamed(B, 'Bert Jansen', ['professional']);
    const bert = await signedInPerson(world, started.browser, b.code);
    await placeSignal(world, anna, child, 'Anna de Vries');
    await placeSignal(world, anna, randomBsn(), 'Anna de Vries');
    await placeSignal(world, bert, child, 'Bert Jansen');
    await bert.page.close();
  }, 300_000);
  afterAll(() => stopTwoOrganisations(world, started));

  const screens = [
    {
      path: 'signals',
      caption: 'Actieve signalen',
      columns: ['Kenmerk', 'Afgegeven', 'Loopt af', 'Geïnformeerd', 'Acties'],
      rows: 2,
    },
    {
      path: 'matches',
      caption: 'Uw matches, nieuwste eerst',
      columns: ['Organisatie', 'Contactpersoon', 'Mijn kenmerk', 'Soort', 'Status', 'Ontstaan'],
      rows: 1,
    },
    { path: 'devices', caption: 'Uw passkeys', columns: ['Apparaat', 'Aangemaakt', 'Acties'], rows: 1 },
    {
      path: 'organisation',
      caption: 'Mensen',
      columns: ['Naam', 'E-mailadres', 'Rollen', 'Acties'],
      rows: 1,
    },
  ] as const;

  for (const screen of screens) {
    it(`${screen.path}: a table of rows and cells under their column headers, axe clean`, async () => {
      const page = anna.page;
      await page.setViewportSize({ width: 320, height: 640 });
      // Another screen first: a list already shown is not read again.
      await page.goto(`${world.origin}/portal/#/`);
      await page.goto(`${world.origin}/portal/#/${screen.path}`);
      const table = page.locator('.sluis-rows table', { hasText: screen.caption });
      await expect.poll(() => table.locator('tbody tr').count(), { timeout: SERVER_WAIT }).toBe(screen.rows);
      // The rows are cards: the table, its rows and cells are blocks at this width.
      const shown = await table.evaluate((t) =>
        [t, t.querySelector('tbody tr'), t.querySelector('tbody td')].map(
          (e) => e && getComputedStyle(e).display,
        ),
      );
      expect(shown, 'table, row and cell at 320 px').toEqual(['block', 'block', 'block']);

      expect(await stackedTableFaults(page)).toEqual([]);

      const cdp = await page.context().newCDPSession(page);
      try {
        const rows = await axTableRows(cdp, screen.caption);
        expect(rows, `a table named "${screen.caption}" in the accessibility tree`).toBeDefined();
        const [header, ...body] = rows!;
        expect(header).toEqual(screen.columns.map((name) => ({ role: 'columnheader', name })));
        expect(body).toHaveLength(screen.rows);
        for (const row of body) expect(row.map((c) => c.role)).toEqual(screen.columns.map(() => 'cell'));
      } finally {
        await cdp.detach();
      }

      await expectNoAxeViolations(page, `${screen.path} at 320 px (nl)`);
      await page.getByRole('button', { name: 'English', exact: true }).click();
      await page.locator('html[lang="en"]').waitFor();
      await expectNoAxeViolations(page, `${screen.path} at 320 px (en)`);
      await page.getByRole('button', { name: 'Nederlands', exact: true }).click();
      await page.locator('html[lang="nl"]').waitFor();
    }, 120_000);
  }
});
