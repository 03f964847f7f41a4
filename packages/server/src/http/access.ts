// The access rule of every route, in one place (docs/api.md "Roles"): which principals
// may call a route of the route table and in which role a person acts. The route's side
// (`role`) admits its own key kind only; a person is admitted when they hold one of the
// route's `roles`, and then acts in the first of those (in the route's order) they hold,
// which the logbook records. Refusals: `forbidden` for the wrong kind of principal,
// `role_not_permitted` for a person without an accepted role. Nothing else is consulted,
// so the OpenAPI document (which prints the same fields) is the whole rule.

import type { PersonRole, Principal } from '@sluis/engine';
import { ServerError } from '../errors.js';
import type { ActingAs, AdminPrincipal, AnyRoute, OrganisationPrincipal } from './route.js';

/** The kinds of principal, as the OpenAPI document names them (`x-sluis-principals`). */
export type PrincipalKind = 'organisation_key' | 'organisation_key_on_behalf' | 'admin_key';

/** Which kinds of principal may call `route` (for the document and the role matrix test). */
export function principalKinds(route: Pick<AnyRoute, 'role' | 'roles'>): PrincipalKind[] {
  if (route.role === 'organisation') {
    return route.roles.length > 0 ? ['organisation_key', 'organisation_key_on_behalf'] : ['organisation_key'];
  }
  if (route.role === 'admin') return ['admin_key'];
  return [];
}

function actingRole(route: Pick<AnyRoute, 'roles'>, held: readonly PersonRole[]): ActingAs['role'] {
  const role = route.roles.find((r) => held.includes(r));
  if (role === undefined) throw new ServerError('role_not_permitted');
  return role;
}

/**
 * The handler's principal when `principal` may call `route`; throws `forbidden` or
 * `role_not_permitted` otherwise. Public routes never reach this.
 */
export function authorise(
  route: Pick<AnyRoute, 'role' | 'roles'>,
  principal: Principal,
): OrganisationPrincipal | AdminPrincipal {
  if (principal.kind !== route.role) throw new ServerError('forbidden');
  if (principal.kind === 'admin') return principal;
  const { onBehalfOf, ...organisation } = principal;
  if (onBehalfOf === undefined) return organisation;
  return {
    ...organisation,
    person: { personId: onBehalfOf.personId, role: actingRole(route, onBehalfOf.roles) },
  };
}
