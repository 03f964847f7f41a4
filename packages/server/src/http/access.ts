// The access rule of every route, in one place (docs/api.md "Roles"): which principals
// may call a route of the route table and in which role a person acts. The route's side
// (`role`) admits its own key kind only; a person is admitted when they hold one of the
// route's `roles`, and then acts in the first of those (in the route's order) they hold,
// which the logbook records. A person's session (docs/protocol.md §10.4) is admitted the
// same way as a key acting on a person's behalf, never to a key-only route; the session
// routes (/v1/me…) admit sessions only. Refusals: `forbidden` for the wrong kind of principal,
// `role_not_permitted` for a person without an accepted role. Nothing else is consulted,
// so the OpenAPI document (which prints the same fields) is the whole rule.

import type { PersonRole, Principal } from '@sluis/engine';
import { ServerError } from '../errors.js';
import type { ActingAs, AdminPrincipal, AnyRoute, OrganisationPrincipal, SessionPrincipal } from './route.js';

/** The kinds of principal, as the OpenAPI document names them (`x-sluis-principals`). */
export type PrincipalKind =
  | 'organisation_key'
  | 'organisation_key_on_behalf'
  | 'organisation_session'
  | 'admin_key'
  | 'admin_session';

/** Which kinds of principal may call `route` (for the document and the role matrix test). */
export function principalKinds(route: Pick<AnyRoute, 'role' | 'roles'>): PrincipalKind[] {
  const people = route.roles.length > 0;
  if (route.role === 'organisation') {
    return people
      ? ['organisation_key', 'organisation_key_on_behalf', 'organisation_session']
      : ['organisation_key'];
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

/**
 * The handler's principal when `principal` may call `route`; throws `forbidden` or
 * `role_not_permitted` otherwise. A session (docs/protocol.md §10.4) is a person: it may
 * call a route of its side only in one of the route's roles, so a key-only route
 * (`roles: []`) refuses it. Public routes never reach this.
 */
export function authorise(
  route: Pick<AnyRoute, 'role' | 'roles'>,
  principal: Principal,
): OrganisationPrincipal | AdminPrincipal | SessionPrincipal {
  if (route.role === 'session') return sessionPrincipal(route, principal);
  if (principal.kind !== route.role) throw new ServerError('forbidden');
  const { onBehalfOf, ...rest } = principal;
  if (onBehalfOf === undefined) return rest;
  return { ...rest, person: { personId: onBehalfOf.personId, role: actingRole(route, onBehalfOf.roles) } };
}
