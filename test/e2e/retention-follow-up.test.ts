// End-to-end scenarios 4 (expiry after 2 years and at a client-computed end date, purge after
// the archive term) and 8 (regie and the municipality's follow-up overview) on a real
// server started with the test clock, which the municipality moves with
// `sluis-server admin test-clock`; the SDK clients sign with the server's offset. The test
// clock itself is refused with NODE_ENV=production. Ends with the leak proof.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World, inboxOf, lastCursor, newEvents } from '../support/e2e-world.js';
import { leakProof } from '../support/leak-proof.js';
import { startServer } from '../support/server-process.js';

const DAY = 86_400_000;
const world = new World();
let A: Org;
let B: Org;
let C: Org;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const today = () => isoDay(world.clock());
const informed = () => ({ status: 'both' as const, date: today() });
const refused = (problemCode: string) =>
  expect.objectContaining({ code: 'server_error', details: expect.objectContaining({ problemCode }) });

const retention = () =>
  world.adminJson<{ expired: number; purgedSignals: number; purgedMatches: number }>(['retention-run']);

beforeAll(async () => {
  await world.start({ testClock: true, args: ['--retention-interval', '0'] });
  A = await world.organisation('Jeugdbescherming West', 'youth_care');
  B = await world.organisation('Woningcorporatie Maasstad', 'housing');
  C = await world.organisation('Politie Eenheid Rotterdam', 'police');
});
afterAll(() => world.close());

describe('the test clock', () => {
  it('is refused at start when NODE_ENV=production', async () => {
    const sink: string[] = [];
    const attempt = startServer({ testClock: true, env: { NODE_ENV: 'production' }, sink });
    const outcome = await attempt.then(
      async (s) => {
        await s.kill();
        return 'started';
      },
      (e: Error) => e.message,
    );
    expect(outcome).toMatch(/exited with 2 before listening/);
    expect(sink.join('')).toMatch(/test clock is refused/);
  });
});

// 120 s: scenario 8 runs about fifteen CLI processes, past 30 s on a loaded machine.
describe.sequential('scenarios on the test clock (real server process)', { timeout: 120_000 }, () => {
  it('8. regie and follow-up outcomes; the overview lists a match without one after N days, filtered and paged', async () => {
    const R = world.bsn();
    const Q = world.bsn();
    await A.client.placeSignal({ bsn: R, contact: world.contact(), informed: informed() });
    await B.client.placeSignal({ bsn: R, contact: world.contact(), informed: informed() });
    await A.client.placeSignal({ bsn: Q, contact: world.contact(), informed: informed() });
    await C.client.placeSignal({ bsn: Q, contact: world.contact(), informed: informed() });
    const [aR, aQ] = await inboxOf(A.client);
    const matchR = aR!.matchId;
    const matchQ = aQ!.matchId;

    // Regie: the first signaller (A) holds it; B proposes to take it, A accepts.
    expect(aR!.match!.regie.holder).toBe('me');
    expect((await B.client.getMatch(matchR)).regie.holder).toBe('counterpart');
    const proposed = await B.client.regie(matchR, { action: 'propose', for: 'me' });
    expect(proposed.regie.proposal).toMatchObject({ by: 'me', for: 'me' });
    const accepted = await A.client.regie(matchR, { action: 'accept' });
    expect(accepted.regie).toMatchObject({ holder: 'counterpart', proposal: null });
    expect((await B.client.getMatch(matchR)).regie.holder).toBe('me');

    // Contact made on R (by A, which B then sees); none on Q.
    const made = await A.client.contactMade(matchR);
    expect(made.followUp.contactMadeByMe).not.toBeNull();
    expect((await B.client.getMatch(matchR)).followUp.contactMadeByCounterpart).not.toBeNull();

    // B, through the `sluis` CLI (it signs with the wall clock, so before the clock moves):
    // no contact needed on R, A already made contact.
    const viaCli = await world.orgCli(B, ['followup', 'outcome', matchR, 'no_contact_needed']);
    expect(viaCli.code, viaCli.stderr).toBe(0);
    expect(viaCli.stdout).toContain('follow-up by me no_contact_needed');

    type Overview = {
      items: { matchId: string; overdue: boolean; parties: { organisationName: string }[] }[];
    };
    const fresh = await world.adminJson<Overview>(['follow-up', '--days', '14']);
    expect(fresh.items.filter((i) => i.overdue)).toEqual([]);

    await world.advanceClock(15);
    const later = await world.adminJson<Overview>(['follow-up', '--days', '14']);
    const overdue = later.items.filter((i) => i.overdue).map((i) => i.matchId);
    expect(overdue).toEqual([matchQ]);
    expect(
      later.items
        .find((i) => i.matchId === matchQ)!
        .parties.map((p) => p.organisationName)
        .sort(),
    ).toEqual([A.name, C.name].sort());
    const human = await world.admin(['follow-up', '--days', '14']);
    expect(human.stdout).toMatch(new RegExp(`${matchQ}\\s+OVERDUE`));
    // Filters and paging of the overview: overdue with a police party; one item per page.
    const police = await world.adminJson<Overview>([
      'follow-up',
      '--follow-up',
      'overdue',
      '--type',
      'police',
    ]);
    expect(police.items.map((i) => i.matchId)).toEqual([matchQ]);
    const paged = await world.adminJson<Overview & { nextCursor?: string }>(['follow-up', '--limit', '1']);
    expect(paged.items).toHaveLength(1);
    expect(paged.nextCursor).toEqual(expect.any(String));
    // The second page by that cursor holds the other match and ends the list; newest first
    // reverses it; the age window and the status filter the same two.
    const second = await world.adminJson<Overview & { nextCursor?: string }>([
      'follow-up',
      '--limit',
      '1',
      '--cursor',
      paged.nextCursor!,
    ]);
    expect(second.nextCursor).toBeUndefined();
    const oldest = [...paged.items, ...second.items].map((i) => i.matchId);
    expect([...oldest].sort()).toEqual([matchR, matchQ].sort());
    const newest = await world.adminJson<Overview>(['follow-up', '--sort', 'newest']);
    expect(newest.items.map((i) => i.matchId)).toEqual([...oldest].reverse());
    const aged = ['follow-up', '--min-age-days', '15', '--max-age-days', '16'];
    expect((await world.adminJson<Overview>(aged)).items.map((i) => i.matchId)).toEqual(oldest);
    expect((await world.adminJson<Overview>(['follow-up', '--max-age-days', '14'])).items).toEqual([]);
    expect((await world.adminJson<Overview>(['follow-up', '--status', 'ended'])).items).toEqual([]);
    // The SDK signs with the server's (moved) clock; an outcome on Q — the professionals
    // already work together — clears it from the overdue list.
    const outcome = await C.client.recordFollowUp(matchQ, 'already_in_contact');
    expect(outcome.followUp).toMatchObject({
      contactMadeByMe: null,
      mine: { outcome: 'already_in_contact' },
    });
    expect((await A.client.getMatch(matchQ)).followUp.counterpart?.outcome).toBe('already_in_contact');
    const cleared = await world.adminJson<Overview>(['follow-up', '--days', '14']);
    expect(cleared.items.filter((i) => i.overdue)).toEqual([]);
    const already = await world.adminJson<Overview>(['follow-up', '--outcome', 'already_in_contact']);
    expect(already.items.map((i) => i.matchId)).toEqual([matchQ]);
    const none = await world.adminJson<Overview>(['follow-up', '--outcome', 'no_contact_needed']);
    expect(none.items.map((i) => i.matchId)).toEqual([matchR]);
    const stats = await world.adminJson<{ followUp: { outcomes: Record<string, number> } }>(['statistics']);
    expect(stats.followUp.outcomes).toMatchObject({
      contact_made: 1,
      already_in_contact: 1,
      no_contact_needed: 1,
    });
  });

  it('4. expiry at the client-computed end date and after 2 years; purge after the archive term', async () => {
    const X = world.bsn(true);
    const Y = world.bsn();
    const now = world.clock();
    // Y turns 23 in 30 days: the SDK computes the end date from the birth date, which never
    // leaves the process.
    const birth = new Date(now + 30 * DAY);
    birth.setUTCFullYear(birth.getUTCFullYear() - 23);
    const dateOfBirth = isoDay(birth.getTime());
    const yA = await A.client.placeSignal({
      bsn: Y,
      dateOfBirth,
      contact: world.contact(),
      informed: informed(),
    });
    // The SDK sends the day before the 23rd birthday rounded down to the first of its month
    // (or tomorrow when that is not after today), so the server never learns the birth date.
    const exact = isoDay(now + 29 * DAY);
    const firstOfMonth = `${exact.slice(0, 8)}01`;
    const endOn = (today: number) => (firstOfMonth > isoDay(today) ? firstOfMonth : isoDay(today + DAY));
    // The clock is wall time (plus the offset): a UTC day may turn during the placements, so
    // "today" is the day of `now` or of a reading after them — one of those two days exactly.
    const yPlaced = world.clock();
    expect([endOn(now), endOn(yPlaced)]).toContain(yA.signal.expiresAt.slice(0, 10));
    const yB = await B.client.placeSignal({ bsn: Y, contact: world.contact(), informed: informed() });
    const xA = await A.client.placeSignal({
      bsn: X.slice(1),
      contact: world.contact(),
      informed: informed(),
    });
    const xPlaced = world.clock();
    const xB = await B.client.placeSignal({ bsn: X, contact: world.contact(), informed: informed() });
    expect([isoDay(now + 730 * DAY), isoDay(xPlaced + 730 * DAY)]).toContain(
      xA.signal.expiresAt.slice(0, 10),
    );
    const bFrom = await lastCursor(B.client);

    // Day 31: A's Y signal passed its end date → expired, the match ended; nothing else.
    await world.advanceClock(31);
    expect(await retention()).toMatchObject({ expired: 1, purgedSignals: 0 });
    expect(await A.client.getSignal(yA.signal.id)).toMatchObject({
      status: 'inactive',
      endReason: 'expired',
    });
    expect(await B.client.getSignal(yB.signal.id)).toMatchObject({ status: 'active' });
    const ended = await newEvents(B.client, bFrom);
    expect(ended.map((e) => [e.type, e.match?.status])).toEqual([['match.ended', 'ended']]);
    // An expired signal never matches again: a new signaller for Y matches only B.
    const cFrom = await lastCursor(C.client);
    await C.client.placeSignal({ bsn: Y, contact: world.contact(), informed: informed() });
    expect((await newEvents(C.client, cFrom)).map((e) => e.match?.counterpart.organisationName)).toEqual([
      B.name,
    ]);

    // Two years after placement: every signal placed then (and scenario 8's) has expired.
    await world.advanceClock(730 - 31 + 1);
    const r2 = await retention();
    expect(r2.expired).toBeGreaterThanOrEqual(6);
    for (const [client, id] of [
      [A.client, xA.signal.id],
      [B.client, xB.signal.id],
      [B.client, yB.signal.id],
    ] as const) {
      expect(await client.getSignal(id)).toMatchObject({ status: 'inactive', endReason: 'expired' });
    }
    expect(r2.purgedSignals).toBe(0);

    // The archive term (1826 days) after A's Y signal ended: purged for good.
    const yEnded = Date.parse((await A.client.getSignal(yA.signal.id)).purgeAt!);
    await world.advanceClock(Math.ceil((yEnded - world.clock()) / DAY) + 1);
    const r3 = await retention();
    expect(r3.purgedSignals).toBeGreaterThanOrEqual(1);
    await expect(A.client.getSignal(yA.signal.id)).rejects.toEqual(refused('not_found'));
    expect(await B.client.getSignal(yB.signal.id)).toMatchObject({ status: 'inactive' });

    // And the rest once their own archive term has passed.
    await world.advanceClock(731);
    const r4 = await retention();
    expect(r4.purgedSignals).toBeGreaterThanOrEqual(6);
    for (const [client, id] of [
      [A.client, xA.signal.id],
      [B.client, xB.signal.id],
      [B.client, yB.signal.id],
    ] as const) {
      await expect(client.getSignal(id)).rejects.toEqual(refused('not_found'));
    }
    expect((await newEvents(B.client, bFrom)).map((e) => e.type)).toContain('match.removed');
    expect((await world.admin(['logbook-verify'])).code).toBe(0);
  });

  it('leak proof: no BSN, pseudonym or key in any byte the server wrote; contact details only where allowed', async () => {
    const stored = world.contact();
    await A.client.placeSignal({ bsn: world.bsn(), contact: stored, informed: informed() });
    await leakProof(world, { storedContact: stored });
  });
});
