// The GDPR desk's screen, its model (docs/portal.md "The GDPR desk"): the citizen as typed —
// a BSN, or for a person without one surname, date of birth and gender — checked with the
// place-signal form's checks (the SDK's), turned into the API's GDPR subject through the
// session's pseudonymisers (the pseudonym service, one pseudonym per active OPRF epoch, as
// docs/api.md "Admin (municipality) routes" asks), and the objection's date checked before
// anything is sent. No typed value is ever put in a message: errors are message keys.

import {
  type AccessReportInput,
  type CanonicalIdentifier,
  canonicaliseIdentifier,
  type Pseudonym,
  type Pseudonymiser,
  SUBSTITUTE_SCHEME,
} from '@sluis/client-sdk';
import { ApiError } from '../api/http.js';
import type { MessageKey, Translate } from '../i18n/i18n.js';
import { bsnDigits, bsnError, type Gender, substituteErrors } from './place-signal-model.js';

/** The citizen as typed at the desk. */
export interface Citizen {
  /** docs/protocol.md §2.2: surname, date of birth and gender instead of a BSN (OPRF epochs only). */
  readonly withoutBsn: boolean;
  readonly bsn: string;
  readonly surname: string;
  readonly dateOfBirth: string;
  readonly gender: Gender | '';
}

export const NO_CITIZEN: Citizen = { withoutBsn: false, bsn: '', surname: '', dateOfBirth: '', gender: '' };

export type CitizenErrors = Partial<Record<'bsn' | 'surname' | 'dateOfBirth' | 'gender', MessageKey>>;

/** The place-signal form's checks of the same fields, all at once, before anything is pseudonymised. */
export function citizenErrors(c: Citizen): CitizenErrors {
  const e: CitizenErrors = {};
  if (c.withoutBsn) substituteErrors(c, e);
  else {
    const b = bsnError(c.bsn, false);
    if (b !== undefined) e.bsn = b;
  }
  return e;
}

/** The GDPR subject of the API (`GdprSubject`): the pseudonyms, and `oprfOnly` for a person without a BSN. */
export interface Subject {
  readonly subject: readonly Pseudonym[];
  readonly oprfOnly: boolean;
}

function identifierOf(c: Citizen): CanonicalIdentifier {
  return c.withoutBsn
    ? canonicaliseIdentifier(SUBSTITUTE_SCHEME, {
        surname: c.surname.trim(),
        dateOfBirth: c.dateOfBirth,
        gender: c.gender,
      })
    : canonicaliseIdentifier('bsn', bsnDigits(c.bsn));
}

/**
 * The citizen under every epoch the page pseudonymises with (the pinned OPRF epochs the server
 * offers: the active ones). The server refuses a subject that misses an active epoch, so a
 * request is never silently incomplete (docs/api.md "Admin (municipality) routes").
 */
export async function subjectOf(c: Citizen, pseudonymisers: readonly Pseudonymiser[]): Promise<Subject> {
  const identifier = identifierOf(c);
  const subject: Pseudonym[] = [];
  for (const p of pseudonymisers) subject.push(...(await p.pseudonymiseBatch([identifier])));
  return { subject, oprfOnly: c.withoutBsn };
}

/** The request body's subject part: `oprfOnly` only when true (the schema takes `true` or nothing). */
export function subjectBody(s: Subject): { subject: readonly Pseudonym[]; oprfOnly?: true } {
  return s.oprfOnly ? { subject: s.subject, oprfOnly: true } : { subject: s.subject };
}

/** An objection's registration: received on a day (not in the future), late only when excused. */
export function objectionBody(
  s: Subject,
  receivedOn: string,
  lateExcused: boolean,
): {
  subject: readonly Pseudonym[];
  status: 'pending';
  receivedOn: string;
  lateExcused?: true;
  oprfOnly?: true;
} {
  return {
    ...subjectBody(s),
    status: 'pending',
    receivedOn,
    ...(lateExcused ? { lateExcused: true } : {}),
  };
}

/** The received-on date's fault: empty, not a date, or in the future (today as `YYYY-MM-DD`, UTC). */
export function receivedOnError(receivedOn: string, today: string): MessageKey | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(receivedOn) || Number.isNaN(Date.parse(`${receivedOn}T00:00:00Z`)))
    return 'gdpr.object.error.receivedOn';
  return receivedOn > today ? 'gdpr.object.error.receivedOn' : undefined;
}

/**
 * The server's refusal of a subject that does not name the citizen under every active epoch:
 * an HMAC epoch is still active, which the portal cannot pseudonymise under (docs/portal.md
 * "The GDPR desk").
 */
export function isSubjectRefusal(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'validation_failed' && e.fields.includes('subject');
}

type ReportSignal = AccessReportInput['signals'][number];
type ReportMatch = NonNullable<AccessReportInput['matches']>[number];

/**
 * The answer of `POST /v1/admin/gdpr/access` (the server's GdprAccessOut) as the page reads it:
 * the SDK's `AccessReportInput` — what the citizen's report shows, one source of that shape —
 * with the parts only the desk's tables show (ids, end dates, informed, restriction, objection),
 * and what API 1.7.0 added (docs/api.md "The access report's `access` list"), which the SDK's
 * input takes as optional and the desk's answer always carries.
 */
export interface AccessAnswer extends AccessReportInput {
  readonly signals: readonly (ReportSignal & {
    readonly signalId: string;
    readonly expiresAt: string;
    readonly informed: { readonly status: string; readonly date?: string | null };
    readonly restricted: boolean;
    readonly objection: 'pending' | 'upheld' | 'rejected' | null;
    readonly legalBasis: NonNullable<ReportSignal['legalBasis']>;
    readonly attestedOn: string | null;
    readonly consent: NonNullable<ReportSignal['consent']> | null;
  })[];
  readonly parentLinks: readonly (ReportSignal & { readonly signalId: string; readonly expiresAt: string })[];
  readonly matches: readonly (ReportMatch & {
    readonly matchId: string;
    readonly kind: 'person' | 'family';
    readonly followUp: NonNullable<ReportMatch['followUp']>;
    readonly regie: NonNullable<ReportMatch['regie']> | null;
    readonly agreements: NonNullable<ReportMatch['agreements']>;
  })[];
}

/**
 * Which action's answer is shown, and what it counted (API 1.4.0, docs/api.md "Admin
 * (municipality) routes"): for a restriction, its lifting and a registered or rejected
 * objection, ALL the citizen's signals but only the parent links whose hold this request
 * changed — two kinds of count, which the sentences keep apart; for an erasure (or an upheld
 * objection) what was erased: signals, matches and parent links;
 * a registered objection also whether it was on time, and whether the desk ticked "late".
 */
export type Outcome =
  | {
      readonly kind: 'restrict' | 'unrestrict' | 'upheld' | 'rejected';
      readonly signals: number;
      readonly parentLinks: number;
    }
  | {
      readonly kind: 'pending';
      readonly signals: number;
      readonly parentLinks: number;
      readonly onTime: boolean;
      readonly lateTicked: boolean;
    }
  | {
      readonly kind: 'erase';
      readonly signals: number;
      readonly matches: number;
      readonly parentLinks: number;
    };

/** The sentence of an outcome: its message key. */
export function outcomeKey(kind: Outcome['kind']): MessageKey {
  switch (kind) {
    case 'restrict':
      return 'gdpr.restrict.done';
    case 'unrestrict':
      return 'gdpr.unrestrict.done';
    case 'erase':
      return 'gdpr.erase.done';
    default:
      return `gdpr.object.${kind}.done`;
  }
}

/**
 * An outcome in words. A registration also says whether it was on time: on time, the
 * "late, but excused" tick changes nothing and the server does not record it (docs/engine.md
 * "Objections"), which the page says when the desk ticked it.
 */
export function outcomeText(t: Translate, o: Outcome): string {
  const signals = t('gdpr.count.signals', { count: o.signals });
  const links = t('gdpr.count.links', { count: o.parentLinks });
  if (o.kind === 'erase')
    return t('gdpr.erase.done', { signals, matches: t('gdpr.count.matches', { count: o.matches }), links });
  const done = t(outcomeKey(o.kind), { signals, links });
  if (o.kind !== 'pending') return done;
  const term = o.onTime
    ? o.lateTicked
      ? 'gdpr.object.term.onTimeTicked'
      : 'gdpr.object.term.onTime'
    : 'gdpr.object.term.lateExcused';
  return `${done} ${t(term)}`;
}
