// People through the real app (docs/api.md "People"): a coordinator, acting through the
// organisation's key on their behalf, adds a professional; the professional places a
// signal; the logbook names both by id and role; removing the professional refuses their
// next request at once while the organisation's key keeps working. An organisation keeps
// its last coordinator, the municipality its last administrator, whether the admin key or
// an administrator's own passkey session asks. Names and e-mail addresses never reach the
// logbook or a log line.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BSN_A, type Harness, makeHarness } from './testing/harness.js';

let h: Harness;
let A: Awaited<ReturnType<Harness['admit']>>;
let B: Awaited<ReturnType<Harness['admit']>>;

const COORDINATOR = 'Coördinator Wilhelmina Steenbergen';
const PROFESSIONAL = 'Jeugdconsulent Bartholomeus Quist';
const EMAIL = 'b.quist@jeugdzorg.example.nl';
const ADMINISTRATOR = 'Beheerder Cornelia Vandermeulen';

beforeAll(async () => {
  h = await makeHarness();
  A = await h.admit('Jeugdzorg Rijnmond');
  B = await h.admit('Basisschool De Regenboog');
});
afterAll(async () => h.close());

describe('people routes', () => {
  it('coordinator adds, professional acts, the logbook names both, removal takes effect at once', async () => {
    const c = await h.call(h.admin, 'POST', '/v1/admin/people', {
      body: { organisationId: A.id, displayName: COORDINATOR, roles: ['organisation_coordinator'] },
    });
    expect(c.status).toBe(201);
    const coordinator = ((await c.json()) as { person: { id: string } }).person.id;

    const p = await h.call(A.key, 'POST', '/v1/people', {
      onBehalfOf: coordinator,
      body: { displayName: PROFESSIONAL, email: EMAIL, roles: ['professional'] },
    });
    expect(p.status).toBe(201);
    const professional = ((await p.json()) as { person: { id: string; organisationId: string } }).person;
    expect(professional.organisationId).toBe(A.id);

    // Organisation roles only; another organisation's people are not found.
    const bad = await h.call(A.key, 'POST', '/v1/people', {
      onBehalfOf: coordinator,
      body: { displayName: 'X', roles: ['administrator'] },
    });
    expect(bad.status).toBe(400);
    const other = await h.call(h.admin, 'POST', '/v1/admin/people', {
      body: { organisationId: B.id, displayName: 'B. Leerkracht', roles: ['professional'] },
    });
    const otherId = ((await other.json()) as { person: { id: string } }).person.id;
    expect((await h.call(A.key, 'GET', `/v1/people/${otherId}`, { onBehalfOf: coordinator })).status).toBe(
      404,
    );
    expect(
      (await h.call(A.key, 'POST', `/v1/people/${otherId}/remove`, { onBehalfOf: coordinator, body: {} }))
        .status,
    ).toBe(404);
    const list = await h.call(A.key, 'GET', '/v1/people', { onBehalfOf: coordinator });
    expect(((await list.json()) as { people: { id: string }[] }).people.map((x) => x.id)).toEqual([
      coordinator,
      professional.id,
    ]);

    const placed = await h.call(A.key, 'POST', '/v1/signals', {
      onBehalfOf: professional.id,
      body: h.placement(BSN_A, 'B. Quist'),
    });
    expect(placed.status).toBe(201);

    const entries = await h.engine.logbook(1, 5000);
    const placement = entries.find((e) => e.action === 'signal.placed')!;
    expect(placement.actor).toMatchObject({
      kind: 'organisation',
      organisationId: A.id,
      personId: professional.id,
      personRole: 'professional',
    });
    const added = entries.find((e) => e.action === 'person.added' && e.refs.personId === professional.id)!;
    expect(added.actor).toMatchObject({ personId: coordinator, personRole: 'organisation_coordinator' });

    const removed = await h.call(A.key, 'POST', `/v1/people/${professional.id}/remove`, {
      onBehalfOf: coordinator,
      body: {},
    });
    expect(removed.status).toBe(200);
    const refused = await h.call(A.key, 'GET', '/v1/signals', { onBehalfOf: professional.id });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('on_behalf_invalid');
    expect((await h.call(A.key, 'GET', '/v1/signals')).status).toBe(200);

    // The leaver's signals are picked by placing person, also after removal; a transfer
    // makes the named colleague their placing person (docs/api.md "Organisation routes").
    const byPerson = async (personId: string) => {
      const r = await h.call(A.key, 'GET', `/v1/signals?status=active&personId=${personId}`, {
        onBehalfOf: coordinator,
      });
      return { status: r.status, body: (await r.json()) as { items?: { id: string }[]; fields?: string[] } };
    };
    const leaver = await byPerson(professional.id);
    expect(leaver.status).toBe(200);
    const placedId = ((await placed.json()) as { signal: { id: string } }).signal.id;
    expect(leaver.body.items?.map((x) => x.id)).toEqual([placedId]);
    expect((await byPerson(coordinator)).body.items).toEqual([]);
    const foreign = await byPerson(otherId);
    expect(foreign.status).toBe(400);
    expect(foreign.body.fields).toEqual(['personId']);
    expect((await byPerson('00000000-0000-4000-8000-00000000abcd')).status).toBe(400);
    const transfer = (personId: string) =>
      h.call(A.key, 'POST', '/v1/signals/transfer', {
        onBehalfOf: coordinator,
        body: {
          signalIds: [placedId],
          contact: { name: 'P. Pieters', role: 'jeugdconsulent', phone: '010-1234567' },
          personId,
        },
      });
    // Another organisation's person cannot receive them; nothing changes.
    const refusedTransfer = await transfer(otherId);
    expect(refusedTransfer.status).toBe(400);
    expect(((await refusedTransfer.json()) as { fields: string[] }).fields).toEqual(['personId']);
    expect((await byPerson(professional.id)).body.items?.map((x) => x.id)).toEqual([placedId]);
    // A coordinator-only person cannot hold a signal (docs/api.md "Need to know").
    const toCoordinator = await transfer(coordinator);
    expect(toCoordinator.status).toBe(422);
    expect(((await toCoordinator.json()) as { code: string }).code).toBe('recipient_not_professional');
    expect((await byPerson(professional.id)).body.items?.map((x) => x.id)).toEqual([placedId]);
    // The named colleague becomes the placing person: the leaver has none left.
    const c2 = await h.call(A.key, 'POST', '/v1/people', {
      onBehalfOf: coordinator,
      body: { displayName: 'P. Pieters', roles: ['professional'] },
    });
    const colleague = ((await c2.json()) as { person: { id: string } }).person.id;
    expect((await transfer(colleague)).status).toBe(200);
    expect((await byPerson(professional.id)).body.items).toEqual([]);
    expect((await byPerson(colleague)).body.items?.map((x) => x.id)).toEqual([placedId]);

    const everything = JSON.stringify(await h.engine.logbook(1, 5000)) + h.logs.join('\n');
    for (const secret of [COORDINATOR, PROFESSIONAL, EMAIL, 'B. Leerkracht']) {
      expect(everything).not.toContain(secret);
    }
    expect((await h.engine.verifyLogbook()).ok).toBe(true);
  });
  it('an organisation cannot remove its last coordinator (409 last_coordinator); the municipality can', async () => {
    const C = await h.admit('Buurtteam Zuid');
    const addCoordinator = async () => {
      const r = await h.call(h.admin, 'POST', '/v1/admin/people', {
        body: { organisationId: C.id, displayName: COORDINATOR, roles: ['organisation_coordinator'] },
      });
      return ((await r.json()) as { person: { id: string } }).person.id;
    };
    const first = await addCoordinator();
    const second = await addCoordinator();
    // One coordinator removes the other …
    const removed = await h.call(C.key, 'POST', `/v1/people/${second}/remove`, {
      onBehalfOf: first,
      body: {},
    });
    expect(removed.status).toBe(200);
    // … then neither that coordinator nor the organisation's key removes the last one.
    for (const onBehalfOf of [first, undefined]) {
      const refused = await h.call(C.key, 'POST', `/v1/people/${first}/remove`, {
        ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
        body: {},
      });
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      const body = (await refused.json()) as { code: string; detail: string };
      expect(body.code).toBe('last_coordinator');
      expect(body.detail).toContain('Add another coordinator first');
    }
    const still = await h.call(C.key, 'GET', `/v1/people/${first}`, { onBehalfOf: first });
    expect(((await still.json()) as { person: { status: string } }).person.status).toBe('active');
    // The municipality may: an organisation leaving the covenant.
    const byAdmin = await h.call(h.admin, 'POST', `/v1/admin/people/${first}/remove`, { body: {} });
    expect(byAdmin.status).toBe(200);
    expect(((await byAdmin.json()) as { person: { status: string } }).person.status).toBe('removed');
    expect(h.logs.join('\n')).not.toContain(COORDINATOR);
  });
  it('the municipality never removes its last administrator (409 last_administrator)', async () => {
    const addAdministrator = async () => {
      const r = await h.call(h.admin, 'POST', '/v1/admin/people', {
        body: { organisationId: null, displayName: ADMINISTRATOR, roles: ['administrator', 'auditor'] },
      });
      return ((await r.json()) as { person: { id: string } }).person.id;
    };
    const first = await addAdministrator();
    const second = await addAdministrator();
    const removed = await h.call(h.admin, 'POST', `/v1/admin/people/${second}/remove`, { body: {} });
    expect(removed.status).toBe(200);
    // The admin key itself does not remove the last one; nothing changes.
    const refused = await h.call(h.admin, 'POST', `/v1/admin/people/${first}/remove`, { body: {} });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const text = await refused.text();
    const body = JSON.parse(text) as { code: string; status: number; title: string; detail: string };
    expect(body).toMatchObject({
      code: 'last_administrator',
      status: 409,
      title: 'The municipality’s last administrator cannot be removed',
    });
    expect(body.detail).toContain('Add another administrator first');
    expect(text).not.toContain(ADMINISTRATOR);
    expect(text).not.toContain(first);
    const people = await h.call(h.admin, 'GET', '/v1/admin/people');
    const list = ((await people.json()) as { people: { id: string; status: string }[] }).people;
    expect(list.find((p) => p.id === first)?.status).toBe('active');
    // With another administrator added, the first one goes.
    await addAdministrator();
    const now = await h.call(h.admin, 'POST', `/v1/admin/people/${first}/remove`, { body: {} });
    expect(now.status).toBe(200);
    expect(h.logs.join('\n')).not.toContain(ADMINISTRATOR);
  });
  it('an administrator’s own passkey session removes the others but never the last administrator', async () => {
    type Listed = { id: string; roles: string[]; status: string };
    const administrators = async (): Promise<Listed[]> => {
      const r = await h.call(h.admin, 'GET', '/v1/admin/people');
      return ((await r.json()) as { people: Listed[] }).people.filter(
        (p) => p.status === 'active' && p.roles.includes('administrator'),
      );
    };
    const added = await h.call(h.admin, 'POST', '/v1/admin/people', {
      body: { organisationId: null, displayName: ADMINISTRATOR, roles: ['administrator'] },
    });
    const self = ((await added.json()) as { person: { id: string } }).person.id;
    const s = await h.signInAs(self);
    // The session removes every other administrator; the last other one goes too, for it leaves this one.
    const others = (await administrators()).filter((p) => p.id !== self);
    expect(others.length).toBeGreaterThan(0);
    for (const other of others) {
      const r = await h.sessionCall(s, 'POST', `/v1/admin/people/${other.id}/remove`, { body: {} });
      expect(r.status).toBe(200);
    }
    expect((await administrators()).map((p) => p.id)).toEqual([self]);
    // Removing itself, now the last one, is the problem answer; nothing changes.
    const before = await h.engine.verifyLogbook();
    const refused = await h.sessionCall(s, 'POST', `/v1/admin/people/${self}/remove`, { body: {} });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const text = await refused.text();
    const body = JSON.parse(text) as { code: string; status: number; detail: string };
    expect(body).toMatchObject({ code: 'last_administrator', status: 409 });
    expect(body.detail).toContain('Add another administrator first');
    expect(text).not.toContain(ADMINISTRATOR);
    expect(text).not.toContain(self);
    expect((await h.engine.verifyLogbook()).headHash).toBe(before.headHash);
    expect((await administrators()).map((p) => p.id)).toEqual([self]);
    // The session still works, and with another administrator added it removes itself and ends.
    expect((await h.sessionCall(s, 'GET', '/v1/admin/people')).status).toBe(200);
    const next = await h.call(h.admin, 'POST', '/v1/admin/people', {
      body: { organisationId: null, displayName: ADMINISTRATOR, roles: ['administrator'] },
    });
    expect(next.status).toBe(201);
    const gone = await h.sessionCall(s, 'POST', `/v1/admin/people/${self}/remove`, { body: {} });
    expect(gone.status).toBe(200);
    expect((await h.sessionCall(s, 'GET', '/v1/admin/people')).status).toBe(401);
    expect(h.logs.join('\n')).not.toContain(ADMINISTRATOR);
  });
});
