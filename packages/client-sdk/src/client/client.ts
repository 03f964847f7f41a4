// The typed API client for the organisation routes (docs/api.md). Browser-safe: only
// fetch, WebCrypto random and @noble/*. It holds the signing key and the pseudonym keys
// in private fields; toString, JSON and inspect show the server URL, key id and epochs only.

import { SluisError } from '../errors.js';
import type { PseudonymKey } from '../protocol/pseudonym.js';
import { PseudonymKey as PseudonymKeyClass } from '../protocol/pseudonym.js';
import { SigningKey } from '../protocol/signing-key.js';
import {
  type MigrateSignalInput,
  type PlaceSignalInput,
  prepareMigration,
  preparePlacement,
} from './placement.js';
import {
  asAgreement,
  asBatchResults,
  asConsent,
  asInboxEvent,
  asMatch,
  asObj,
  asOutcome,
  asPage,
  asSignal,
  asVocabulary,
} from './responses.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { type Call, type FetchLike, Transport } from './transport.js';
import {
  type Agreement,
  type AgreementInput,
  type AgreementStatus,
  type BatchItemResult,
  CONSENT_SCOPES,
  type Consent,
  type ConsentInput,
  type Contact,
  type InboxEvent,
  type Informed,
  type MatchView,
  type MigrationBody,
  type Page,
  type PlacementBody,
  type PlacementResult,
  type RegieAction,
  type Signal,
  type SignalStatus,
  type Vocabulary,
  type Whoami,
  type WithdrawReason,
} from './types.js';
import { type CalendarDate, compareDates, parseDate } from './dates.js';
import { type RandomSource, webCryptoRandom } from './uuid.js';
import { FieldErrors, checkContact, checkInformed, checkUuid, requireUuid, todayUtc } from './validate.js';
import { type IncomingWebhook, type WebhookResult, makeWebhookVerifier, serverKeyMap } from './webhook.js';

export interface ClientOptions {
  /** `https://…` (plain `http://` only for localhost), optionally with a base path. */
  readonly serverUrl: string;
  readonly signingKey: SigningKey;
  /**
   * One key, or two with different epochs during a covenant key rotation. Empty for a
   * process that only reads the inbox or receives webhooks (it then cannot place signals).
   */
  readonly pseudonymKeys: readonly PseudonymKey[];
  /** Server webhook public keys (base64url or bytes); one, or two during a server key rotation. */
  readonly serverPublicKeys?: readonly (string | Uint8Array)[];
  readonly fetch?: FetchLike;
  /** Per attempt, in ms. Default 30 000. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  readonly retries?: number;
  /** Finer retry tuning; `retries` wins over `retryPolicy.retries`. */
  readonly retryPolicy?: Partial<RetryPolicy>;
  /** Milliseconds since the epoch. Default Date.now. */
  readonly clock?: () => number;
  /** CSPRNG bytes. Default WebCrypto getRandomValues. */
  readonly random?: RandomSource;
  /** Default setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Largest batch the server accepts (docs/api.md). */
export const MAX_BATCH_ITEMS = 500;
/** Stay well under the 1 MiB body limit of the batch routes. */
const MAX_BATCH_BYTES = 900_000;
const MAX_TRANSFER_IDS = 1000;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function parseServerUrl(text: string): { baseUrl: string; basePath: string; origin: string } {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new SluisError('input_invalid', { fields: ['serverUrl'] });
  }
  const secure = u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
  if (!secure || u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '') {
    throw new SluisError('input_invalid', { fields: ['serverUrl'] });
  }
  const basePath = u.pathname.replace(/\/+$/, '');
  return { baseUrl: u.origin + basePath, basePath, origin: u.origin };
}

function checkKeys(keys: unknown): PseudonymKey[] {
  // Zero keys is allowed for processes that never pseudonymise (an inbox reader, a webhook
  // receiver): least privilege. Placement and migration then throw key_invalid.
  if (!Array.isArray(keys) || keys.length > 2) throw new SluisError('key_invalid');
  for (const k of keys) if (!(k instanceof PseudonymKeyClass)) throw new SluisError('key_invalid');
  const sorted = [...(keys as PseudonymKey[])].sort((a, b) => a.epoch - b.epoch);
  if (sorted.length === 2 && sorted[0]!.epoch === sorted[1]!.epoch) throw new SluisError('epoch_invalid');
  return sorted;
}

function intOption(v: number | undefined, fallback: number, min: number, max: number, field: string): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new SluisError('input_invalid', { fields: [field] });
  return v;
}

function sid(id: string, field = 'signalId'): string {
  return encodeURIComponent(requireUuid(id, field));
}

/** Splits wire items into chunks of at most MAX_BATCH_ITEMS items and MAX_BATCH_BYTES. */
function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = JSON.stringify(item).length + 1;
    if (current.length > 0 && (current.length >= size || bytes + n > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export interface BatchOptions {
  /** Items per request, 1–500. Default 500. */
  readonly chunkSize?: number;
  /** Called after each chunk with the number of items done so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface MigrateOptions extends BatchOptions {
  /** Epochs to pseudonymise under. Default: the newest configured key only. */
  readonly epochs?: readonly number[];
}

export class SluisClient {
  readonly #transport: Transport;
  readonly #keys: readonly PseudonymKey[];
  readonly #signingKey: SigningKey;
  readonly #origin: string;
  readonly #clock: () => number;
  readonly #random: RandomSource;
  readonly #verifier: ((input: IncomingWebhook) => WebhookResult) | undefined;
  readonly #options: ClientOptions;

  /** Use createClient. */
  constructor(options: ClientOptions) {
    if (typeof options !== 'object' || options === null)
      throw new SluisError('input_invalid', { fields: [''] });
    if (!(options.signingKey instanceof SigningKey)) throw new SluisError('key_invalid');
    const url = parseServerUrl(options.serverUrl);
    this.#options = options;
    this.#keys = checkKeys(options.pseudonymKeys);
    this.#signingKey = options.signingKey;
    this.#origin = url.baseUrl;
    this.#clock = options.clock ?? Date.now;
    this.#random = options.random ?? webCryptoRandom;
    const policy: RetryPolicy = {
      ...DEFAULT_RETRY_POLICY,
      ...options.retryPolicy,
      retries: intOption(
        options.retries ?? options.retryPolicy?.retries,
        DEFAULT_RETRY_POLICY.retries,
        0,
        10,
        'retries',
      ),
    };
    const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#transport = new Transport({
      baseUrl: url.baseUrl,
      basePath: url.basePath,
      signingKey: options.signingKey,
      fetch: fetchImpl,
      timeoutMs: intOption(options.timeoutMs, 30_000, 1, 600_000, 'timeoutMs'),
      policy,
      clock: this.#clock,
      random: this.#random,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    });
    this.#verifier =
      options.serverPublicKeys === undefined
        ? undefined
        : makeWebhookVerifier(serverKeyMap(options.serverPublicKeys), this.#clock);
  }

  /**
   * The same client with other covenant keys, e.g. both keys during a rotation's overlap
   * or only the new one after it. Shares nothing mutable with this client.
   */
  withPseudonymKeys(pseudonymKeys: readonly PseudonymKey[]): SluisClient {
    return new SluisClient({ ...this.#options, pseudonymKeys });
  }

  /** The key id the server knows this organisation's signing key by. */
  get keyId(): string {
    return this.#signingKey.keyId;
  }

  /** Configured covenant key epochs, ascending. */
  get epochs(): readonly number[] {
    return this.#keys.map((k) => k.epoch);
  }

  #pseudonymKeys(): readonly PseudonymKey[] {
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
   * Validates and pseudonymises locally, then places the signal. Retried safely: the same
   * requestId is sent on every attempt, so the server creates the signal at most once.
   */
  async placeSignal(input: PlaceSignalInput): Promise<PlacementResult> {
    const body = preparePlacement(input, this.#pseudonymKeys(), todayUtc(this.#clock), this.#random);
    const answer = asObj(await this.#send({ method: 'POST', path: '/v1/signals', body, idempotent: true }));
    return { outcome: asOutcome(answer.outcome), signal: asSignal(answer.signal), requestId: body.requestId };
  }

  /**
   * Places many signals through the batch route (chunks of ≤ 500). Items that fail local
   * validation are not sent and come back with `local: true`; the others carry the
   * server's per-item result. Results are in the order of `items`. A whole chunk that
   * fails (network, authentication) throws; calling again with the same requestIds is safe.
   */
  async placeSignals(
    items: readonly PlaceSignalInput[],
    options: BatchOptions = {},
  ): Promise<BatchItemResult[]> {
    const keys = this.#pseudonymKeys();
    const today = todayUtc(this.#clock);
    const results: BatchItemResult[] = new Array(items.length);
    const prepared: { index: number; body: PlacementBody }[] = [];
    items.forEach((item, index) => {
      try {
        prepared.push({ index, body: preparePlacement(item, keys, today, this.#random) });
      } catch (e) {
        if (!(e instanceof SluisError)) throw e;
        const requestId = typeof item?.requestId === 'string' ? { requestId: item.requestId } : {};
        results[index] = {
          index,
          ok: false,
          code: e.code,
          fields: e.details.fields ?? [],
          local: true,
          ...requestId,
        };
      }
    });
    await this.#batches('/v1/signals/batch', prepared, results, options, (p) => p.body.requestId);
    return results;
  }

  async #batches<T extends { index: number; body: PlacementBody | MigrationBody }>(
    path: string,
    prepared: readonly T[],
    results: BatchItemResult[],
    options: BatchOptions,
    requestIdOf: (p: T) => string | undefined,
  ): Promise<void> {
    const size = intOption(options.chunkSize, MAX_BATCH_ITEMS, 1, MAX_BATCH_ITEMS, 'chunkSize');
    let done = results.filter((r) => r !== undefined).length;
    for (const part of chunk(prepared, size)) {
      const answer = await this.#send({
        method: 'POST',
        path,
        body: { items: part.map((p) => p.body) },
        idempotent: path === '/v1/signals/batch' || path === '/v1/signals/migrate',
      });
      const mapped = asBatchResults(
        answer,
        part.length,
        part.map((p) => p.index),
      );
      for (const r of mapped) {
        const requestId = requestIdOf(part.find((p) => p.index === r.index)!);
        results[r.index] = requestId === undefined ? r : { ...r, requestId };
      }
      done += part.length;
      options.onProgress?.(done, results.length);
    }
  }

  /** `ended` archives the signal and returns it; `error` deletes it at once and returns null. */
  async withdraw(signalId: string, reason: WithdrawReason): Promise<Signal | null> {
    if (reason !== 'ended' && reason !== 'error')
      throw new SluisError('input_invalid', { fields: ['reason'] });
    const body = await this.#send({
      method: 'POST',
      path: `/v1/signals/${sid(signalId)}/withdraw`,
      body: { reason },
      idempotent: false,
    });
    return reason === 'error' ? null : asSignal(body);
  }

  /** Moves own active signals to another professional (in requests of ≤ 1000 ids). */
  async transfer(signalIds: readonly string[], contact: Contact): Promise<{ transferred: number }> {
    const errors = new FieldErrors();
    const c = checkContact(contact, 'contact', errors);
    if (!Array.isArray(signalIds) || signalIds.length === 0) errors.add('signalIds');
    else
      signalIds.forEach((id, i) => {
        checkUuid(id, `signalIds.${i}`, errors);
      });
    errors.throwIfAny();
    let transferred = 0;
    for (let i = 0; i < signalIds.length; i += MAX_TRANSFER_IDS) {
      const body = asObj(
        await this.#send({
          method: 'POST',
          path: '/v1/signals/transfer',
          body: { signalIds: signalIds.slice(i, i + MAX_TRANSFER_IDS), contact: c },
          idempotent: true,
        }),
      );
      if (typeof body.transferred !== 'number') throw new SluisError('response_invalid');
      transferred += body.transferred;
    }
    return { transferred };
  }

  /** Rectifies the professional's contact details on one signal (GDPR art. 16). */
  async rectify(signalId: string, contact: Contact): Promise<Signal> {
    const errors = new FieldErrors();
    const c = checkContact(contact, 'contact', errors);
    errors.throwIfAny();
    const path = `/v1/signals/${sid(signalId)}/contact`;
    return asSignal(await this.#send({ method: 'PUT', path, body: { contact: c }, idempotent: true }));
  }

  async updateInformed(signalId: string, informed: Informed): Promise<Signal> {
    const errors = new FieldErrors();
    const i = checkInformed(informed, 'informed', todayUtc(this.#clock), errors);
    errors.throwIfAny();
    const path = `/v1/signals/${sid(signalId)}/informed`;
    return asSignal(await this.#send({ method: 'PUT', path, body: { informed: i }, idempotent: true }));
  }

  async getSignal(signalId: string): Promise<Signal> {
    return asSignal(
      await this.#send({ method: 'GET', path: `/v1/signals/${sid(signalId)}`, idempotent: true }),
    );
  }

  async listSignals(
    query: { status?: SignalStatus; cursor?: string; limit?: number } = {},
  ): Promise<Page<Signal>> {
    const errors = new FieldErrors();
    if (query.status !== undefined && query.status !== 'active' && query.status !== 'inactive')
      errors.add('status');
    checkLimit(query.limit, errors);
    checkCursor(query.cursor, errors);
    errors.throwIfAny();
    const body = await this.#send({
      method: 'GET',
      path: '/v1/signals',
      query: [
        ['status', query.status],
        ['cursor', query.cursor],
        ['limit', query.limit],
      ],
      idempotent: true,
    });
    return asPage(body, asSignal);
  }

  /** Every own signal, page by page. */
  async *iterateSignals(query: { status?: SignalStatus; limit?: number } = {}): AsyncGenerator<Signal> {
    let cursor: string | undefined;
    do {
      const page = await this.listSignals({ ...query, ...(cursor === undefined ? {} : { cursor }) });
      yield* page.items;
      cursor = page.items.length === 0 ? undefined : page.nextCursor;
    } while (cursor !== undefined);
  }

  /** One page of the match inbox after `cursor` (oldest first). */
  async matches(query: { cursor?: string; limit?: number } = {}): Promise<Page<InboxEvent>> {
    const errors = new FieldErrors();
    checkLimit(query.limit, errors);
    checkCursor(query.cursor, errors);
    errors.throwIfAny();
    const body = await this.#send({
      method: 'GET',
      path: '/v1/matches',
      query: [
        ['cursor', query.cursor],
        ['limit', query.limit],
      ],
      idempotent: true,
    });
    return asPage(body, asInboxEvent);
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
    return asMatch(
      await this.#send({ method: 'GET', path: `/v1/matches/${sid(matchId, 'matchId')}`, idempotent: true }),
    );
  }

  /** Records that this professional made contact with the counterpart. */
  async contactMade(matchId: string): Promise<MatchView> {
    const path = `/v1/matches/${sid(matchId, 'matchId')}/contact-made`;
    return asMatch(await this.#send({ method: 'POST', path, body: {}, idempotent: true }));
  }

  async regie(matchId: string, action: RegieAction): Promise<MatchView> {
    const a = action as Record<string, unknown>;
    const ok =
      typeof action === 'object' &&
      action !== null &&
      ((a.action === 'propose' &&
        (a.for === 'me' || a.for === 'counterpart') &&
        Object.keys(a).length === 2) ||
        ((a.action === 'accept' || a.action === 'decline' || a.action === 'handover') &&
          Object.keys(a).length === 1));
    if (!ok) throw new SluisError('input_invalid', { fields: ['action'] });
    const path = `/v1/matches/${sid(matchId, 'matchId')}/regie`;
    return asMatch(await this.#send({ method: 'POST', path, body: action, idempotent: false }));
  }

  // --- working together after a match (docs/sdk.md "Consent, agreements, report") ---

  /** Records the citizen's consent on an own active signal (replaces an earlier one). */
  async recordConsent(signalId: string, input: ConsentInput): Promise<Consent> {
    const errors = new FieldErrors();
    const body = checkConsent(input, todayUtc(this.#clock), errors);
    errors.throwIfAny();
    const path = `/v1/signals/${sid(signalId)}/consent`;
    return asConsent(asObj(await this.#send({ method: 'PUT', path, body, idempotent: true })).consent);
  }

  /** The consent on an own signal, or null. */
  async getConsent(signalId: string): Promise<Consent | null> {
    const path = `/v1/signals/${sid(signalId)}/consent`;
    const c = asObj(await this.#send({ method: 'GET', path, idempotent: true })).consent;
    return c === null ? null : asConsent(c);
  }

  /** Records that the citizen withdrew consent. */
  async withdrawConsent(signalId: string): Promise<Consent> {
    const path = `/v1/signals/${sid(signalId)}/consent/withdraw`;
    return asConsent(asObj(await this.#send({ method: 'POST', path, body: {}, idempotent: false })).consent);
  }

  /** The configured code lists for consent scopes and agreements. */
  async vocabulary(): Promise<Vocabulary> {
    return asVocabulary(
      await this.#send({ method: 'GET', path: '/v1/agreements/vocabulary', idempotent: true }),
    );
  }

  /** The match's process agreements, oldest first. */
  async listAgreements(matchId: string): Promise<Agreement[]> {
    const path = `/v1/matches/${sid(matchId, 'matchId')}/agreements`;
    const body = asObj(await this.#send({ method: 'GET', path, idempotent: true }));
    if (!Array.isArray(body.items)) throw new SluisError('response_invalid');
    return body.items.map(asAgreement);
  }

  /**
   * Appends a process agreement. Not retried automatically after an unanswered attempt
   * (a retry could append it twice): list the agreements and check before trying again.
   */
  async addAgreement(matchId: string, input: AgreementInput): Promise<Agreement> {
    const errors = new FieldErrors();
    const body = checkAgreement(input, todayUtc(this.#clock), errors);
    errors.throwIfAny();
    const path = `/v1/matches/${sid(matchId, 'matchId')}/agreements`;
    return asAgreement(await this.#send({ method: 'POST', path, body, idempotent: false }));
  }

  /** Appends a status update (open, done, cancelled) to an agreement. */
  async setAgreementStatus(
    matchId: string,
    agreementId: string,
    status: AgreementStatus,
  ): Promise<Agreement> {
    if (!AGREEMENT_STATUSES.includes(status)) throw new SluisError('input_invalid', { fields: ['status'] });
    const path = `/v1/matches/${sid(matchId, 'matchId')}/agreements/${sid(agreementId, 'agreementId')}/status`;
    return asAgreement(await this.#send({ method: 'POST', path, body: { status }, idempotent: false }));
  }

  /**
   * Covenant key rotation: pseudonymises each signal's person (and parents) under the
   * target epoch(s) and adds those pseudonyms to the own active signal (docs/keys.md).
   * Per-item results as placeSignals; the call is repeatable.
   */
  async migrateSignals(
    items: readonly MigrateSignalInput[],
    options: MigrateOptions = {},
  ): Promise<BatchItemResult[]> {
    const all = this.#pseudonymKeys();
    const keys =
      options.epochs === undefined
        ? [all[all.length - 1]!]
        : options.epochs.map((e) => all.find((k) => k.epoch === e) ?? fail('epoch_invalid'));
    if (keys.length === 0) throw new SluisError('epoch_invalid');
    const results: BatchItemResult[] = new Array(items.length);
    const prepared: { index: number; body: MigrationBody }[] = [];
    items.forEach((item, index) => {
      try {
        prepared.push({ index, body: prepareMigration(item, keys) });
      } catch (e) {
        if (!(e instanceof SluisError)) throw e;
        results[index] = { index, ok: false, code: e.code, fields: e.details.fields ?? [], local: true };
      }
    });
    await this.#batches('/v1/signals/migrate', prepared, results, options, () => undefined);
    return results;
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

const AGREEMENT_STATUSES: readonly AgreementStatus[] = ['open', 'done', 'cancelled'];
const CODE_RE = /^[a-z][a-z0-9_]{0,49}$/;
const FORM_REFERENCE_RE = /^[A-Za-z0-9._/-]{1,64}$/;

/** Mirrors the server: fixed scopes, a past or present date, an opaque reference, nothing else. */
function checkConsent(v: unknown, today: CalendarDate, errors: FieldErrors): ConsentInput | undefined {
  if (typeof v !== 'object' || v === null) {
    errors.add('');
    return undefined;
  }
  const c = v as Record<string, unknown>;
  for (const k of Object.keys(c))
    if (!['date', 'scopes', 'formReference'].includes(k) && c[k] !== undefined) errors.add(k);
  const d = parseDate(c.date);
  if (d === undefined || compareDates(d, today) > 0) errors.add('date');
  const scopes = c.scopes;
  if (
    !Array.isArray(scopes) ||
    scopes.length === 0 ||
    new Set(scopes).size !== scopes.length ||
    scopes.some((x) => !(CONSENT_SCOPES as readonly unknown[]).includes(x))
  ) {
    errors.add('scopes');
  }
  const ref = c.formReference;
  if (
    ref !== undefined &&
    (typeof ref !== 'string' || !FORM_REFERENCE_RE.test(ref) || /[0-9]{8,}/.test(ref))
  ) {
    errors.add('formReference');
  }
  if (errors.fields.length > 0) return undefined;
  return {
    date: c.date as string,
    scopes: scopes as ConsentInput['scopes'],
    ...(ref === undefined ? {} : { formReference: ref as string }),
  };
}

/** Codes only: the SDK refuses anything that looks like text before it is sent. */
function checkAgreement(v: unknown, today: CalendarDate, errors: FieldErrors): AgreementInput | undefined {
  if (typeof v !== 'object' || v === null) {
    errors.add('');
    return undefined;
  }
  const a = v as Record<string, unknown>;
  for (const k of Object.keys(a)) {
    if (
      !['owner', 'actionKind', 'informationCategory', 'purpose', 'dueDate'].includes(k) &&
      a[k] !== undefined
    )
      errors.add(k);
  }
  if (a.owner !== 'me' && a.owner !== 'counterpart') errors.add('owner');
  for (const k of ['actionKind', 'informationCategory', 'purpose']) {
    if (typeof a[k] !== 'string' || !CODE_RE.test(a[k] as string)) errors.add(k);
  }
  const d = parseDate(a.dueDate);
  if (d === undefined || compareDates(d, today) < 0) errors.add('dueDate');
  if (errors.fields.length > 0) return undefined;
  return {
    owner: a.owner as AgreementInput['owner'],
    actionKind: a.actionKind as string,
    informationCategory: a.informationCategory as string,
    purpose: a.purpose as string,
    dueDate: a.dueDate as string,
  };
}

function fail(code: 'epoch_invalid'): never {
  throw new SluisError(code);
}

function checkLimit(limit: unknown, errors: FieldErrors): void {
  if (limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 500)) {
    errors.add('limit');
  }
}

function checkCursor(cursor: unknown, errors: FieldErrors): void {
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 200)) {
    errors.add('cursor');
  }
}

/** Creates the organisation's API client. Throws SluisError on bad options. */
export function createClient(options: ClientOptions): SluisClient {
  return new SluisClient(options);
}
