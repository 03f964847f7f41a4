// What a portal page does for passkey sign-in (docs/protocol.md §10), run inside the real
// Chromium page with the built browser SDK: enrolment with a code, sign-in with a session
// key made non-extractable by WebCrypto, calls signed with that key, a second device, a
// step-up for an act that outlives the session.
// Each returns { status, body } so tests assert the server's exact answers.

import type { Page } from 'playwright-core';

export interface Answer {
  readonly status: number;
  readonly body: { code?: string } & Record<string, unknown>;
}

/** Loads the SDK into the page and defines window.t (the ceremonies) against `api`. */
export async function preparePage(page: Page, api: string): Promise<void> {
  // A module script, not import() inside evaluate: the test runner rewrites import() calls.
  await page.addScriptTag({
    type: 'module',
    content: "import * as sdk from '/sdk/index.js'; window.sdk = sdk;",
  });
  await page.waitForFunction(() => (window as never as { sdk?: unknown }).sdk !== undefined);
  await page.evaluate(async (apiUrl) => {
    // biome-ignore lint/suspicious/noExplicitAny: page-side glue
    const w = window as any;
    const sdk = w.sdk;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(apiUrl + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: res.status === 204 ? {} : await res.json() };
    };
    w.t = {
      sdk,
      offsetMs: 0,
      session: undefined,
      async enrol(code: string, deviceName: string) {
        const o = await post('/v1/enrolment/options', { code });
        if (o.status !== 200) return o;
        const cred = await navigator.credentials.create({
          publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(o.body.options),
        });
        return post('/v1/enrolment', { code, deviceName, response: (cred as PublicKeyCredential).toJSON() });
      },
      /** Sign-in; `mutate` may change the response before it is sent (tests of refusals). */
      async signIn() {
        const key = await sdk.generateSessionKey();
        const o = await post('/v1/sessions/options', { sessionPublicKey: key.publicKey });
        if (o.status !== 200) return o;
        if (!sdk.challengeBindsKey(o.body.challengeId, o.body.options.challenge, key.publicKey)) {
          return { status: 0, body: { code: 'challenge_does_not_bind_key' } };
        }
        const cred = await navigator.credentials.get({
          publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(o.body.options),
        });
        const s = await post('/v1/sessions', {
          challengeId: o.body.challengeId,
          response: (cred as PublicKeyCredential).toJSON(),
        });
        if (s.status === 201) {
          w.t.session = sdk.sessionSigner({ sessionId: s.body.sessionId, privateKey: key.privateKey });
          w.t.extractable = key.privateKey.extractable;
        }
        return s;
      },
      /** A request signed with the session key, exactly as the SDK signs. */
      async call(method: string, path: string, body?: unknown) {
        const bytes = body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(body));
        const headers = await sdk.signRequestWith(w.t.session, { method, path, query: '' }, bytes, {
          created: Math.floor((Date.now() + w.t.offsetMs) / 1000),
        });
        if (body !== undefined) headers['content-type'] = 'application/json';
        const res = await fetch(apiUrl + path, {
          method,
          headers,
          ...(body === undefined ? {} : { body: bytes }),
        });
        return { status: res.status, body: res.status === 204 ? {} : await res.json() };
      },
      /** Step 1 of another passkey: the options, and the step-up answered by the passkey in use (§10.6). */
      async confirmAddDevice() {
        const o = await w.t.call('POST', '/v1/me/devices/options', {});
        if (o.status !== 200) return o;
        const assertion = await navigator.credentials.get({
          publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(o.body.stepUp.options),
        });
        w.t.pending = {
          options: o.body.options,
          stepUp: {
            challengeId: o.body.stepUp.challengeId,
            response: (assertion as PublicKeyCredential).toJSON(),
          },
        };
        return { status: 200, body: {} };
      },
      /** A step-up for `action` (§10.6), answered by the passkey in use: the proof for the act's body. */
      async stepUp(action: unknown) {
        const o = await w.t.call('POST', '/v1/me/step-up', { action });
        if (o.status !== 200) return o;
        const assertion = await navigator.credentials.get({
          publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(o.body.options),
        });
        return {
          status: 200,
          body: { challengeId: o.body.challengeId, response: (assertion as PublicKeyCredential).toJSON() },
        };
      },
      /** Step 2: the new passkey created (by whichever authenticator is there now) and registered. */
      async addDevice(deviceName: string) {
        const cred = await navigator.credentials.create({
          publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(w.t.pending.options),
        });
        return w.t.call('POST', '/v1/me/devices', {
          deviceName,
          response: (cred as PublicKeyCredential).toJSON(),
          stepUp: w.t.pending.stepUp,
        });
      },
    };
  }, api);
}

export const enrol = (page: Page, code: string, name: string): Promise<Answer> =>
  page.evaluate(
    ([c, n]) =>
      (window as never as { t: { enrol: (c: string, n: string) => Promise<Answer> } }).t.enrol(c!, n!),
    [code, name],
  );

export const signIn = (page: Page): Promise<Answer> =>
  page.evaluate(() => (window as never as { t: { signIn: () => Promise<Answer> } }).t.signIn());

export const call = (page: Page, method: string, path: string, body?: unknown): Promise<Answer> =>
  page.evaluate(
    ([m, p, b]) =>
      (window as never as { t: { call: (m: string, p: string, b?: unknown) => Promise<Answer> } }).t.call(
        m as string,
        p as string,
        b,
      ),
    [method, path, body] as const,
  );

/**
 * Another passkey while signed in: the passkey in use answers the step-up, then `between`
 * runs (a test swaps the virtual authenticator there), then the new passkey is created.
 */
export async function addDevice(page: Page, name: string, between?: () => Promise<void>): Promise<Answer> {
  const confirmed = await page.evaluate(() =>
    (window as never as { t: { confirmAddDevice: () => Promise<Answer> } }).t.confirmAddDevice(),
  );
  if (confirmed.status !== 200) return confirmed;
  await between?.();
  return page.evaluate(
    (n) => (window as never as { t: { addDevice: (n: string) => Promise<Answer> } }).t.addDevice(n),
    name,
  );
}

/** A step-up for `action` made in the page's session: `body` is the proof the act carries as `stepUp`. */
export const stepUp = (page: Page, action: Record<string, unknown>): Promise<Answer> =>
  page.evaluate(
    (a) => (window as never as { t: { stepUp: (a: unknown) => Promise<Answer> } }).t.stepUp(a),
    action,
  );

export const setOffset = (page: Page, offsetMs: number): Promise<void> =>
  page.evaluate((o) => {
    (window as never as { t: { offsetMs: number } }).t.offsetMs = o;
  }, offsetMs);
