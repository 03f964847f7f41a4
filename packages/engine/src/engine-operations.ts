// Which domain function answers which Engine operation. Each function takes the engine's
// context first and its Engine arguments after it, so the facade (engine-facade.ts) binds
// them to the context as they are — nothing in between but the closed check, and for the
// second table the run at the store's secret generation (domain/secret-generation.ts).
// What is more than that (the placement counters, the authenticator, the sync vocabulary,
// close) is written out in the facade.

import { budgetUsage } from './domain/budget.js';
import type { EngineContext } from './domain/context.js';
import { addAgreement, agreementsOverview, listAgreements, setAgreementStatus } from './domain/agreements.js';
import { getConsent, recordConsent, withdrawConsent } from './domain/consent.js';
import { claimDeliveries, listDeliveries, recordDeliveryAttempt } from './domain/deliveries.js';
import { issueEnrolmentCode } from './domain/enrolment-codes.js';
import { listEpochs, registerEpoch, retireEpoch } from './domain/epochs.js';
import { gauges, statistics } from './domain/gauges.js';
import { gdprAccess, gdprErase, gdprObject, gdprRestrict } from './domain/gdpr.js';
import { keyActivity, recordKeyEvent, webhookKeyRecord } from './domain/key-activity.js';
import { beginSecretRotation, epochProgress, rekeyBatch } from './domain/key-lifecycle.js';
import { logbookPage, verifyStoredLogbook } from './domain/logbook.js';
import { claimMailNotices, listMailNotices, recordMailAttempt } from './domain/mail-notices.js';
import { managementInformation } from './domain/management-information.js';
import { recordContactMade, recordFollowUp, regie } from './domain/match-acts.js';
import { followUpOverview, getMatch, inbox } from './domain/matches.js';
import {
  addKey,
  admitOrganisation,
  getOrganisation,
  listKeys,
  listOrganisations,
  reinstateOrganisation,
  revokeKey,
  suspendOrganisation,
  updateOrganisation,
} from './domain/organisations.js';
import { addDevice, deviceOptions, removeOwnDevice } from './domain/own-devices.js';
import { enrol, enrolmentOptions, listDevices, removeDevice } from './domain/passkeys.js';
import { stepUpOptions } from './domain/step-up.js';
import { addPerson, getPerson, listPeople, removePerson } from './domain/people.js';
import { runRetention } from './domain/retention.js';
import { endSession, sessionInfo, signIn, signInOptions } from './domain/sessions.js';
import { archiveNotices } from './domain/archive-notice.js';
import { rectifyContact, transferSignals, updateInformed, withdrawSignal } from './domain/signal-changes.js';
import { getSignal, listSignals } from './domain/signal-reads.js';
import {
  declineHandoverRequest,
  listHandoverDeclines,
  listHandoverRequests,
  requestHandover,
} from './domain/handover-requests.js';

/** Engine operations answered by one domain function each, bound to the context as they are. */
export const OPERATIONS = {
  // organisations (admin)
  admitOrganisation,
  getOrganisation,
  listOrganisations,
  updateOrganisation,
  suspendOrganisation,
  addKey,
  revokeKey,
  listKeys,
  // people (no cache to invalidate: the authenticator reads a person per request)
  addPerson,
  listPeople,
  getPerson,
  removePerson,
  // sign-in (docs/protocol.md §10)
  issueEnrolmentCode,
  listDevices,
  removeDevice,
  enrolmentOptions,
  enrol,
  signInOptions,
  signIn,
  deviceOptions,
  addDevice,
  stepUpOptions,
  removeOwnDevice,
  sessionInfo,
  endSession,
  // signals
  withdrawSignal,
  transferSignals,
  rectifyContact,
  updateInformed,
  archiveNotices,
  getSignal,
  listSignals,
  requestHandover,
  listHandoverRequests,
  declineHandoverRequest,
  listHandoverDeclines,
  // matches, working together after a match
  inbox,
  getMatch,
  recordContactMade,
  recordFollowUp,
  regie,
  recordConsent,
  withdrawConsent,
  getConsent,
  listAgreements,
  addAgreement,
  setAgreementStatus,
  agreementsOverview,
  // municipality
  followUpOverview,
  managementInformation,
  runRetention,
  logbook: logbookPage,
  verifyLogbook: verifyStoredLogbook,
  statistics,
  // covenant key epochs, server secret, key review (docs/keys.md)
  listEpochs,
  registerEpoch,
  retireEpoch,
  epochProgress,
  beginSecretRotation,
  keyActivity,
  recordKeyEvent,
  webhookKeyRecord,
  // outboxes, operations
  claimDeliveries,
  recordDeliveryAttempt,
  listDeliveries,
  claimMailNotices,
  recordMailAttempt,
  listMailNotices,
  gauges,
  budgetUsage,
} as const;

/**
 * Operations that derive stored values from pseudonyms: each runs at the store's secret
 * generation and is repeated at the new one when a rotation moved it on meanwhile.
 */
export const AT_GENERATION = {
  reinstateOrganisation,
  gdprAccess,
  gdprErase,
  gdprRestrict,
  gdprObject,
  rekeyBatch,
} as const;

// biome-ignore lint/suspicious/noExplicitAny: any domain operation's own arguments
type Operation = (ctx: EngineContext, ...args: any[]) => Promise<unknown>;

/** A table's operations with the context bound: the Engine's own signatures. */
export type Bound<T extends Record<string, Operation>> = {
  readonly [K in keyof T]: T[K] extends (ctx: EngineContext, ...args: infer A) => Promise<infer R>
    ? (...args: A) => Promise<R>
    : never;
};

/** Binds every operation of `table` through `run`, which calls the operation with the context. */
export function bindOperations<T extends Record<string, Operation>>(
  table: T,
  run: (call: () => Promise<unknown>) => Promise<unknown>,
  ctx: EngineContext,
): Bound<T> {
  const bound: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, op] of Object.entries(table)) bound[name] = (...args) => run(() => op(ctx, ...args));
  return bound as Bound<T>;
}
