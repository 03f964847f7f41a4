// Engine configuration: defaults and validation. The legal ceilings are enforced here,
// not left to operators: at most 2 years active (Jeugdwet art. 7.1.4.1 / covenant) and a
// clock skew of at most 300 s for signed requests (docs/protocol.md §5).

import type { EngineConfig } from './api.js';
import { EngineError } from './errors.js';
import { MAX_CLOCK_SKEW_SECONDS } from './protocol/labels.js';

export const MAX_ACTIVE_TERM_DAYS = 730;

export const DEFAULT_ENGINE_CONFIG: EngineConfig = Object.freeze({
  activeTermDays: MAX_ACTIVE_TERM_DAYS,
  archiveTermDays: 1826,
  sameOrganisationMatching: false,
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
  defaultPlacementBudgetPerDay: 1000,
  placementAlertPerHour: 200,
  clockSkewSeconds: MAX_CLOCK_SKEW_SECONDS,
});

const intIn = (v: unknown, min: number, max: number): boolean =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

export function resolveConfig(partial: Partial<EngineConfig> = {}): EngineConfig {
  const c: EngineConfig = { ...DEFAULT_ENGINE_CONFIG, ...partial };
  const bad: string[] = [];
  if (!intIn(c.activeTermDays, 1, MAX_ACTIVE_TERM_DAYS)) bad.push('activeTermDays');
  if (!intIn(c.archiveTermDays, 0, 36_500)) bad.push('archiveTermDays');
  if (typeof c.sameOrganisationMatching !== 'boolean') bad.push('sameOrganisationMatching');
  if (c.regieRule !== 'first_signaller' && c.regieRule !== 'none') bad.push('regieRule');
  if (
    !Array.isArray(c.organisationTypes) ||
    c.organisationTypes.length === 0 ||
    c.organisationTypes.some((t) => typeof t !== 'string' || !/^[a-z][a-z0-9_]{0,49}$/.test(t))
  ) {
    bad.push('organisationTypes');
  }
  if (!intIn(c.defaultPlacementBudgetPerDay, 1, 1_000_000)) bad.push('defaultPlacementBudgetPerDay');
  if (!intIn(c.placementAlertPerHour, 1, 1_000_000)) bad.push('placementAlertPerHour');
  if (!intIn(c.clockSkewSeconds, 1, MAX_CLOCK_SKEW_SECONDS)) bad.push('clockSkewSeconds');
  if (bad.length > 0)
    throw new EngineError('config_invalid', 'the engine configuration is invalid', { fields: bad });
  return Object.freeze({ ...c, organisationTypes: Object.freeze([...c.organisationTypes]) });
}
