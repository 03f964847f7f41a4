// Wire forms of sign-in (docs/api.md "Sign-in"): times as ISO 8601, ids only — never a
// name, an e-mail address, a key or a credential id.

import type { Device, SessionInfo } from '@sluis/engine';
import { iso, isoOrNull } from './wire.js';

export function deviceOut(d: Device) {
  return { id: d.id, name: d.name, createdAt: iso(d.createdAt), lastUsedAt: isoOrNull(d.lastUsedAt) };
}

export function sessionOut(s: SessionInfo) {
  return {
    sessionId: s.sessionId,
    personId: s.personId,
    organisationId: s.organisationId,
    roles: [...s.roles],
    idleExpiresAt: iso(s.idleExpiresAt),
    expiresAt: iso(s.expiresAt),
  };
}
