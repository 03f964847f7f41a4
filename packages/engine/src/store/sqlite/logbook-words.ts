// The dictionary of the SQLite logbook's storage form (the encoder and decoder are in
// logbook-codec.ts; docs/engine.md "Logbook"): the words a stored cell writes as one byte
// (SHORT_WORDS) or two (LONG_WORDS), and how many LONG_WORDS each schema version reads.
//
// The dictionary is part of the on-disk format: APPEND-ONLY, forever. An entry's position is
// its byte value in every row ever written; reordering, editing or removing one would make old
// rows decode to different text (and fail verification). SHORT_WORDS is full (0x03–0x1e); new
// words go at the end of LONG_WORDS (up to 256), with a schema step (LONG_WORDS_AT_SCHEMA).
// logbook-codec.test.ts pins every value.
// The words are the JSON keys (in canonical key order, with the punctuation around them) and
// actions of the entries the engine writes (`appendLog(` in packages/engine/src/domain); the
// one-byte ones are those of the entries written per signal or per match.

/** One byte each: 0x03 + index. */
export const SHORT_WORDS: readonly string[] = [
  /* 0x03 */ '"}',
  /* 0x04 */ '{"keyId":"',
  /* 0x05 */ '","kind":"organisation","organisationId":"',
  /* 0x06 */ '{"count":',
  /* 0x07 */ '{"kind":"system"}',
  /* 0x08 */ 'signal.placed',
  /* 0x09 */ 'signals.placed',
  /* 0x0a */ 'match.created',
  /* 0x0b */ 'match.revealed',
  /* 0x0c */ 'match.ended',
  /* 0x0d */ 'match.removed',
  /* 0x0e */ 'signal.expired',
  /* 0x0f */ '{"requestId":"',
  /* 0x10 */ '","signalId":"',
  /* 0x11 */ '{"signalIds":"',
  /* 0x12 */ '{"signalId":"',
  /* 0x13 */ '{"matchId":"',
  /* 0x14 */ '","signalA":"',
  /* 0x15 */ '","signalB":"',
  /* 0x16 */ '","organisationId":"',
  /* 0x17 */ '","matchIds":"',
  /* 0x18 */ '{"epochs":',
  /* 0x19 */ ',"parents":',
  /* 0x1a */ '{"kind":"person"}',
  /* 0x1b */ '{"kind":"family"}',
  /* 0x1c */ '{"matchesEnded":',
  /* 0x1d */ '{"reason":"',
  /* 0x1e */ '{"organisationId":"',
];

/** Two bytes each: 0x1f, then the index. */
export const LONG_WORDS: readonly string[] = [
  // actions
  /* 0 */ 'organisation.admitted',
  /* 1 */ 'organisation.updated',
  /* 2 */ 'organisation.reinstated',
  /* 3 */ 'organisation.suspended',
  /* 4 */ 'key.added',
  /* 5 */ 'key.revoked',
  /* 6 */ 'key.activity_reviewed',
  /* 7 */ 'agreement.added',
  /* 8 */ 'agreement.status',
  /* 9 */ 'signal.migrated',
  /* 10 */ 'signal.withdrawn',
  /* 11 */ 'signal.transferred',
  /* 12 */ 'signal.rectified',
  /* 13 */ 'signal.informed_updated',
  /* 14 */ 'consent.recorded',
  /* 15 */ 'consent.withdrawn',
  /* 16 */ 'epoch.registered',
  /* 17 */ 'epoch.signals_stranded',
  /* 18 */ 'epoch.retired',
  /* 19 */ 'match.contact_made',
  /* 20 */ 'match.regie',
  /* 21 */ 'gdpr.access',
  /* 22 */ 'gdpr.erased',
  /* 23 */ 'gdpr.restricted',
  /* 24 */ 'gdpr.restriction_lifted',
  /* 25 */ 'gdpr.objection',
  /* 26 */ 'alert.placement_rate',
  /* 27 */ 'retention.run',
  /* 28 */ 'server_secret.rotation_started',
  /* 29 */ 'server_secret.rotation_progress',
  /* 30 */ 'server_secret.rotation_completed',
  /* 31 */ 'webhook_key.added',
  /* 32 */ 'webhook_key.signing',
  /* 33 */ 'webhook_key.retired',
  // actor and refs
  /* 34 */ '","kind":"admin"}',
  /* 35 */ '{"keyIds":"',
  /* 36 */ '{"agreementId":"',
  /* 37 */ '","keyId":"',
  /* 38 */ '","matchId":"',
  /* 39 */ '","signalIds":"',
  // details
  /* 40 */ '{"type":"',
  /* 41 */ '{"placementBudgetPerDay":',
  /* 42 */ ',"webhook":',
  /* 43 */ '{"webhook":',
  /* 44 */ '{"matchesCreated":',
  /* 45 */ '{"role":"',
  /* 46 */ '{"actionKind":"',
  /* 47 */ '","informationCategory":"',
  /* 48 */ '","owner":"',
  /* 49 */ '","purpose":"',
  /* 50 */ '{"status":"',
  /* 51 */ '{"added":',
  /* 52 */ ',"epochs":"',
  /* 53 */ '{"created":',
  /* 54 */ ',"existing":',
  /* 55 */ ',"refused":',
  /* 56 */ ',"replayed":',
  /* 57 */ '{"formReference":',
  /* 58 */ ',"scopes":"',
  /* 59 */ '{"epoch":',
  /* 60 */ '{"archivedUnlinked":',
  /* 61 */ ',"epoch":',
  /* 62 */ ',"signalsEnded":',
  /* 63 */ ',"forced":',
  /* 64 */ ',"storedPseudonymsDeleted":',
  /* 65 */ ',"reason":"',
  /* 66 */ '{"matchesRemoved":',
  /* 67 */ ',"via":"',
  /* 68 */ '{"action":"',
  /* 69 */ '","for":"',
  /* 70 */ '{"matches":',
  /* 71 */ ',"signals":',
  /* 72 */ ',"parentLinks":',
  /* 73 */ ',"status":"',
  /* 74 */ '{"placementsThisHour":',
  /* 75 */ ',"threshold":',
  /* 76 */ '{"generation":',
  /* 77 */ ',"rowsRekeyed":',
  /* 78 */ ',"signalsDone":',
  /* 79 */ ',"hashesRekeyed":',
  /* 80 */ '{"entries":',
  /* 81 */ ',"from":',
  /* 82 */ ',"to":',
  /* 83 */ '{"events":',
  /* 84 */ ',"expired":',
  /* 85 */ ',"purgedMatches":',
  /* 86 */ ',"purgedSignals":',
  // people (docs/engine.md "People and roles"): the person in the actor, their entries, and
  // the actions and details added after the first dictionary. Rows written before these
  // words hold the same text as literals and decode unchanged.
  /* 87 */ '","personId":"',
  /* 88 */ '","personRole":"professional"}',
  /* 89 */ '","personRole":"organisation_coordinator"}',
  /* 90 */ '","personRole":"match_coordinator"}',
  /* 91 */ '","personRole":"gdpr_desk"}',
  /* 92 */ '","personRole":"auditor"}',
  /* 93 */ '","personRole":"administrator"}',
  /* 94 */ '","kind":"admin","personId":"',
  /* 95 */ '{"personId":"',
  /* 96 */ 'person.added',
  /* 97 */ 'person.removed',
  /* 98 */ 'match.follow_up',
  /* 99 */ 'logbook.purged',
  /* 100 */ '{"roles":"',
  /* 101 */ '{"outcome":"',
  /* 102 */ ',"headHash":"',
  /* 103 */ '","throughSeq":',
  /* 104 */ '{"matchEmail":',
  // handover requests (docs/engine.md "Logbook"): the two actions and the request id that
  // follows the organisation id in their refs. Rows written before these words hold the same
  // text as literals and decode unchanged.
  /* 105 */ 'signal.handover_requested',
  /* 106 */ 'signal.handover_declined',
  /* 107 */ '","requestId":"',
  // actions that had no word until schema step 26 (every action the engine writes has one:
  // domain/logbook-actions.ts, logbook-words.test.ts): the archive notices, and the passkey,
  // enrolment code and session actions (docs/engine.md "Credentials in the logbook"). Rows
  // written before these words hold the action as TEXT and decode unchanged.
  /* 108 */ 'archive.notice',
  /* 109 */ 'archive.notice_read',
  /* 110 */ 'enrolment_code.issued',
  /* 111 */ 'device.added',
  /* 112 */ 'device.removed',
  /* 113 */ 'session.started',
  /* 114 */ 'session.ended',
  // schema step 28: a placement answered `existing` (or an `existingOnly` look-up that found
  // the organisation's signal) is logged (docs/engine.md "Logbook"; docs/privacy.md "Who saw
  // the signal").
  /* 115 */ 'signal.found',
];

/**
 * How many LONG_WORDS the version at each SQLite schema version (migrations/steps.ts) reads,
 * from step 25 on. A version reads a word it does not have as `database_corrupt`, so words are
 * only ever added together with a schema step, which a version before them refuses to start on
 * (`schema_too_new`): going back past them is a restore, like going back past any migration
 * (docs/operations.md "Upgrade"). An entry is never changed; a new schema step adds one, with
 * the new count, also when the step adds no word (logbook-words.test.ts holds the current schema to
 * LONG_WORDS.length).
 */
export const LONG_WORDS_AT_SCHEMA: Readonly<Record<number, number>> = {
  25: 108,
  26: 115,
  27: 115,
  28: 116,
  29: 116,
  30: 116,
  31: 116,
  32: 116,
};
