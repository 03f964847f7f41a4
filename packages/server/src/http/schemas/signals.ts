// Schemas of the organisation-side signal routes (docs/api.md): placing one or a batch,
// migrating to a new epoch, withdrawing, transferring, correcting contact and informed
// status, listing, and `whoami`. Invariant (docs/engine.md "Why no free text"):
// no request object has a field for a reason or case content, and none accepts an
// unnamed field.

import { z } from 'zod';
import {
  Contact,
  ContactOut,
  Cursor,
  DateOnly,
  Id,
  Informed,
  InformedOut,
  Person,
  queryInt,
  Timestamp,
  textField,
} from './primitives.js';
import { INPUT_RULES, LIST_ORDERS } from '@sluis/engine';

/** The legal basis of a signal (docs/engine.md "Legal basis"). */
export const LegalBasis = z.enum(['jeugdwet', 'consent', 'no_objection']);
/** Consent or non-objection, attested by the professional; the form stays in their files. */
export const Attestation = z.strictObject({
  date: DateOnly,
  formReference: textField(INPUT_RULES.formReference).optional(),
});

export const Placement = z.strictObject({
  requestId: Id,
  subject: Person,
  parents: z.array(Person).max(2).optional(),
  contact: Contact,
  informed: Informed,
  endDate: DateOnly.optional(),
  legalBasis: LegalBasis.optional(),
  attestation: Attestation.optional(),
});

/**
 * A single placement, which may be a look-up only (`existingOnly`, docs/api.md "POST /v1/signals
 * — place a signal"): a batch item is a Placement and never carries it.
 */
export const SinglePlacement = Placement.extend({ existingOnly: z.literal(true).optional() });

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
export const Transfer = z.strictObject({
  signalIds: z.array(Id).min(1).max(1000),
  contact: Contact,
  personId: Id.optional().describe('The colleague who becomes the signals’ placing person'),
});
export const ContactBody = z.strictObject({ contact: Contact });
export const InformedBody = z.strictObject({ informed: Informed });

export const SignalIdParams = z.strictObject({ signalId: Id });

export const ListSignalsQuery = z.strictObject({
  status: z.enum(['active', 'inactive']).optional(),
  personId: Id.optional().describe('Only the signals this person of the organisation placed'),
  order: z
    .enum(LIST_ORDERS)
    .optional()
    .describe(
      'oldest (the default): in placement order; newest: the newest placed first. A cursor continues in the order of its page.',
    ),
  cursor: Cursor.optional(),
  limit: queryInt(1, 500).optional(),
});

// Responses (documentation; the wire mapping is in ../wire.ts).
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
  legalBasis: LegalBasis,
  /** A pending objection the GDPR desk registered on this signal; nothing more is shown. */
  underObjection: z.boolean(),
  /**
   * The GDPR desk restricted this signal (art. 18): it matches nothing and its matches show no
   * contact; a restriction inherited at placement is not shown (API 1.4.0).
   */
  restricted: z.boolean(),
});
/** The one-time notice from the historic archive (docs/engine.md "Archive notice"). */
export const ArchiveNoticeOut = z.object({
  id: Id,
  signalId: Id,
  at: Timestamp,
  organisationName: z.string(),
  contact: ContactOut,
});
export const ArchiveNoticesOut = z.object({ items: z.array(ArchiveNoticeOut) });
/**
 * A placement's answer: with the signal, or — when a person placed and does not hold it — only
 * the outcome and `heldByYou: false` (docs/api.md "Need to know").
 */
export const PlacementOut = z.union([
  z.object({
    outcome: z.enum(['created', 'replayed', 'existing']),
    signal: SignalOut,
    heldByYou: z
      .literal(true)
      .optional()
      .describe('On `existing` and `replayed` when a person placed: that person holds the signal'),
    archiveNotices: z.array(ArchiveNoticeOut).optional(),
  }),
  z
    .object({
      outcome: z.enum(['replayed', 'existing']),
      heldByYou: z.literal(false),
    })
    .describe(
      'A person placed and a colleague or no one holds the signal: no signal, and never which colleague',
    ),
]);
const BatchRefusedItem = z.object({
  index: z.int(),
  ok: z.literal(false),
  code: z.string(),
  fields: z.array(z.string()),
});
const BATCH_OUTCOME = z.enum(['created', 'replayed', 'existing']);
/** The answer of the batch routes: every item's full signal view, or with `Prefer: return=minimal`… */
const BatchFullOut = z
  .object({
    results: z.array(
      z.union([
        z.object({ index: z.int(), ok: z.literal(true), outcome: BATCH_OUTCOME, signal: SignalOut }),
        BatchRefusedItem,
      ]),
    ),
  })
  .describe('Without Prefer, or with Prefer: return=representation: each placed item with its signal view');
/** …each placed item with only its signal's id (docs/api.md "POST /v1/signals/batch"). */
const BatchMinimalOut = z
  .object({
    results: z.array(
      z.union([
        z.object({
          index: z.int(),
          ok: z.literal(true),
          outcome: BATCH_OUTCOME,
          signal: z.object({ id: Id }),
        }),
        BatchRefusedItem,
      ]),
    ),
  })
  .describe(
    'With Prefer: return=minimal (answered with Preference-Applied: return=minimal): each placed item with its signal’s id only; a refused item as in the full form',
  );
export const BatchOut = z.union([BatchFullOut, BatchMinimalOut]);
export const SignalPageOut = z.object({ items: z.array(SignalOut), nextCursor: z.string().optional() });
export const TransferOut = z.object({ transferred: z.int() });

const WhoamiCommon = {
  organisation: z.object({ id: Id, name: z.string(), type: z.string(), status: z.string() }),
  budget: z.object({ perDay: z.int(), usedToday: z.int() }),
  epochs: z.array(z.object({ epoch: z.int(), status: z.string() })),
};
/** A key, or a person's session — whose id is no key id and is not echoed (docs/api.md). */
export const WhoamiOut = z.discriminatedUnion('authenticatedBy', [
  z.object({
    ...WhoamiCommon,
    authenticatedBy: z.literal('key'),
    key: z.object({ keyId: z.string(), status: z.string() }),
  }),
  z.object({
    ...WhoamiCommon,
    authenticatedBy: z.literal('session'),
    session: z.object({
      personId: Id,
      role: z.enum(['professional', 'organisation_coordinator']),
      idleExpiresAt: Timestamp,
      expiresAt: Timestamp,
    }),
  }),
]);

/** Ask to be handed the signal a placement was answered `existing` for (docs/api.md "Handover requests"). */
export const HandoverAsk = z.strictObject({
  requestId: Id.describe('The requestId of the own placement answered `existing` with `heldByYou: false`'),
});
export const HandoverRequestIdParams = z.strictObject({ handoverRequestId: Id });
export const HandoverRequestOut = z.object({
  id: Id,
  requestedBy: Id.describe('The person id of the professional who asked'),
  requestedAt: Timestamp,
  heldBy: Id.nullable().describe('The person id of the signal’s holder; null when no one holds it'),
  signal: SignalOut,
});
export const HandoverRequestsOut = z.object({ items: z.array(HandoverRequestOut) });
export const HandoverDeclinesOut = z.object({
  items: z.array(
    z.object({
      requestedAt: Timestamp.describe('When the professional asked'),
      declinedAt: Timestamp.describe('When the organisation coordinator declined'),
    }),
  ),
});
