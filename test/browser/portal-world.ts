// The world of the portal's end-to-end tests: the real match server process with passkey
// sign-in configured for http://localhost:<port> (a secure context to Chromium), the
// organisations admitted by the municipality's CLI (e2e-world.ts), their people and
// invitation codes made with the organisation's own signed requests, and one browser
// context per person with Chromium's virtual authenticator (CDP WebAuthn domain). Every
// request a browser sends is captured, body included, for the byte scan. Also the parts the
// review and action suites share: their two organisations beside a pseudonym service, a
// person of the municipality, placing a signal through the form, opening a match, and the
// session record the page keeps in IndexedDB.

import { join } from 'node:path';
import { type SigningKey, signRequest } from '@sluis/client-sdk';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { addAuthenticator } from '../support/browser.js';
import { type Org, World } from '../support/e2e-world.js';
import { freshPort, startOnFreshPort } from '../support/ports.js';
import { PseudonymServiceProcess } from '../support/pseudonym-service-process.js';
import { buildPinnedPortal, launch } from './browser-support.js';

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

export class PortalWorld extends World {
  /** The origin the browsers use: localhost, as the WebAuthn relying party requires. */
  origin = '';
  port = 0;

  /**
   * `dataDir`: start again on an existing data directory (a restart, on the same port). The
   * origin names the port, so the server is told it: a fresh one (test/support/ports.ts), and
   * another when it was taken meanwhile.
   */
  async startPortal(extra: readonly string[] = [], dataDir?: string): Promise<void> {
    const on = async (port: number) => {
      this.port = port;
      this.origin = `http://localhost:${port}`;
      await this.start({
        ...(dataDir === undefined ? {} : { dataDir }),
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
    };
    if (this.port === 0) await startOnFreshPort(on);
    else await on(this.port);
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
      // Signed at the server's time: a test may have moved its test clock forward.
      ...signRequest(key, target, bytes, { created: Math.floor(this.clock() / 1000) }),
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

  /** A GET with an organisation's or the admin's own key: the server's state, not the page's. */
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, held to the tests' assertions.
  read(key: SigningKey, path: string): Promise<any> {
    return this.signed(key, 'GET', path);
  }

  /** A person of the municipality (no organisation), added by the admin key, and their invitation code. */
  async municipalityPerson(
    admin: SigningKey,
    displayName: string,
    roles: readonly string[],
  ): Promise<{ personId: string; code: string }> {
    const added = (await this.signed(admin, 'POST', '/v1/admin/people', {
      organisationId: null,
      displayName,
      roles,
    })) as { person: { id: string } };
    return { personId: added.person.id, code: await this.code(admin, added.person.id, 'admin/people') };
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

/** More for `startPortalWithService`: match server flags, and what the service admits before it starts. */
export interface StartExtra {
  readonly serverArgs?: readonly string[];
  readonly beforeServiceStart?: (service: PseudonymServiceProcess) => Promise<void>;
  /** The OPRF epochs made, pinned and registered, in order (default [2]; two are a rotation's overlap). */
  readonly epochs?: readonly number[];
}

/**
 * The portal with the OPRF pseudonym service beside it (docs/portal.md): the service's epoch 2
 * (or `extra.epochs`) made, the portal built pinned to the service's URL and those epochs' public keys
 * (docs/portal.md "Pins"), the match server started serving that build and pointing the portal at the
 * service, `organisations` admitted (in order), the epochs registered at the match server as OPRF epochs, the match
 * server's credential issuer trusted and the organisations admitted by the service, which is
 * then started for the portal's origin.
 */
export async function startPortalWithService<const T extends readonly ServiceOrganisation[]>(
  world: PortalWorld,
  organisations: T,
  extra: StartExtra = {},
): Promise<{ service: PseudonymServiceProcess; orgs: { [K in keyof T]: Org } }> {
  // The service's URL is pinned in the portal build before the service starts: a port that no
  // other process draws meanwhile (test/support/ports.ts).
  const service = new PseudonymServiceProcess(world.work, await freshPort());
  const epochs = extra.epochs ?? [2];
  await service.init(...epochs);
  const dir = buildPinnedPortal(join(world.work, 'portal'), {
    pseudonymService: service.url,
    oprfEpochs: epochs.map((epoch) => ({ epoch, publicKey: service.publicKeys.get(epoch)! })),
  });
  await world.startPortal([
    '--portal-dir',
    dir,
    '--portal-pseudonym-service',
    service.url,
    ...(extra.serverArgs ?? []),
  ]);
  const orgs: Org[] = [];
  for (const o of organisations) orgs.push(await world.organisation(o.name, o.type));
  for (const e of epochs) await service.registerEpoch(world, e);
  await service.admitIssuer(world.server.dataDir);
  for (const [i, o] of orgs.entries()) {
    if (organisations[i]!.byKey === true) await service.admitKey(o.name, o.signingKey.publicKey);
    else await service.admit(o.name, o.id);
  }
  await extra.beforeServiceStart?.(service);
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

/** The review and action suites' world: two organisations beside a pseudonym service, the admin key and a browser. */
export interface TwoOrganisations {
  readonly service: PseudonymServiceProcess;
  readonly browser: Browser;
  /** Jeugdzorg Oost (youth care). */
  readonly A: Org;
  /** Wijkteam Noord (social services). */
  readonly B: Org;
  readonly admin: SigningKey;
}

/** `startPortalWithService` with Jeugdzorg Oost and Wijkteam Noord (and `extra`), the admin key loaded and Chromium launched. */
export async function startTwoOrganisations(
  world: PortalWorld,
  extra: StartExtra = {},
): Promise<TwoOrganisations> {
  const { service, orgs } = await startPortalWithService(
    world,
    [
      { name: 'Jeugdzorg Oost', type: 'youth_care' },
      { name: 'Wijkteam Noord', type: 'social_services' },
    ],
    extra,
  );
  const admin = await world.adminKey();
  return { service, A: orgs[0], B: orgs[1], admin, browser: await launch() };
}

/** Closes the browser, the pseudonym service and the world, whichever of them started. */
export async function stopTwoOrganisations(
  world: PortalWorld,
  started: TwoOrganisations | undefined,
): Promise<void> {
  await started?.browser.close();
  await started?.service.stop();
  await world.close();
}

/** The contact fields of the placing form: informed "not yet", name, role and phone. */
export async function fillContact(
  page: Page,
  contact: { readonly name: string; readonly role?: string; readonly phone?: string },
): Promise<void> {
  await page.getByLabel('Nog niet').check();
  await page.getByLabel('Naam', { exact: true }).fill(contact.name);
  await page.getByLabel('Functie').fill(contact.role ?? 'jeugdconsulent');
  await page.getByLabel('Telefoon').fill(contact.phone ?? '+31 10 555 1234');
}

/**
 * Opens the placing form afresh — from another screen first, since the placing screen still
 * showing its last answer is not reset — fills it and presses "Controleren".
 */
export async function fillPlacement(
  world: PortalWorld,
  who: PersonBrowser,
  form: { readonly bsn: string; readonly name: string; readonly role?: string; readonly reference?: string },
): Promise<void> {
  const page = who.page;
  await page.goto(`${world.origin}/portal/#/devices`);
  await page.goto(`${world.origin}/portal/#/signals/new`);
  await page.getByLabel('BSN', { exact: true }).fill(form.bsn);
  await fillContact(page, { name: form.name, ...(form.role === undefined ? {} : { role: form.role }) });
  if (form.reference !== undefined) await page.getByLabel('Uw eigen kenmerk').fill(form.reference);
  await page.getByRole('button', { name: 'Controleren' }).click();
}

/** Sends the checked placement and waits for the answer: placed, or already active. */
export async function sendPlacement(who: PersonBrowser): Promise<void> {
  await who.page.getByRole('button', { name: 'Versturen' }).click();
  await who.page.getByText(/Uw signaal is afgegeven|U had al een actief signaal/).waitFor();
}

/** Places a signal through the form, contact as `fillContact`; waits for "Uw signaal is afgegeven". */
export async function placeSignal(
  world: PortalWorld,
  who: PersonBrowser,
  bsn: string,
  name: string,
): Promise<void> {
  await fillPlacement(world, who, { bsn, name });
  await who.page.getByRole('button', { name: 'Versturen' }).click();
  await who.page.getByText('Uw signaal is afgegeven').waitFor();
}

/** Opens the match with `organisation` from the match list (read anew) and returns its id. */
export async function openMatch(
  world: PortalWorld,
  who: PersonBrowser,
  organisation: string,
): Promise<string> {
  // Another screen first: a page already on the list would not read it again.
  await who.page.goto(`${world.origin}/portal/#/devices`);
  await who.page.goto(`${world.origin}/portal/#/matches`);
  await who.page.getByRole('link', { name: organisation }).click();
  await who.page.getByRole('heading', { name: 'Regie', exact: true }).waitFor();
  return /#\/matches\/([0-9a-f-]{36})$/.exec(who.page.url())![1]!;
}

/** The session record the page keeps in IndexedDB (what a reload restores), or null. */
export function keptSession(page: Page): Promise<{ sessionId: string; extractable: boolean } | null> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('sluis.portal');
        open.onupgradeneeded = () => open.result.createObjectStore('session');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('session').objectStore('session').get('current');
          get.onsuccess = () => {
            const r = get.result as { sessionId: string; privateKey: CryptoKey } | undefined;
            open.result.close();
            resolve(
              r === undefined ? null : { sessionId: r.sessionId, extractable: r.privateKey.extractable },
            );
          };
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

/** Waits (5 s at most) until the page's kept session record is deleted. */
export async function waitUntilForgotten(page: Page): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await keptSession(page)) === null) return;
    await page.waitForTimeout(100);
  }
  throw new Error('the kept session was not deleted');
}
