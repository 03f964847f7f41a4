// Handing one signal over (docs/api.md "Handover requests", docs/engine.md "Handover
// requests"): a professional whose placement was answered `existing` for a colleague's signal
// asks the coordinator to hand it over; the ask answers 202 whatever it finds and tells the
// professional nothing new; only the own organisation's coordinator lists it (with the signal
// and its holder) and declines it, which the asker alone is told (when they asked, when it was
// declined); the transfer of that one signal answers it, and it is gone when the signal ends or
// the asker is removed.

import type { LogbookEntry } from '@sluis/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Admitted, type Harness, makeHarness, type Session } from './testing/harness.js';

let h: Harness;
let A: Admitted;
let B: Admitted;
let holderId: string;
let askerId: string;
let holder: Session;
let asker: Session;
let coordinator: Session;
let coordinatorId: string;
let otherCoordinator: Session;
const NOWHERE = '00000000-0000-4000-8000-00000000abcd';
const PATH = '/v1/signals/handover-requests';

interface Listed {
  id: string;
  requestedBy: string;
  requestedAt: string;
  heldBy: string | null;
  signal: { id: string; status: string };
}
const list = async (s: Session): Promise<Listed[]> => {
  const res = await h.sessionCall(s, 'GET', PATH);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Listed[] }).items;
};
async function logbook(): Promise<LogbookEntry[]> {
  const out: LogbookEntry[] = [];
  for (;;) {
    const page = await h.engine.logbook(out.length + 1, 5000);
    out.push(...page);
    if (page.length < 5000) return out;
  }
}

/** The holder places for `bsn`, the asker places too and is refused: the asker's requestId and the signal id. */
async function refused(bsn: string): Promise<{ requestId: string; signalId: string; text: string }> {
  const placed = await h.sessionCall(holder, 'POST', '/v1/signals', {
    body: h.placement(bsn, 'Een Behandelaar'),
  });
  expect(placed.status).toBe(201);
  const signalId = ((await placed.json()) as { signal: { id: string } }).signal.id;
  const body = h.placement(bsn, 'Twee Vrager');
  const again = await h.sessionCall(asker, 'POST', '/v1/signals', { body });
  const text = await again.text();
  expect(JSON.parse(text)).toEqual({ outcome: 'existing', heldByYou: false });
  return { requestId: body.requestId as string, signalId, text };
}
const ask = (s: Session, requestId: string) => h.sessionCall(s, 'POST', PATH, { body: { requestId } });

beforeAll(async () => {
  h = await makeHarness();
  A = await h.admit('Jeugdzorg Rijnmond');
  B = await h.admit('Wijkteam Noord', { type: 'social_services' });
  const person = async (
    org: Admitted,
    displayName: string,
    roles: ('professional' | 'organisation_coordinator')[],
  ) => (await h.engine.addPerson({ kind: 'system' }, { organisationId: org.id, displayName, roles })).id;
  holderId = await person(A, 'Prof Een', ['professional']);
  askerId = await person(A, 'Prof Twee', ['professional']);
  holder = await h.signInAs(holderId);
  asker = await h.signInAs(askerId);
  coordinatorId = await person(A, 'Coördinator', ['organisation_coordinator']);
  coordinator = await h.signInAs(coordinatorId);
  otherCoordinator = await h.signInAs(await person(B, 'Andere Coördinator', ['organisation_coordinator']));
});
afterAll(async () => h.close());

describe('asking to be handed a signal', () => {
  it('the ask answers 202 alike for an unknown requestId, an own placement and a refusal, and says nothing', async () => {
    const { requestId, signalId, text } = await refused('123456782');
    const answers: string[] = [];
    for (const rq of [NOWHERE, requestId, requestId]) {
      const res = await ask(asker, rq);
      expect(res.status).toBe(202);
      answers.push(await res.text());
    }
    expect(answers).toEqual(['', '', '']);
    // The holder asking with their own placement's requestId makes no request either.
    const own = h.placement('111222333', 'Een Behandelaar');
    expect((await h.sessionCall(holder, 'POST', '/v1/signals', { body: own })).status).toBe(201);
    expect((await ask(holder, own.requestId as string)).status).toBe(202);
    // Nothing the asker received names the signal or its holder.
    for (const secret of [signalId, holderId, 'Prof Een', 'Een Behandelaar']) {
      expect(text + answers.join('')).not.toContain(secret);
    }
    // One request, however often asked: the signal as the coordinator sees it, and its holder.
    const items = await list(coordinator);
    expect(items.map((i) => [i.requestedBy, i.heldBy, i.signal.id, i.signal.status])).toEqual([
      [askerId, holderId, signalId, 'active'],
    ]);
    const entries = (await logbook()).filter((e) => e.action === 'signal.handover_requested');
    expect(entries.map((e) => [e.refs.requestId, e.refs.signalId])).toEqual([[items[0]!.id, signalId]]);
    expect(JSON.stringify(entries)).not.toMatch(/123456782|Prof Twee|Een Behandelaar/);
    expect(h.logs.join('\n')).not.toMatch(/123456782|111222333|Prof Twee|Een Behandelaar/);
  });

  it('only a professional may ask; the list and the decline are the coordinator’s', async () => {
    expect((await h.sessionCall(coordinator, 'POST', PATH, { body: { requestId: NOWHERE } })).status).toBe(
      403,
    );
    expect((await h.sessionCall(asker, 'GET', PATH)).status).toBe(403);
    const [item] = await list(coordinator);
    expect((await h.sessionCall(asker, 'DELETE', `${PATH}/${item!.id}`)).status).toBe(403);
    expect((await h.sessionCall(asker, 'POST', PATH, { body: { requestId: 'not-a-uuid' } })).status).toBe(
      400,
    );
  });

  it('a coordinator of another organisation sees nothing and cannot decline', async () => {
    const [item] = await list(coordinator);
    expect(await list(otherCoordinator)).toEqual([]);
    const res = await h.sessionCall(otherCoordinator, 'DELETE', `${PATH}/${item!.id}`);
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([404, 'not_found']);
    expect((await list(coordinator)).map((i) => i.id)).toEqual([item!.id]);
  });

  it('the transfer of that one signal answers it: the asker then holds the signal', async () => {
    const [item] = await list(coordinator);
    const moved = await h.sessionCall(coordinator, 'POST', '/v1/signals/transfer', {
      body: {
        signalIds: [item!.signal.id],
        contact: { name: 'Twee Vrager', role: 'jeugdhulpverlener', email: 'twee@example.nl' },
        personId: askerId,
      },
    });
    expect(moved.status).toBe(200);
    expect(await list(coordinator)).toEqual([]);
    expect((await h.sessionCall(asker, 'GET', `/v1/signals/${item!.signal.id}`)).status).toBe(200);
  });

  it('a declined request is gone, told to its asker alone without the signal; the decline is logged with ids', async () => {
    const { requestId } = await refused('999999990');
    expect((await ask(asker, requestId)).status).toBe(202);
    const [item] = await list(coordinator);
    h.clock.advance(60_000);
    expect((await h.sessionCall(coordinator, 'DELETE', `${PATH}/${item!.id}`)).status).toBe(204);
    expect(await list(coordinator)).toEqual([]);
    expect((await h.sessionCall(coordinator, 'DELETE', `${PATH}/${item!.id}`)).status).toBe(404);
    const declined = (await logbook()).filter((e) => e.action === 'signal.handover_declined');
    expect(declined.map((e) => e.refs.requestId)).toEqual([item!.id]);
    // The asker reads when they asked and when it was declined: no id, no signal, no person.
    const told = await h.sessionCall(asker, 'GET', `${PATH}/declined`);
    expect(told.status).toBe(200);
    const text = await told.text();
    const body = JSON.parse(text) as { items: { requestedAt: string; declinedAt: string }[] };
    expect(body.items.map((d) => Object.keys(d).sort())).toEqual([['declinedAt', 'requestedAt']]);
    expect(body.items[0]!.requestedAt).toBe(item!.requestedAt);
    const waited = Date.parse(body.items[0]!.declinedAt) - Date.parse(item!.requestedAt);
    expect(waited).toBeGreaterThanOrEqual(60_000);
    for (const never of [item!.id, item!.signal.id, holderId, askerId, coordinatorId]) {
      expect(text).not.toContain(never);
    }
    // Nobody else: the holder, the key alone (no person) and a coordinator (no professional).
    const items = async (r: Response) => ((await r.json()) as { items: unknown[] }).items;
    expect(await items(await h.sessionCall(holder, 'GET', `${PATH}/declined`))).toEqual([]);
    expect(await items(await h.call(A.key, 'GET', `${PATH}/declined`))).toEqual([]);
    expect((await h.sessionCall(coordinator, 'GET', `${PATH}/declined`)).status).toBe(403);
  });

  it('a request is gone when its signal ends', async () => {
    const { requestId, signalId } = await refused('100000009');
    expect((await ask(asker, requestId)).status).toBe(202);
    expect((await list(coordinator)).map((i) => i.signal.id)).toEqual([signalId]);
    const ended = await h.sessionCall(holder, 'POST', `/v1/signals/${signalId}/withdraw`, {
      body: { reason: 'ended' },
    });
    expect(ended.status).toBe(200);
    expect(await list(coordinator)).toEqual([]);
  });

  it('a refusal older than a day makes no request', async () => {
    const { requestId } = await refused('100000010');
    h.clock.advance(24 * 3_600_000 + 1);
    // Sessions idle out over a day: signed in afresh.
    asker = await h.signInAs(askerId);
    coordinator = await h.signInAs(coordinatorId);
    expect((await ask(asker, requestId)).status).toBe(202);
    expect(await list(coordinator)).toEqual([]);
  });
});
