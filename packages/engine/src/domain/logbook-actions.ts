// Every action the engine writes to the logbook (docs/engine.md "Logbook"). appendLog takes
// only these, so the list is complete by construction: an action not listed here does not
// type-check. The SQLite codec holds each to a dictionary word (logbook-words.test.ts), so an
// action added here without its word fails that test instead of being stored as plain text.

export const LOG_ACTIONS = [
  // organisations, keys and agreements
  'organisation.admitted',
  'organisation.updated',
  'organisation.reinstated',
  'organisation.suspended',
  'key.added',
  'key.revoked',
  'key.activity_reviewed',
  'webhook_key.added',
  'webhook_key.signing',
  'webhook_key.retired',
  'agreement.added',
  'agreement.status',
  // signals
  'signal.placed',
  'signal.found',
  'signals.placed',
  'signal.migrated',
  'signal.withdrawn',
  'signal.expired',
  'signal.transferred',
  'signal.rectified',
  'signal.informed_updated',
  'signal.handover_requested',
  'signal.handover_declined',
  'consent.recorded',
  'consent.withdrawn',
  'archive.notice',
  'archive.notice_read',
  // matches
  'match.created',
  'match.revealed',
  'match.ended',
  'match.removed',
  'match.contact_made',
  'match.regie',
  'match.follow_up',
  // epochs and the server secret
  'epoch.registered',
  'epoch.signals_stranded',
  'epoch.retired',
  'server_secret.rotation_started',
  'server_secret.rotation_progress',
  'server_secret.rotation_completed',
  // GDPR
  'gdpr.access',
  'gdpr.erased',
  'gdpr.restricted',
  'gdpr.restriction_lifted',
  'gdpr.objection',
  // people and their credentials
  'person.added',
  'person.removed',
  'enrolment_code.issued',
  'device.added',
  'device.removed',
  'session.started',
  'session.ended',
  // operations
  'alert.placement_rate',
  'retention.run',
  'logbook.purged',
] as const;

export type LogAction = (typeof LOG_ACTIONS)[number];
