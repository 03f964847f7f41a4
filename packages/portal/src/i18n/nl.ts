// Dutch: the portal's default language and the source catalogue (its keys are the type of
// every catalogue). B1 language level where possible; placeholders in {braces}. One file per
// area in nl/, spread here; a new area is a new file and one line here and in en.ts. A spread
// overwrites a key defined twice without a word: i18n.test.ts checks that none is.

import { adminFixes } from './nl/admin-fixes.js';
import { agreements } from './nl/agreements.js';
import { app } from './nl/app.js';
import { confirm } from './nl/confirm.js';
import { coordFixes } from './nl/coord-fixes.js';
import { devices } from './nl/devices.js';
import { enrol } from './nl/enrol.js';
import { errors } from './nl/errors.js';
import { followUp } from './nl/follow-up.js';
import { gdprDesk } from './nl/gdpr-desk.js';
import { handover } from './nl/handover.js';
import { local } from './nl/local.js';
import { match } from './nl/match.js';
import { matches } from './nl/matches.js';
import { municipality } from './nl/municipality.js';
import { organisation } from './nl/organisation.js';
import { oversight } from './nl/oversight.js';
import { placeSignal } from './nl/place-signal.js';
import { professional } from './nl/professional.js';
import { signIn } from './nl/sign-in.js';
import { signals } from './nl/signals.js';
import { statements } from './nl/statements.js';
import { restriction } from './nl/restriction.js';
import { sessionExpiry } from './nl/session-expiry.js';
import { engineRules } from './nl/engine-rules.js';

export const nl = {
  ...app,
  ...signIn,
  ...enrol,
  ...devices,
  ...placeSignal,
  ...signals,
  ...matches,
  ...match,
  ...agreements,
  ...organisation,
  ...municipality,
  ...oversight,
  ...followUp,
  ...errors,
  ...confirm,
  ...statements,
  ...restriction,
  ...sessionExpiry,
  ...engineRules,
  ...professional,
  ...local,
  ...adminFixes,
  ...coordFixes,
  ...gdprDesk,
  ...handover,
} as const;

export type MessageKey = keyof typeof nl;
