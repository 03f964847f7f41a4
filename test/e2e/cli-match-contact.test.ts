// `sluis matches` on a real server process: a counterpart contact is null for three reasons
// (docs/engine.md "What a match reveals"), and the table says "UNDER OBJECTION" only for the
// objection, "RESTRICTED" only for a restriction (GDPR art. 18); a match whose counterpart's
// signal ended shows "-" (docs/sdk.md "Under objection"). The holder's own signal says a
// restriction the desk registered on it (API 1.4.0), in the SDK and in `sluis signals`.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World, inboxOf } from '../support/e2e-world.js';

const world = new World();
let A: Org;
let B: Org;
const informed = () => ({
  status: 'citizen' as const,
  date: new Date(world.clock()).toISOString().slice(0, 10),
});

beforeAll(async () => {
  await world.start();
  A = await world.organisation('Jeugdzorg Rijnmond', 'youth_care');
  B = await world.organisation('Basisschool De Horizon', 'school');
});
afterAll(() => world.close());

/** The CONTACT cell of every table row of `matchId` in A's `sluis matches`. */
async function contactCells(matchId: string): Promise<string[]> {
  const r = await world.orgCli(A, ['matches']);
  expect(r.code).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  const start = lines[0]!.indexOf('CONTACT');
  const end = lines[0]!.indexOf('PHONE');
  expect(start).toBeGreaterThan(0);
  return lines.filter((l) => l.includes(matchId)).map((l) => l.slice(start, end).trim());
}

describe.sequential('sluis matches: the contact cell (real server process)', () => {
  it('a match whose counterpart withdrew shows "-", never UNDER OBJECTION', async () => {
    const X = world.bsn();
    const cB = world.contact('intern begeleider');
    await A.client.placeSignal({ bsn: X, contact: world.contact(), informed: informed() });
    const sB = await B.client.placeSignal({ bsn: X, contact: cB, informed: informed() });
    const matchId = (await inboxOf(A.client)).at(-1)!.matchId;
    expect(await contactCells(matchId)).toEqual([`${cB.name} (${cB.role})`]);

    await B.client.withdraw(sB.signal.id, 'ended');
    const m = await A.client.getMatch(matchId);
    expect(m).toMatchObject({ status: 'ended', underObjection: false, counterpart: { contact: null } });
    // match.created and match.ended: both read the match as it is now.
    expect(await contactCells(matchId)).toEqual(['-', '-']);
    const out = (await world.orgCli(A, ['matches'])).stdout;
    expect(out).not.toContain('UNDER OBJECTION');
    expect(out).not.toContain(cB.name);
  });

  it('a match under a pending objection says UNDER OBJECTION', async () => {
    const Y = world.bsn();
    await A.client.placeSignal({ bsn: Y, contact: world.contact(), informed: informed() });
    await B.client.placeSignal({ bsn: Y, contact: world.contact(), informed: informed() });
    const matchId = (await inboxOf(A.client)).at(-1)!.matchId;
    expect((await world.gdpr('object', Y, ['--status', 'pending'])).code).toBe(0);
    expect(await A.client.getMatch(matchId)).toMatchObject({
      status: 'active',
      underObjection: true,
      counterpart: { contact: null },
    });
    const cells = await contactCells(matchId);
    expect(cells.length).toBeGreaterThan(0);
    for (const c of cells) expect(c).toBe('UNDER OBJECTION');
  }, 60_000);

  it('a match of a restricted person says RESTRICTED, and the contact again once lifted', async () => {
    const Z = world.bsn();
    const cB = world.contact('gezinscoach');
    const own = (await A.client.placeSignal({ bsn: Z, contact: world.contact(), informed: informed() }))
      .signal;
    await B.client.placeSignal({ bsn: Z, contact: cB, informed: informed() });
    const matchId = (await inboxOf(A.client)).at(-1)!.matchId;
    expect(own.restricted).toBe(false);
    expect((await world.gdpr('restrict', Z)).code).toBe(0);
    // The holder's own signal says so too (API 1.4.0), and `sluis signals` prints it.
    expect((await A.client.getSignal(own.id)).restricted).toBe(true);
    const row = (await world.orgCli(A, ['signals'])).stdout.split('\n').find((l) => l.includes(own.id));
    expect(row).toMatch(/\bactive RESTRICTED\b/);
    expect(await A.client.getMatch(matchId)).toMatchObject({
      status: 'active',
      underObjection: false,
      restricted: true,
      counterpart: { contact: null },
    });
    const cells = await contactCells(matchId);
    expect(cells).toEqual(['RESTRICTED', 'RESTRICTED']);
    expect((await world.orgCli(A, ['matches'])).stdout).not.toContain(cB.name);

    expect((await world.gdpr('unrestrict', Z)).code).toBe(0);
    expect(await contactCells(matchId)).toEqual(Array(3).fill(`${cB.name} (${cB.role})`));
    expect((await A.client.getSignal(own.id)).restricted).toBe(false);
  }, 60_000);
});
