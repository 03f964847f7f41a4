// Options of `sluis-server start`, one group of the table in ../server-options.ts:
// The engine's policy: matching, budgets, terms, regie, process agreements and clock skew;
// handed to the engine only when set (config.ts engineOverrides).

import type { OptionSpec } from './option-spec.js';

export const ENGINE_POLICY_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'sameOrganisationMatching',
    flag: 'same-organisation-matching',
    env: 'SLUIS_SAME_ORGANISATION_MATCHING',
    kind: 'boolean',
    default: 'false',
    description: 'Match signals of the same organisation',
  },
  {
    key: 'organisationTypes',
    flag: 'organisation-type',
    env: 'SLUIS_ORGANISATION_TYPES',
    kind: 'list',
    default: '(engine default list)',
    description: 'Allowed organisation types',
  },
  {
    key: 'defaultPlacementBudgetPerDay',
    flag: 'default-placement-budget',
    env: 'SLUIS_DEFAULT_PLACEMENT_BUDGET',
    kind: 'int',
    default: '1000',
    description:
      'Budget units per organisation per UTC day unless set per organisation (one per distinct pseudonym value a placement looks up)',
  },
  {
    key: 'placementAlertPerHour',
    flag: 'placement-alert-per-hour',
    env: 'SLUIS_PLACEMENT_ALERT_PER_HOUR',
    kind: 'int',
    default: '200',
    description: 'Budget units in one hour above which an anomaly alert is raised',
  },
  {
    key: 'revealLogWindowHours',
    flag: 'reveal-log-window-hours',
    env: 'SLUIS_REVEAL_LOG_WINDOW_HOURS',
    kind: 'int',
    default: '24',
    description:
      'One match.revealed logbook entry per signing key and match per this many hours (0: every read)',
  },
  {
    key: 'logbookRetentionDays',
    flag: 'logbook-retention-days',
    env: 'SLUIS_LOGBOOK_RETENTION_DAYS',
    kind: 'int',
    default: '2557',
    description:
      'Days a logbook entry is kept before purge behind a checkpoint (at least active + archive term)',
  },
  {
    key: 'activeTermDays',
    flag: 'active-term-days',
    env: 'SLUIS_ACTIVE_TERM_DAYS',
    kind: 'int',
    default: '730',
    description: 'Days a signal stays active at most (maximum 730)',
  },
  {
    key: 'archiveTermDays',
    flag: 'archive-term-days',
    env: 'SLUIS_ARCHIVE_TERM_DAYS',
    kind: 'int',
    default: '1826',
    description: 'Days an inactive signal is archived before purge (maximum 1827, 5 years)',
  },
  {
    key: 'regieRule',
    flag: 'regie-rule',
    env: 'SLUIS_REGIE_RULE',
    kind: 'string',
    default: 'first_signaller',
    description: 'Regie on a new match: first_signaller, organisation_type or none',
  },
  {
    key: 'regieOrganisationTypes',
    flag: 'regie-organisation-type',
    env: 'SLUIS_REGIE_ORGANISATION_TYPES',
    kind: 'list',
    default: '(engine default order)',
    description: 'Organisation types in order of precedence for --regie-rule organisation_type',
  },
  {
    key: 'archiveNoticeBases',
    flag: 'archive-notice-basis',
    env: 'SLUIS_ARCHIVE_NOTICE_BASES',
    kind: 'list',
    default: 'jeugdwet',
    description:
      'Legal bases of new signals that get the one-time archive notice: jeugdwet, consent, no_objection, or none',
  },
  {
    key: 'objectionTermDays',
    flag: 'objection-term-days',
    env: 'SLUIS_OBJECTION_TERM_DAYS',
    kind: 'int',
    default: '42',
    description: 'Days after the citizen was informed within which an objection is on time (1-365)',
  },
  {
    key: 'statisticsSuppressionThreshold',
    flag: 'statistics-suppression-threshold',
    env: 'SLUIS_STATISTICS_SUPPRESSION_THRESHOLD',
    kind: 'int',
    default: '5',
    description: 'Management information: cells below this count are shown as "<n" (2-100)',
  },
  {
    key: 'agreementActionKinds',
    flag: 'agreement-action-kind',
    env: 'SLUIS_AGREEMENT_ACTION_KINDS',
    kind: 'list',
    default: '(engine default list)',
    description: 'Action kinds of process agreements (codes)',
  },
  {
    key: 'agreementInformationCategories',
    flag: 'agreement-information-category',
    env: 'SLUIS_AGREEMENT_INFORMATION_CATEGORIES',
    kind: 'list',
    default: '(engine default list)',
    description: 'Kinds of information a process agreement works with (codes)',
  },
  {
    key: 'agreementPurposes',
    flag: 'agreement-purpose',
    env: 'SLUIS_AGREEMENT_PURPOSES',
    kind: 'list',
    default: '(engine default list)',
    description: 'Purposes of process agreements (codes)',
  },
  {
    key: 'clockSkewSeconds',
    flag: 'clock-skew',
    env: 'SLUIS_CLOCK_SKEW_SECONDS',
    kind: 'int',
    default: '300',
    description: 'Accepted clock skew of signed requests (maximum 300)',
  },
];
