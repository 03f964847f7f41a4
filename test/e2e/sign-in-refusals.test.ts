// The public passkey ceremonies' refusals on a real server (`sluis-server start`, SQLite,
// passkeys by the software authenticator): the per-address limit is a budget of its own for
// each of the four routes, taken after the content-type header (so a page of another site
// cannot spend it) and before the body is read or checked (docs/protocol.md §10.5);
// a person of a suspended organisation neither enrols nor signs in, refused with the code
// every signed request of theirs gets (§10.3), and the refusal uses nothing up.

import { challengeBindsKey, generateSessionKey, signRequestWith } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World } from '../support/e2e-world.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { caseKey } from '../support/case-keys.js';

const PORTAL_ORIGIN = 'http://localhost:8443';
const PASSKEYS = ['--webauthn-rp-id', 'localhost', '--webauthn-origin', PORTAL_ORIGIN];
// The suspended organisation's professional takes five from the person budget within a minute.
const PER_MINUTE = 5;
const world = new World();
let B: Org;

/** An unsigned ceremony call, from `address` as a proxy on this host names it (X-Forwarded-For). */
async function ceremony(path: string, body: unknown, address: string, contentType = 'application/json') {
  const res = await fetch(`${world.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-forwarded-for': address },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the ceremony's JSON answers, read field by field
  const json = (await res.json()) as Record<string, any>;
  return { status: res.status, code: json.code as string | undefined, body: json };
}

/** A professional of `org` with an enrolment code (signed by the organisation key); `again` issues a new one. */
async function invited(org: Org): Promise<{ id: string; code: string; again: () => Promise<string> }> {
  const signed = async (path: string, body: unknown) => {
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    const headers = await signRequestWith(org.signingKey, { method: 'POST', path, query: '' }, bytes, {
      created: Math.floor(world.clock() / 1000),
    });
    const res = await fetch(`${world.server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: bytes,
    });
    // biome-ignore lint/suspicious/noExplicitAny: the answer, read field by field
    return (await res.json()) as Record<string, any>;
  };
  const id = (await signed('/v1/people', { displayName: 'Petra de Professional', roles: ['professional'] }))
    .person.id as string;
  const again = async () => (await signed(`/v1/people/${id}/enrolment-codes`, {})).code as string;
  return { id, code: await again(), again };
}

let nextAddress = 1;
/** A client address of its own for each case, so no case spends another's budget. */
const freshAddress = () => `198.51.100.${nextAddress++}`;

beforeAll(async () => {
  await world.start({ args: [...PASSKEYS, '--sign-in-per-minute', String(PER_MINUTE)] });
  B = await world.organisation('Wijkteam Noord', 'social_services');
}, 120_000);

afterAll(async () => world.close());

describe.sequential('the per-address limit of the ceremony routes (docs/protocol.md §10.5)', () => {
  it('each route has a budget of its own: a spent one leaves the other three theirs', async () => {
    const address = freshAddress();
    const key = await generateSessionKey();
    const statuses: number[] = [];
    for (let i = 0; i <= PER_MINUTE; i++) {
      statuses.push(
        (await ceremony('/v1/sessions/options', { sessionPublicKey: key.publicKey }, address)).status,
      );
    }
    expect(statuses).toEqual([...Array(PER_MINUTE).fill(200), 429]);
    // The other routes from the same address: refused by their own checks, not by the limit.
    const code = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01';
    const others = [
      await ceremony('/v1/enrolment/options', { code }, address),
      await ceremony('/v1/enrolment', { code, deviceName: 'Laptop', response: {} }, address),
      await ceremony('/v1/sessions', { challengeId: 'x', response: { id: 'x' } }, address),
    ];
    expect(others.map((r) => r.status)).not.toContain(429);
    expect(others[0]!.code).toBe('enrolment_code_invalid');
  });

  it('is taken before the body is read or checked: malformed bodies spend it, and a spent one refuses them', async () => {
    const address = freshAddress();
    const answers: string[] = [];
    for (let i = 0; i <= PER_MINUTE; i++)
      answers.push(String((await ceremony('/v1/enrolment', '{"x":', address)).code));
    expect(answers).toEqual([...Array(PER_MINUTE).fill('validation_failed'), 'rate_limited']);
    // Spent: refused before the body is looked at.
    const other = await ceremony('/v1/enrolment', '{"code":"x"}', address);
    expect([other.status, other.code]).toEqual([429, 'rate_limited']);
  });

  it('comes after the content-type header: the types a page of another site sends without a preflight never spend it', async () => {
    const address = freshAddress();
    const key = await generateSessionKey();
    const code = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01';
    const genuine: Record<string, unknown> = {
      '/v1/sessions/options': { sessionPublicKey: key.publicKey },
      '/v1/sessions': { challengeId: 'x', response: { id: 'x' } },
      '/v1/enrolment/options': { code },
      '/v1/enrolment': { code, deviceName: 'Laptop', response: {} },
    };
    // The three CORS-safelisted types (a fetch with mode 'no-cors', a form), well past the budget.
    const simple = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'];
    for (const path of Object.keys(genuine)) {
      const refused = new Set<string>();
      for (let i = 0; i < 2 * PER_MINUTE; i++) {
        const r = await ceremony(path, 'x', address, simple[i % simple.length]);
        refused.add(`${r.status} ${r.code}`);
      }
      expect(refused, path).toEqual(new Set(['415 unsupported_media_type']));
    }
    // The office's genuine requests from the same address: refused by their own checks, if at all.
    for (const [path, body] of Object.entries(genuine)) {
      const r = await ceremony(path, body, address);
      expect(r.status, `${path} ${r.code}`).not.toBe(429);
    }
  });
});

describe.sequential('a person of a suspended organisation (docs/protocol.md §10.3)', () => {
  const auth = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, 'localhost'));
  let waiting: { id: string; code: string; again: () => Promise<string> };
  /** An enrolment challenge made before the suspension, answered by the authenticator. */
  // biome-ignore lint/suspicious/noExplicitAny: the authenticator's answer, sent back as is
  let answered: any;

  it('neither signs in nor enrols, refused organisation_suspended', async () => {
    // One professional with a passkey, one with a code whose challenge was fetched in time.
    const enrolled = await invited(B);
    const o = await ceremony('/v1/enrolment/options', { code: enrolled.code }, freshAddress());
    const e = await ceremony(
      '/v1/enrolment',
      { code: enrolled.code, deviceName: 'Laptop', response: auth.create(o.body.options) },
      freshAddress(),
    );
    expect(e.status).toBe(201);
    waiting = await invited(B);
    const early = await ceremony('/v1/enrolment/options', { code: waiting.code }, freshAddress());
    answered = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, 'localhost')).create(early.body.options);
    expect((await world.admin(['suspend', '--id', B.id])).code).toBe(0);

    const key = await generateSessionKey();
    const so = await ceremony('/v1/sessions/options', { sessionPublicKey: key.publicKey }, freshAddress());
    expect(challengeBindsKey(so.body.challengeId, so.body.options.challenge, key.publicKey)).toBe(true);
    const signIn = await ceremony(
      '/v1/sessions',
      { challengeId: so.body.challengeId, response: auth.get(so.body.options) },
      freshAddress(),
    );
    expect([signIn.status, signIn.code, signIn.body.sessionId]).toEqual([
      403,
      'organisation_suspended',
      undefined,
    ]);

    const options = await ceremony('/v1/enrolment/options', { code: waiting.code }, freshAddress());
    expect([options.status, options.code, options.body.options]).toEqual([
      403,
      'organisation_suspended',
      undefined,
    ]);
    const enrol = await ceremony(
      '/v1/enrolment',
      { code: waiting.code, deviceName: 'Laptop', response: answered },
      freshAddress(),
    );
    expect([enrol.status, enrol.code]).toEqual([403, 'organisation_suspended']);
  });

  it('learns nothing of it without a valid assertion or the code: those are refused as ever', async () => {
    const key = await generateSessionKey();
    const first = await ceremony('/v1/sessions/options', { sessionPublicKey: key.publicKey }, freshAddress());
    const second = await ceremony(
      '/v1/sessions/options',
      { sessionPublicKey: key.publicKey },
      freshAddress(),
    );
    // The person's own passkey, answering another challenge than the one named.
    const r = await ceremony(
      '/v1/sessions',
      { challengeId: first.body.challengeId, response: auth.get(second.body.options) },
      freshAddress(),
    );
    expect([r.status, r.code]).toEqual([401, 'passkey_invalid']);
    const wrong = `${waiting.code.slice(0, -1)}${waiting.code.endsWith('0') ? '1' : '0'}`;
    expect((await ceremony('/v1/enrolment/options', { code: wrong }, freshAddress())).code).toBe(
      'enrolment_code_invalid',
    );
  });

  it('after reinstatement the same passkey signs in, and the unused code still enrols', async () => {
    expect((await world.admin(['reinstate', '--id', B.id])).code).toBe(0);
    const key = await generateSessionKey();
    const so = await ceremony('/v1/sessions/options', { sessionPublicKey: key.publicKey }, freshAddress());
    const signIn = await ceremony(
      '/v1/sessions',
      { challengeId: so.body.challengeId, response: auth.get(so.body.options) },
      freshAddress(),
    );
    expect(signIn.status).toBe(201);
    const later = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, 'localhost'));
    const o = await ceremony('/v1/enrolment/options', { code: waiting.code }, freshAddress());
    const e = await ceremony(
      '/v1/enrolment',
      { code: waiting.code, deviceName: 'Laptop', response: later.create(o.body.options) },
      freshAddress(),
    );
    expect([e.status, e.body.personId]).toEqual([201, waiting.id]);
  });
});

describe('a replaced enrolment code (docs/protocol.md §10.1)', () => {
  it('is refused; the challenge fetched with it is bound to the person and serves the current code', async () => {
    const person = await invited(B);
    const authenticator = caseKey(new SoftAuthenticator(PORTAL_ORIGIN, 'localhost'));
    const o = await ceremony('/v1/enrolment/options', { code: person.code }, freshAddress());
    const response = authenticator.create(o.body.options);
    const current = await person.again();
    const old = await ceremony(
      '/v1/enrolment',
      { code: person.code, deviceName: 'Laptop', response },
      freshAddress(),
    );
    expect([old.status, old.code]).toEqual([400, 'enrolment_code_invalid']);
    // The refusal took nothing: the same answer, with the current code, enrols.
    const e = await ceremony(
      '/v1/enrolment',
      { code: current, deviceName: 'Laptop', response },
      freshAddress(),
    );
    expect([e.status, e.body.personId]).toEqual([201, person.id]);
  });
});
