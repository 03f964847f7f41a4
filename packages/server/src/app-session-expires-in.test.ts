// The idle expiry a session-signed answer tells (docs/api.md "Conventions",
// `Sluis-Session-Expires-In`): the whole seconds the session lives on without another request,
// as that request moved it — so the portal can warn before it ends (docs/portal.md "Signing
// in") — on refusals after authentication too, never on a key's answers or an ended session's.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Admitted, type Harness, makeHarness } from './testing/harness.js';

const HEADER = 'sluis-session-expires-in';
const MINUTE = 60_000;

let h: Harness;
let short: Harness;
let A: Admitted;

async function professional(harness: Harness, org: Admitted): Promise<string> {
  const p = await harness.engine.addPerson(
    { kind: 'system' },
    { organisationId: org.id, displayName: 'Prof Testpersoon', roles: ['professional'] },
  );
  return p.id;
}

const seconds = (r: Response) => Number(r.headers.get(HEADER));

beforeAll(async () => {
  h = await makeHarness();
  A = await h.admit('Jeugdzorg Rijnmond');
  short = await makeHarness({ engineConfig: { sessionIdleMinutes: 1 } });
});
afterAll(async () => {
  await h.close();
  await short.close();
});

describe('Sluis-Session-Expires-In', () => {
  it('tells how long the session lives on without a request, as each request moved it', async () => {
    const s = await h.signInAs(await professional(h, A));
    const me = await h.sessionCall(s, 'GET', '/v1/me');
    expect(me.status).toBe(200);
    const body = (await me.json()) as { session: { idleExpiresAt: string } };
    // The same moment as the answer's own idle expiry, counted from the server's now.
    const told = Math.floor((Date.parse(body.session.idleExpiresAt) - h.clock.now()) / 1000);
    expect(Math.abs(seconds(me) - told)).toBeLessThanOrEqual(1);
    expect(seconds(me)).toBeGreaterThan(29 * 60);

    // Within the minute the server does not move it: the header counts down exactly.
    h.clock.advance(20_000);
    const soon = await h.sessionCall(s, 'GET', '/v1/whoami');
    expect(seconds(soon)).toBeLessThanOrEqual(30 * 60 - 20);
    expect(seconds(soon)).toBeGreaterThan(30 * 60 - 25);

    // Ten minutes later a request moves it on to the full 30 minutes again.
    h.clock.advance(10 * MINUTE);
    expect(seconds(await h.sessionCall(s, 'GET', '/v1/me'))).toBeGreaterThanOrEqual(30 * 60 - 1);

    // A refusal after the signature verified moved it too, and says so.
    h.clock.advance(5 * MINUTE);
    const missing = await h.sessionCall(s, 'GET', '/v1/matches/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(seconds(missing)).toBeGreaterThanOrEqual(30 * 60 - 1);

    // An organisation key has no session: no header.
    const byKey = await h.call(A.key, 'GET', '/v1/whoami');
    expect(byKey.status).toBe(200);
    expect(byKey.headers.get(HEADER)).toBeNull();

    // Past the idle expiry the session is over: refused, and no header.
    h.clock.advance(30 * MINUTE + 1000);
    const ended = await h.sessionCall(s, 'GET', '/v1/me');
    expect(ended.status).toBe(401);
    expect(ended.headers.get(HEADER)).toBeNull();
  });

  it('a 1-minute idle term is moved on by a request too (every half term)', async () => {
    const org = await short.admit('Wijkteam Kort');
    const s = await short.signInAs(await professional(short, org));
    expect(seconds(await short.sessionCall(s, 'GET', '/v1/me'))).toBeGreaterThanOrEqual(59);
    short.clock.advance(40_000);
    // 20 s were left; the request moves the expiry on to a full minute from now.
    expect(seconds(await short.sessionCall(s, 'GET', '/v1/me'))).toBeGreaterThanOrEqual(59);
    short.clock.advance(40_000);
    expect((await short.sessionCall(s, 'GET', '/v1/me')).status).toBe(200);
  });
});
