// A real Chromium (Debian's /usr/bin/chromium, driven by playwright-core — never a
// downloaded browser) with a virtual WebAuthn authenticator through the DevTools protocol,
// and a tiny static page server on localhost that serves the built browser SDK with an
// import map, so a page runs the SDK exactly as the portal does — no bundler. Absent
// Chromium: the caller skips with the printed reason; under CI=true that is a failure.

import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { type Browser, type CDPSession, chromium, type Page } from 'playwright-core';
import { ROOT } from './server-process.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here (undefined: they can); throws under CI=true. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `${CHROMIUM} is absent (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  console.log(`skipping browser tests: ${reason}`);
  return reason;
}

const SDK = join(ROOT, 'packages', 'client-sdk');
const ROOTS: Record<string, string> = {
  sdk: join(SDK, 'dist'),
  hashes: realpathSync(join(SDK, 'node_modules', '@noble', 'hashes')),
  curves: realpathSync(join(SDK, 'node_modules', '@noble', 'curves')),
};

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sluis sign-in test</title>
<script type="importmap">{"imports":{"@noble/hashes/":"/hashes/","@noble/curves/":"/curves/"}}</script>
</head><body><main>sign-in test page</main></body></html>`;

/** Serves the page at / and the SDK and @noble files under /sdk, /hashes, /curves. */
export async function startPageServer(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
      return;
    }
    const [, top, ...rest] = path.split('/');
    const base = ROOTS[top ?? ''];
    const file = base === undefined ? undefined : normalize(join(base, ...rest));
    if (file === undefined || !file.startsWith(base!) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    const type = extname(file) === '.js' ? 'text/javascript' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    // localhost, not 127.0.0.1: a secure context whose host can be a WebAuthn RP id.
    origin: `http://localhost:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A virtual platform authenticator with resident keys and user verification (CTAP2). */
export async function addAuthenticator(cdp: CDPSession): Promise<string> {
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return authenticatorId;
}

export async function openPage(browser: Browser, origin: string): Promise<{ page: Page; cdp: CDPSession }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  const cdp = await context.newCDPSession(page);
  return { page, cdp };
}
