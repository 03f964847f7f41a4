// End-to-end scenarios 1, 2, 3, 5, 6, 7 and 10 on a real server process, reached only as
// organisations (the public SDK, and the `sluis` CLI for organisation C) and the
// municipality (`sluis-server admin`, BSNs typed on standard input) would. The server is
// SIGKILLed and restarted in the middle (scenario 10) and the later scenarios run on the
// restarted process. Ends with the leak proof over every byte the servers wrote.

import type { InboxEvent, MatchView } from '@sluis/client-sdk';
import { base64url, SigningKey } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World, inboxOf, lastCursor, newEvents } from '../support/e2e-world.js';
import { leakProof } from '../support/leak-proof.js';
import { startOnFreshPort } from '../support/ports.js';
import { SERVER_CLI, runCli } from '../support/server-process.js';

const world = new World();
let A: Org;
let B: Org;
let C: Org;
const today = () => new Date(world.clock()).toISOString().slice(0, 10);
const informed = () => ({ status: 'citizen' as const, date: today() });

const refused = (problemCode: string) =>
  expect.objectContaining({ code: 'server_error', details: expect.objectContaining({ problemCode }) });

const counterpartNames = (events: readonly InboxEvent[]) =>
  events.map((e) => e.match?.counterpart.organisationName).sort();

beforeAll(async () => {
  // On a port of its own (test/support/ports.ts), not one of the kernel's: scenario 10 starts the
  // server again on the same port after a kill, and no other process may take it meanwhile.
  await startOnFreshPort((port) => world.start({ args: ['--port', String(port)] }));
  A = await world.organisation('Jeugdzorg Rijnmond', 'youth_care');
  B = await world.organisation('Basisschool De Horizon', 'school');
  C = await world.organisation('Huisartsenpraktijk Noord', 'general_practice');
});
afterAll(() => world.close());

describe.sequential('end-to-end scenarios (real server process)', () => {
  it('1. the SluiS flow: A reveals nothing; B matches A; C sees nothing until it signals, then matches both', async () => {
    const X = world.bsn();
    const cA = world.contact();
    const cB = world.contact('intern begeleider');
    const cC = world.contact('huisarts');

    const placedA = await A.client.placeSignal({ bsn: X, contact: cA, informed: informed() });
    expect(placedA.outcome).toBe('created');
    expect(Object.keys(placedA).sort()).toEqual(['outcome', 'requestId', 'signal']);
    expect(await inboxOf(A.client)).toEqual([]);

    await B.client.placeSignal({ bsn: X, contact: cB, informed: informed() });
    const [aEvent, ...aRest] = await inboxOf(A.client);
    const [bEvent, ...bRest] = await inboxOf(B.client);
    expect(aRest).toEqual([]);
    expect(bRest).toEqual([]);
    expect(aEvent).toMatchObject({ type: 'match.created' });
    expect(aEvent!.match!.counterpart).toEqual({ organisationName: B.name, contact: cB });
    expect(bEvent!.match!.counterpart).toEqual({ organisationName: A.name, contact: cA });
    expect(aEvent!.match!.kind).toBe('person');
    expect(aEvent!.matchId).toBe(bEvent!.matchId);

    // C, not involved: its inbox (through the `sluis` CLI) is empty and the match does not exist for it.
    const empty = await world.orgCli(C, ['matches', '--json']);
    expect(empty.code).toBe(0);
    expect(empty.stdout.trim()).toBe('');
    await expect(C.client.getMatch(aEvent!.matchId)).rejects.toEqual(refused('not_found'));
    const leak = JSON.stringify(await C.client.whoami());
    for (const secret of [A.name, B.name, cA.name, cB.name]) expect(leak).not.toContain(secret);

    // C signals X with the `sluis` CLI, the BSN typed on standard input → matches A and B.
    const placedC = await world.orgCli(
      C,
      [
        'signal',
        '--name',
        cC.name,
        '--role',
        cC.role,
        '--phone',
        cC.phone!,
        '--email',
        cC.email!,
        '--informed',
        'citizen',
        '--informed-date',
        today(),
        '--json',
      ],
      `${X}\n`,
    );
    expect(placedC.code).toBe(0);
    expect(JSON.parse(placedC.stdout)).toMatchObject({ outcome: 'created' });
    const cInbox = await world.orgCli(C, ['matches', '--json']);
    const cEvents = cInbox.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as InboxEvent);
    expect(counterpartNames(cEvents)).toEqual([A.name, B.name].sort());
    expect(cEvents.map((e) => e.match!.counterpart.contact)).toEqual(expect.arrayContaining([cA, cB]));
    const aNew = await newEvents(A.client, aEvent!.cursor);
    const bNew = await newEvents(B.client, bEvent!.cursor);
    expect(aNew.map((e) => [e.type, e.match!.counterpart.contact])).toEqual([['match.created', cC]]);
    expect(bNew.map((e) => [e.type, e.match!.counterpart.contact])).toEqual([['match.created', cC]]);
  });

  it('2. the same organisation twice: no match by default; a match with same-organisation matching on', async () => {
    const P = world.bsn();
    const first = await A.client.placeSignal({ bsn: P, contact: world.contact(), informed: informed() });
    const before = await lastCursor(A.client);
    const second = await A.client.placeSignal({
      bsn: P,
      contact: world.contact('ambulant hulpverlener'),
      informed: informed(),
    });
    expect(second.outcome).toBe('existing');
    expect(second.signal.id).toBe(first.signal.id);
    expect(await newEvents(A.client, before)).toEqual([]);

    // A second server, configured for same-organisation matching (its own data directory).
    const main = world.server;
    try {
      await world.start({ args: ['--same-organisation-matching'] });
      const D = await world.organisation('Wijkteam Zuid', 'social_services');
      const c1 = world.contact('wijkcoach');
      const c2 = world.contact('schuldhulpverlener');
      await D.client.placeSignal({ bsn: P, contact: c1, informed: informed() });
      const again = await D.client.placeSignal({ bsn: P, contact: c2, informed: informed() });
      expect(again.outcome).toBe('created');
      const events = await inboxOf(D.client);
      expect(events.map((e) => e.type)).toEqual(['match.created']);
      expect(events[0]!.match!.counterpart.organisationName).toBe('Wijkteam Zuid');
      expect([c1, c2]).toContainEqual(events[0]!.match!.counterpart.contact);
      expect(await world.server.stop()).toBe(0);
    } finally {
      world.server = main;
    }
  });

  it('3. withdrawal "ended" archives and stops matching; "error" deletes and informs; transfer shows the new contact', async () => {
    const W = world.bsn();
    const sA = await A.client.placeSignal({ bsn: W, contact: world.contact(), informed: informed() });
    const sB = await B.client.placeSignal({ bsn: W, contact: world.contact(), informed: informed() });
    const aFrom = await lastCursor(A.client);
    const bFrom = await lastCursor(B.client);
    const cFrom = await lastCursor(C.client);

    const ended = await A.client.withdraw(sA.signal.id, 'ended');
    expect(ended).toMatchObject({ status: 'inactive', endReason: 'ended' });
    expect(ended!.purgeAt).not.toBeNull();
    expect((await newEvents(A.client, aFrom)).map((e) => e.type)).toContain('match.ended');
    expect((await newEvents(B.client, bFrom)).map((e) => [e.type, e.match?.status])).toEqual([
      ['match.ended', 'ended'],
    ]);
    await expect(A.client.withdraw(sA.signal.id, 'ended')).rejects.toEqual(refused('signal_inactive'));

    // A new signaller matches only the active signal (B), never the archived one (A).
    await C.client.placeSignal({ bsn: W, contact: world.contact(), informed: informed() });
    const cNew = await newEvents(C.client, cFrom);
    expect(counterpartNames(cNew)).toEqual([B.name]);
    const matchBC = cNew[0]!.matchId;

    // B withdraws in error: gone at once, the matched party C is told the match is removed.
    const bFrom2 = await lastCursor(B.client);
    expect(await B.client.withdraw(sB.signal.id, 'error')).toBeNull();
    await expect(B.client.getSignal(sB.signal.id)).rejects.toEqual(refused('not_found'));
    const cRemoved = await newEvents(C.client, cNew.at(-1)!.cursor);
    expect(cRemoved.map((e) => [e.type, e.matchId, e.match])).toEqual([['match.removed', matchBC, null]]);
    expect((await newEvents(B.client, bFrom2)).map((e) => e.type)).toEqual(
      expect.arrayContaining(['match.removed']),
    );
    await expect(C.client.getMatch(matchBC)).rejects.toEqual(refused('not_found'));

    // Transfer: a professional of A leaves; B sees the colleague's contact.
    const V = world.bsn();
    const leaver = await A.client.placeSignal({ bsn: V, contact: world.contact(), informed: informed() });
    await B.client.placeSignal({ bsn: V, contact: world.contact(), informed: informed() });
    const bFrom3 = await lastCursor(B.client);
    const colleague = world.contact('gedragswetenschapper');
    expect(await A.client.transfer([leaver.signal.id], colleague)).toEqual({ transferred: 1 });
    const updated = await newEvents(B.client, bFrom3);
    expect(updated.map((e) => e.type)).toEqual(['match.updated']);
    expect(updated[0]!.match!.counterpart.contact).toEqual(colleague);
    expect((await B.client.getMatch(updated[0]!.matchId)).counterpart.contact).toEqual(colleague);
  });

  it('5. a family match through a shared parent says only "family"', async () => {
    const parent = world.bsn(true); // leading zero: its 8-digit form is scanned for too
    const child1 = world.bsn();
    const child2 = world.bsn();
    const aFrom = await lastCursor(A.client);
    const bFrom = await lastCursor(B.client);
    const cA = world.contact();
    const cB = world.contact();
    await A.client.placeSignal({
      bsn: child1,
      parentsBsn: [parent.slice(1)],
      contact: cA,
      informed: informed(),
    });
    await B.client.placeSignal({ bsn: child2, parentsBsn: [parent], contact: cB, informed: informed() });
    const [a] = await newEvents(A.client, aFrom);
    const [b] = await newEvents(B.client, bFrom);
    expect(a!.match).toMatchObject({
      kind: 'family',
      counterpart: { organisationName: B.name, contact: cB },
    });
    expect(b!.match).toMatchObject({
      kind: 'family',
      counterpart: { organisationName: A.name, contact: cA },
    });
    // The notice names no person: no parent, child or subject in what the SDK received.
    expect(Object.keys((a!.match as MatchView).counterpart).sort()).toEqual(['contact', 'organisationName']);
    expect(JSON.stringify(a)).not.toMatch(/parent|child|subject/i);
  });

  it('6. suspension and key revocation take effect on the next request; reinstatement restores access', async () => {
    const E = await world.organisation('Schuldhulp Rotterdam', 'debt_counselling');
    const S = world.bsn();
    await E.client.placeSignal({ bsn: S, contact: world.contact(), informed: informed() });
    expect((await E.client.whoami()).organisation.status).toBe('active');

    expect((await world.admin(['suspend', '--id', E.id])).code).toBe(0);
    await expect(E.client.whoami()).rejects.toEqual(refused('organisation_suspended'));
    await expect(
      E.client.placeSignal({ bsn: world.bsn(), contact: world.contact(), informed: informed() }),
    ).rejects.toEqual(refused('organisation_suspended'));
    // While E is suspended its signal produces no match for A…
    const aFrom = await lastCursor(A.client);
    await A.client.placeSignal({ bsn: S, contact: world.contact(), informed: informed() });
    expect(await newEvents(A.client, aFrom)).toEqual([]);
    // …and reinstatement restores access and catches the match up.
    expect((await world.admin(['reinstate', '--id', E.id])).code).toBe(0);
    expect((await E.client.whoami()).organisation.status).toBe('active');
    expect(counterpartNames(await newEvents(A.client, aFrom))).toEqual([E.name]);

    // Key rotation: a second key is added, the first revoked → refused on the next request.
    // The world's, not the case's: the leak proof looks for its seed, and close() zeroes it.
    const next = SigningKey.generate();
    world.signingKeys.push(next);
    const added = await world.admin([
      'add-key',
      '--id',
      E.id,
      `--public-key=${base64url.encode(next.publicKey)}`,
    ]);
    expect(added.code).toBe(0);
    const revoked = await world.admin(['revoke-key', `--key-id=${E.client.keyId}`]);
    expect(revoked.code).toBe(0);
    await expect(E.client.whoami()).rejects.toEqual(refused('key_revoked'));
    const rotated = world.client(next);
    expect(await rotated.whoami()).toMatchObject({
      authenticatedBy: 'key',
      key: { keyId: next.keyId, status: 'active' },
    });
    expect(counterpartNames(await inboxOf(rotated))).toEqual([A.name]);
  });

  it('10. SIGKILL in the middle: every acknowledged write survives the restart and the logbook verifies', async () => {
    const K = Array.from({ length: 12 }, () => world.bsn());
    const acknowledged = await A.client.placeSignals(
      K.map((bsn) => ({ bsn, contact: world.contact(), informed: informed() })),
    );
    expect(acknowledged.every((r) => r.ok)).toBe(true);
    const bothFrom = await lastCursor(B.client);
    const aInboxBefore = await inboxOf(A.client);
    // B places while the server is killed under it; some of these may never be acknowledged.
    const inFlight = Promise.allSettled(
      K.slice(0, 6).map((bsn) =>
        B.client.placeSignal({ bsn, contact: world.contact(), informed: informed() }),
      ),
    );
    await new Promise((r) => setTimeout(r, 5));
    const { dataDir, url } = world.server;
    await world.server.kill();
    const results = await inflightSettled(inFlight);

    // Same data directory and port: the organisations' clients keep their configuration.
    await world.start({ dataDir, args: ['--port', new URL(url).port] });
    expect(world.server.url).toBe(url);
    expect((await world.admin(['logbook-verify'])).code).toBe(0);
    const signals = [];
    for await (const s of A.client.iterateSignals({ status: 'active' })) signals.push(s.id);
    for (const r of acknowledged) if (r.ok) expect(signals).toContain(r.signal.id);
    for (const r of results)
      if (r.status === 'fulfilled') await expect(B.client.getSignal(r.value.signal.id)).resolves.toBeTruthy();
    const after = await inboxOf(A.client);
    const ids = (events: readonly InboxEvent[]) => events.map((e) => [e.cursor, e.type, e.matchId]);
    expect(ids(after.slice(0, aInboxBefore.length))).toEqual(ids(aInboxBefore));
    // Placing again with fresh requests is harmless: B's signals exist once each.
    for (const bsn of K.slice(0, 6)) {
      const again = await B.client.placeSignal({ bsn, contact: world.contact(), informed: informed() });
      expect(['created', 'existing']).toContain(again.outcome);
    }
    const bNew = await newEvents(B.client, bothFrom);
    expect(bNew.filter((e) => e.type === 'match.created')).toHaveLength(6);
    const verify = await world.adminJson<{ ok: boolean; entries: number }>(['logbook-verify']);
    expect(verify.ok).toBe(true);
    expect(verify.entries).toBeGreaterThan(20);
  });

  it('7. GDPR access, restriction, objection and erasure by the municipality, the BSN typed locally', async () => {
    const G = world.bsn(true);
    const cA = world.contact();
    await A.client.placeSignal({ bsn: G, contact: cA, informed: informed() });
    await B.client.placeSignal({ bsn: G, contact: world.contact(), informed: informed() });

    const access = await world.gdpr('access', G.slice(1)); // 8-digit form, as a citizen may give it
    expect(access.code).toBe(0);
    const report = JSON.parse(access.stdout) as {
      signals: { organisationName: string }[];
      matches: unknown[];
    };
    expect(report.signals.map((s) => s.organisationName).sort()).toEqual([A.name, B.name].sort());
    expect(report.matches).toHaveLength(1);
    expect(access.stdout).not.toContain(cA.name);

    // Restriction: no new matches while restricted; lifting catches up.
    expect(JSON.parse((await world.gdpr('restrict', G)).stdout)).toMatchObject({ signals: 2 });
    const cFrom = await lastCursor(C.client);
    await C.client.placeSignal({ bsn: G, contact: world.contact(), informed: informed() });
    expect(await newEvents(C.client, cFrom)).toEqual([]);
    expect((await world.gdpr('unrestrict', G)).code).toBe(0);
    expect(counterpartNames(await newEvents(C.client, cFrom))).toEqual([A.name, B.name].sort());

    // Objection: pending restricts, rejected lifts it; upheld erases.
    expect((await world.gdpr('object', G, ['--status', 'pending'])).code).toBe(0);
    expect(
      JSON.parse((await world.gdpr('access', G)).stdout).signals.every(
        (s: { restricted: boolean }) => s.restricted,
      ),
    ).toBe(true);
    expect((await world.gdpr('object', G, ['--status', 'rejected'])).code).toBe(0);
    const H = world.bsn();
    const h = await A.client.placeSignal({ bsn: H, contact: world.contact(), informed: informed() });
    expect((await world.gdpr('object', H, ['--status', 'upheld'])).code).toBe(0);
    await expect(A.client.getSignal(h.signal.id)).rejects.toEqual(refused('not_found'));

    // Erasure: every signal and match of the person goes; the parties are told.
    const aFrom = await lastCursor(A.client);
    const erased = JSON.parse((await world.gdpr('erase', G)).stdout) as { signals: number; matches: number };
    expect(erased).toMatchObject({ signals: 3, matches: 3 });
    expect((await newEvents(A.client, aFrom)).map((e) => e.type)).toEqual(['match.removed', 'match.removed']);
    expect(JSON.parse((await world.gdpr('access', G)).stdout)).toMatchObject({ signals: [], matches: [] });

    // A bad BSN is refused locally: nothing is sent, the input is not echoed.
    const bad = await world.gdpr('access', '123456789');
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain('123456789');
    // A dozen `sluis-server admin` processes: over 30 s on a loaded two-core machine.
  }, 120_000);

  it('leak proof: no BSN, pseudonym or key in any byte the server wrote; contact details only where allowed', async () => {
    const stored = world.contact();
    await A.client.placeSignal({ bsn: world.bsn(), contact: stored, informed: informed() });
    const backup = `${world.work}/backup.db`;
    const r = await runCli(SERVER_CLI, ['backup', '--data-dir', world.server.dataDir, '--to', backup], {
      sink: world.adminOutput,
    });
    expect(r.code).toBe(0);
    world.extraFiles.push(backup);
    await leakProof(world, { storedContact: stored });
  });
});

async function inflightSettled<T>(p: Promise<PromiseSettledResult<T>[]>): Promise<PromiseSettledResult<T>[]> {
  // The SDK retries network errors; bound the wait so a hung request cannot hang the suite.
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('in-flight placements hung')), 20_000);
  });
  try {
    return await Promise.race([p, hung]);
  } finally {
    clearTimeout(timer);
  }
}
