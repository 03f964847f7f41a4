// People and their roles (docs/engine.md "People and roles"). The municipality (an admin
// key, an administrator, the system) manages everyone; an organisation (its key, or a
// person acting for it) manages only its own organisation's people and grants only
// organisation roles — a coordinator can never reach another organisation or create a
// municipality role (docs/threat-model.md §5.10). An organisation keeps a coordinator and the
// municipality an administrator. Every change is logged with ids and role codes only, never
// a name or an e-mail address.

import {
  type Actor,
  type AddPersonInput,
  MUNICIPALITY_ROLES,
  ORGANISATION_ROLES,
  PERSON_ROLES,
  type Person,
  type PersonRole,
} from '../api.js';
import { EngineError } from '../errors.js';
import { isUuid, newUuid } from '../ids.js';
import type { PersonRow, StoreReader, StoreWriter } from '../store/store.js';
import { Faults, fail, personFaults } from '../validation.js';
import { type EngineContext, notFound } from './context.js';
import { appendLog } from './logbook.js';

export function toPerson(p: PersonRow): Person {
  return {
    id: p.id,
    organisationId: p.organisationId,
    displayName: p.displayName,
    email: p.email,
    roles: p.roles,
    status: p.status,
    createdAt: p.createdAt,
    removedAt: p.removedAt,
  };
}

const forbidden = (): never => {
  throw new EngineError('forbidden', 'this operation is outside the caller’s organisation');
};

/** The organisation an actor may manage people of: null = every one (the municipality). */
function scopeOf(actor: Actor): { organisationId: string } | null {
  if (actor === null || typeof actor !== 'object') return forbidden();
  if (actor.kind === 'organisation') return { organisationId: actor.organisationId };
  if (actor.kind === 'admin' || actor.kind === 'system') return null;
  return forbidden();
}

/** Roles, validated: 1–6 distinct known roles, all of the person's side; returned in PERSON_ROLES order. */
function validRoles(roles: unknown, municipality: boolean): PersonRole[] {
  if (!Array.isArray(roles) || roles.length < 1 || roles.length > PERSON_ROLES.length) fail(['roles']);
  const allowed: readonly string[] = municipality ? MUNICIPALITY_ROLES : ORGANISATION_ROLES;
  const set = new Set<unknown>(roles);
  if (set.size !== roles.length || [...set].some((r) => typeof r !== 'string' || !allowed.includes(r))) {
    fail(['roles']);
  }
  return PERSON_ROLES.filter((r) => set.has(r));
}

export async function personInScope(tx: StoreReader, actor: Actor, personId: string): Promise<PersonRow> {
  const scope = scopeOf(actor);
  const p = isUuid(personId) ? await tx.getPerson(personId) : undefined;
  // Another organisation's person is "not found", not "forbidden": ids of other
  // organisations' people are not confirmed to exist.
  if (p === undefined || (scope !== null && p.organisationId !== scope.organisationId)) notFound();
  return p;
}

export async function addPerson(ctx: EngineContext, actor: Actor, input: AddPersonInput): Promise<Person> {
  const scope = scopeOf(actor);
  if (input === null || typeof input !== 'object') fail(['']);
  const faults = new Faults();
  for (const k of Object.keys(input)) {
    if (!['organisationId', 'displayName', 'email', 'roles'].includes(k)) faults.add('');
  }
  const organisationId = input.organisationId;
  if (organisationId !== null && !isUuid(organisationId)) faults.add('organisationId');
  personFaults(input.displayName, input.email, faults);
  faults.throwIfAny();
  if (scope !== null && organisationId !== scope.organisationId) forbidden();
  const roles = validRoles(input.roles, organisationId === null);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    let orgRid: number | null = null;
    if (organisationId !== null) {
      const o = await tx.getOrganisation(organisationId);
      if (o === undefined) notFound();
      orgRid = o.rid;
    }
    const id = newUuid(ctx.random);
    const rid = await tx.insertPerson({
      id,
      organisationRid: orgRid,
      displayName: input.displayName,
      email: input.email ?? null,
      roles,
      status: 'active',
      createdAt: now,
      removedAt: null,
    });
    await appendLog(
      tx,
      now,
      actor,
      'person.added',
      { personId: id, ...(organisationId === null ? {} : { organisationId }) },
      { roles: roles.join(',') },
    );
    const row = await tx.getPerson(id);
    if (row === undefined || row.rid !== rid) throw new EngineError('internal', 'the person was not stored');
    return toPerson(row);
  });
}

export async function listPeople(
  ctx: EngineContext,
  actor: Actor,
  organisationId: string | null,
): Promise<Person[]> {
  const scope = scopeOf(actor);
  if (organisationId !== null && !isUuid(organisationId)) fail(['organisationId']);
  if (scope !== null && organisationId !== scope.organisationId) forbidden();
  return ctx.store.read(async (tx) => {
    let rid: number | null = null;
    if (organisationId !== null) {
      const o = await tx.getOrganisation(organisationId);
      if (o === undefined) notFound();
      rid = o.rid;
    }
    return (await tx.listPeople(rid)).map(toPerson);
  });
}

export async function getPerson(ctx: EngineContext, actor: Actor, personId: string): Promise<Person> {
  return ctx.store.read(async (tx) => toPerson(await personInScope(tx, actor, personId)));
}

/**
 * An organisation never removes its own last active coordinator (docs/api.md "People"): no
 * one would be left to manage its people. The municipality may (an organisation leaving the
 * covenant). Counted in the organisation's people section, so two concurrent removals of
 * its last two coordinators cannot both pass.
 */
async function keepACoordinator(tx: StoreWriter, p: PersonRow, organisationRid: number): Promise<void> {
  if (!p.roles.includes('organisation_coordinator')) return;
  await tx.enterPeopleSection(organisationRid);
  const others = (await tx.listPeople(organisationRid)).filter(
    (o) => o.rid !== p.rid && o.status === 'active' && o.roles.includes('organisation_coordinator'),
  );
  if (others.length === 0) {
    throw new EngineError(
      'last_coordinator',
      'this is the organisation’s last coordinator: add another coordinator first',
    );
  }
}

/**
 * The municipality never loses its last active administrator, whoever removes them (docs/api.md
 * "People"): no person would be left to manage its people in the portal. An administrator
 * counts while active, enrolled or not; passkeys are not counted (a lost or stolen one must
 * always be removable, and an administrator left without one is invited again). Counted in
 * the municipality's people section, so two concurrent removals of the last two
 * administrators cannot both pass.
 */
async function keepAnAdministrator(tx: StoreWriter, p: PersonRow): Promise<void> {
  if (p.organisationRid !== null || !p.roles.includes('administrator')) return;
  await tx.enterPeopleSection(null);
  const others = (await tx.listPeople(null)).filter(
    (o) => o.rid !== p.rid && o.status === 'active' && o.roles.includes('administrator'),
  );
  if (others.length === 0) {
    throw new EngineError(
      'last_administrator',
      'this is the municipality’s last administrator: add another administrator first',
    );
  }
}

export async function removePerson(ctx: EngineContext, actor: Actor, personId: string): Promise<Person> {
  return ctx.store.write(async (tx) => {
    const p = await personInScope(tx, actor, personId);
    // The person's passkeys, sessions and enrolment code go in the same write
    // (docs/privacy.md §4): every session ends at once on every instance (the authenticator
    // reads the session and the person from the store on each request, docs/protocol.md
    // §10.4) and no credential of a removed person stays stored. Repeated for a person
    // removed before, so anything left from then (or by a concurrent write) is deleted too.
    await tx.deleteSignInOfPerson(p.rid);
    // And their handover requests and placement refusals (docs/engine.md "Handover requests").
    await tx.deleteHandoverOfPerson(p.rid);
    // The e-mail address goes too: only the name (the access report's "who saw the signal")
    // and the roles (the people list) stay (docs/privacy.md §6).
    if (p.status === 'removed') {
      if (p.email !== null) await tx.updatePerson(p.rid, { email: null });
      return toPerson((await tx.getPerson(p.id))!);
    }
    if (p.organisationRid !== null && scopeOf(actor) !== null)
      await keepACoordinator(tx, p, p.organisationRid);
    await keepAnAdministrator(tx, p);
    const now = ctx.clock();
    await tx.updatePerson(p.rid, { status: 'removed', removedAt: now, email: null });

    await appendLog(tx, now, actor, 'person.removed', {
      personId: p.id,
      ...(p.organisationId === null ? {} : { organisationId: p.organisationId }),
    });
    return toPerson((await tx.getPerson(p.id))!);
  });
}
