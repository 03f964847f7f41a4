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
    // The harness clock is wall time: the server reads its now between these two readings.
    let before = h.clock.now();
    const me = await h.sessionCall(s, 'GET', '/v1/me');
    let after = h.clock.now();
    expect(me.status).toBe(200);
    const body = (await me.json()) as { session: { idleExpiresAt: string } };
    // The same moment as the answer's own idle expiry, counted in whole seconds from the server's now.
    const expiresAt = Date.parse(body.session.idleExpiresAt);
    const counted = (from: number) => Math.floor((expiresAt - from) / 1000);
    expect(seconds(me)).toBeGreaterThanOrEqual(counted(after));
    expect(seconds(me)).toBeLessThanOrEqual(counted(before));
    expect(seconds(me)).toBeGreaterThan(29 * 60);

    // Within the minute the server does not move it: the header counts down exactly.
    h.clock.advance(20_000);
    before = h.clock.now();
    const soon = await h.sessionCall(s, 'GET', '/v1/whoami');
    after = h.clock.now();
    expect(seconds(soon)).toBeLessThanOrEqual(30 * 60 - 20);
    expect(seconds(soon)).toBeGreaterThanOrEqual(counted(after));
    expect(seconds(soon)).toBeLessThanOrEqual(counted(before));

    // Ten minutes later a request moves it on to the full 30 minutes again: counted from the
    // move, less only what the request itself took (it moved and counted between the readings).
    const full = (from: number, to: number) => Math.floor((30 * MINUTE - (to - from)) / 1000);
    h.clock.advance(10 * MINUTE);
    before = h.clock.now();
    const moved = await h.sessionCall(s, 'GET', '/v1/me');
    after = h.clock.now();
    expect(seconds(moved)).toBeGreaterThanOrEqual(full(before, after));
    expect(seconds(moved)).toBeLessThanOrEqual(30 * 60);

    // A refusal after the signature verified moved it too, and says so.
    h.clock.advance(5 * MINUTE);
    before = h.clock.now();
    const missing = await h.sessionCall(s, 'GET', '/v1/matches/00000000-0000-4000-8000-000000000000');
    after = h.clock.now();
    expect(missing.status).toBe(404);
    expect(seconds(missing)).toBeGreaterThanOrEqual(full(before, after));

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
