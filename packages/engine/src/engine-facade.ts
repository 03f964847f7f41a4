// The Engine facade: one method per Engine operation, delegating to the domain modules. It
// adds what spans modules: the closed check and the in-process counters for /metrics
// (updated only after a commit, never for a rollback; per instance).

import type {
  Actor,
  AttemptResult,
  AddPersonInput,
  AdmitOrganisationInput,
  KeyEventAction,
  AgreementInput,
  AgreementStatus,
  ConsentInput,
  BatchItemResult,
  Contact,
  Engine,
  EngineMetrics,
  FollowUpOutcome,
  FollowUpQuery,
  GdprEpochs,
  Informed,
  ListSignalsQuery,
  MailNoticeStatus,
  MigrateSignalInput,
  ObjectionInput,
  ObjectionStatus,
  MiQuery,
  PersonPseudonyms,
  PlaceSignalInput,
  PlacementResult,
  RegieAction,
  AuthenticationHooks,
  SignedRequest,
  UpdateOrganisationInput,
  Vocabulary,
  WithdrawReason,
} from './api.js';
import { Authenticator } from './auth/authenticator.js';
import { budgetUsage } from './domain/budget.js';
import { type EngineContext, notFound, type OrganisationActor } from './domain/context.js';
import {
  addAgreement,
  agreementsOverview,
  listAgreements,
  setAgreementStatus,
  vocabulary,
} from './domain/agreements.js';
import { getConsent, recordConsent, withdrawConsent } from './domain/consent.js';
import { claimDeliveries, listDeliveries, recordDeliveryAttempt } from './domain/deliveries.js';
import { claimMailNotices, listMailNotices, recordMailAttempt } from './domain/mail-notices.js';
import { type EpochRegistration, listEpochs, registerEpoch, retireEpoch } from './domain/epochs.js';
import {
  beginSecretRotation,
  epochProgress,
  keyActivity,
  reconcileSecretRotation,
  recordKeyEvent,
  rekeyBatch,
  secretRotationStatus,
} from './domain/key-lifecycle.js';
import { gdprAccess, gdprErase, gdprObject, gdprRestrict } from './domain/gdpr.js';
import { readLogbook, verifyLogbook } from './domain/logbook.js';
import {
  followUpOverview,
  getMatch,
  inbox,
  recordContactMade,
  recordFollowUp,
  regie,
} from './domain/matches.js';
import {
  addKey,
  admitOrganisation,
  listKeys,
  revokeKey,
  setOrganisationStatus,
  toOrganisation,
  updateOrganisation,
} from './domain/organisations.js';
import { addPerson, getPerson, listPeople, removePerson } from './domain/people.js';
import { issueEnrolmentCode } from './domain/enrolment-codes.js';
import {
  addDevice,
  deviceOptions,
  enrol,
  enrolmentOptions,
  listDevices,
  removeDevice,
} from './domain/passkeys.js';
import { endSession, sessionInfo, signIn, signInOptions } from './domain/sessions.js';
import type { CeremonyHooks, EnrolInput, SignInInput } from './api.js';
import { runRetention } from './domain/retention.js';
import { rectifyContact, transferSignals, updateInformed, withdrawSignal } from './domain/signal-changes.js';
import { migrateSignalBatch } from './domain/signal-migration.js';
import { placeSignal, placeSignalBatch } from './domain/signal-placement.js';
import { gauges } from './domain/gauges.js';
import { getSignal, listSignals } from './domain/signal-reads.js';
import { archiveNotices } from './domain/archive-notice.js';
import { managementInformation } from './domain/management-information.js';
import { EngineError } from './errors.js';
import { SecretGenerations } from './domain/secret-generation.js';
import { fail } from './validation.js';

export class EngineImpl implements Engine {
  readonly #ctx: EngineContext;
  readonly #auth: Authenticator;
  /** Operations that derive stored values run at the store's secret generation (secret-generation.ts). */
  readonly #generations: SecretGenerations;
  readonly #placements = new Map<string, number>();
  readonly #alerts = new Map<string, number>();
  #closed = false;

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
    this.#auth = new Authenticator(ctx);
    this.#generations = new SecretGenerations(ctx, ctx.loadServerSecret);
  }

  async start(): Promise<void> {
    await reconcileSecretRotation(this.#ctx);
  }
  #check(): void {
    if (this.#closed) throw new EngineError('store_closed', 'the engine is closed');
  }

  #count(done: { result: PlacementResult; created: boolean; alerted: boolean }, orgId: string): void {
    if (done.created) this.#placements.set(orgId, (this.#placements.get(orgId) ?? 0) + 1);
    if (done.alerted) this.#alerts.set(orgId, (this.#alerts.get(orgId) ?? 0) + 1);
  }

  // --- authentication -------------------------------------------------------------

  async authenticate(request: SignedRequest, hooks?: AuthenticationHooks) {
    this.#check();
    return this.#auth.authenticate(request, hooks);
  }

  // --- organisations ---------------------------------------------------------------

  async admitOrganisation(actor: Actor, input: AdmitOrganisationInput) {
    this.#check();
    return admitOrganisation(this.#ctx, actor, input);
  }
  async getOrganisation(id: string) {
    this.#check();
    const o = await this.#ctx.store.read((tx) => tx.getOrganisation(id));
    if (o === undefined) notFound();
    return toOrganisation(o);
  }
  async listOrganisations() {
    this.#check();
    return (await this.#ctx.store.read((tx) => tx.listOrganisations())).map(toOrganisation);
  }
  async updateOrganisation(actor: Actor, id: string, input: UpdateOrganisationInput) {
    this.#check();
    return updateOrganisation(this.#ctx, actor, id, input);
  }
  async suspendOrganisation(actor: Actor, id: string) {
    this.#check();
    return setOrganisationStatus(this.#ctx, actor, id, 'suspended');
  }
  async reinstateOrganisation(actor: Actor, id: string) {
    this.#check();
    // Reinstating catches up matching from stored values: at the store's generation.
    return this.#generations.run(() => setOrganisationStatus(this.#ctx, actor, id, 'active'));
  }
  async addKey(actor: Actor, organisationId: string | null, publicKey: string) {
    this.#check();
    return addKey(this.#ctx, actor, organisationId, publicKey);
  }
  async revokeKey(actor: Actor, keyId: string) {
    this.#check();
    return revokeKey(this.#ctx, actor, keyId);
  }
  async listKeys(organisationId: string | null) {
    this.#check();
    return listKeys(this.#ctx, organisationId);
  }

  // --- people ----------------------------------------------------------------------
  // No cache to invalidate: the authenticator reads a person from the store per request.

  async addPerson(actor: Actor, input: AddPersonInput) {
    this.#check();
    return addPerson(this.#ctx, actor, input);
  }
  async listPeople(actor: Actor, organisationId: string | null) {
    this.#check();
    return listPeople(this.#ctx, actor, organisationId);
  }
  async getPerson(actor: Actor, personId: string) {
    this.#check();
    return getPerson(this.#ctx, actor, personId);
  }
  async removePerson(actor: Actor, personId: string) {
    this.#check();
    return removePerson(this.#ctx, actor, personId);
  }

  // --- sign-in (docs/protocol.md §10) -------------------------------------------------

  async issueEnrolmentCode(actor: Actor, personId: string) {
    this.#check();
    return issueEnrolmentCode(this.#ctx, actor, personId);
  }
  async listDevices(actor: Actor, personId: string) {
    this.#check();
    return listDevices(this.#ctx, actor, personId);
  }
  async removeDevice(actor: Actor, personId: string, deviceId: string) {
    this.#check();
    return removeDevice(this.#ctx, actor, personId, deviceId);
  }
  async enrolmentOptions(code: unknown, hooks?: CeremonyHooks) {
    this.#check();
    return enrolmentOptions(this.#ctx, code, hooks);
  }
  async enrol(input: EnrolInput, hooks?: CeremonyHooks) {
    this.#check();
    return enrol(this.#ctx, input, hooks);
  }
  async signInOptions(sessionPublicKey: unknown) {
    this.#check();
    return signInOptions(this.#ctx, sessionPublicKey);
  }
  async signIn(input: SignInInput, hooks?: CeremonyHooks) {
    this.#check();
    return signIn(this.#ctx, input, hooks);
  }
  async deviceOptions(actor: Actor) {
    this.#check();
    return deviceOptions(this.#ctx, actor);
  }
  async addDevice(actor: Actor, input: { deviceName: unknown; response: unknown }) {
    this.#check();
    return addDevice(this.#ctx, actor, input);
  }
  async sessionInfo(sessionId: string) {
    this.#check();
    return sessionInfo(this.#ctx, sessionId);
  }
  async endSession(actor: Actor, sessionId: string) {
    this.#check();
    return endSession(this.#ctx, actor, sessionId);
  }

  // --- signals ---------------------------------------------------------------------

  async placeSignal(actor: OrganisationActor, input: PlaceSignalInput) {
    this.#check();
    const done = await this.#generations.run(() => placeSignal(this.#ctx, actor, input));
    this.#count(done, actor.organisationId);
    return done.result;
  }
  async placeSignals(
    actor: OrganisationActor,
    inputs: readonly PlaceSignalInput[],
  ): Promise<BatchItemResult[]> {
    this.#check();
    const { results, done } = await this.#generations.run(() => placeSignalBatch(this.#ctx, actor, inputs));
    for (const d of done) this.#count(d, actor.organisationId);
    return results;
  }
  async withdrawSignal(actor: OrganisationActor, signalId: string, reason: WithdrawReason) {
    this.#check();
    return withdrawSignal(this.#ctx, actor, signalId, reason);
  }
  async transferSignals(
    actor: OrganisationActor,
    signalIds: readonly string[],
    contact: Contact,
    toPersonId?: string,
  ) {
    this.#check();
    return transferSignals(this.#ctx, actor, signalIds, contact, toPersonId);
  }
  async rectifyContact(actor: OrganisationActor, signalId: string, contact: Contact) {
    this.#check();
    return rectifyContact(this.#ctx, actor, signalId, contact);
  }
  async updateInformed(actor: OrganisationActor, signalId: string, informed: Informed) {
    this.#check();
    return updateInformed(this.#ctx, actor, signalId, informed);
  }
  async archiveNotices(actor: OrganisationActor, signalId: string) {
    this.#check();
    return archiveNotices(this.#ctx, actor, signalId);
  }
  async getSignal(actor: OrganisationActor, signalId: string) {
    this.#check();
    return getSignal(this.#ctx, actor, signalId);
  }
  async listSignals(actor: OrganisationActor, query: ListSignalsQuery) {
    this.#check();
    return listSignals(this.#ctx, actor, query ?? {});
  }
  async migrateSignals(
    actor: OrganisationActor,
    inputs: readonly MigrateSignalInput[],
  ): Promise<BatchItemResult[]> {
    this.#check();
    const { results, done } = await migrateSignalBatch(this.#ctx, actor, inputs, (op) =>
      this.#generations.run(op),
    );
    // A migration that added pseudonyms is counted like a placement (budget, alert).
    for (const d of done) this.#count(d, actor.organisationId);
    return results;
  }

  // --- matches ---------------------------------------------------------------------

  async inbox(actor: OrganisationActor, cursor: string | undefined, limit: number) {
    this.#check();
    return inbox(this.#ctx, actor, cursor, limit);
  }
  async getMatch(actor: OrganisationActor, matchId: string) {
    this.#check();
    return getMatch(this.#ctx, actor, matchId);
  }
  async recordContactMade(actor: OrganisationActor, matchId: string) {
    this.#check();
    return recordContactMade(this.#ctx, actor, matchId);
  }
  async recordFollowUp(actor: OrganisationActor, matchId: string, outcome: FollowUpOutcome) {
    this.#check();
    return recordFollowUp(this.#ctx, actor, matchId, outcome);
  }
  async regie(actor: OrganisationActor, matchId: string, action: RegieAction) {
    this.#check();
    return regie(this.#ctx, actor, matchId, action);
  }

  // --- working together after a match -------------------------------------------------

  async recordConsent(actor: OrganisationActor, signalId: string, input: ConsentInput) {
    this.#check();
    return recordConsent(this.#ctx, actor, signalId, input);
  }
  async withdrawConsent(actor: OrganisationActor, signalId: string) {
    this.#check();
    return withdrawConsent(this.#ctx, actor, signalId);
  }
  async getConsent(actor: OrganisationActor, signalId: string) {
    this.#check();
    return getConsent(this.#ctx, actor, signalId);
  }
  async listAgreements(actor: OrganisationActor, matchId: string) {
    this.#check();
    return listAgreements(this.#ctx, actor, matchId);
  }
  async addAgreement(actor: OrganisationActor, matchId: string, input: AgreementInput) {
    this.#check();
    return addAgreement(this.#ctx, actor, matchId, input);
  }
  async setAgreementStatus(
    actor: OrganisationActor,
    matchId: string,
    agreementId: string,
    status: AgreementStatus,
  ) {
    this.#check();
    return setAgreementStatus(this.#ctx, actor, matchId, agreementId, status);
  }
  vocabulary(): Vocabulary {
    return vocabulary(this.#ctx.config);
  }
  async agreementsOverview(actor: Actor) {
    this.#check();
    return agreementsOverview(this.#ctx, actor);
  }

  // --- municipality ----------------------------------------------------------------

  async followUpOverview(query?: FollowUpQuery) {
    this.#check();
    return followUpOverview(this.#ctx, query);
  }
  async gdprAccess(actor: Actor, subject: PersonPseudonyms, epochs?: GdprEpochs) {
    this.#check();
    return this.#generations.run(() => gdprAccess(this.#ctx, actor, subject, epochs));
  }
  async gdprErase(actor: Actor, subject: PersonPseudonyms, epochs?: GdprEpochs) {
    this.#check();
    return this.#generations.run(() => gdprErase(this.#ctx, actor, subject, epochs));
  }
  async gdprRestrict(actor: Actor, subject: PersonPseudonyms, restricted: boolean, epochs?: GdprEpochs) {
    this.#check();
    return this.#generations.run(() => gdprRestrict(this.#ctx, actor, subject, restricted, epochs));
  }
  async gdprObject(
    actor: Actor,
    subject: PersonPseudonyms,
    objection: ObjectionStatus | ObjectionInput,
    epochs?: GdprEpochs,
  ) {
    this.#check();
    return this.#generations.run(() => gdprObject(this.#ctx, actor, subject, objection, epochs));
  }
  async managementInformation(actor: Actor, query: MiQuery) {
    this.#check();
    return managementInformation(this.#ctx, actor, query);
  }
  async runRetention(actor: Actor) {
    this.#check();
    return runRetention(this.#ctx, actor);
  }
  async logbook(fromSeq: number, limit: number) {
    this.#check();
    if (!Number.isInteger(fromSeq) || fromSeq < 1) fail(['fromSeq']);
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000) fail(['limit']);
    return this.#ctx.store.read((tx) => readLogbook(tx, fromSeq, limit));
  }
  async verifyLogbook() {
    this.#check();
    return this.#ctx.store.read((tx) => verifyLogbook(tx));
  }
  async statistics() {
    this.#check();
    return this.#ctx.store.read(async (tx) => ({
      ...(await tx.counts()),
      followUp: await tx.followUpCounts('active'),
    }));
  }

  // --- epochs, outbox --------------------------------------------------------------

  async listEpochs() {
    this.#check();
    return listEpochs(this.#ctx);
  }
  async registerEpoch(actor: Actor, epoch: number, registration?: EpochRegistration) {
    this.#check();
    return registerEpoch(this.#ctx, actor, epoch, registration);
  }
  async retireEpoch(actor: Actor, epoch: number, options?: { readonly force?: boolean }) {
    this.#check();
    return retireEpoch(this.#ctx, actor, epoch, options);
  }
  async epochProgress() {
    this.#check();
    return epochProgress(this.#ctx);
  }

  // --- server secret, key review (docs/keys.md) ------------------------------------

  async beginSecretRotation(actor: Actor, secret: Uint8Array) {
    this.#check();
    return beginSecretRotation(this.#ctx, actor, secret);
  }
  async rekeyBatch(limit?: number) {
    this.#check();
    return this.#generations.run(() => rekeyBatch(this.#ctx, limit));
  }
  async secretRotationStatus() {
    this.#check();
    // An admin asks before rotating: the next generation is counted from the store's.
    await this.#generations.catchUp();
    return secretRotationStatus(this.#ctx);
  }
  async keyActivity(actor: Actor, keyId: string, from: number, to: number) {
    this.#check();
    return keyActivity(this.#ctx, actor, keyId, from, to);
  }
  async recordKeyEvent(actor: Actor, action: KeyEventAction, refs: Readonly<Record<string, string>>) {
    this.#check();
    return recordKeyEvent(this.#ctx, actor, action, refs);
  }
  async claimDeliveries(limit: number, leaseMs: number) {
    this.#check();
    return claimDeliveries(this.#ctx, limit, leaseMs);
  }
  async recordDeliveryAttempt(deliveryId: string, claim: string, result: AttemptResult) {
    this.#check();
    return recordDeliveryAttempt(this.#ctx, deliveryId, claim, result);
  }
  async listDeliveries(query: { status?: 'pending' | 'delivered'; limit?: number }) {
    this.#check();
    return listDeliveries(this.#ctx, query);
  }
  async claimMailNotices(limit: number, leaseMs: number) {
    this.#check();
    return claimMailNotices(this.#ctx, limit, leaseMs);
  }
  async recordMailAttempt(noticeId: string, claim: string, result: AttemptResult) {
    this.#check();
    return recordMailAttempt(this.#ctx, noticeId, claim, result);
  }
  async listMailNotices(query: { status?: MailNoticeStatus; limit?: number }) {
    this.#check();
    return listMailNotices(this.#ctx, query);
  }

  // --- operations ------------------------------------------------------------------

  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    this.#check();
    return this.#ctx.store.exclusive(name, fn);
  }
  metrics(): EngineMetrics {
    const s = this.#ctx.store.stats();
    return {
      placementsTotal: Object.fromEntries(this.#placements),
      placementRateAlertsTotal: Object.fromEntries(this.#alerts),
      commits: s.commits,
      writeOperations: s.operations,
      failedWriteOperations: s.failedOperations,
      nonceCacheSize: s.noncesInMemory ?? 0,
      signatureVerifications: this.#auth.verifications,
    };
  }
  async gauges() {
    this.#check();
    return gauges(this.#ctx);
  }
  async budgetUsage(organisationId: string) {
    this.#check();
    return budgetUsage(this.#ctx, organisationId);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#ctx.store.close();
  }
}
