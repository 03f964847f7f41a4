// The portal as served by the real match server process, in Debian's Chromium: the strict
// Content Security Policy on its answers, subresource integrity on every script and style
// the HTML names (checked against the bytes served), nothing requested from another
// origin, the language switch, and axe-core at WCAG 2.2 AA with zero violations on every
// screen reachable without a session, in Dutch and English (docs/portal.md).

import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../support/server-process.js';
import { SERVER_WAIT } from '../support/server-wait.js';
import { browserSkipReason, expectNoAxeViolations, launch, watchPage } from './browser-support.js';

const skip = browserSkipReason();

describe.skipIf(skip !== undefined)('portal: static screens, CSP, SRI, axe', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('answers /portal/ with a strict CSP and no inline code; every script and style carries a matching integrity hash', async () => {
    const res = await fetch(`${server.url}/portal/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:\/\//);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/\sstyle=|<style/); // no inline style
    const refs = [...html.matchAll(/<(script|link)\b[^>]*\s(?:src|href)="([^"]+)"[^>]*>/g)];
    expect(refs.length).toBeGreaterThanOrEqual(2);
    for (const [tag, , ref] of refs) {
      if (/\srel="icon"/.test(tag!)) {
        expect(ref).toBe('./favicon.svg'); // an image of the build's own, not code
        continue;
      }
      const integrity = /integrity="(sha384-[^"]+)"/.exec(tag)?.[1];
      expect(integrity, `${ref} has integrity`).toBeDefined();
      expect(ref).toMatch(/^\.\/assets\//);
      const asset = await fetch(new URL(ref!, `${server.url}/portal/`));
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-security-policy')).toContain("default-src 'none'");
      const digest = createHash('sha384')
        .update(Buffer.from(await asset.arrayBuffer()))
        .digest('base64');
      expect(integrity).toBe(`sha384-${digest}`);
    }
    // The API keeps its own policy; an unknown portal file is a 404, not a fallback.
    expect((await fetch(`${server.url}/v1/openapi.json`)).headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect((await fetch(`${server.url}/portal/assets/nothing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/portal/../keys/admin.key`)).status).toBe(404);
  });

  it('loads only from its own origin, runs without CSP violations, and switches language', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    const origins = new Set<string>();
    page.on('request', (r) => origins.add(new URL(r.url()).origin));
    await page.goto(`${server.url}/portal/`);
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: SERVER_WAIT })
      .toBe('Welkom bij sluis');
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Welcome to sluis');
    // The page sets its language in an effect, after the screen is painted.
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    await page.reload();
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: SERVER_WAIT })
      .toBe('Welcome to sluis');
    expect([...origins]).toEqual([server.url]);
    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it('shows the route the hash names even when it changed before the screen subscribed to changes', async () => {
    // The hash changes right after the first render is in the DOM — before the effect
    // that listens for hashchange has run (effects run after paint) — as a fast click or
    // a test's goto right after a reload can. The screen must still follow the hash.
    const context = await browser.newContext();
    await context.addInitScript(() => {
      const seen = new MutationObserver(() => {
        if (document.querySelector('#app main') === null) return;
        seen.disconnect();
        location.hash = '#/privacy';
      });
      seen.observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/portal/#/`);
    await expect.poll(() => page.url(), { timeout: SERVER_WAIT }).toMatch(/#\/privacy$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Privacyverklaring');
    await context.close();
  });

  for (const lang of ['nl', 'en'] as const) {
    it(`has no axe violations (WCAG 2.2 AA) on the public screens in ${lang}`, async () => {
      const context = await browser.newContext();
      await context.addInitScript((l) => localStorage.setItem('sluis.lang', l), lang);
      const page = await context.newPage();
      const watch = watchPage(page);
      for (const screen of ['/', '/sign-in', '/enrol', '/accessibility', '/privacy']) {
        await page.goto(`${server.url}/portal/#${screen}`);
        await page.locator('h1').waitFor();
        await expect.poll(() => page.getAttribute('html', 'lang')).toBe(lang);
        await expectNoAxeViolations(page, `${screen} (${lang})`);
      }
      expect(watch.problems).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
