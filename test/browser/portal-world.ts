// The world of the portal's end-to-end tests: the real match server process with passkey
// sign-in configured for http://localhost:<port> (a secure context to Chromium), the
// organisations admitted by the municipality's CLI (e2e-world.ts), their people and
// invitation codes made with the organisation's own signed requests, and one browser
// context per person with Chromium's virtual authenticator (CDP WebAuthn domain). Every
// request a browser sends is captured, body included, for the byte scan.

import { createServer } from 'node:net';
import { join } from 'node:path';
import { type SigningKey, signRequest } from '@sluis/client-sdk';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { addAuthenticator } from '../support/browser.js';
import { type Org, World } from '../support/e2e-world.js';
import { PseudonymServiceProcess } from '../support/pseudonym-service-process.js';
import { buildPinnedPortal } from './browser-support.js';

export interface CapturedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface PersonBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly requests: CapturedRequest[];
  /** The DevTools session that holds the page's virtual authenticator, and its id. */
  readonly cdp: CDPSession;
  readonly authenticatorId: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

export class PortalWorld extends World {
  /** The origin the browsers use: localhost, as the WebAuthn relying party requires. */
  origin = '';
  port = 0;

  async startPortal(extra: readonly string[] = []): Promise<void> {
    const port = this.port === 0 ? await freePort() : this.port;
    this.port = port;
    this.origin = `http://localhost:${port}`;
    await this.start({
      args: [
        '--port',
        String(port),
        '--webauthn-rp-id',
        'localhost',
        '--webauthn-origin',
        this.origin,
        // Every browser here reaches the server from loopback without X-Forwarded-For: one
        // shared address bucket (docs/protocol.md §10.5), which a handful of sign-ins would empty.
        '--sign-in-per-minute',
        '1000',
        ...extra,
      ],
    });
  }

  /** A request signed with an organisation's (or the admin's) own key, as its systems would send it; `path` may carry a query. */
  async signed(key: SigningKey, method: string, path: string, body?: unknown): Promise<unknown> {
    const bytes = body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(body));
    // The query is signed apart from the path (docs/protocol.md §5).
    const q = path.indexOf('?');
    const target =
      q === -1 ? { method, path, query: '' } : { method, path: path.slice(0, q), query: path.slice(q + 1) };
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...signRequest(key, target, bytes),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.server.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: bytes }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
    return text === '' ? undefined : JSON.parse(text);
  }

  /** The organisation adds one of its people and makes an invitation code for them. */
  async invite(
    key: SigningKey,
    person: { displayName: string; email: string; roles: readonly string[] },
  ): Promise<{ personId: string; code: string }> {
    const added = (await this.signed(key, 'POST', '/v1/people', person)) as { person: { id: string } };
    const code = await this.code(key, added.person.id);
    return { personId: added.person.id, code };
  }

  /** `invite` by the organisation `org`, the e-mail address made of the first name (anna@zorg.example.nl). */
  inviteNamed(
    org: Org,
    displayName: string,
    roles: readonly string[],
  ): Promise<{ personId: string; code: string }> {
    const email = `${displayName.split(' ')[0]!.toLowerCase()}@zorg.example.nl`;
    return this.invite(org.signingKey, { displayName, email, roles });
  }

  async code(key: SigningKey, personId: string, side: 'people' | 'admin/people' = 'people'): Promise<string> {
    const r = (await this.signed(key, 'POST', `/v1/${side}/${personId}/enrolment-codes`, {})) as {
      code: string;
    };
    return r.code;
  }

  /** A browser context for one person: a virtual passkey authenticator and request capture. */
  async person(browser: Browser, lang: 'nl' | 'en' = 'nl'): Promise<PersonBrowser> {
    const context = await browser.newContext();
    await context.addInitScript((l) => {
      if (localStorage.getItem('sluis.lang') === null) localStorage.setItem('sluis.lang', l);
    }, lang);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const authenticatorId = await addAuthenticator(cdp);
    const requests: CapturedRequest[] = [];
    page.on('request', (r) => {
      requests.push({
        url: r.url(),
        method: r.method(),
        headers: r.headers(),
        body: r.postDataBuffer() ?? Buffer.alloc(0),
      });
    });
    return { context, page, requests, cdp, authenticatorId };
  }
}

/** Enrols with the code and signs in, through the portal's own screens (Dutch labels). */
export async function enrolAndSignIn(world: PortalWorld, who: PersonBrowser, code: string): Promise<void> {
  const { page } = who;
  await page.goto(`${world.origin}/portal/#/enrol`);
  await page.getByLabel('Uitnodigingscode').fill(code);
  await page.getByLabel('Naam van dit apparaat').fill('testlaptop');
  await page.getByRole('button', { name: 'Passkey aanmaken' }).click();
  await page.getByText('Uw passkey is aangemaakt').waitFor();
  await page.goto(`${world.origin}/portal/#/sign-in`);
  await page.getByRole('button', { name: 'Inloggen met passkey' }).click();
  await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
}

/** An organisation of `startPortalWithService`. */
export interface ServiceOrganisation {
  readonly name: string;
  readonly type: string;
  /** Admitted to the pseudonym service with its own key (it places with `sluis`), not by id. */
  readonly byKey?: boolean;
}

/**
 * The portal with the OPRF pseudonym service beside it (docs/portal.md): the service's epoch 2
 * made, the portal built pinned to the service's URL and that epoch's public key (docs/portal.md
 * "Pins"), the match server started serving that build and pointing the portal at the service,
 * `organisations` admitted (in order), epoch 2 registered at the match server as an OPRF epoch, the match
 * server's credential issuer trusted and the organisations admitted by the service, which is
 * then started for the portal's origin.
 */
export async function startPortalWithService<const T extends readonly ServiceOrganisation[]>(
  world: PortalWorld,
  organisations: T,
): Promise<{ service: PseudonymServiceProcess; orgs: { [K in keyof T]: Org } }> {
  world.port = await freePort();
  const service = new PseudonymServiceProcess(world.work, await freePort());
  const publicKey = await service.init(2);
  const dir = buildPinnedPortal(join(world.work, 'portal'), {
    pseudonymService: service.url,
    oprfEpochs: [{ epoch: 2, publicKey }],
  });
  await world.startPortal(['--portal-dir', dir, '--portal-pseudonym-service', service.url]);
  const orgs: Org[] = [];
  for (const o of organisations) orgs.push(await world.organisation(o.name, o.type));
  await service.registerEpoch(world, 2);
  await service.admitIssuer(world.server.dataDir);
  for (const [i, o] of orgs.entries()) {
    if (organisations[i]!.byKey === true) await service.admitKey(o.name, o.signingKey.publicKey);
    else await service.admit(o.name, o.id);
  }
  await service.start({ corsOrigin: world.origin });
  return { service, orgs: orgs as { [K in keyof T]: Org } };
}

/** A person's browser context, enrolled with `code` and signed in. */
export async function signedInPerson(
  world: PortalWorld,
  browser: Browser,
  code: string,
): Promise<PersonBrowser> {
  const who = await world.person(browser);
  await enrolAndSignIn(world, who, code);
  return who;
}
