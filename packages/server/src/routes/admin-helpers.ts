// Small helpers every admin route file shares: the logbook actor of an admin request.
// Invariant: an admin action is always attributed to the admin key that signed it and,
// when a person of the municipality acted, to that person's id and role.

import type { Actor } from '@sluis/engine';
import type { AdminPrincipal } from '../http/route.js';

export const adminActor = (p: AdminPrincipal): Extract<Actor, { kind: 'admin' }> => ({
  kind: 'admin' as const,
  keyId: p.keyId,
  ...(p.person === undefined ? {} : { personId: p.person.personId, personRole: p.person.role }),
});
