// Small helpers every admin route file shares: the logbook actor of an admin request.
// Invariant: an admin action is always attributed to the admin key that signed it and,
// when a person of the municipality acted, to that person's id and role; `session` when
// the person's own session signed, so the engine asks a step-up for an act that outlives
// it (docs/protocol.md §10.6).

import type { Actor } from '@sluis/engine';
import type { AdminPrincipal } from '../http/route.js';

export const adminActor = (p: AdminPrincipal): Extract<Actor, { kind: 'admin' }> => ({
  kind: 'admin' as const,
  keyId: p.keyId,
  ...(p.person === undefined ? {} : { personId: p.person.personId, personRole: p.person.role }),
  ...(p.sessionId === undefined ? {} : { session: true }),
});

/**
 * What the step-up of a session can be refused with (docs/protocol.md §10.6): none sent,
 * a challenge unknown, used, expired or for another act or session, an assertion that does
 * not verify or is not the person's, a counter that did not advance.
 */
export const STEP_UP_PROBLEMS = [
  'step_up_required',
  'challenge_invalid',
  'passkey_invalid',
  'passkey_counter_invalid',
] as const;
