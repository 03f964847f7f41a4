// The zod schemas of every request and response. The same objects validate requests
// and generate the OpenAPI document (openapi.ts), so the two cannot drift apart.
// Invariant (brief property 4 and "no reason, no content"): every request object is
// strict — a field the schema does not name is refused — and every string is bounded.

import { z } from 'zod';

// ---------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------

/** Ids are random UUIDs (any version; the engine chooses). */
export const Id = z.guid();
/** 32 bytes in unpadded base64url; the engine checks canonical encoding (pseudonym_invalid). */
const B64url32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
export const Epoch = z.int().min(1).max(0xffffffff);
export const DateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Timestamp = z.string().meta({ format: 'date-time' });
const Cursor = z.string().regex(/^[A-Za-z0-9_.:-]{1,200}$/);

/** A query-string integer: digits only, then range-checked. */
function queryInt(min: number, max: number) {
  return z
    .string()
    .regex(/^[0-9]{1,10}$/)
    .transform(Number)
    .pipe(z.int().min(min).max(max));
}

export const Pseudonym = z.strictObject({ epoch: Epoch, value: B64url32 });
export const Person = z.array(Pseudonym).min(1).max(2);

export const Contact = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    role: z.string().trim().min(1).max(100),
    phone: z
      .string()
      .regex(/^[0-9 +\-()]{6,20}$/)
      .optional(),
    email: z
      .string()
      .max(254)
      .regex(/^[^@\s]+@[^@\s]+$/)
      .optional(),
  })
  .refine((c) => c.phone !== undefined || c.email !== undefined, { path: ['phone'] });

export const Informed = z.strictObject({
  status: z.enum(['citizen', 'representative', 'both', 'not_yet']),
  date: DateOnly.optional(),
});

export const Empty = z.strictObject({});

// ---------------------------------------------------------------------------
// Organisation requests
// ---------------------------------------------------------------------------

export const Placement = z.strictObject({
  requestId: Id,
  subject: Person,
  parents: z.array(Person).max(2).optional(),
  contact: Contact,
  informed: Informed,
  endDate: DateOnly.optional(),
});

export const MAX_BATCH = 500;
/** The batch envelope; each item is validated on its own so one bad item does not stop the others. */
export const BatchEnvelope = z.strictObject({ items: z.array(z.unknown()).min(1).max(MAX_BATCH) });
export const BatchDoc = z.strictObject({ items: z.array(Placement).min(1).max(MAX_BATCH) });

export const MigrateItem = z.strictObject({
  signalId: Id,
  subject: Person,
  parents: z.array(Person).max(2).optional(),
});
export const MigrateDoc = z.strictObject({ items: z.array(MigrateItem).min(1).max(MAX_BATCH) });

export const Withdraw = z.strictObject({ reason: z.enum(['ended', 'error']) });
export const Transfer = z.strictObject({ signalIds: z.array(Id).min(1).max(1000), contact: Contact });
export const ContactBody = z.strictObject({ contact: Contact });
export const InformedBody = z.strictObject({ informed: Informed });
export const Regie = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('propose'), for: z.enum(['me', 'counterpart']) }),
  z.strictObject({ action: z.literal('accept') }),
  z.strictObject({ action: z.literal('decline') }),
  z.strictObject({ action: z.literal('handover') }),
]);

// Working together after a match (issue 7). No member of these bodies is free text: codes
// are [a-z][a-z0-9_]* (the engine checks them against the configured lists), the form
// reference is opaque and space-free, and unknown members are refused.
const Code = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/);
const ConsentScope = z.enum(['team_meeting', 'share_with_matched']);
export const ConsentBody = z.strictObject({
  date: DateOnly,
  scopes: z.array(ConsentScope).min(1).max(2),
  formReference: z
    .string()
    .regex(/^[A-Za-z0-9._/-]{1,64}$/)
    .optional(),
});
export const AgreementBody = z.strictObject({
  owner: z.enum(['me', 'counterpart']),
  actionKind: Code,
  informationCategory: Code,
  purpose: Code,
  dueDate: DateOnly,
});
const AgreementStatus = z.enum(['open', 'done', 'cancelled']);
export const AgreementStatusBody = z.strictObject({ status: AgreementStatus });
export const AgreementParams = z.strictObject({ matchId: Id, agreementId: Id });

export const SignalIdParams = z.strictObject({ signalId: Id });
export const MatchIdParams = z.strictObject({ matchId: Id });
export const OrganisationIdParams = z.strictObject({ organisationId: Id });
export const KeyIdParams = z.strictObject({ keyId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
export const EpochParams = z.strictObject({ epoch: queryInt(1, 0xffffffff) });

export const ListSignalsQuery = z.strictObject({
  status: z.enum(['active', 'inactive']).optional(),
  cursor: Cursor.optional(),
  limit: queryInt(1, 500).optional(),
});
export const InboxQuery = z.strictObject({ cursor: Cursor.optional(), limit: queryInt(1, 500).optional() });

// ---------------------------------------------------------------------------
// Admin requests
// ---------------------------------------------------------------------------

const PublicKey = B64url32;
const WebhookUrl = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/[^\s]+$/);

export const Admit = z.strictObject({
  name: z.string().trim().min(1).max(200),
  type: z.string().regex(/^[a-z0-9_]{1,50}$/),
  publicKeys: z.array(PublicKey).min(1).max(2),
  webhookUrl: WebhookUrl.nullable().optional(),
  placementBudgetPerDay: z.int().min(0).max(10_000_000).optional(),
});
export const UpdateOrganisation = z.strictObject({
  webhookUrl: WebhookUrl.nullable().optional(),
  placementBudgetPerDay: z.int().min(0).max(10_000_000).optional(),
});
export const AddKey = z.strictObject({ publicKey: PublicKey });
export const GdprSubject = z.strictObject({ subject: Person });
export const GdprRestrict = z.strictObject({ subject: Person, restricted: z.boolean() });
export const GdprObject = z.strictObject({
  subject: Person,
  status: z.enum(['pending', 'upheld', 'rejected']),
});
export const RegisterEpoch = z.strictObject({ epoch: Epoch });
export const FollowUpQuery = z.strictObject({ noContactAfterDays: queryInt(0, 3650).optional() });
export const LogbookQuery = z.strictObject({
  fromSeq: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
  limit: queryInt(1, 500).optional(),
});
export const WebhooksQuery = z.strictObject({
  status: z.enum(['pending', 'delivered']).optional(),
  limit: queryInt(1, 500).optional(),
});
export const TestClockBody = z.strictObject({
  advanceDays: z
    .int()
    .min(0)
    .max(10 * 366)
    .optional(),
  advanceSeconds: z
    .int()
    .min(0)
    .max(10 * 366 * 86_400)
    .optional(),
});

// ---------------------------------------------------------------------------
// Responses (documentation; the wire mapping is in wire.ts)
// ---------------------------------------------------------------------------

const ContactOut = z.object({
  name: z.string(),
  role: z.string(),
  phone: z.string().optional(),
  email: z.string().optional(),
});
const InformedOut = z.object({ status: z.string(), date: z.string().optional() });

export const SignalOut = z.object({
  id: Id,
  status: z.enum(['active', 'inactive']),
  contact: ContactOut,
  informed: InformedOut,
  placedAt: Timestamp,
  expiresAt: Timestamp,
  endedAt: Timestamp.nullable(),
  endReason: z.enum(['ended', 'expired', 'erased_by_request', 'key_retired']).nullable(),
  purgeAt: Timestamp.nullable(),
  epochs: z.array(z.int()),
  hasParents: z.boolean(),
});
export const PlacementOut = z.object({
  outcome: z.enum(['created', 'replayed', 'existing']),
  signal: SignalOut,
});
export const BatchOut = z.object({
  results: z.array(
    z.union([
      z.object({
        index: z.int(),
        ok: z.literal(true),
        outcome: z.enum(['created', 'replayed', 'existing']),
        signal: SignalOut,
      }),
      z.object({ index: z.int(), ok: z.literal(false), code: z.string(), fields: z.array(z.string()) }),
    ]),
  ),
});
export const SignalPageOut = z.object({ items: z.array(SignalOut), nextCursor: z.string().optional() });
export const TransferOut = z.object({ transferred: z.int() });

const Side = z.enum(['me', 'counterpart']);
export const MatchOut = z.object({
  id: Id,
  kind: z.enum(['person', 'family']),
  status: z.enum(['active', 'ended']),
  createdAt: Timestamp,
  ownSignalId: Id,
  counterpart: z.object({ organisationName: z.string(), contact: ContactOut }),
  followUp: z.object({
    contactMadeByMe: Timestamp.nullable(),
    contactMadeByCounterpart: Timestamp.nullable(),
  }),
  regie: z.object({
    holder: Side.nullable(),
    since: Timestamp.nullable(),
    proposal: z.object({ by: Side, for: Side, at: Timestamp }).nullable(),
  }),
  coordination: z.object({
    status: z.enum(['anonymous', 'consented']),
    myScopes: z.array(ConsentScope),
    counterpartScopes: z.array(ConsentScope),
  }),
});
export const ConsentOut = z.object({
  signalId: Id,
  status: z.enum(['given', 'withdrawn']),
  date: DateOnly,
  scopes: z.array(ConsentScope),
  formReference: z.string().nullable(),
  recordedAt: Timestamp,
  withdrawnAt: Timestamp.nullable(),
});
export const ConsentOnlyOut = z.object({ consent: ConsentOut });
export const ConsentMaybeOut = z.object({ consent: ConsentOut.nullable() });
export const AgreementOut = z.object({
  id: Id,
  owner: Side,
  actionKind: z.string(),
  informationCategory: z.string(),
  purpose: z.string(),
  dueDate: DateOnly,
  status: AgreementStatus,
  createdAt: Timestamp,
  createdBy: Side,
  history: z.array(z.object({ status: AgreementStatus, at: Timestamp, by: Side })),
});
export const AgreementListOut = z.object({ items: z.array(AgreementOut) });
export const VocabularyOut = z.object({
  consentScopes: z.array(z.string()),
  actionKinds: z.array(z.string()),
  informationCategories: z.array(z.string()),
  purposes: z.array(z.string()),
});
export const AgreementsOverviewOut = z.object({
  items: z.array(
    z.object({
      matchId: Id,
      matchStatus: z.enum(['active', 'ended']),
      counts: z.object({
        total: z.int(),
        open: z.int(),
        done: z.int(),
        cancelled: z.int(),
        overdue: z.int(),
      }),
      overdue: z.array(z.object({ agreementId: Id, dueDate: DateOnly, ownerOrganisationId: Id.nullable() })),
    }),
  ),
});
export const InboxOut = z.object({
  items: z.array(
    z.object({
      cursor: z.string(),
      type: z.enum(['match.created', 'match.updated', 'match.ended', 'match.removed']),
      at: Timestamp,
      matchId: Id,
      match: MatchOut.nullable(),
    }),
  ),
  nextCursor: z.string().optional(),
});

export const OrganisationOut = z.object({
  id: Id,
  name: z.string(),
  type: z.string(),
  status: z.enum(['active', 'suspended']),
  webhookUrl: z.string().nullable(),
  placementBudgetPerDay: z.int(),
  createdAt: Timestamp,
});
export const KeyOut = z.object({
  keyId: z.string(),
  role: z.enum(['organisation', 'admin']),
  organisationId: Id.nullable(),
  publicKey: z.string(),
  status: z.enum(['active', 'revoked']),
  addedAt: Timestamp,
  revokedAt: Timestamp.nullable(),
});
export const EpochOut = z.object({
  epoch: z.int(),
  status: z.enum(['active', 'retired']),
  registeredAt: Timestamp,
  retiredAt: Timestamp.nullable(),
});
export const WhoamiOut = z.object({
  organisation: z.object({ id: Id, name: z.string(), type: z.string(), status: z.string() }),
  key: z.object({ keyId: z.string(), status: z.string() }),
  budget: z.object({ perDay: z.int(), usedToday: z.int() }),
  epochs: z.array(z.object({ epoch: z.int(), status: z.string() })),
});
export const OrganisationListOut = z.object({ items: z.array(OrganisationOut) });
export const OrganisationWithKeysOut = z.object({ organisation: OrganisationOut, keys: z.array(KeyOut) });
export const OrganisationOnlyOut = z.object({ organisation: OrganisationOut });
export const KeyOnlyOut = z.object({ key: KeyOut });
export const KeyListOut = z.object({ items: z.array(KeyOut) });
export const EpochOnlyOut = z.object({ epoch: EpochOut });
export const EpochListOut = z.object({ items: z.array(EpochOut) });
export const GdprAccessOut = z.object({
  signals: z.array(
    z.object({
      signalId: Id,
      organisationId: Id,
      organisationName: z.string(),
      status: z.enum(['active', 'inactive']),
      placedAt: Timestamp,
      expiresAt: Timestamp,
      endedAt: Timestamp.nullable(),
      purgeAt: Timestamp.nullable(),
      informed: InformedOut,
      restricted: z.boolean(),
      objection: z.enum(['pending', 'upheld', 'rejected']).nullable(),
    }),
  ),
  matches: z.array(
    z.object({
      matchId: Id,
      kind: z.enum(['person', 'family']),
      status: z.enum(['active', 'ended']),
      createdAt: Timestamp,
      organisationNames: z.array(z.string()),
    }),
  ),
});
export const GdprEraseOut = z.object({ signals: z.int(), matches: z.int() });
export const GdprCountOut = z.object({ signals: z.int() });
export const FollowUpOut = z.object({
  items: z.array(
    z.object({
      matchId: Id,
      kind: z.enum(['person', 'family']),
      status: z.enum(['active', 'ended']),
      createdAt: Timestamp,
      parties: z.array(
        z.object({
          organisationId: Id,
          organisationName: z.string(),
          signalId: Id,
          contactMadeAt: Timestamp.nullable(),
        }),
      ),
      regie: z.object({ organisationId: Id.nullable(), since: Timestamp.nullable() }),
      overdue: z.boolean(),
    }),
  ),
});
export const RetentionOut = z.object({
  expired: z.int(),
  purgedSignals: z.int(),
  purgedMatches: z.int(),
  ranAt: Timestamp,
});
/** Logbook entries are exported verbatim (`at` in ms) so an auditor can recompute the hash chain. */
export const LogbookOut = z.object({
  items: z.array(
    z.object({
      seq: z.int(),
      at: z.int(),
      actor: z.object({ kind: z.string() }).loose(),
      action: z.string(),
      refs: z.record(z.string(), z.string()),
      details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      prevHash: z.string(),
      hash: z.string(),
    }),
  ),
  nextCursor: z.string().optional(),
});
export const LogbookVerifyOut = z.object({
  ok: z.boolean(),
  entries: z.int(),
  headHash: z.string(),
  firstBadSeq: z.int().optional(),
});
export const StatisticsOut = z.object({
  organisations: z.object({ active: z.int(), suspended: z.int() }),
  signals: z.object({ active: z.int(), inactive: z.int() }),
  matches: z.object({ active: z.int(), ended: z.int(), family: z.int() }),
  epochs: z.array(z.object({ organisationId: Id, epoch: z.int(), activeSignals: z.int() })),
});
export const DeliveryOut = z.object({
  id: Id,
  organisationId: Id,
  url: z.string(),
  payload: z.object({ type: z.string(), matchId: Id, cursor: z.string() }),
  status: z.enum(['pending', 'delivered']),
  attempts: z.int(),
  nextAttemptAt: Timestamp,
  lastErrorCode: z.string().nullable(),
  createdAt: Timestamp,
  deliveredAt: Timestamp.nullable(),
});
export const DeliveryListOut = z.object({ items: z.array(DeliveryOut) });
export const TestClockOut = z.object({ now: Timestamp, offsetMs: z.int() });
export const HealthOut = z.object({ status: z.string() });

export const ProblemOut = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  code: z.string(),
  fields: z.array(z.string()).optional(),
  correlationId: z.string(),
});

// ---------------------------------------------------------------------------
// Key lifecycle (docs/keys.md)
// ---------------------------------------------------------------------------

export const RetireEpochBody = z.strictObject({ force: z.boolean().optional() });
const IsoTime = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/)
  .refine((s) => Number.isFinite(Date.parse(s)));
export const KeyPlacementsQuery = z.strictObject({ from: IsoTime, to: IsoTime });
export const RotateWebhookKeyBody = z.strictObject({
  /** Seconds until the new key signs deliveries (receivers need time to add it); ≤ 1 year. */
  switchAfterSeconds: z.int().min(0).max(31_536_000).optional(),
});
const LogbookEntryOut = z.object({
  seq: z.int(),
  at: z.int(),
  actor: z.object({ kind: z.string() }).loose(),
  action: z.string(),
  refs: z.record(z.string(), z.string()),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  prevHash: z.string(),
  hash: z.string(),
});
export const EpochRetirementOut = z.object({
  epoch: EpochOut,
  storedPseudonymsDeleted: z.int(),
  signalsEnded: z.int(),
  archivedUnlinked: z.int(),
  organisations: z.array(z.object({ organisationId: Id, signalsEnded: z.int(), archivedUnlinked: z.int() })),
});
const EpochCount = z.object({ epoch: z.int(), activeSignals: z.int() });
export const EpochProgressOut = z.object({
  epochs: z.array(EpochOut),
  organisations: z.array(
    z.object({
      organisationId: Id,
      organisationName: z.string(),
      activeSignals: z.int(),
      byEpoch: z.array(EpochCount),
      stranded: z.array(EpochCount),
    }),
  ),
});
export const SecretRotationOut = z.object({
  generation: z.int(),
  rotation: z
    .object({
      generation: z.int(),
      status: z.enum(['running', 'completed']),
      startedAt: Timestamp,
      completedAt: Timestamp.nullable(),
      signalsTotal: z.int(),
      signalsDone: z.int(),
      rowsRekeyed: z.int(),
      pendingCatchUps: z.int(),
    })
    .nullable(),
});
export const KeyPlacementsOut = z.object({
  keyId: z.string(),
  from: Timestamp,
  to: Timestamp,
  placements: z.array(
    z.object({
      signalId: Id,
      at: Timestamp,
      seq: z.int(),
      status: z.enum(['active', 'inactive', 'deleted']),
    }),
  ),
  entries: z.array(LogbookEntryOut),
  truncated: z.boolean(),
});
const WebhookKeyOut = z.object({
  keyId: z.string(),
  publicKey: z.string(),
  status: z.enum(['signing', 'next', 'previous']),
  signFrom: Timestamp,
});
export const ServerKeysOut = z.object({ webhookKeys: z.array(WebhookKeyOut) });
export const WebhookKeyOnlyOut = z.object({ key: WebhookKeyOut });
