// Engine configuration: defaults and validation. The legal ceilings are enforced here,
// not left to operators: at most 2 years active and 5 years archived (Jeugdwet / covenant) and a
// clock skew of at most 300 s for signed requests (docs/protocol.md §5). The agreement
// lists are codes only ([a-z][a-z0-9_]*): a code list cannot carry free text about a person.

import { type EngineConfig, LEGAL_BASES, REGIE_RULES } from './api.js';
import { EngineError } from './errors.js';
import { MAX_CLOCK_SKEW_SECONDS } from './protocol/labels.js';

export const MAX_ACTIVE_TERM_DAYS = 730;
/** 5 years (Jeugdwet art. 7.1.4.1 archive term) including one leap day. */
export const MAX_ARCHIVE_TERM_DAYS = 1827;

export const DEFAULT_ENGINE_CONFIG: EngineConfig = Object.freeze({
  activeTermDays: MAX_ACTIVE_TERM_DAYS,
  archiveTermDays: 1826,
  sameOrganisationMatching: false,
  coalescePlacements: false,
  regieRule: 'first_signaller',
  organisationTypes: Object.freeze([
    'youth_care',
    'general_practice',
    'school',
    'debt_counselling',
    'housing',
    'police',
    'social_services',
    'municipality',
    'other',
  ]),
  // Youth care and the social district team usually coordinate; the police last (it is
  // rarely the party that coordinates care). Only used with regieRule 'organisation_type'.
  regieOrganisationTypes: Object.freeze([
    'youth_care',
    'social_services',
    'municipality',
    'debt_counselling',
    'housing',
    'general_practice',
    'school',
    'other',
    'police',
  ]),
  agreementActionKinds: Object.freeze([
    'contact_citizen',
    'home_visit',
    'case_meeting',
    'refer',
    'apply_for_provision',
    'share_information',
    'request_information',
    'evaluate',
  ]),
  agreementInformationCategories: Object.freeze([
    'none',
    'contact_details',
    'involvement',
    'care_and_support',
    'school_and_education',
    'income_and_debts',
    'housing',
    'health',
    'safety',
  ]),
  agreementPurposes: Object.freeze([
    'coordinate_support',
    'assess_need',
    'arrange_provision',
    'prevent_eviction',
    'resolve_debts',
    'school_attendance',
    'safety_plan',
    'inform_citizen',
  ]),
  defaultPlacementBudgetPerDay: 1000,
  placementAlertPerHour: 200,
  revealLogWindowHours: 24,
  logbookRetentionDays: 2557,
  clockSkewSeconds: MAX_CLOCK_SKEW_SECONDS,
  allowLoopbackHttpWebhooks: false,
  archiveNoticeBases: Object.freeze(['jeugdwet'] as const),
  objectionTermDays: 42,
  statisticsSuppressionThreshold: 5,
  webauthn: null,
  enrolmentCodeHours: 72,
  sessionIdleMinutes: 30,
  sessionHours: 12,
});

const RP_ID_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** An RP id, a name and 1–20 exact origins whose host is the RP id or under it (WebAuthn §5.1.3). */
function validWebAuthn(w: unknown): boolean {
  if (w === null) return true;
  if (typeof w !== 'object' || w === undefined) return false;
  const { rpId, rpName, origins } = w as Record<string, unknown>;
  if (typeof rpId !== 'string' || !RP_ID_RE.test(rpId)) return false;
  if (typeof rpName !== 'string' || rpName.length < 1 || rpName.length > 100) return false;
  if (!Array.isArray(origins) || origins.length < 1 || origins.length > 20) return false;
  return origins.every((o) => {
    if (typeof o !== 'string') return false;
    let u: URL;
    try {
      u = new URL(o);
    } catch {
      return false;
    }
    const secure = u.protocol === 'https:' || (u.protocol === 'http:' && u.hostname === 'localhost');
    const host = u.hostname === rpId || u.hostname.endsWith(`.${rpId}`);
    return secure && host && u.origin === o;
  });
}

const intIn = (v: unknown, min: number, max: number): boolean =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

const CODE_RE = /^[a-z][a-z0-9_]{0,49}$/;

/** 1–100 distinct codes. */
function codeList(v: unknown): v is readonly string[] {
  return (
    Array.isArray(v) &&
    v.length >= 1 &&
    v.length <= 100 &&
    new Set(v).size === v.length &&
    v.every((t) => typeof t === 'string' && CODE_RE.test(t))
  );
}

export function resolveConfig(partial: Partial<EngineConfig> = {}): EngineConfig {
  const c: EngineConfig = { ...DEFAULT_ENGINE_CONFIG, ...partial };
  const bad: string[] = [];
  if (!intIn(c.activeTermDays, 1, MAX_ACTIVE_TERM_DAYS)) bad.push('activeTermDays');
  if (!intIn(c.archiveTermDays, 0, MAX_ARCHIVE_TERM_DAYS)) bad.push('archiveTermDays');
  if (typeof c.sameOrganisationMatching !== 'boolean') bad.push('sameOrganisationMatching');
  if (typeof c.coalescePlacements !== 'boolean') bad.push('coalescePlacements');
  if (!REGIE_RULES.includes(c.regieRule)) bad.push('regieRule');
  if (
    !Array.isArray(c.organisationTypes) ||
    c.organisationTypes.length === 0 ||
    c.organisationTypes.some((t) => typeof t !== 'string' || !CODE_RE.test(t))
  ) {
    bad.push('organisationTypes');
  }
  // The precedence list must name known types when it is used, so a typo cannot
  // silently fall back to the first signaller.
  if (
    !codeList(c.regieOrganisationTypes) ||
    (c.regieRule === 'organisation_type' &&
      Array.isArray(c.organisationTypes) &&
      c.regieOrganisationTypes.some((t) => !c.organisationTypes.includes(t)))
  ) {
    bad.push('regieOrganisationTypes');
  }
  if (!codeList(c.agreementActionKinds)) bad.push('agreementActionKinds');
  if (!codeList(c.agreementInformationCategories)) bad.push('agreementInformationCategories');
  if (!codeList(c.agreementPurposes)) bad.push('agreementPurposes');
  if (!intIn(c.defaultPlacementBudgetPerDay, 1, 1_000_000)) bad.push('defaultPlacementBudgetPerDay');
  if (!intIn(c.placementAlertPerHour, 1, 1_000_000)) bad.push('placementAlertPerHour');
  if (!intIn(c.revealLogWindowHours, 0, 168)) bad.push('revealLogWindowHours');
  // Never shorter than a signal can live: an entry is at most as old as the signals it names
  // (checked against valid terms only, so a bad term is reported once, as itself).
  const terms =
    bad.includes('activeTermDays') || bad.includes('archiveTermDays')
      ? 0
      : c.activeTermDays + c.archiveTermDays;
  if (!intIn(c.logbookRetentionDays, Math.max(1, terms), 36_525)) bad.push('logbookRetentionDays');
  if (!intIn(c.clockSkewSeconds, 1, MAX_CLOCK_SKEW_SECONDS)) bad.push('clockSkewSeconds');
  if (typeof c.allowLoopbackHttpWebhooks !== 'boolean') bad.push('allowLoopbackHttpWebhooks');
  if (
    !Array.isArray(c.archiveNoticeBases) ||
    new Set(c.archiveNoticeBases).size !== c.archiveNoticeBases.length ||
    c.archiveNoticeBases.some((b) => !LEGAL_BASES.includes(b))
  ) {
    bad.push('archiveNoticeBases');
  }
  if (!intIn(c.objectionTermDays, 1, 365)) bad.push('objectionTermDays');
  if (!intIn(c.statisticsSuppressionThreshold, 2, 100)) bad.push('statisticsSuppressionThreshold');
  if (!validWebAuthn(c.webauthn)) bad.push('webauthn');
  if (!intIn(c.enrolmentCodeHours, 1, 720)) bad.push('enrolmentCodeHours');
  if (!intIn(c.sessionIdleMinutes, 1, 1440)) bad.push('sessionIdleMinutes');
  if (!intIn(c.sessionHours, 1, 168)) bad.push('sessionHours');
  if (bad.length > 0)
    throw new EngineError('config_invalid', 'the engine configuration is invalid', { fields: bad });
  return Object.freeze({
    ...c,
    organisationTypes: Object.freeze([...c.organisationTypes]),
    regieOrganisationTypes: Object.freeze([...c.regieOrganisationTypes]),
    agreementActionKinds: Object.freeze([...c.agreementActionKinds]),
    agreementInformationCategories: Object.freeze([...c.agreementInformationCategories]),
    agreementPurposes: Object.freeze([...c.agreementPurposes]),
    archiveNoticeBases: Object.freeze([...c.archiveNoticeBases]),
    webauthn:
      c.webauthn === null
        ? null
        : Object.freeze({ ...c.webauthn, origins: Object.freeze([...c.webauthn.origins]) }),
  });
}
