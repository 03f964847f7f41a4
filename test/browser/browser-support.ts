// Real-browser support for the portal tests (docs/portal.md "Tests"): Debian's Chromium
// driven by playwright-core (never a downloaded browser), the portal built by Vite (unpinned
// once per run by the global setup, test/support/portal-build.ts; pinned to a test's own
// pseudonym service per world), and axe-core at WCAG 2.2 AA. Without /usr/bin/chromium the suites skip with a printed
// reason; under CI=true a missing Chromium fails them instead.

import { writeFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { chromiumMissing, launchChromium } from '../support/browser.js';
import { buildPortalWithVite } from '../support/portal-build.js';

/** Why the browser suites cannot run here (printed), or undefined; throws under CI=true. */
export const browserSkipReason = chromiumMissing;
export const launch = launchChromium;

/** What a pinned build trusts: the shape of the SLUIS_PORTAL_PINS file (docs/portal.md "Pins"). */
export interface PortalPins {
  readonly pseudonymService: string;
  readonly oprfEpochs: readonly { readonly epoch: number; readonly publicKey: string }[];
}

/**
 * Builds the portal pinned to `pins` into `outDir`, as an operator builds it after the key
 * ceremony (SLUIS_PORTAL_PINS names the pins file); serve it with `--portal-dir outDir`.
 */
export function buildPinnedPortal(outDir: string, pins: PortalPins): string {
  const file = `${outDir}.pins.json`;
  writeFileSync(file, JSON.stringify(pins));
  buildPortalWithVite(['--outDir', outDir, '--emptyOutDir'], { ...process.env, SLUIS_PORTAL_PINS: file });
  return outDir;
}

/** axe-core at WCAG 2.0/2.1/2.2 A and AA: zero violations, reported by rule id and target only. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const violations = result.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(violations, `axe on ${label}`).toEqual([]);
}

/**
 * Every rule axe runs by default, its best practices included (`landmark-unique`, `region`…, which
 * the WCAG tags above leave out): no violation of moderate, serious or critical impact.
 */
export async function expectNoModerateAxeViolations(page: Page, label: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const violations = result.violations
    .filter((v) => v.impact === 'moderate' || v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(violations, `axe, best practices included, on ${label}`).toEqual([]);
}

/** Collects console errors and CSP violations of a page (a blocked script or style is a failure). */
export function watchPage(page: Page): { readonly problems: string[] } {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { problems };
}

/** Everything the page keeps: its URL, history state, localStorage, sessionStorage and IndexedDB records. */
export function kept(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts = [location.href, JSON.stringify(history.state)];
    for (const s of [localStorage, sessionStorage])
      for (let i = 0; i < s.length; i++) parts.push(`${s.key(i)}=${s.getItem(s.key(i)!)}`);
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        parts.push(JSON.stringify(all));
      }
      db.close();
    }
    return parts.join('\n');
  });
}
