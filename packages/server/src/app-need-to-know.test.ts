// Need to know (docs/api.md "Need to know", docs/privacy.md "Recipients"): a professional's
// portal session sees and acts on only the signals that person holds and those signals'
// matches; a colleague's answer "not found" exactly like another organisation's, and reading
// the inbox logs no reveal of a colleague's match. The organisation's key keeps the
// organisation-wide view; an organisation coordinator's session lists the signals and their
// holders and moves them, and a transfer moves what each professional sees.

import type { LogbookEntry } from '@sluis/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../test/support/clock-boundary.js';
import {
  type Admitted,
  type Harness,
  keepClearOfBoundary,
  makeHarness,
  type Session,
} from './testing/harness.js';

let h: Harness;
let A: Admitted;
let B: Admitted;
let holderId: string;
let colleagueId: string;
let holder: Session;
let colleague: Session;
let coordinator: Session;
let coordinatorId: string;
let both: Session;
let signalId: string;
let firstPlacement: Record<string, unknown>;
let matchId: string;
const NOWHERE = '00000000-0000-4000-8000-00000000abcd';

type InboxItem = { matchId: string; match: { id: string; counterpart: { contact: unknown } } | null };
const inboxOf = async (res: Response) => ((await res.json()) as { items: InboxItem[] }).items;
const problem = async (res: Response) => ({
  status: res.status,
  code: ((await res.json()) as { code?: string }).code,
});
/** The whole logbook (its pages are at most 5000 entries). */
async function logbook(): Promise<LogbookEntry[]> {
  const out: LogbookEntry[] = [];
  for (;;) {
    const page = await h.engine.logbook(out.length + 1, 5000);
    out.push(...page);
    if (page.length < 5000) return out;
  }
}
const revealsBy = (entries: readonly LogbookEntry[], personId: string) =>
  entries.filter(
    (e) => e.action === 'match.revealed' && (e.actor as { personId?: string }).personId === personId,
  );

beforeAll(async () => {
  h = await makeHarness();
  // The budget case reads today's count of the placement below, cases later: one UTC day for
  // the whole file up to it (the rest of this beforeAll, 120 s at most, and the 10 cases before
  // the budget case, 30 s at most each, fit in 10 minutes).
  keepClearOfBoundary(h, DAY_MS, 10 * 60_000);
  A = await h.admit('Jeugdzorg Rijnmond');
  B = await h.admit('Wijkteam Noord', { type: 'social_services' });
  const person = async (displayName: string, roles: ('professional' | 'organisation_coordinator')[]) =>
    (await h.engine.addPerson({ kind: 'system' }, { organisationId: A.id, displayName, roles })).id;
  holderId = await person('Prof Een', ['professional']);
  colleagueId = await person('Prof Twee', ['professional']);
  holder = await h.signInAs(holderId);
  colleague = await h.signInAs(colleagueId);
  coordinatorId = await person('Coördinator', ['organisation_coordinator']);
  coordinator = await h.signInAs(coordinatorId);
  both = await h.signInAs(await person('Prof en coördinator', ['professional', 'organisation_coordinator']));
  firstPlacement = h.placement('123456782', 'Een Behandelaar');
  const placed = await h.sessionCall(holder, 'POST', '/v1/signals', { body: firstPlacement });
  expect(placed.status).toBe(201);
  signalId = ((await placed.json()) as { signal: { id: string } }).signal.id;
  const other = await h.call(B.key, 'POST', '/v1/signals', {
    body: h.placement('123456782', 'Bee Wijkteam'),
  });
  expect(other.status).toBe(201);
  const inbox = await inboxOf(await h.call(A.key, 'GET', '/v1/matches'));
  matchId = inbox.find((i) => i.match?.counterpart.contact !== null)!.matchId;
});
afterAll(async () => h.close());

describe('a professional who holds none of the signals', () => {
  it('has none of the colleague’s matches in the inbox, and the read logs no reveal under their name', async () => {
    const before = (await logbook()).length;
    const res = await h.sessionCall(colleague, 'GET', '/v1/matches');
    expect(res.status).toBe(200);
    const items = await inboxOf(res);
    expect(items.map((i) => i.matchId)).not.toContain(matchId);
    expect(JSON.stringify(items)).not.toMatch(/Bee Wijkteam|beewijkteam@example\.nl/);
    const after = (await logbook()).slice(before);
    expect(revealsBy(after, colleagueId)).toEqual([]);
  });

  it('reads and works on the match only as “not found”, like a match that does not exist', async () => {
    const nowhere = await problem(await h.sessionCall(colleague, 'GET', `/v1/matches/${NOWHERE}`));
    expect(nowhere).toEqual({ status: 404, code: 'not_found' });
    const calls: [string, string, unknown][] = [
      ['GET', `/v1/matches/${matchId}`, undefined],
      ['POST', `/v1/matches/${matchId}/contact-made`, {}],
      ['POST', `/v1/matches/${matchId}/follow-up`, { outcome: 'contact_made' }],
      ['POST', `/v1/matches/${matchId}/regie`, { action: 'propose', for: 'me' }],
      ['GET', `/v1/matches/${matchId}/agreements`, undefined],
    ];
    for (const [method, target, body] of calls) {
      const res = await h.sessionCall(colleague, method, target, body === undefined ? {} : { body });
      expect([target, await problem(res)]).toEqual([target, nowhere]);
    }
    const m = await (await h.call(A.key, 'GET', `/v1/matches/${matchId}`)).json();
    expect((m as { followUp: { mine: unknown } }).followUp.mine).toBeNull();
    expect(revealsBy(await logbook(), colleagueId)).toEqual([]);
  });

  it('cannot read, withdraw or change the colleague’s signal: “not found”, and the signal stays', async () => {
    const nowhere = await problem(await h.sessionCall(colleague, 'GET', `/v1/signals/${NOWHERE}`));
    expect(nowhere).toEqual({ status: 404, code: 'not_found' });
    const calls: [string, string, unknown][] = [
      ['GET', `/v1/signals/${signalId}`, undefined],
      ['POST', `/v1/signals/${signalId}/withdraw`, { reason: 'error' }],
      ['POST', `/v1/signals/${signalId}/withdraw`, { reason: 'ended' }],
      ['PUT', `/v1/signals/${signalId}/informed`, { informed: { status: 'not_yet' } }],
      [
        'PUT',
        `/v1/signals/${signalId}/contact`,
        { contact: { name: 'Prof Twee', role: 'consulent', email: 'twee@example.nl' } },
      ],
      ['GET', `/v1/signals/${signalId}/consent`, undefined],
      ['GET', `/v1/signals/${signalId}/archive-notices`, undefined],
    ];
    for (const [method, target, body] of calls) {
      const res = await h.sessionCall(colleague, method, target, body === undefined ? {} : { body });
      expect([target, await problem(res)]).toEqual([target, nowhere]);
    }
    const s = await h.call(A.key, 'GET', `/v1/signals/${signalId}`);
    expect(s.status).toBe(200);
    const signal = (await s.json()) as { status: string; contact: { name: string } };
    expect([signal.status, signal.contact.name]).toEqual(['active', 'Een Behandelaar']);
  });

  it('lists only their own signals; naming the colleague answers like an unknown person', async () => {
    const own = await h.sessionCall(colleague, 'GET', '/v1/signals');
    expect(own.status).toBe(200);
    expect(((await own.json()) as { items: unknown[] }).items).toEqual([]);
    const named = await h.sessionCall(colleague, 'GET', `/v1/signals?personId=${holderId}`);
    const unknown = await h.sessionCall(colleague, 'GET', `/v1/signals?personId=${NOWHERE}`);
    const body = async (r: Response) => {
      const { correlationId: _, ...rest } = (await r.json()) as Record<string, unknown>;
      return [r.status, rest];
    };
    expect(await body(named)).toEqual(await body(unknown));
  });
});

describe('the holder, the organisation key and the coordinator', () => {
  it('the holder sees the match with the counterpart’s contact, and the read is logged under their name', async () => {
    const items = await inboxOf(await h.sessionCall(holder, 'GET', '/v1/matches'));
    const item = items.find((i) => i.matchId === matchId);
    expect(item?.match?.counterpart.contact).toMatchObject({ name: 'Bee Wijkteam' });
    const one = await h.sessionCall(holder, 'GET', `/v1/matches/${matchId}`);
    expect(one.status).toBe(200);
    expect(revealsBy(await logbook(), holderId).length).toBeGreaterThan(0);
    const own = await h.sessionCall(holder, 'GET', '/v1/signals');
    expect(((await own.json()) as { items: { id: string }[] }).items.map((s) => s.id)).toEqual([signalId]);
  });

  it('the organisation key keeps the organisation-wide view', async () => {
    const items = await inboxOf(await h.call(A.key, 'GET', '/v1/matches'));
    expect(items.map((i) => i.matchId)).toContain(matchId);
    expect((await h.call(A.key, 'GET', `/v1/matches/${matchId}`)).status).toBe(200);
    const list = await h.call(A.key, 'GET', '/v1/signals');
    expect(((await list.json()) as { items: { id: string }[] }).items.map((s) => s.id)).toContain(signalId);
  });

  it('the coordinator lists a leaver’s signals but reads no match or archive notice', async () => {
    const list = await h.sessionCall(coordinator, 'GET', `/v1/signals?personId=${holderId}`);
    expect(((await list.json()) as { items: { id: string }[] }).items.map((s) => s.id)).toEqual([signalId]);
    expect((await h.sessionCall(coordinator, 'GET', `/v1/signals/${signalId}`)).status).toBe(200);
    expect(await problem(await h.sessionCall(coordinator, 'GET', `/v1/matches/${matchId}`))).toEqual({
      status: 403,
      code: 'role_not_permitted',
    });
    const notices = await h.sessionCall(coordinator, 'GET', `/v1/signals/${signalId}/archive-notices`);
    expect(await problem(notices)).toEqual({ status: 403, code: 'role_not_permitted' });
  });

  it('a person holding both roles lists as the coordinator, but reads and withdraws only what they hold', async () => {
    const list = await h.sessionCall(both, 'GET', `/v1/signals?personId=${holderId}`);
    expect(((await list.json()) as { items: { id: string }[] }).items.map((s) => s.id)).toEqual([signalId]);
    expect(await problem(await h.sessionCall(both, 'GET', `/v1/matches/${matchId}`))).toEqual({
      status: 404,
      code: 'not_found',
    });
    const items = await inboxOf(await h.sessionCall(both, 'GET', '/v1/matches'));
    expect(items.map((i) => i.matchId)).not.toContain(matchId);
    const withdraw = await h.sessionCall(both, 'POST', `/v1/signals/${signalId}/withdraw`, {
      body: { reason: 'error' },
    });
    expect(await problem(withdraw)).toEqual({ status: 404, code: 'not_found' });
  });

  it('a colleague placing for the same person gets existing, heldByYou false, and none of the signal', async () => {
    const again = await h.sessionCall(colleague, 'POST', '/v1/signals', {
      body: h.placement('123456782', 'Prof Twee'),
    });
    expect(again.status).toBe(200);
    const text = await again.text();
    // Only the outcome: not the signal's id, nor the holder's contact details, which
    // `GET /v1/signals/{id}` would not show this session either (docs/api.md "Need to know").
    expect(JSON.parse(text)).toEqual({ outcome: 'existing', heldByYou: false });
    for (const secret of [
      signalId,
      holderId,
      'Prof Een',
      'Een Behandelaar',
      'eenbehandelaar@example.nl',
      '123 4567',
    ]) {
      expect(text).not.toContain(secret);
    }
    const own = await h.sessionCall(holder, 'POST', '/v1/signals', {
      body: h.placement('123456782', 'Een Behandelaar'),
    });
    const mine = (await own.json()) as { heldByYou?: boolean; signal?: { id: string } };
    expect([mine.heldByYou, mine.signal?.id]).toEqual([true, signalId]);
    const key = await h.call(A.key, 'POST', '/v1/signals', { body: h.placement('123456782', 'Systeem') });
    const org = (await key.json()) as { heldByYou?: boolean; signal?: { id: string } };
    expect(['heldByYou' in org, org.signal?.id]).toEqual([false, signalId]);
  });

  it('a transfer to a person who is no professional is refused with recipient_not_professional and changes nothing', async () => {
    const refused = await h.sessionCall(coordinator, 'POST', '/v1/signals/transfer', {
      body: {
        signalIds: [signalId],
        contact: { name: 'Coördinator', role: 'coördinator', email: 'coord@example.nl' },
        personId: coordinatorId,
      },
    });
    expect(refused.status).toBe(422);
    const p = (await refused.json()) as { code: string; fields: string[]; detail: string };
    expect([p.code, p.fields]).toEqual(['recipient_not_professional', ['personId']]);
    expect(p.detail).toMatch(/professional/);
    expect(p.detail).not.toContain('Coördinator');
    const still = await h.sessionCall(coordinator, 'GET', `/v1/signals?personId=${holderId}`);
    expect(((await still.json()) as { items: { id: string }[] }).items.map((s) => s.id)).toEqual([signalId]);
  });

  it('whoami in a professional’s session shows the organisation’s budget: colleagues’ placements count', async () => {
    const res = await h.sessionCall(colleague, 'GET', '/v1/whoami');
    expect(res.status).toBe(200);
    // The colleague placed nothing that was created; the holder's placement is counted.
    expect(((await res.json()) as { budget: { usedToday: number } }).budget.usedToday).toBe(1);
  });

  it('whoami in a session says a session authenticated it — the person, role and expiry — and neither shows nor echoes the session id as a key', async () => {
    const res = await h.sessionCall(colleague, 'GET', '/v1/whoami');
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as Record<string, unknown>;
    const me = (await (await h.sessionCall(colleague, 'GET', '/v1/me')).json()) as {
      session: { idleExpiresAt: string; expiresAt: string };
    };
    expect(body.authenticatedBy).toBe('session');
    expect(body.session).toEqual({ personId: colleagueId, role: 'professional', ...me.session });
    expect(body).not.toHaveProperty('key');
    expect(text).not.toContain(colleague.sessionId);
    // A key still answers with its key.
    const byKey = (await (await h.call(A.key, 'GET', '/v1/whoami')).json()) as Record<string, unknown>;
    expect(byKey).toMatchObject({ authenticatedBy: 'key', key: { keyId: A.key.keyId, status: 'active' } });
    expect(byKey).not.toHaveProperty('session');
  });

  it('after a transfer the new holder sees and acts on it, and the old one no longer does', async () => {
    const moved = await h.sessionCall(coordinator, 'POST', '/v1/signals/transfer', {
      body: {
        signalIds: [signalId],
        contact: { name: 'Prof Twee', role: 'consulent', email: 'twee@example.nl' },
        personId: colleagueId,
      },
    });
    expect(moved.status).toBe(200);
    const entry = (await logbook()).findLast((e) => e.action === 'signal.transferred');
    expect(entry?.refs).toMatchObject({ personId: colleagueId, signalIds: signalId });
    const theirs = await inboxOf(await h.sessionCall(colleague, 'GET', '/v1/matches'));
    expect(theirs.map((i) => i.matchId)).toContain(matchId);
    expect((await h.sessionCall(colleague, 'GET', `/v1/matches/${matchId}`)).status).toBe(200);
    expect(revealsBy(await logbook(), colleagueId).length).toBeGreaterThan(0);
    const mine = await inboxOf(await h.sessionCall(holder, 'GET', '/v1/matches'));
    expect(mine.map((i) => i.matchId)).not.toContain(matchId);
    expect(await problem(await h.sessionCall(holder, 'GET', `/v1/matches/${matchId}`))).toEqual({
      status: 404,
      code: 'not_found',
    });
    const withdraw = await h.sessionCall(holder, 'POST', `/v1/signals/${signalId}/withdraw`, {
      body: { reason: 'error' },
    });
    expect(await problem(withdraw)).toEqual({ status: 404, code: 'not_found' });
    // Replaying the old placement no longer shows the signal to the one who placed it.
    const replay = await h.sessionCall(holder, 'POST', '/v1/signals', { body: firstPlacement });
    expect(replay.status).toBe(200);
    const text = await replay.text();
    expect(JSON.parse(text)).toEqual({ outcome: 'replayed', heldByYou: false });
    for (const secret of [signalId, 'Prof Twee', 'twee@example.nl']) expect(text).not.toContain(secret);
    const theirReplay = await h.call(A.key, 'POST', '/v1/signals', { body: firstPlacement });
    expect(((await theirReplay.json()) as { signal?: { id: string } }).signal?.id).toBe(signalId);
    const ended = await h.sessionCall(colleague, 'POST', `/v1/signals/${signalId}/withdraw`, {
      body: { reason: 'ended' },
    });
    expect(ended.status).toBe(200);
  });
});

describe('a look-up placement (existingOnly, docs/api.md "POST /v1/signals — place a signal")', () => {
  it('answers the holder’s own signal, a colleague only heldByYou false, and 404 where it would create', async () => {
    // its own person: the describe blocks above move and end the first signal
    const placed = await h.sessionCall(holder, 'POST', '/v1/signals', {
      body: h.placement('111222333', 'Een Behandelaar'),
    });
    expect(placed.status).toBe(201);
    const ownId = ((await placed.json()) as { signal: { id: string } }).signal.id;
    const own = await h.sessionCall(holder, 'POST', '/v1/signals', {
      body: { ...h.placement('111222333', 'Een Behandelaar'), existingOnly: true },
    });
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({
      outcome: 'existing',
      heldByYou: true,
      signal: { id: ownId },
    });
    const theirs = await h.sessionCall(colleague, 'POST', '/v1/signals', {
      body: { ...h.placement('111222333', 'Prof Twee'), existingOnly: true },
    });
    expect(await theirs.json()).toEqual({ outcome: 'existing', heldByYou: false });
    const entries = (await logbook()).length;
    const signalsBefore = (
      (await (await h.call(A.key, 'GET', '/v1/signals?status=active')).json()) as {
        items: unknown[];
      }
    ).items.length;
    const none = await h.sessionCall(holder, 'POST', '/v1/signals', {
      body: { ...h.placement('999888705', 'Een Behandelaar'), existingOnly: true },
    });
    expect(await problem(none)).toEqual({ status: 404, code: 'not_found' });
    expect((await logbook()).length).toBe(entries);
    const listed = await h.call(A.key, 'GET', '/v1/signals?status=active');
    expect(((await listed.json()) as { items: unknown[] }).items).toHaveLength(signalsBefore);
  });

  it('is no member of a batch item, and only true is taken', async () => {
    const batch = await h.call(A.key, 'POST', '/v1/signals/batch', {
      body: { items: [{ ...h.placement('999888705', 'Een Behandelaar'), existingOnly: true }] },
    });
    expect(batch.status).toBe(200);
    const [item] = ((await batch.json()) as { results: { ok: boolean; code?: string }[] }).results;
    expect(item).toMatchObject({ ok: false, code: 'validation_failed' });
    const wrong = await h.sessionCall(holder, 'POST', '/v1/signals', {
      body: { ...h.placement('999888705', 'Een Behandelaar'), existingOnly: false },
    });
    expect(await problem(wrong)).toEqual({ status: 400, code: 'validation_failed' });
  });
});
