// The typed API client for the organisation routes (docs/api.md). Browser-safe: only
// fetch, WebCrypto random and @noble/*. It holds the signing key and the pseudonym keys
// in private fields; toString, JSON and inspect show the server URL, key id and epochs only.
// Placement and migration (which need the keys) stay here; the other requests live per
// area (signal-, match-, collaboration-requests.ts) and get only the send and the clock.

import { isSluisError, SluisError } from '../errors.js';
import type { Pseudonymiser } from '../protocol/pseudonymiser.js';
import type { RequestSigner } from '../protocol/request-signer.js';
import {
  type AnyBatchItemResult,
  type BatchOptions,
  type MigrateOptions,
  migrationBatch,
  placementBatch,
  sendItemBatches,
} from './batches.js';
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
import { type MigrateSignalInput, type PlaceSignalInput, preparePlacement } from './placement.js';
import type { RequestContext } from './request-context.js';
import { asArchiveNotice, asArray, asHeldElsewhere, asObj, asOutcome, asSignal } from './responses.js';
import * as signalRequests from './signal-requests.js';
import { type Call, Transport } from './transport.js';
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
import { todayUtc } from './validate.js';
import { type IncomingWebhook, type WebhookResult, makeWebhookVerifier, serverKeyMap } from './webhook.js';

export class SluisClient {
  readonly #transport: Transport;
  readonly #keys: readonly Pseudonymiser[];
  readonly #signer: RequestSigner;
  readonly #origin: string;
  readonly #clock: () => number;
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
    this.#clock = options.clock ?? Date.now;
    this.#random = options.random ?? webCryptoRandom;
    this.#transport = new Transport(transportConfigOf(options, signer, url, this.#clock, this.#random));
    this.#verifier =
      options.serverPublicKeys === undefined
        ? undefined
        : makeWebhookVerifier(serverKeyMap(options.serverPublicKeys), this.#clock);
    this.#ctx = { send: (call) => this.#send(call), clock: this.#clock };
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

  async #send(call: Call): Promise<unknown> {
    return (await this.#transport.send(call)).body;
  }

  async whoami(): Promise<Whoami> {
    const body = asObj(await this.#send({ method: 'GET', path: '/v1/whoami', idempotent: true }));
    asObj(body.organisation);
    return body as unknown as Whoami;
  }

  /**
   * A short-lived credential for the pseudonym service, bound to this client's signing key
   * (docs/protocol.md §9.7): what a person's session (or the organisation key acting for a
   * person) presents there instead of an admitted key. Give it to cachedCredential.
   */
  async pseudonymCredential(): Promise<PseudonymCredential> {
    const body = asObj(
      await this.#send({ method: 'POST', path: '/v1/pseudonym-credentials', body: {}, idempotent: false }),
    );
    if (typeof body.credential !== 'string' || typeof body.expiresAt !== 'string')
      throw new SluisError('response_invalid');
    return { credential: body.credential, expiresAt: body.expiresAt };
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

  /**
   * Validates and pseudonymises locally, then places the signal. Retried safely: the same
   * requestId is sent on every attempt, so the server creates the signal at most once.
   */
  async placeSignal(input: PlaceSignalInput): Promise<PlacementResult> {
    const body = await preparePlacement(input, this.#pseudonymKeys(), todayUtc(this.#clock), this.#random);
    // The requestId with every failure from here on (docs/sdk.md "Errors"), an answer it cannot
    // read included (the placement did arrive): placing again with it is answered `replayed`
    // if an attempt did arrive, never placed twice.
    return this.#readPlacement(body).catch((e: unknown) => {
      if (!isSluisError(e)) throw e;
      throw new SluisError(e.code, { ...e.details, requestId: body.requestId }, { cause: e.cause });
    });
  }

  async #readPlacement(body: Awaited<ReturnType<typeof preparePlacement>>): Promise<PlacementResult> {
    const answer = asObj(await this.#send({ method: 'POST', path: '/v1/signals', body, idempotent: true }));
    const outcome = asOutcome(answer.outcome);
    if (answer.heldByYou === false) {
      // No signal: a colleague (or no one) holds it (docs/api.md "Need to know").
      return asHeldElsewhere(outcome, body.requestId);
    }
    const notices =
      answer.archiveNotices === undefined ? [] : asArray(answer.archiveNotices, asArchiveNotice);
    return {
      outcome,
      signal: asSignal(answer.signal),
      requestId: body.requestId,
      ...(answer.heldByYou === true ? { heldByYou: true } : {}),
      ...(notices.length === 0 ? {} : { archiveNotices: notices }),
    };
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
    const batch = placementBatch(this.#pseudonymKeys(), todayUtc(this.#clock), this.#random);
    return sendItemBatches(this.#ctx, batch, items, options);
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
  async *iterateSignals(
    query: { status?: SignalStatus; order?: SignalOrder; limit?: number } = {},
  ): AsyncGenerator<Signal> {
    let cursor: string | undefined;
    do {
      const page = await this.listSignals({ ...query, ...(cursor === undefined ? {} : { cursor }) });
      yield* page.items;
      cursor = page.items.length === 0 ? undefined : page.nextCursor;
    } while (cursor !== undefined);
  }

  /** One page of the match inbox after `cursor` (oldest first). */
  async matches(query: { cursor?: string; limit?: number } = {}): Promise<Page<InboxEvent>> {
    return matchRequests.matches(this.#ctx, query);
  }

  /**
   * Every inbox event after `from` (or from the beginning), until the inbox is drained.
   * Persist each event's `cursor` to resume later without missing or repeating one.
   */
  async *inbox(options: { from?: string; limit?: number } = {}): AsyncGenerator<InboxEvent> {
    let cursor = options.from;
    for (;;) {
      const page = await this.matches({
        ...(cursor === undefined ? {} : { cursor }),
        ...(options.limit === undefined ? {} : { limit: options.limit }),
      });
      yield* page.items;
      if (page.items.length === 0 || page.nextCursor === undefined) return;
      cursor = page.nextCursor;
    }
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
    const batch = migrationBatch(this.#pseudonymKeys(), options.epochs);
    return sendItemBatches(this.#ctx, batch, items, options);
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
