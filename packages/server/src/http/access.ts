// The access rule of every route, in one place (docs/api.md "Roles"): which principals
// may call a route of the route table and in which role a person acts. The route's side
// (`role`) admits its own key kind only; a person is admitted when they hold one of the
// route's `roles`, and then acts in the first of those (in the route's order) they hold,
// which the logbook records. A person's session (docs/protocol.md §10.4) is admitted the
// same way as a key acting on a person's behalf, never to a key-only route; the session
// routes (/v1/me…) admit sessions only. Refusals: `forbidden` for the wrong kind of principal,
// `role_not_permitted` for a person without an accepted role. One crossing: an organisation
// route whose `roles` name a municipality role also admits the session of a municipality
// person holding it (only the pseudonym-service credential route, for the GDPR desk:
// docs/protocol.md §9.7) — never the admin key, never a key on behalf of anyone. Nothing
// else is consulted, so the OpenAPI document (which prints the same fields) is the whole rule.

import { MUNICIPALITY_ROLES, type PersonRole, type Principal } from '@sluis/engine';
import { ServerError } from '../errors.js';
import type {
  ActingAs,
  AdminPrincipal,
  AnyRoute,
  MunicipalitySessionPrincipal,
  OrganisationPrincipal,
  SessionPrincipal,
} from './route.js';

/** The kinds of principal, as the OpenAPI document names them (`x-sluis-principals`). */
export type PrincipalKind =
  | 'organisation_key'
  | 'organisation_key_on_behalf'
  | 'organisation_session'
  | 'admin_key'
  | 'admin_session';

/** True when an organisation route's `roles` name a municipality role: its sessions are admitted too. */
export function admitsMunicipalitySessions(route: Pick<AnyRoute, 'role' | 'roles'>): boolean {
  return (
    route.role === 'organisation' &&
    route.roles.some((r) => (MUNICIPALITY_ROLES as readonly PersonRole[]).includes(r))
  );
}

/** Which kinds of principal may call `route` (for the document and the role matrix test). */
export function principalKinds(route: Pick<AnyRoute, 'role' | 'roles'>): PrincipalKind[] {
  const people = route.roles.length > 0;
  if (route.role === 'organisation') {
    if (!people) return ['organisation_key'];
    const kinds: PrincipalKind[] = ['organisation_key', 'organisation_key_on_behalf', 'organisation_session'];
    return admitsMunicipalitySessions(route) ? [...kinds, 'admin_session'] : kinds;
  }
  if (route.role === 'admin') return people ? ['admin_key', 'admin_session'] : ['admin_key'];
  if (route.role === 'session') return ['organisation_session', 'admin_session'];
  return [];
}

function actingRole(route: Pick<AnyRoute, 'roles'>, held: readonly PersonRole[]): ActingAs['role'] {
  const role = route.roles.find((r) => held.includes(r));
  if (role === undefined) throw new ServerError('role_not_permitted');
  return role;
}

/** A session route's principal: the signed-in person, acting in the first route role they hold. */
function sessionPrincipal(route: Pick<AnyRoute, 'roles'>, principal: Principal): SessionPrincipal {
  const person = principal.onBehalfOf;
  if (principal.sessionId === undefined || person === undefined) throw new ServerError('forbidden');
  const acting = { personId: person.personId, personRole: actingRole(route, person.roles) };
  return {
    kind: 'session',
    sessionId: principal.sessionId,
    personId: person.personId,
    organisationId: principal.kind === 'organisation' ? principal.organisationId : null,
    actor:
      principal.kind === 'organisation'
        ? {
            kind: 'organisation',
            organisationId: principal.organisationId,
            keyId: principal.keyId,
            ...acting,
          }
        : { kind: 'admin', keyId: principal.keyId, ...acting },
  };
}

/** A municipality person's session on an organisation route naming their role; the admin key is refused. */
function municipalitySession(
  route: Pick<AnyRoute, 'roles'>,
  principal: Extract<Principal, { kind: 'admin' }>,
): MunicipalitySessionPrincipal {
  const person = principal.onBehalfOf;
  if (principal.sessionId === undefined || person === undefined || principal.publicKey === undefined) {
    throw new ServerError('forbidden');
  }
  return {
    kind: 'municipality_session',
    keyId: principal.keyId,
    publicKey: principal.publicKey,
    person: { personId: person.personId, role: actingRole(route, person.roles) },
  };
}

/**
 * The handler's principal when `principal` may call `route`; throws `forbidden` or
 * `role_not_permitted` otherwise. A session (docs/protocol.md §10.4) is a person: it may
 * call a route of its side only in one of the route's roles, so a key-only route
 * (`roles: []`) refuses it. Public routes never reach this.
 */
export function authorise(
  route: Pick<AnyRoute, 'role' | 'roles'>,
  principal: Principal,
): OrganisationPrincipal | AdminPrincipal | SessionPrincipal | MunicipalitySessionPrincipal {
  if (route.role === 'session') return sessionPrincipal(route, principal);
  if (principal.kind === 'admin' && admitsMunicipalitySessions(route)) {
    return municipalitySession(route, principal);
  }
  if (principal.kind !== route.role) throw new ServerError('forbidden');
  const { onBehalfOf, ...rest } = principal;
  if (onBehalfOf === undefined) return rest;
  return { ...rest, person: { personId: onBehalfOf.personId, role: actingRole(route, onBehalfOf.roles) } };
}
