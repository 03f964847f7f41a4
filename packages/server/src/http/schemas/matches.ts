// Schemas of matches and working together after a match (docs/engine.md "Working together after a match"): regie, consent,
// process agreements, the vocabulary and the inbox. Invariant: no member of these
// bodies is free text — codes, enums, dates and an opaque form reference only.

import { FOLLOW_UP_OUTCOMES, type FollowUpOutcome as Outcome, INPUT_RULES } from '@sluis/engine';
import { z } from 'zod';
import { ContactOut, Cursor, DateOnly, Id, queryInt, Timestamp, textField } from './primitives.js';

export const Regie = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('propose'), for: z.enum(['me', 'counterpart']) }),
  z.strictObject({ action: z.literal('accept') }),
  z.strictObject({ action: z.literal('decline') }),
  z.strictObject({ action: z.literal('handover') }),
]);

// Working together after a match. No member of these bodies is free text: codes
// are [a-z][a-z0-9_]* (the engine checks them against the configured lists), the form
// reference is opaque and space-free, and unknown members are refused.
const Code = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/);
export const ConsentScope = z.enum(['team_meeting', 'share_with_matched']);
export const ConsentBody = z.strictObject({
  date: DateOnly,
  scopes: z.array(ConsentScope).min(1).max(2),
  formReference: textField(INPUT_RULES.formReference).optional(),
});
export const AgreementBody = z.strictObject({
  owner: z.enum(['me', 'counterpart']),
  actionKind: Code,
  informationCategory: Code,
  purpose: Code,
  dueDate: DateOnly,
});
export const AgreementStatus = z.enum(['open', 'done', 'cancelled']);
export const AgreementStatusBody = z.strictObject({ status: AgreementStatus });
export const AgreementParams = z.strictObject({ matchId: Id, agreementId: Id });

export const MatchIdParams = z.strictObject({ matchId: Id });
/** The follow-up outcome codes, from the engine's list (docs/engine.md "Follow-up outcomes"). */
export const FollowUpOutcome = z.enum(FOLLOW_UP_OUTCOMES as readonly [Outcome, ...Outcome[]]);
export const FollowUpBody = z.strictObject({ outcome: FollowUpOutcome });
export const FollowUpRecordOut = z.object({ outcome: FollowUpOutcome, at: Timestamp });
export const InboxQuery = z.strictObject({ cursor: Cursor.optional(), limit: queryInt(1, 500).optional() });

// Responses (documentation; the wire mapping is in ../wire.ts).
const Side = z.enum(['me', 'counterpart']);
export const MatchOut = z.object({
  id: Id,
  kind: z.enum(['person', 'family']),
  status: z.enum(['active', 'ended']),
  createdAt: Timestamp,
  ownSignalId: Id,
  /**
   * contact is null while the match is under objection (docs/engine.md "Objections") or
   * restricted (GDPR art. 18), and once the counterpart's signal is no longer active: withdrawn,
   * past its expiresAt or ended by a key retirement (docs/engine.md "What a match reveals").
   */
  counterpart: z.object({ organisationName: z.string(), contact: ContactOut.nullable() }),
  underObjection: z.boolean(),
  /** Since API 1.2.0: the GDPR desk restricted a signal of this match; told apart from an objection. */
  restricted: z.boolean(),
  followUp: z.object({
    contactMadeByMe: Timestamp.nullable(),
    contactMadeByCounterpart: Timestamp.nullable(),
    mine: FollowUpRecordOut.nullable(),
    counterpart: FollowUpRecordOut.nullable(),
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
/**
 * A process agreement's members but its id, with `side` naming an organisation of the match: `me` or
 * `counterpart` to a matched organisation, an index into `organisationNames` in the GDPR access answer.
 */
export function agreementMembers<S extends z.ZodType>(side: S) {
  return {
    owner: side,
    actionKind: z.string(),
    informationCategory: z.string(),
    purpose: z.string(),
    dueDate: DateOnly,
    status: AgreementStatus,
    createdAt: Timestamp,
    createdBy: side,
    history: z.array(z.object({ status: AgreementStatus, at: Timestamp, by: side })),
  };
}
export const AgreementOut = z.object({ id: Id, ...agreementMembers(Side) });
export const AgreementListOut = z.object({ items: z.array(AgreementOut) });
export const VocabularyOut = z.object({
  consentScopes: z.array(z.string()),
  actionKinds: z.array(z.string()),
  informationCategories: z.array(z.string()),
  purposes: z.array(z.string()),
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
