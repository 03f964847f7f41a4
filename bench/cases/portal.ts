// The portal in a real browser (docs/portal.md "Performance", docs/performance.md):
//  portal-1/2: placing a signal in the page in Debian's Chromium — validate the BSN, the OPRF
//              round trip through the real pseudonym service (with a session credential from
//              the match server), build and sign the request with the session key, send,
//              answer — p50 and p95, timed from the click on "Controleren" to the preview and
//              from the click on "Versturen" to the confirmation; baseline: the same placement
//              through the Node SDK (OPRF through the same service, signed with the
//              organisation's key) in the same run, interleaved one for one. Target p50 ≤ 300 ms.
//  portal-3:   JavaScript shipped for the first screen, gzip (level 6, as a web server
//              sends it): every script the built index.html names. Target ≤ 250 KB.
// The page runs a build pinned to the run's own pseudonym service and epoch (docs/portal.md
// "Pins"); the size is weighed on that build.
// Reported, not asserted. Without /usr/bin/chromium the case prints why and yields no
// figures; under CI=true (which installs Chromium) a missing browser is an error.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { base64url, createClient, createPseudonymServiceClient, OprfPseudonymiser } from '@sluis/client-sdk';
import { buildPinnedPortal } from '../../test/browser/browser-support.js';
import { PseudonymServiceProcess } from '../../test/support/pseudonym-service-process.js';
import { enrolAndSignIn, PortalWorld } from '../../test/browser/portal-world.js';
import { freshPort } from '../../test/support/ports.js';
import { chromiumMissing, launchChromium } from '../../test/support/browser.js';
import { randomBsn } from '../../test/support/e2e-world.js';
import { ROOT } from '../../test/support/server-process.js';
import type { Figure } from '../lib/result.js';
import { quantile, spread } from '../lib/stats.js';

const PORTAL = join(ROOT, 'packages', 'portal');
const DIST = join(PORTAL, 'dist');

/** gzip bytes of every script index.html names (the first screen loads nothing else). */
export function firstScreenScriptGzipBytes(dist = DIST): { bytes: number; files: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const srcs = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map(
    (m) => m[1]!,
  );
  let bytes = 0;
  for (const src of [...srcs, ...preloads]) bytes += gzipSync(readFileSync(join(dist, src))).length;
  return { bytes, files: srcs.length + preloads.length };
}

/** p50 and p95 as figures' values (median field = the quantile named in the title). */
function quantiles(ms: readonly number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const base = spread(s);
  return {
    p50: base,
    p95: { median: quantile(s, 0.95), min: base.min, max: base.max, n: base.n },
  };
}

export async function portalBench(quick: boolean): Promise<Figure[]> {
  const missing = chromiumMissing();
  if (missing !== undefined) {
    console.log(`bench portal: skipped, ${missing}`);
    return [];
  }
  const placements = quick ? 3 : 30;
  const world = new PortalWorld();
  // Pinned in the portal build before the service starts (test/support/ports.ts).
  const service = new PseudonymServiceProcess(world.work, await freshPort());
  const browser = await launchChromium();
  try {
    const oprfPublicKey = await service.init(2);
    const dir = buildPinnedPortal(join(world.work, 'portal'), {
      pseudonymService: service.url,
      oprfEpochs: [{ epoch: 2, publicKey: oprfPublicKey }],
    });
    const size = firstScreenScriptGzipBytes(dir);
    await world.startPortal(['--portal-dir', dir, '--portal-pseudonym-service', service.url]);
    const A = await world.organisation('Jeugdzorg Bench', 'youth_care', ['--budget', '100000']);
    const reg = await world.admin([
      'register-epoch',
      '--epoch',
      '2',
      '--kind',
      'oprf',
      `--public-key=${oprfPublicKey}`,
    ]);
    if (reg.code !== 0) throw new Error(`register-epoch: ${reg.stderr}`);
    await service.admitIssuer(world.server.dataDir);
    // The organisation's people (by id, through credentials) and its own key (the SDK baseline).
    await service.cli([
      'admit',
      '--name',
      A.name,
      '--organisation-id',
      A.id,
      `--public-key=${base64url.encode(A.signingKey.publicKey)}`,
      '--budget',
      '100000',
    ]);
    await service.start({ corsOrigin: world.origin });
    const invite = await world.invite(A.signingKey, {
      displayName: 'Bea Bench',
      email: 'bea@jeugdzorg.example.nl',
      roles: ['professional'],
    });
    const bea = await world.person(browser);
    await enrolAndSignIn(world, bea, invite.code);
    const page = bea.page;

    const sdk = createClient({
      serverUrl: world.server.url,
      signingKey: A.signingKey,
      pseudonymKeys: [
        OprfPseudonymiser.create({
          epoch: 2,
          publicKey: oprfPublicKey,
          service: createPseudonymServiceClient({ serviceUrl: service.url, signingKey: A.signingKey }),
        }),
      ],
      retries: 0,
      timeoutMs: 10_000,
    });

    const inPage = async (bsn: string): Promise<number> => {
      // Through another screen: the placement screen keeps its confirmation otherwise.
      await page.goto(`${world.origin}/portal/#/devices`);
      await page.goto(`${world.origin}/portal/#/signals/new`);
      await page.getByLabel('BSN', { exact: true }).fill(bsn);
      await page.getByLabel('Nog niet').check();
      await page.getByLabel('Naam', { exact: true }).fill('Bea Bench');
      await page.getByLabel('Functie').fill('jeugdconsulent');
      await page.getByLabel('Telefoon').fill('+31 10 555 1234');
      const t0 = performance.now();
      await page.getByRole('button', { name: 'Controleren' }).click();
      await page.getByRole('heading', { name: 'Dit wordt verstuurd' }).waitFor();
      const checked = performance.now() - t0;
      const t1 = performance.now();
      await page.getByRole('button', { name: 'Versturen' }).click();
      await page.getByText('Uw signaal is afgegeven').waitFor();
      return checked + (performance.now() - t1);
    };
    const viaSdk = async (bsn: string): Promise<number> => {
      const t0 = performance.now();
      const r = await sdk.placeSignal({
        bsn,
        contact: { name: 'Bea Bench', role: 'jeugdconsulent', phone: '+31 10 555 1234' },
        informed: { status: 'not_yet' },
      });
      if (r.outcome !== 'created') throw new Error('placement not created');
      return performance.now() - t0;
    };

    // One warm-up each (JIT, the first credential, connection set-up), then interleaved.
    await inPage(randomBsn());
    await viaSdk(randomBsn());
    const page_: number[] = [];
    const node: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < placements; i++) {
      const p = await inPage(randomBsn());
      const n = await viaSdk(randomBsn());
      page_.push(p);
      node.push(n);
      ratios.push(p / n);
    }
    const pq = quantiles(page_);
    const nq = quantiles(node);
    const ratio = spread(ratios);
    return [
      {
        id: 'portal-1',
        title: `placing a signal in the page in Chromium, p50 of ${placements} (validate, OPRF, sign, send, answer) vs Node SDK`,
        unit: 'ms',
        candidate: pq.p50,
        baseline: nq.p50,
        baselineName: 'Node SDK placeSignal, same service',
        ratio,
        target: { op: '<=', value: 300, of: 'value' },
      },
      {
        id: 'portal-2',
        title: `placing a signal in the page in Chromium, p95 of ${placements} vs Node SDK p95`,
        unit: 'ms',
        candidate: pq.p95,
        baseline: nq.p95,
        baselineName: 'Node SDK placeSignal p95',
        ratio: (() => {
          const r = pq.p95.median / nq.p95.median;
          return { median: r, min: r, max: r, n: 1 };
        })(),
      },
      {
        id: 'portal-3',
        title: `JavaScript for the first screen, gzip (${size.files} file${size.files === 1 ? '' : 's'})`,
        unit: 'KB',
        candidate: { median: size.bytes / 1024, min: size.bytes / 1024, max: size.bytes / 1024, n: 1 },
        target: { op: '<=', value: 250, of: 'value' },
      },
    ];
  } finally {
    await browser.close();
    await service.stop();
    await world.close();
  }
}
