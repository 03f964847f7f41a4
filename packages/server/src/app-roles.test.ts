// The role matrix (docs/api.md "Roles"), generated from the route table itself: every
// protected route is called by every kind of principal — the organisation key alone, the
// key on behalf of a person holding exactly one organisation role, the admin key, and the
// session (docs/protocol.md §10.4) of a person holding exactly one role, of either side —
// and must admit exactly the principals its `role` and `roles` name (a municipality role on an
// organisation route admits that role's sessions, docs/api.md "Roles"). A refused call is a
// 403 with the stable code (`forbidden` for the wrong kind of principal,
// `role_not_permitted` for a person without an accepted role) and changes nothing.

import {
  MUNICIPALITY_ROLES,
  ORGANISATION_ROLES,
  type OrganisationRole,
  PERSON_ROLES,
  type PersonRole,
} from '@sluis/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from './app.js';
import { admitsMunicipalitySessions } from './http/access.js';
import type { AnyRoute } from './http/route.js';
import { type Harness, makeHarness, type Session } from './testing/harness.js';

let h: Harness;
let A: Awaited<ReturnType<Harness['admit']>>;
const personWith = new Map<OrganisationRole, string>();
const sessionWith = new Map<PersonRole, Session>();

beforeAll(async () => {
  h = await makeHarness();
  A = await h.admit('Jeugdzorg Rijnmond');
  for (const role of ORGANISATION_ROLES) {
    const p = await h.engine.addPerson(
      { kind: 'system' },
      { organisationId: A.id, displayName: `Alleen ${role}`, roles: [role] },
    );
    personWith.set(role, p.id);
    sessionWith.set(role, await h.signInAs(p.id));
  }
  for (const role of MUNICIPALITY_ROLES) {
    const p = await h.engine.addPerson(
      { kind: 'system' },
      { organisationId: null, displayName: `Alleen ${role}`, roles: [role] },
    );
    sessionWith.set(role, await h.signInAs(p.id));
  }
});
afterAll(async () => h.close());

const protectedRoutes = routeTable({}).filter((r) => r.role !== 'public');

/** A concrete target for a route template: ids that exist nowhere, so nothing is touched. */
function target(r: AnyRoute): string {
  return r.path
    .replace('{epoch}', '7')
    .replace('{keyId}', 'AAAAAAAAAAAAAAAAAAAAAA')
    .replace(/\{[A-Za-z]+\}/g, '00000000-0000-4000-8000-00000000abcd');
}

async function codeOf(res: Response): Promise<string | undefined> {
  if (res.status !== 403) return undefined;
  return ((await res.json()) as { code?: string }).code;
}

type Caller = { name: string; call: (r: AnyRoute) => Promise<Response>; admitted: (r: AnyRoute) => boolean };

const callers = (): Caller[] => [
  {
    name: 'organisation key',
    call: (r) => h.call(A.key, r.method, target(r), bodyOf(r)),
    admitted: (r) => r.role === 'organisation',
  },
  {
    name: 'admin key',
    call: (r) => h.call(h.admin, r.method, target(r), bodyOf(r)),
    admitted: (r) => r.role === 'admin',
  },
  ...ORGANISATION_ROLES.map((role) => ({
    name: `organisation key on behalf of a ${role}`,
    call: (r: AnyRoute) =>
      h.call(A.key, r.method, target(r), { ...bodyOf(r), onBehalfOf: personWith.get(role)! }),
    admitted: (r: AnyRoute) => r.role === 'organisation' && r.roles.includes(role),
  })),
  ...PERSON_ROLES.map((role) => {
    const side = (ORGANISATION_ROLES as readonly string[]).includes(role) ? 'organisation' : 'admin';
    return {
      name: `${side} session of a ${role}`,
      call: (r: AnyRoute) => h.sessionCall(sessionWith.get(role)!, r.method, target(r), bodyOf(r)),
      // A session is a person: its side's routes that name its role, and its own routes; a
      // municipality role named on an organisation route admits its session there too.
      admitted: (r: AnyRoute) =>
        r.role === 'session' ||
        ((r.role === side || (side === 'admin' && r.role === 'organisation')) && r.roles.includes(role)),
    };
  }),
];

function bodyOf(r: AnyRoute): { body?: unknown } {
  return r.method === 'GET' ? {} : { body: {} };
}

/** `role_not_permitted` for a person on a route of their side (key-only routes too), else `forbidden`. */
function expectedCode(caller: Caller, r: AnyRoute): string {
  if (caller.name.includes('on behalf'))
    return r.role === 'organisation' ? 'role_not_permitted' : 'forbidden';
  if (caller.name.startsWith('organisation session'))
    return r.role === 'organisation' ? 'role_not_permitted' : 'forbidden';
  if (caller.name.startsWith('admin session'))
    return r.role === 'admin' || admitsMunicipalitySessions(r) ? 'role_not_permitted' : 'forbidden';
  return 'forbidden';
}

describe('role × route matrix (from the route table)', () => {
  it('covers every protected route, each naming its roles', () => {
    expect(protectedRoutes.length).toBeGreaterThan(50);
    for (const r of protectedRoutes) expect(Array.isArray(r.roles), `${r.method} ${r.path}`).toBe(true);
  });

  for (const caller of callers()) {
    it(`${caller.name}: refused exactly where the table says, with a stable code, changing nothing`, async () => {
      const before = await h.engine.verifyLogbook();
      for (const r of protectedRoutes.filter((x) => !caller.admitted(x))) {
        const res = await caller.call(r);
        expect(res.status, `${r.method} ${r.path}`).toBe(403);
        expect(await codeOf(res), `${r.method} ${r.path}`).toBe(expectedCode(caller, r));
      }
      const after = await h.engine.verifyLogbook();
      expect(after.headHash).toBe(before.headHash);
      // Sign-out is admitted too, but would end the session the rest of the loop uses.
      const admitted = protectedRoutes.filter((x) => caller.admitted(x) && x.path !== '/v1/sessions/current');
      for (const r of admitted) {
        const res = await caller.call(r);
        // Admitted: whatever the route answers next (a 404 for the made-up ids, a 400 for
        // the empty body), it is not an access refusal.
        const code = await codeOf(res);
        expect(['forbidden', 'role_not_permitted'], `${r.method} ${r.path} → ${code}`).not.toContain(code);
        expect(res.status, `${r.method} ${r.path}`).not.toBe(401);
      }
    });
  }

  it('no key, and no key on behalf of a person, reaches a person’s own routes', async () => {
    for (const r of protectedRoutes.filter((x) => x.role === 'session')) {
      for (const res of [
        await h.call(A.key, r.method, target(r), bodyOf(r)),
        await h.call(A.key, r.method, target(r), {
          ...bodyOf(r),
          onBehalfOf: personWith.get('professional')!,
        }),
        await h.call(h.admin, r.method, target(r), bodyOf(r)),
      ]) {
        expect(await codeOf(res), `${r.method} ${r.path}`).toBe('forbidden');
      }
    }
  });

  it('a session cannot add Sluis-On-Behalf-Of to act as someone else', async () => {
    const res = await h.sessionCall(sessionWith.get('organisation_coordinator')!, 'GET', '/v1/people', {
      onBehalfOf: personWith.get('professional')!,
    });
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe('on_behalf_invalid');
  });

  it('an admin key cannot act on behalf of anyone', async () => {
    const res = await h.call(h.admin, 'GET', '/v1/admin/statistics', {
      onBehalfOf: personWith.get('professional')!,
    });
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe('on_behalf_invalid');
  });
});
