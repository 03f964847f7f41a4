// Schemas of the municipality's admin routes (docs/api.md "Admin (municipality) routes"): admitting and
// changing organisations, GDPR requests, follow-up and agreement overviews, retention,
// the logbook, statistics, webhook deliveries and the test clock. Invariant: GDPR
// requests carry client pseudonyms in the body only, and no response schema here has a
// field for a pseudonym.

import { DELIVERY_STATUSES, INPUT_RULES, LOGBOOK_COLUMNS } from '@sluis/engine';
import { z } from 'zod';
import { KeyOut } from './keys.js';
import { agreementMembers, ConsentScope, FollowUpOutcome, FollowUpRecordOut } from './matches.js';
import {
  Cursor,
  DateOnly,
  Id,
  InformedOut,
  LogbookEntryOut,
  Person,
  PublicKey,
  queryInt,
  Timestamp,
  textField,
} from './primitives.js';
import { SessionStepUp } from './sign-in.js';
import { LegalBasis } from './signals.js';

const WebhookUrl = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/[^\s]+$/);

export const Admit = z.strictObject({
  name: textField(INPUT_RULES.organisationName),
  type: z.string().regex(/^[a-z0-9_]{1,50}$/),
  publicKeys: z.array(PublicKey).min(1).max(2),
  webhookUrl: WebhookUrl.nullable().optional(),
  placementBudgetPerDay: z.int().min(0).max(10_000_000).optional(),
  stepUp: SessionStepUp,
});
export const UpdateOrganisation = z.strictObject({
  webhookUrl: WebhookUrl.nullable().optional(),
  placementBudgetPerDay: z.int().min(0).max(10_000_000).optional(),
  /** Opt in to (true) or out of (false) the match notice e-mail (docs/api.md "Match notice e-mail"). */
  matchEmail: z.boolean().optional(),
});
/**
 * `oprfOnly`: the person has no BSN, so their pseudonyms exist under OPRF epochs only
 * (docs/protocol.md §2.2): the subject names every active OPRF epoch and no HMAC epoch.
 */
const OprfOnly = z.literal(true).optional();
export const GdprSubject = z.strictObject({ subject: Person, oprfOnly: OprfOnly });
export const GdprRestrict = z.strictObject({ subject: Person, restricted: z.boolean(), oprfOnly: OprfOnly });
/**
 * An objection's registration (pending, with the day it was received) or its decision
 * (docs/engine.md "Objections"). receivedOn and lateExcused go with pending only.
 */
export const GdprObject = z.strictObject({
  subject: Person,
  status: z.enum(['pending', 'upheld', 'rejected']),
  receivedOn: DateOnly.optional(),
  lateExcused: z.boolean().optional(),
  oprfOnly: OprfOnly,
});
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
/** Management information (docs/engine.md "Management information"): closed months only. */
export const ManagementInformationQuery = z.strictObject({
  from: Month,
  to: Month,
  organisationType: z
    .string()
    .regex(/^[a-z0-9_]{1,50}$/)
    .optional(),
  format: z.enum(['json', 'csv']).optional(),
});
/** A count, or "<n" when it is below the suppression threshold n. */
/** One of a match's two organisations: an index into its `organisationNames`. */
const Side = z.union([z.literal(0), z.literal(1)]);
const MiCell = z.union([z.int().min(0), z.string().regex(/^<\d+$/)]);
export const ManagementInformationOut = z.object({
  threshold: z.int(),
  from: Month,
  to: Month,
  rows: z.array(
    z.object({
      month: Month,
      organisationType: z.string(),
      signalsPlaced: MiCell,
      signalsWithdrawn: MiCell,
      matches: MiCell,
      contactMade: MiCell,
      alreadyInContact: MiCell,
      noContactNeeded: MiCell,
      clientRefused: MiCell,
      medianDaysToContact: MiCell,
    }),
  ),
});
/** The follow-up overview's filters, sort and page (docs/api.md "Admin (municipality) routes"). */
export const FollowUpQuery = z.strictObject({
  noContactAfterDays: queryInt(0, 3650).optional(),
  status: z.enum(['active', 'ended']).optional(),
  followUp: z.enum(['none', 'overdue', 'recorded']).optional(),
  outcome: FollowUpOutcome.optional(),
  minAgeDays: queryInt(0, 3650).optional(),
  maxAgeDays: queryInt(0, 3650).optional(),
  organisationType: z
    .string()
    .regex(/^[a-z0-9_]{1,50}$/)
    .optional(),
  sort: z.enum(['oldest', 'newest']).optional(),
  cursor: Cursor.optional(),
  limit: queryInt(1, 500).optional(),
});
export const LogbookQuery = z.strictObject({
  fromSeq: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
  limit: queryInt(1, 500).optional(),
});
export const WebhooksQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: queryInt(1, 500).optional(),
});
export const MailNoticesQuery = z.strictObject({
  status: z.enum(['pending', 'sent', 'dropped']).optional(),
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

export const OrganisationIdParams = z.strictObject({ organisationId: Id });

// Responses (documentation; the wire mapping is in ../wire.ts).
export const OrganisationOut = z.object({
  id: Id,
  name: z.string(),
  type: z.string(),
  status: z.enum(['active', 'suspended']),
  webhookUrl: z.string().nullable(),
  placementBudgetPerDay: z.int(),
  createdAt: Timestamp,
  matchEmail: z.boolean(),
});
export const OrganisationListOut = z.object({ items: z.array(OrganisationOut) });
export const OrganisationTypesOut = z.object({
  items: z.array(z.string()).describe('The configured organisation types, in the configured order'),
});
export const OrganisationWithKeysOut = z.object({ organisation: OrganisationOut, keys: z.array(KeyOut) });
export const OrganisationOnlyOut = z.object({ organisation: OrganisationOut });
/** What the access answer says of each signal, the citizen's own or a child's naming them as a parent. */
const GdprSignalMembers = {
  signalId: Id,
  organisationId: Id,
  organisationName: z.string(),
  status: z.enum(['active', 'inactive']),
  placedAt: Timestamp,
  expiresAt: Timestamp,
  endedAt: Timestamp.nullable(),
  purgeAt: Timestamp.nullable(),
};
export const GdprAccessOut = z.object({
  signals: z.array(
    z.object({
      ...GdprSignalMembers,
      informed: InformedOut,
      restricted: z.boolean(),
      objection: z.enum(['pending', 'upheld', 'rejected']).nullable(),
      /** 1.7.0: the legal basis, the attestation's day (null for `jeugdwet`) and the consent. */
      legalBasis: LegalBasis,
      attestedOn: DateOnly.nullable(),
      consent: z
        .object({
          date: DateOnly,
          scopes: z.array(ConsentScope),
          recordedAt: Timestamp,
          withdrawnAt: Timestamp.nullable(),
        })
        .nullable(),
    }),
  ),
  /** The children's signals that hold the citizen as a parent (docs/privacy.md §2, art. 15). */
  parentLinks: z.array(z.object(GdprSignalMembers)),
  matches: z.array(
    z.object({
      matchId: Id,
      kind: z.enum(['person', 'family']),
      status: z.enum(['active', 'ended']),
      createdAt: Timestamp,
      organisationNames: z.array(z.string()),
      /** `signal`: of the citizen's own signal; `parent`: a family match built on their parent links. */
      via: z.enum(['signal', 'parent']),
      /**
       * 1.7.0: each organisation's follow-up outcome, in the order of `organisationNames`; what is
       * not about the citizen is null (a family match's other side, both on `parent`).
       */
      followUp: z.array(FollowUpRecordOut.nullable()),
      /** 1.7.0: the regie holder as an index into `organisationNames`, and since when. */
      regie: z.object({ holder: Side, since: Timestamp }).nullable(),
      /**
       * 1.7.0: the process agreements with their status history; `owner`, `createdBy` and each
       * update's `by` are indexes into `organisationNames`.
       */
      agreements: z.array(z.object({ agreementId: Id, ...agreementMembers(Side) })),
    }),
  ),
  /** Who received or viewed the citizen's signals (docs/privacy.md "Who saw the signal"). */
  access: z.array(
    z.object({
      at: Timestamp,
      kind: z.enum(['received', 'viewed']),
      /** 1.9.0: through a match, an archive notice, an `existing` answer or the desk's request. */
      via: z.enum(['match', 'archive_notice', 'existing', 'access_request']),
      matchId: Id.nullable(),
      /** 1.9.0: the citizen's signal, for `archive_notice` and `existing`. */
      signalId: Id.nullable(),
      organisationId: Id.nullable(),
      organisationName: z.string().nullable(),
      role: z.string(),
      personName: z.string().nullable(),
    }),
  ),
});
export const GdprEraseOut = z.object({ signals: z.int(), matches: z.int(), parentLinks: z.int() });
/**
 * A restriction's, its lifting's or an objection's answer (docs/api.md "Admin (municipality)
 * routes"): the citizen's signals and the parent links whose hold changed (1.4.0).
 */
export const GdprCountOut = z.object({ signals: z.int(), parentLinks: z.int() });
/** An objection's answer; a registration (`pending`) adds `onTime` (1.4.0). */
export const GdprObjectOut = GdprCountOut.extend({ onTime: z.boolean().optional() });
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
          organisationType: z.string(),
          signalId: Id,
          contactMadeAt: Timestamp.nullable(),
          followUp: FollowUpRecordOut.nullable(),
        }),
      ),
      regie: z.object({ organisationId: Id.nullable(), since: Timestamp.nullable() }),
      overdue: z.boolean(),
    }),
  ),
  nextCursor: z.string().optional(),
});
export const RetentionOut = z.object({
  expired: z.int(),
  purgedSignals: z.int(),
  purgedMatches: z.int(),
  /** Webhook deliveries ended with their inbox event (docs/api.md "Webhooks"), 1.12.0. */
  expiredDeliveries: z.int(),
  /** Removed people whose row went at removal plus the logbook term (docs/privacy.md §4), 1.12.0. */
  deletedPeople: z.int(),
  ranAt: Timestamp,
});
/** Logbook entries are exported verbatim (`at` in ms) so an auditor can recompute the hash chain. */
export const LogbookOut = z.object({
  items: z.array(LogbookEntryOut),
  nextCursor: z.string().optional(),
});
export const LogbookVerifyOut = z.object({
  ok: z.boolean(),
  entries: z.int(),
  headHash: z.string(),
  firstBadSeq: z.int().optional(),
  // Why it breaks there, and for `stored_form` which column (docs/api.md, API 1.10.0).
  reason: z.enum(['hash_mismatch', 'stored_form', 'unreadable', 'missing_entry', 'checkpoint']).optional(),
  column: z.enum(LOGBOOK_COLUMNS).optional(),
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
export const StatisticsOut = z.object({
  organisations: z.object({ active: z.int(), suspended: z.int() }),
  signals: z.object({ active: z.int(), inactive: z.int() }),
  matches: z.object({ active: z.int(), ended: z.int(), family: z.int() }),
  followUp: z.object({
    matches: z.int(),
    withoutOutcome: z.int(),
    outcomes: z.object({
      contact_made: z.int(),
      already_in_contact: z.int(),
      no_contact_needed: z.int(),
      client_refused: z.int(),
    }),
  }),
  epochs: z.array(z.object({ organisationId: Id, epoch: z.int(), activeSignals: z.int() })),
});
export const DeliveryOut = z.object({
  id: Id,
  organisationId: Id,
  url: z.string(),
  payload: z.object({ type: z.string(), matchId: Id, cursor: z.string() }),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.int(),
  nextAttemptAt: Timestamp,
  lastErrorCode: z.string().nullable(),
  createdAt: Timestamp,
  deliveredAt: Timestamp.nullable(),
});
export const DeliveryListOut = z.object({ items: z.array(DeliveryOut) });
export const MailNoticeOut = z.object({
  id: Id,
  personId: Id,
  matchId: Id,
  status: z.enum(['pending', 'sent', 'dropped']),
  attempts: z.int(),
  nextAttemptAt: Timestamp,
  lastErrorCode: z.string().nullable(),
  createdAt: Timestamp,
  doneAt: Timestamp.nullable(),
});
export const MailNoticeListOut = z.object({ items: z.array(MailNoticeOut) });
export const TestClockOut = z.object({ now: Timestamp, offsetMs: z.int() });
