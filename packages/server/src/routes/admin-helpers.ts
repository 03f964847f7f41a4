// Small helpers every admin route file shares: the logbook actor of an admin request.
// Invariant: an admin action is always attributed to
// the admin key that signed it (the actor is that key id, nothing else).

import type { AdminPrincipal } from '../http/route.js';

export const adminActor = (p: AdminPrincipal) => ({ kind: 'admin' as const, keyId: p.keyId });
