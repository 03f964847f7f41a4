// Working together after a match (docs/sdk.md "Consent, agreements and the report"): the
// citizen's consent on an own signal and the match's process agreements. Invariant: codes
// only; the SDK refuses anything that looks like free text before it is sent.

import { SluisError } from '../errors.js';
import { type CalendarDate, compareDates, parseDate } from './dates.js';
import { type RequestContext, sid } from './request-context.js';
import { asAgreement, asConsent, asObj, asVocabulary } from './responses.js';
import {
  type Agreement,
  type AgreementInput,
  type AgreementStatus,
  CONSENT_SCOPES,
  type Consent,
  type ConsentInput,
  type Vocabulary,
} from './types.js';
import { TEXT_RULES } from './text-rules.js';
import { FieldErrors, todayUtc } from './validate.js';

/** Records the citizen's consent on an own active signal (replaces an earlier one). */
export async function recordConsent(
  ctx: RequestContext,
  signalId: string,
  input: ConsentInput,
): Promise<Consent> {
  const errors = new FieldErrors();
  const body = checkConsent(input, todayUtc(ctx.clock), errors);
  errors.throwIfAny();
  const path = `/v1/signals/${sid(signalId)}/consent`;
  return asConsent(asObj(await ctx.send({ method: 'PUT', path, body, idempotent: true })).consent);
}

/** The consent on an own signal, or null. */
export async function getConsent(ctx: RequestContext, signalId: string): Promise<Consent | null> {
  const path = `/v1/signals/${sid(signalId)}/consent`;
  const c = asObj(await ctx.send({ method: 'GET', path, idempotent: true })).consent;
  return c === null ? null : asConsent(c);
}

/** Records that the citizen withdrew consent. */
export async function withdrawConsent(ctx: RequestContext, signalId: string): Promise<Consent> {
  const path = `/v1/signals/${sid(signalId)}/consent/withdraw`;
  return asConsent(asObj(await ctx.send({ method: 'POST', path, body: {}, idempotent: false })).consent);
}

/** The configured code lists for consent scopes and agreements. */
export async function vocabulary(ctx: RequestContext): Promise<Vocabulary> {
  return asVocabulary(await ctx.send({ method: 'GET', path: '/v1/agreements/vocabulary', idempotent: true }));
}

/** The match's process agreements, oldest first. */
export async function listAgreements(ctx: RequestContext, matchId: string): Promise<Agreement[]> {
  const path = `/v1/matches/${sid(matchId, 'matchId')}/agreements`;
  const body = asObj(await ctx.send({ method: 'GET', path, idempotent: true }));
  if (!Array.isArray(body.items)) throw new SluisError('response_invalid');
  return body.items.map(asAgreement);
}

/**
 * Appends a process agreement. Not retried automatically after an unanswered attempt
 * (a retry could append it twice): list the agreements and check before trying again.
 */
export async function addAgreement(
  ctx: RequestContext,
  matchId: string,
  input: AgreementInput,
): Promise<Agreement> {
  const errors = new FieldErrors();
  const body = checkAgreement(input, todayUtc(ctx.clock), errors);
  errors.throwIfAny();
  const path = `/v1/matches/${sid(matchId, 'matchId')}/agreements`;
  return asAgreement(await ctx.send({ method: 'POST', path, body, idempotent: false }));
}

/** Appends a status update (open, done, cancelled) to an agreement. */
export async function setAgreementStatus(
  ctx: RequestContext,
  matchId: string,
  agreementId: string,
  status: AgreementStatus,
): Promise<Agreement> {
  if (!AGREEMENT_STATUSES.includes(status)) throw new SluisError('input_invalid', { fields: ['status'] });
  const path = `/v1/matches/${sid(matchId, 'matchId')}/agreements/${sid(agreementId, 'agreementId')}/status`;
  return asAgreement(await ctx.send({ method: 'POST', path, body: { status }, idempotent: false }));
}

const AGREEMENT_STATUSES: readonly AgreementStatus[] = ['open', 'done', 'cancelled'];
const CODE_RE = /^[a-z][a-z0-9_]{0,49}$/;

/** Mirrors the server: fixed scopes, a past or present date, an opaque reference, nothing else. */
function checkConsent(v: unknown, today: CalendarDate, errors: FieldErrors): ConsentInput | undefined {
  if (typeof v !== 'object' || v === null) {
    errors.add('');
    return undefined;
  }
  const c = v as Record<string, unknown>;
  for (const k of Object.keys(c))
    if (!['date', 'scopes', 'formReference'].includes(k) && c[k] !== undefined) errors.add(k);
  const d = parseDate(c.date);
  if (d === undefined || compareDates(d, today) > 0) errors.add('date');
  const scopes = c.scopes;
  if (
    !Array.isArray(scopes) ||
    scopes.length === 0 ||
    new Set(scopes).size !== scopes.length ||
    scopes.some((x) => !(CONSENT_SCOPES as readonly unknown[]).includes(x))
  ) {
    errors.add('scopes');
  }
  const ref = c.formReference;
  if (ref !== undefined) errors.text(TEXT_RULES.formReference, ref, 'formReference');
  if (errors.fields.length > 0) return undefined;
  return {
    date: c.date as string,
    scopes: scopes as ConsentInput['scopes'],
    ...(ref === undefined ? {} : { formReference: ref as string }),
  };
}

/** Codes only: the SDK refuses anything that looks like text before it is sent. */
function checkAgreement(v: unknown, today: CalendarDate, errors: FieldErrors): AgreementInput | undefined {
  if (typeof v !== 'object' || v === null) {
    errors.add('');
    return undefined;
  }
  const a = v as Record<string, unknown>;
  for (const k of Object.keys(a)) {
    if (
      !['owner', 'actionKind', 'informationCategory', 'purpose', 'dueDate'].includes(k) &&
      a[k] !== undefined
    )
      errors.add(k);
  }
  if (a.owner !== 'me' && a.owner !== 'counterpart') errors.add('owner');
  for (const k of ['actionKind', 'informationCategory', 'purpose']) {
    if (typeof a[k] !== 'string' || !CODE_RE.test(a[k] as string)) errors.add(k);
  }
  const d = parseDate(a.dueDate);
  if (d === undefined || compareDates(d, today) < 0) errors.add('dueDate');
  if (errors.fields.length > 0) return undefined;
  return {
    owner: a.owner as AgreementInput['owner'],
    actionKind: a.actionKind as string,
    informationCategory: a.informationCategory as string,
    purpose: a.purpose as string,
    dueDate: a.dueDate as string,
  };
}
