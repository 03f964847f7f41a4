// Passkey sign-in end to end (docs/protocol.md §10): a real server process, real Chromium
// with a virtual authenticator (real authenticator data, real attestation and assertion
// signatures), the built browser SDK in the page. Invite → enrol → sign in with a
// non-extractable session key → act in role → wrong role and key-only routes refused →
// device or person removed → the next request refused (a removed person's passkeys deleted); expired, superseded and reused
// codes; an assertion made for another origin; a cloned authenticator's counter; idle
// and absolute expiry on the server's test clock. Skipped (reason printed) without
// /usr/bin/chromium; under CI=true that fails.

import { type SigningKey, signRequest } from '@sluis/client-sdk';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAuthenticator,
  chromiumMissing,
  launchChromium,
  openPage,
  startPageServer,
} from '../support/browser.js';
import { type Org, World } from '../support/e2e-world.js';
import {
  type Answer,
  addDevice,
  call,
  enrol,
  preparePage,
  setOffset,
  signIn,
  stepUp,
} from '../support/sign-in-page.js';

const missing = chromiumMissing();

describe.skipIf(missing !== undefined)('passkey sign-in in Chromium against a server process', () => {
  let w: World;
  let browser: Browser;
  let admin: SigningKey;
  let org: Org;
  let site: Awaited<ReturnType<typeof startPageServer>>;
  let otherSite: Awaited<ReturnType<typeof startPageServer>>;

  /** A request signed with a registered key, at the server's test-clock time. */
  async function signed(key: SigningKey, method: string, path: string, body?: unknown): Promise<Answer> {
    const bytes = body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(body));
    const headers: Record<string, string> = {
      ...signRequest(key, { method, path, query: '' }, bytes, { created: Math.floor(w.clock() / 1000) }),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(w.server.url + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: bytes }),
    });
    return { status: res.status, body: res.status === 204 ? {} : ((await res.json()) as Answer['body']) };
  }

  async function person(roles: string[], organisationId: string | null): Promise<string> {
    const r =
      organisationId === null
        ? await signed(admin, 'POST', '/v1/admin/people', {
            organisationId,
            displayName: 'Gemeente Persoon',
            roles,
          })
        : await signed(org.signingKey, 'POST', '/v1/people', { displayName: 'Prof Persoon', roles });
    expect(r.status).toBe(201);
    return (r.body.person as { id: string }).id;
  }

  async function code(personId: string, by: 'organisation' | 'admin' = 'organisation'): Promise<string> {
    const r =
      by === 'admin'
        ? await signed(admin, 'POST', `/v1/admin/people/${personId}/enrolment-codes`, {})
        : await signed(org.signingKey, 'POST', `/v1/people/${personId}/enrolment-codes`, {});
    expect(r.status).toBe(201);
    return r.body.code as string;
  }

  /** A fresh tab on `origin` with its own virtual authenticator and the SDK loaded. */
  async function tab(
    origin = site.origin,
  ): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
    const { page, cdp } = await openPage(browser, origin);
    const authenticatorId = await addAuthenticator(cdp);
    await preparePage(page, w.server.url);
    await setOffset(page, w.offsetMs);
    return { page, cdp, authenticatorId };
  }

  async function advance(page: Page, seconds: number): Promise<void> {
    await w.advanceClock(0, seconds);
    await setOffset(page, w.offsetMs);
  }

  beforeAll(async () => {
    site = await startPageServer();
    otherSite = await startPageServer();
    w = new World();
    await w.start({
      testClock: true,
      args: [
        '--webauthn-rp-id',
        'localhost',
        '--webauthn-origin',
        site.origin,
        '--cors-origin',
        site.origin,
        '--cors-origin',
        otherSite.origin,
        '--session-hours',
        '1',
        '--session-idle-minutes',
        '30',
        '--sign-in-per-minute',
        '1000',
      ],
    });
    admin = await w.adminKey();
    org = await w.organisation('Huisartsenpraktijk De Linde', 'general_practice');
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await w?.close();
    await site?.close();
    await otherSite?.close();
  });

  it('invite → enrol → sign in → act in role; wrong role, key-only route and other side refused; device removal ends the session', async () => {
    const professional = await person(['professional'], org.id);
    const { page } = await tab();
    // The coordinator invites with the `sluis` CLI (signed with the organisation's key).
    const invited = await w.orgCli(org, ['people', 'invite', professional, '--json']);
    expect(invited.code, invited.stderr).toBe(0);
    const theCode = (JSON.parse(invited.stdout) as { code: string }).code;
    const enrolled = await enrol(page, theCode, 'Werklaptop');
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.personId).toBe(professional);
    // The code was used up.
    expect((await enrol(page, theCode, 'Tweede')).body.code).toBe('enrolment_code_invalid');

    const session = await signIn(page);
    expect(session.status).toBe(201);
    expect(session.body).toMatchObject({
      personId: professional,
      organisationId: org.id,
      roles: ['professional'],
    });
    expect(
      await page.evaluate(() => (window as never as { t: { extractable: boolean } }).t.extractable),
    ).toBe(false);

    const me = await call(page, 'GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ personId: professional, roles: ['professional'] });
    expect((await call(page, 'GET', '/v1/signals')).status).toBe(200);
    expect((await call(page, 'GET', '/v1/people')).body.code).toBe('role_not_permitted');
    expect((await call(page, 'POST', '/v1/signals/migrate', { items: [] })).body.code).toBe(
      'role_not_permitted',
    );
    expect((await call(page, 'GET', '/v1/admin/logbook')).body.code).toBe('forbidden');

    const devices = await call(page, 'GET', '/v1/me/devices');
    const list = devices.body.devices as { id: string; name: string }[];
    expect(list.map((d) => d.name)).toEqual(['Werklaptop']);
    // The coordinator removes the device with the CLI: the next request is refused.
    const listed = await w.orgCli(org, ['people', 'devices', professional, '--json']);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((d) => d.id)).toEqual([list[0]!.id]);
    const removed = await w.orgCli(org, ['people', 'remove-device', professional, list[0]!.id]);
    expect(removed.code, removed.stderr).toBe(0);
    const after = await call(page, 'GET', '/v1/me');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('session_expired');
    // And the removed passkey no longer signs in.
    expect((await signIn(page)).body.code).toBe('passkey_invalid');
  }, 120_000);

  it('a second device while signed in; sign-out; removing the person ends every session; the logbook names the person', async () => {
    const coordinator = await person(['organisation_coordinator'], org.id);
    const first = await tab();
    expect((await enrol(first.page, await code(coordinator, 'admin'), 'Laptop')).status).toBe(201);
    expect((await signIn(first.page)).status).toBe(201);
    // The passkey in use confirms (the step-up, docs/protocol.md §10.6); then a second
    // authenticator replaces the first in this tab (Chrome allows one internal one), so the
    // browser creates the new passkey there; the session key lives on in the page.
    const added = await addDevice(first.page, 'Telefoon', async () => {
      await first.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first.authenticatorId });
      await addAuthenticator(first.cdp);
    });
    expect(added.status).toBe(201);
    const devices = (await call(first.page, 'GET', '/v1/me/devices')).body.devices as { name: string }[];
    expect(devices.map((d) => d.name)).toEqual(['Laptop', 'Telefoon']);
    // The coordinator's session acts in the coordinator role: lists people, invites — an
    // invitation only with a step-up made for that colleague (docs/protocol.md §10.6).
    expect((await call(first.page, 'GET', '/v1/people')).status).toBe(200);
    const colleague = await person(['professional'], org.id);
    const inviteWith = (body: unknown) =>
      call(first.page, 'POST', `/v1/people/${colleague}/enrolment-codes`, body);
    const bare = await inviteWith({});
    expect(bare.status).toBe(403);
    expect(bare.body.code).toBe('step_up_required');
    const forOther = await stepUp(first.page, { kind: 'enrolment_code', personId: coordinator });
    expect((await inviteWith({ stepUp: forOther.body })).body.code).toBe('challenge_invalid');
    const confirmed = await stepUp(first.page, { kind: 'enrolment_code', personId: colleague });
    expect(confirmed.status).toBe(200);
    const invited = await inviteWith({ stepUp: confirmed.body });
    expect(invited.status).toBe(201);
    expect((await inviteWith({ stepUp: confirmed.body })).body.code).toBe('challenge_invalid');

    expect((await call(first.page, 'DELETE', '/v1/sessions/current')).status).toBe(204);
    expect((await call(first.page, 'GET', '/v1/me')).body.code).toBe('session_expired');

    // Sign in with the second device, then the municipality removes the person.
    expect((await signIn(first.page)).status).toBe(201);
    expect((await call(first.page, 'GET', '/v1/me')).status).toBe(200);
    expect((await signed(admin, 'POST', `/v1/admin/people/${coordinator}/remove`, {})).status).toBe(200);
    expect((await call(first.page, 'GET', '/v1/me')).body.code).toBe('session_expired');
    expect((await signIn(first.page)).body.code).toBe('passkey_invalid');
    // Both passkeys were deleted with the person, not merely refused.
    const left = await signed(admin, 'GET', `/v1/admin/people/${coordinator}/devices`);
    expect(left.status).toBe(200);
    expect(left.body.devices).toEqual([]);

    const log = await signed(admin, 'GET', '/v1/admin/logbook');
    const items = log.body.items as {
      action: string;
      actor: Record<string, string>;
      refs: Record<string, string>;
    }[];
    const byCoordinator = items.filter((e) => e.actor.personId === coordinator);
    expect(byCoordinator.map((e) => e.action)).toEqual(
      expect.arrayContaining(['enrolment_code.issued', 'session.ended']),
    );
    expect(byCoordinator.every((e) => e.actor.personRole === 'organisation_coordinator')).toBe(true);
    expect(items.some((e) => e.action === 'session.started' && e.refs.personId === coordinator)).toBe(true);
    // Ids and role codes only: no name in the chain.
    expect(JSON.stringify(items)).not.toContain('Persoon');
  }, 120_000);

  it('a municipality person’s session acts on admin routes in their role only', async () => {
    // The municipality adds and invites with the admin CLI.
    const added = await w.adminJson<{ person: { id: string } }>([
      'add-person',
      '--display-name',
      'Gemeente Auditor',
      '--role',
      'auditor',
    ]);
    const auditor = added.person.id;
    const invitation = await w.adminJson<{ code: string }>(['invite', '--person-id', auditor]);
    const { page } = await tab();
    expect((await enrol(page, invitation.code, 'Laptop')).status).toBe(201);
    const s = await signIn(page);
    expect(s.body).toMatchObject({ personId: auditor, organisationId: null, roles: ['auditor'] });
    expect((await call(page, 'GET', '/v1/admin/logbook')).status).toBe(200);
    expect((await call(page, 'GET', '/v1/admin/people')).body.code).toBe('role_not_permitted');
    expect((await call(page, 'GET', '/v1/signals')).body.code).toBe('forbidden');
    // Removed with the admin CLI: the session ends at the next request.
    const devices = await w.adminJson<{ devices: { id: string }[] }>(['devices', '--person-id', auditor]);
    expect(devices.devices).toHaveLength(1);
    const gone = await w.admin(['remove-person', '--person-id', auditor]);
    expect(gone.code, gone.stderr).toBe(0);
    expect((await call(page, 'GET', '/v1/admin/logbook')).body.code).toBe('session_expired');
    expect((await signIn(page)).body.code).toBe('passkey_invalid');
    expect((await w.adminJson<{ devices: unknown[] }>(['devices', '--person-id', auditor])).devices).toEqual(
      [],
    );
  }, 120_000);

  it('expired and superseded codes are refused and change nothing', async () => {
    const professional = await person(['professional'], org.id);
    const { page } = await tab();
    const old = await code(professional);
    const current = await code(professional);
    expect((await enrol(page, old, 'Laptop')).body.code).toBe('enrolment_code_invalid');
    await advance(page, 73 * 3600);
    const expired = await enrol(page, current, 'Laptop');
    expect(expired.status).toBe(400);
    expect(expired.body.code).toBe('enrolment_code_expired');
    const devices = await signed(org.signingKey, 'GET', `/v1/people/${professional}/devices`);
    expect(devices.body.devices).toEqual([]);
    // Nothing about the code reached the server's output.
    expect(w.serverOutput.join('')).not.toContain(current.replace(/-/g, '').slice(8));
  }, 120_000);

  it('an assertion made on another origin, and a cloned authenticator’s counter, are refused', async () => {
    const professional = await person(['professional'], org.id);
    const home = await tab();
    expect((await enrol(home.page, await code(professional), 'Laptop')).status).toBe(201);
    expect((await signIn(home.page)).status).toBe(201);
    const { credentials } = await home.cdp.send('WebAuthn.getCredentials', {
      authenticatorId: home.authenticatorId,
    });
    expect(credentials).toHaveLength(1);
    const credential = credentials[0]!;

    // The same passkey, on a page of another origin (a phishing site under the same RP id).
    const phish = await tab(otherSite.origin);
    await phish.cdp.send('WebAuthn.addCredential', { authenticatorId: phish.authenticatorId, credential });
    const refused = await signIn(phish.page);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('passkey_invalid');

    // A copy whose counter is behind the server's: a cloned authenticator.
    const clone = await tab();
    await clone.cdp.send('WebAuthn.addCredential', {
      authenticatorId: clone.authenticatorId,
      credential: { ...credential, signCount: 0 },
    });
    const cloned = await signIn(clone.page);
    expect(cloned.status).toBe(401);
    expect(cloned.body.code).toBe('passkey_counter_invalid');
    // The real authenticator still signs in (its counter is ahead).
    expect((await signIn(home.page)).status).toBe(201);
  }, 120_000);

  it('a session ends after its idle time and after its absolute lifetime', async () => {
    const professional = await person(['professional'], org.id);
    const { page } = await tab();
    expect((await enrol(page, await code(professional), 'Laptop')).status).toBe(201);
    expect((await signIn(page)).status).toBe(201);
    await advance(page, 31 * 60);
    expect((await call(page, 'GET', '/v1/me')).body.code).toBe('session_expired');

    expect((await signIn(page)).status).toBe(201);
    await advance(page, 25 * 60);
    expect((await call(page, 'GET', '/v1/me')).status).toBe(200);
    await advance(page, 25 * 60);
    expect((await call(page, 'GET', '/v1/me')).status).toBe(200);
    await advance(page, 15 * 60);
    // Idle for 15 minutes only, but 65 minutes after sign-in (sessionHours 1).
    expect((await call(page, 'GET', '/v1/me')).body.code).toBe('session_expired');
  }, 120_000);
});
