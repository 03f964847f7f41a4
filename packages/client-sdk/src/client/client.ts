// The typed API client for the organisation routes (docs/api.md). Browser-safe: only
// fetch, WebCrypto random and @noble/*. It holds the signing key and the pseudonym keys
// in private fields; toString, JSON and inspect show the server URL, key id and epochs only.
// This class keeps the construction and the keys and hands each call to its route group's
// module (account-, people-, placement-, signal-, handover-, match-, collaboration-requests.ts),
// which gets the send and the clock; placement-requests.ts also gets the pseudonymisers.

import { SluisError } from '../errors.js';
import type { Pseudonymiser } from '../protocol/pseudonymiser.js';
import type { RequestSigner } from '../protocol/request-signer.js';
import * as accountRequests from './account-requests.js';
import type { AnyBatchItemResult, BatchOptions, MigrateOptions } from './batches.js';
import {
  type ClientOptions,
  checkKeys,
  parseServerUrl,
  signerOf,
  transportConfigOf,
} from './client-options.js';
import * as collaborationRequests from './collaboration-requests.js';
import * as handoverRequests from './handover-requests.js';
import * as matchRequests from './match-requests.js';
import * as peopleRequests from './people-requests.js';
import type { MigrateSignalInput, PlaceSignalInput } from './placement.js';
import * as placementRequests from './placement-requests.js';
import type { RequestContext } from './request-context.js';
import * as signalRequests from './signal-requests.js';
import { Transport } from './transport.js';
import type {
  Agreement,
  AgreementInput,
  ArchiveNotice,
  AgreementStatus,
  BatchItemResult,
  MinimalBatchItemResult,
  Consent,
  ConsentInput,
  Contact,
  FollowUpOutcome,
  HandoverDecline,
  HandoverRequest,
  InboxEvent,
  Informed,
  MatchView,
  Page,
  PlacementResult,
  RegieAction,
  Signal,
  SignalOrder,
  SignalStatus,
  Vocabulary,
  Whoami,
  WithdrawReason,
} from './types.js';
import type { PseudonymCredential } from './pseudonym-service-client.js';
import { type RandomSource, webCryptoRandom } from './uuid.js';
import { type IncomingWebhook, type WebhookResult, makeWebhookVerifier, serverKeyMap } from './webhook.js';

export class SluisClient {
  readonly #keys: readonly Pseudonymiser[];
  readonly #signer: RequestSigner;
  readonly #origin: string;
  readonly #random: RandomSource;
  readonly #verifier: ((input: IncomingWebhook) => WebhookResult) | undefined;
  readonly #options: ClientOptions;
  readonly #ctx: RequestContext;

  /** Use createClient. */
  constructor(options: ClientOptions) {
    if (typeof options !== 'object' || options === null)
      throw new SluisError('input_invalid', { fields: [''] });
    const signer = signerOf(options);
    const url = parseServerUrl(options.serverUrl);
    this.#options = options;
    this.#keys = checkKeys(options.pseudonymKeys);
    this.#signer = signer;
    this.#origin = url.baseUrl;
    const clock = options.clock ?? Date.now;
    this.#random = options.random ?? webCryptoRandom;
    const transport = new Transport(transportConfigOf(options, signer, url, clock, this.#random));
    this.#verifier =
      options.serverPublicKeys === undefined
        ? undefined
        : makeWebhookVerifier(serverKeyMap(options.serverPublicKeys), clock);
    this.#ctx = { send: async (call) => (await transport.send(call)).body, clock };
  }

  /**
   * The same client with other covenant keys, e.g. both keys during a rotation's overlap
   * or only the new one after it. Shares nothing mutable with this client.
   */
  withPseudonymKeys(pseudonymKeys: readonly Pseudonymiser[]): SluisClient {
    return new SluisClient({ ...this.#options, pseudonymKeys });
  }

  /** The key id the server knows the signing key by (a session id for a session signer). */
  get keyId(): string {
    return this.#signer.keyId;
  }

  /** Configured key epochs (HMAC or OPRF), ascending. */
  get epochs(): readonly number[] {
    return this.#keys.map((k) => k.epoch);
  }

  #pseudonymKeys(): readonly Pseudonymiser[] {
    if (this.#keys.length === 0) throw new SluisError('key_invalid');
    return this.#keys;
  }

  // --- the signing key's own account (docs/api.md "GET /v1/whoami") --------------------

  async whoami(): Promise<Whoami> {
    return accountRequests.whoami(this.#ctx);
  }

  /**
   * A short-lived credential for the pseudonym service, bound to this client's signing key
   * (docs/protocol.md §9.7): what a person's session (or the organisation key acting for a
   * person) presents there instead of an admitted key. Give it to cachedCredential.
   */
  async pseudonymCredential(): Promise<PseudonymCredential> {
    return accountRequests.pseudonymCredential(this.#ctx);
  }

  // --- people and passkeys (docs/api.md "People", "Sign-in") ---------------------

  /** The organisation's people (organisation_coordinator). */
  listPeople() {
    return peopleRequests.listPeople(this.#ctx);
  }
  addPerson(input: { displayName: string; roles: readonly string[]; email?: string | null }) {
    return peopleRequests.addPerson(this.#ctx, input);
  }
  /** Removes the person: their passkeys are deleted and every session ends at its next request. */
  removePerson(personId: string) {
    return peopleRequests.removePerson(this.#ctx, personId);
  }
  /** A single-use enrolment code for the person (replaces an earlier one; shown once). */
  invite(personId: string) {
    return peopleRequests.invite(this.#ctx, personId);
  }
  listDevices(personId: string) {
    return peopleRequests.listDevices(this.#ctx, personId);
  }
  removeDevice(personId: string, deviceId: string) {
    return peopleRequests.removeDevice(this.#ctx, personId, deviceId);
  }
  /** The signed-in person (a client made with a sessionSigner, docs/protocol.md §10.4). */
  me() {
    return peopleRequests.me(this.#ctx);
  }
  /** Ends this client's session at once, on every server instance. */
  signOut() {
    return peopleRequests.signOut(this.#ctx);
  }

  // --- placing and own signals (docs/sdk.md "Methods") ---------------------------------

  /**
   * Validates and pseudonymises locally, then places the signal. Retried safely: the same
   * requestId is sent on every attempt, so the server creates the signal at most once.
   */
  async placeSignal(input: PlaceSignalInput): Promise<PlacementResult> {
    return placementRequests.placeSignal(this.#ctx, this.#pseudonymKeys(), this.#random, input);
  }

  /**
   * The one-time archive notices an own signal received (Jeugdwet 7.1.4.6; docs/sdk.md
   * "Archive notice"): given in the placement's answer, read again here.
   */
  async archiveNotices(signalId: string): Promise<ArchiveNotice[]> {
    return signalRequests.archiveNotices(this.#ctx, signalId);
  }

  /**
   * Places many signals through the batch route (chunks of ≤ 500). Items that fail local
   * validation are not sent and come back with `local: true`; the others carry the
   * server's per-item result. Results are in the order of `items`. A whole chunk that
   * fails (network, authentication) throws; calling again with the same requestIds is safe.
   * With `minimal: true` each placed item carries its signal's id only (docs/sdk.md "Methods");
   * with a `boolean` the answer is either form.
   */
  async placeSignals(
    items: readonly PlaceSignalInput[],
    options: BatchOptions & { readonly minimal: true },
  ): Promise<MinimalBatchItemResult[]>;
  async placeSignals(
    items: readonly PlaceSignalInput[],
    options?: BatchOptions & { readonly minimal?: false },
  ): Promise<BatchItemResult[]>;
  async placeSignals(
    items: readonly PlaceSignalInput[],
    options?: BatchOptions,
  ): Promise<BatchItemResult[] | MinimalBatchItemResult[]>;
  async placeSignals(
    items: readonly PlaceSignalInput[],
    options: BatchOptions = {},
  ): Promise<AnyBatchItemResult[]> {
    return placementRequests.placeSignals(this.#ctx, this.#pseudonymKeys(), this.#random, items, options);
  }

  /**
   * Covenant key rotation: pseudonymises each signal's person (and parents) under the
   * target epoch(s) and adds those pseudonyms to the own active signal (docs/keys.md).
   * Per-item results as placeSignals (`minimal: true` likewise); the call is repeatable.
   */
  async migrateSignals(
    items: readonly MigrateSignalInput[],
    options: MigrateOptions & { readonly minimal: true },
  ): Promise<MinimalBatchItemResult[]>;
  async migrateSignals(
    items: readonly MigrateSignalInput[],
    options?: MigrateOptions & { readonly minimal?: false },
  ): Promise<BatchItemResult[]>;
  async migrateSignals(
    items: readonly MigrateSignalInput[],
    options?: MigrateOptions,
  ): Promise<BatchItemResult[] | MinimalBatchItemResult[]>;
  async migrateSignals(
    items: readonly MigrateSignalInput[],
    options: MigrateOptions = {},
  ): Promise<AnyBatchItemResult[]> {
    return placementRequests.migrateSignals(this.#ctx, this.#pseudonymKeys(), items, options);
  }

  /** `ended` archives the signal and returns it; `error` deletes it at once and returns null. */
  async withdraw(signalId: string, reason: WithdrawReason): Promise<Signal | null> {
    return signalRequests.withdraw(this.#ctx, signalId, reason);
  }

  /** Moves own active signals to another professional (in requests of ≤ 1000 ids). */
  async transfer(
    signalIds: readonly string[],
    contact: Contact,
    options: { readonly personId?: string } = {},
  ): Promise<{ transferred: number }> {
    return signalRequests.transfer(this.#ctx, signalIds, contact, options);
  }

  /** Rectifies the professional's contact details on one signal (GDPR art. 16). */
  async rectify(signalId: string, contact: Contact): Promise<Signal> {
    return signalRequests.rectify(this.#ctx, signalId, contact);
  }

  async updateInformed(signalId: string, informed: Informed): Promise<Signal> {
    return signalRequests.updateInformed(this.#ctx, signalId, informed);
  }

  async getSignal(signalId: string): Promise<Signal> {
    return signalRequests.getSignal(this.#ctx, signalId);
  }

  /** One page of own signals: in placement order, or with `order: 'newest'` the newest first. */
  async listSignals(
    query: { status?: SignalStatus; order?: SignalOrder; cursor?: string; limit?: number } = {},
  ): Promise<Page<Signal>> {
    return signalRequests.listSignals(this.#ctx, query);
  }

  /** Every own signal, page by page. */
  iterateSignals(
    query: { status?: SignalStatus; order?: SignalOrder; limit?: number } = {},
  ): AsyncGenerator<Signal> {
    return signalRequests.iterateSignals(this.#ctx, query);
  }

  // --- handover requests (docs/sdk.md "Handover requests") ---------------------------

  /**
   * Asks the organisation coordinator for the signal a placement found held by someone else
   * (`heldByYou: false`), by that placement's `requestId` (docs/sdk.md "Handover requests").
   * Resolves alike whether or not a request was made.
   */
  async requestHandover(requestId: string): Promise<void> {
    return handoverRequests.requestHandover(this.#ctx, requestId);
  }

  /** The organisation's open handover requests, oldest first (organisation coordinator). */
  async listHandoverRequests(): Promise<HandoverRequest[]> {
    return handoverRequests.listHandoverRequests(this.#ctx);
  }

  /** Declines an open handover request (organisation coordinator); its asker is told. */
  async declineHandoverRequest(handoverRequestId: string): Promise<void> {
    return handoverRequests.declineHandoverRequest(this.#ctx, handoverRequestId);
  }

  /** The acting professional's own handover requests declined in the last 30 days, newest first. */
  async declinedHandoverRequests(): Promise<HandoverDecline[]> {
    return handoverRequests.declinedHandoverRequests(this.#ctx);
  }

  // --- the match inbox and a match's follow-up (docs/sdk.md "Methods") ---------------

  /** One page of the match inbox after `cursor` (oldest first). */
  async matches(query: { cursor?: string; limit?: number } = {}): Promise<Page<InboxEvent>> {
    return matchRequests.matches(this.#ctx, query);
  }

  /**
   * Every inbox event after `from` (or from the beginning), until the inbox is drained.
   * Persist each event's `cursor` to resume later without missing or repeating one.
   */
  inbox(options: { from?: string; limit?: number } = {}): AsyncGenerator<InboxEvent> {
    return matchRequests.inbox(this.#ctx, options);
  }

  async getMatch(matchId: string): Promise<MatchView> {
    return matchRequests.getMatch(this.#ctx, matchId);
  }

  /** Records that this professional made contact with the counterpart. */
  async contactMade(matchId: string): Promise<MatchView> {
    return matchRequests.contactMade(this.#ctx, matchId);
  }

  /** Records this professional's follow-up outcome (contact made, or why none is needed). */
  async recordFollowUp(matchId: string, outcome: FollowUpOutcome): Promise<MatchView> {
    return matchRequests.recordFollowUp(this.#ctx, matchId, outcome);
  }

  async regie(matchId: string, action: RegieAction): Promise<MatchView> {
    return matchRequests.regie(this.#ctx, matchId, action);
  }

  // --- working together after a match (docs/sdk.md "Consent, agreements and the report") ---

  /** Records the citizen's consent on an own active signal (replaces an earlier one). */
  async recordConsent(signalId: string, input: ConsentInput): Promise<Consent> {
    return collaborationRequests.recordConsent(this.#ctx, signalId, input);
  }

  /** The consent on an own signal, or null. */
  async getConsent(signalId: string): Promise<Consent | null> {
    return collaborationRequests.getConsent(this.#ctx, signalId);
  }

  /** Records that the citizen withdrew consent. */
  async withdrawConsent(signalId: string): Promise<Consent> {
    return collaborationRequests.withdrawConsent(this.#ctx, signalId);
  }

  /** The configured code lists for consent scopes and agreements. */
  async vocabulary(): Promise<Vocabulary> {
    return collaborationRequests.vocabulary(this.#ctx);
  }

  /** The match's process agreements, oldest first. */
  async listAgreements(matchId: string): Promise<Agreement[]> {
    return collaborationRequests.listAgreements(this.#ctx, matchId);
  }

  /**
   * Appends a process agreement. Not retried automatically after an unanswered attempt
   * (a retry could append it twice): list the agreements and check before trying again.
   */
  async addAgreement(matchId: string, input: AgreementInput): Promise<Agreement> {
    return collaborationRequests.addAgreement(this.#ctx, matchId, input);
  }

  /** Appends a status update (open, done, cancelled) to an agreement. */
  async setAgreementStatus(
    matchId: string,
    agreementId: string,
    status: AgreementStatus,
  ): Promise<Agreement> {
    return collaborationRequests.setAgreementStatus(this.#ctx, matchId, agreementId, status);
  }

  /**
   * Verifies a webhook delivery against the configured server public keys and parses
   * its notification. Never throws for a bad delivery; answer non-2xx when !ok.
   */
  verifyWebhook(input: IncomingWebhook): WebhookResult {
    if (this.#verifier === undefined) throw new SluisError('input_invalid', { fields: ['serverPublicKeys'] });
    return this.#verifier(input);
  }

  toString(): string {
    return `SluisClient(${this.#origin}, key ${this.keyId}, epochs ${this.epochs.join(',')})`;
  }

  toJSON(): { serverUrl: string; keyId: string; epochs: readonly number[] } {
    return { serverUrl: this.#origin, keyId: this.keyId, epochs: this.epochs };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Creates the organisation's API client. Throws SluisError on bad options. */
export function createClient(options: ClientOptions): SluisClient {
  return new SluisClient(options);
}
