// Small helpers every admin route file shares: the logbook actor of an admin request and
// the shape of a documented response. Invariant: an admin action is always attributed to
// the admin key that signed it (the actor is that key id, nothing else).

import type { z } from 'zod';
import type { AdminPrincipal } from '../http/route.js';

export const adminActor = (p: AdminPrincipal) => ({ kind: 'admin' as const, keyId: p.keyId });
export const ok = (description: string, schema?: z.ZodType) =>
  schema === undefined ? { description } : { description, schema };
