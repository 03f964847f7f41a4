// English: every key of the Dutch source catalogue. Each en/<area>.ts is typed by the keys of
// nl/<area>.ts (a missing or extra key is a type error); the type below catches a missing area.
import type { MessageKey } from './nl.js';
import { adminFixes } from './en/admin-fixes.js';
import { agreements } from './en/agreements.js';
import { app } from './en/app.js';
import { confirm } from './en/confirm.js';
import { coordFixes } from './en/coord-fixes.js';
import { devices } from './en/devices.js';
import { enrol } from './en/enrol.js';
import { errors } from './en/errors.js';
import { followUp } from './en/follow-up.js';
import { gdprDesk } from './en/gdpr-desk.js';
import { handover } from './en/handover.js';
import { local } from './en/local.js';
import { match } from './en/match.js';
import { matches } from './en/matches.js';
import { municipality } from './en/municipality.js';
import { organisation } from './en/organisation.js';
import { oversight } from './en/oversight.js';
import { placeSignal } from './en/place-signal.js';
import { professional } from './en/professional.js';
import { signIn } from './en/sign-in.js';
import { signals } from './en/signals.js';
import { statements } from './en/statements.js';
import { restriction } from './en/restriction.js';
import { sessionExpiry } from './en/session-expiry.js';
import { engineRules } from './en/engine-rules.js';

export const en: Record<MessageKey, string> = {
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
};
