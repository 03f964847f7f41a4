// Options of `sluis-server start`, one group of the table in ../server-options.ts:
// Sign-in of professionals: the WebAuthn relying party, enrolment codes, session lifetimes and
// the ceremony rate limit (docs/operations.md "Sign-in").

import type { OptionSpec } from './option-spec.js';

export const SIGN_IN_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'webauthnRpId',
    flag: 'webauthn-rp-id',
    env: 'SLUIS_WEBAUTHN_RP_ID',
    kind: 'string',
    default: '(none: passkey sign-in off)',
    description: 'webauthn.rpId: the WebAuthn relying party id, the portal’s domain (docs/protocol.md §10)',
  },
  {
    key: 'webauthnRpName',
    flag: 'webauthn-rp-name',
    env: 'SLUIS_WEBAUTHN_RP_NAME',
    kind: 'string',
    default: 'sluis',
    description: 'webauthn.rpName: the name an authenticator shows when a passkey is created',
  },
  {
    key: 'webauthnOrigins',
    flag: 'webauthn-origin',
    env: 'SLUIS_WEBAUTHN_ORIGINS',
    kind: 'list',
    default: '(none; required with webauthn.rpId)',
    description: 'webauthn.origins: exact portal origins a passkey response may come from',
  },
  {
    key: 'enrolmentCodeHours',
    flag: 'enrolment-code-hours',
    env: 'SLUIS_ENROLMENT_CODE_HOURS',
    kind: 'int',
    default: '72',
    description: 'Lifetime of an enrolment code in hours (1-720)',
  },
  {
    key: 'sessionIdleMinutes',
    flag: 'session-idle-minutes',
    env: 'SLUIS_SESSION_IDLE_MINUTES',
    kind: 'int',
    default: '30',
    description: 'A session ends after this many minutes without a request (1-1440)',
  },
  {
    key: 'sessionHours',
    flag: 'session-hours',
    env: 'SLUIS_SESSION_HOURS',
    kind: 'int',
    default: '12',
    description: 'A session ends this many hours after sign-in at the latest (1-168)',
  },
  {
    key: 'signInPerMinute',
    flag: 'sign-in-per-minute',
    env: 'SLUIS_SIGN_IN_PER_MINUTE',
    kind: 'int',
    default: '10',
    description:
      'Passkey ceremonies per route and client address, and per person, per minute, per instance (burst the same); step-up challenges per session (per person twice that)',
  },
];
