// POST /v1/evaluate (docs/protocol.md §9.3, §9.6, §9.7): authenticate (a key, or a
// credential naming a person), rate limit, check the body and the epoch, the credential's
// cap and the organisation's budget on the element count, then every element, evaluate the
// batch with one proof, log the count (with the person and credential when there is one).
// Invariant: a refused request evaluates nothing, charges nothing, and its error names at
// most a position (`blindedElements.3`), never an element.

import { MAX_EVALUATE_BATCH, base64url, checkElement, isValidEpoch } from '@sluis/client-sdk';
import type { AuthFailureLimiter } from '../abuse/auth-failure-limit.js';
import type { CredentialCaps } from '../abuse/credential-caps.js';
import type { EvaluationBudget } from '../abuse/evaluation-budget.js';
import { type KeyRateLimit, RateLimited } from '../abuse/rate-limit.js';
import { ServiceError } from '../errors.js';
import type { OprfKeyring } from '../keyring.js';
import type { Logbook } from '../logbook.js';
import type { Caller, RequestAuthenticator, SignedRequest } from '../request-auth.js';
import type { Metrics } from './metrics.js';
import { statusOf } from './problem.js';

export interface EvaluateDeps {
  readonly auth: RequestAuthenticator;
  readonly keyring: OprfKeyring;
  readonly budget: EvaluationBudget;
  readonly credentialCaps: CredentialCaps;
  readonly personAlertPerHour: number;
  readonly rateLimit: KeyRateLimit;
  readonly logbook: Logbook;
  readonly metrics: Metrics;
  readonly clock: () => number;
  readonly defaultBudgetPerDay: number;
  readonly alertPerHour: number;
  /** Resolves once the nonces accepted so far are on disk (nonce-file.ts). */
  readonly persistNonces: () => Promise<void>;
  /** Failed authentications per client address and per key id (abuse/auth-failure-limit.ts). */
  readonly failedAddresses: AuthFailureLimiter;
  readonly failedKeys: AuthFailureLimiter;
}

function parseBody(body: Uint8Array): { epoch: number; elements: string[] } {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new ServiceError('validation_failed', { fields: [''] });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ServiceError('validation_failed', { fields: [''] });
  const o = v as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== 'epoch' && k !== 'blindedElements');
  // An unknown member is named by its object's path, never by its key: a key is input too and may
  // be an identifier (docs/protocol.md §9.6).
  if (extra.length > 0) throw new ServiceError('validation_failed', { fields: [''] });
  if (!isValidEpoch(o.epoch)) throw new ServiceError('validation_failed', { fields: ['epoch'] });
  const list = o.blindedElements;
  if (!Array.isArray(list) || list.length === 0)
    throw new ServiceError('validation_failed', { fields: ['blindedElements'] });
  if (list.length > MAX_EVALUATE_BATCH)
    throw new ServiceError('batch_too_large', { fields: ['blindedElements'] });
  const bad = list.findIndex((e) => typeof e !== 'string');
  if (bad >= 0) throw new ServiceError('validation_failed', { fields: [`blindedElements.${bad}`] });
  return { epoch: o.epoch, elements: list as string[] };
}

function decodeElements(elements: readonly string[]): Uint8Array[] {
  return elements.map((text, i) => {
    const bytes = base64url.decode(text);
    const check = bytes === undefined ? 'element_invalid' : checkElement(bytes);
    if (check !== 'ok') throw new ServiceError(check, { fields: [`blindedElements.${i}`] });
    return bytes!;
  });
}

/**
 * Writes one `refused.repeated` line per key for each minute that is over (every minute with
 * `all`, at a stop): the count of its rate_limited refusals after the first. Called by the
 * service's timer (every 15 s) and at its stop.
 */
export function writeRepeatedRefusals(deps: EvaluateDeps, all = false): void {
  const now = deps.clock();
  for (const r of deps.rateLimit.takeRepeated(now, all)) {
    deps.logbook.append(now, {
      event: 'refused.repeated',
      code: 'rate_limited',
      organisation: r.organisation,
      keyId: r.keyId,
      minute: new Date(r.minute).toISOString(),
      further: r.further,
    });
  }
}

/** Whole seconds to wait while a failure bucket is empty: refused unverified. */
function refuseWhileFailing(wait: number): void {
  if (wait > 0) throw new ServiceError('rate_limited', { retryAfterSeconds: wait });
}

export async function evaluate(
  deps: EvaluateDeps,
  req: SignedRequest,
  address: string | undefined,
): Promise<unknown> {
  let knownKey: string | undefined;
  let key: Caller;
  try {
    key = await deps.auth.authenticate(req, {
      beforeVerify: (keyId) => {
        knownKey = keyId;
        refuseWhileFailing(deps.failedKeys.wait(keyId));
      },
      // The nonce on disk before anything is evaluated or charged: an answered request can
      // never be answered again after a crash (docs/protocol.md §5.4).
      afterNonce: deps.persistNonces,
    });
  } catch (e) {
    // A refused authentication (401) takes a token from the address's and the key's bucket.
    if (e instanceof ServiceError && statusOf(e.code) === 401) {
      if (address !== undefined) deps.failedAddresses.fail(address);
      if (knownKey !== undefined) deps.failedKeys.fail(knownKey);
    }
    throw e;
  }
  const org = key.organisation.name;
  const person = key.person;
  // Who asked, in every line of this request: the person and credential ids (never a name).
  const who = person === undefined ? {} : { personId: person.personId, credentialId: person.credentialId };
  let elements = 0;
  try {
    deps.rateLimit.take(key.keyId, deps.clock(), org);
    const body = parseBody(req.body);
    elements = body.elements.length;
    deps.keyring.reload();
    if (!deps.keyring.has(body.epoch)) throw new ServiceError('epoch_unknown', { fields: ['epoch'] });
    const now = deps.clock();
    // The caps judge the element COUNT, so a request they refuse costs no decoding (1,000
    // elements take ≈ 0.1–0.3 s to decode and check): docs/protocol.md §9.6 check 14, §9.7.
    if (person !== undefined) deps.credentialCaps.check(person.credentialId, elements);
    deps.budget.check(
      org,
      elements,
      key.organisation.evaluationBudgetPerDay ?? deps.defaultBudgetPerDay,
      now,
    );
    const blinded = decodeElements(body.elements);
    const result = deps.keyring.evaluate(body.epoch, blinded);
    const alert = deps.budget.count(org, elements, now);
    const personAlert =
      person === undefined
        ? undefined
        : deps.credentialCaps.count(person.personId, person.credentialId, person.expiresAt, elements, now);
    deps.logbook.append(now, {
      event: 'evaluated',
      organisation: org,
      keyId: key.keyId,
      ...who,
      ...(person === undefined ? {} : { credentialExpiresAt: new Date(person.expiresAt).toISOString() }),
      epoch: body.epoch,
      elements,
    });
    deps.metrics.evaluated(org, elements);
    if (alert !== undefined) {
      deps.logbook.append(now, {
        event: 'alert.evaluation_rate',
        organisation: org,
        elementsThisHour: alert,
        threshold: deps.alertPerHour,
      });
      deps.metrics.alert(org);
    }
    if (personAlert !== undefined && person !== undefined) {
      deps.logbook.append(now, {
        event: 'alert.person_evaluation_rate',
        organisation: org,
        personId: person.personId,
        elementsThisHour: personAlert,
        threshold: deps.personAlertPerHour,
      });
      deps.metrics.alert(org);
    }
    return {
      epoch: body.epoch,
      evaluatedElements: result.evaluated.map((e) => base64url.encode(e)),
      proof: base64url.encode(result.proof),
    };
  } catch (e) {
    // A key's further rate_limited refusals of a minute are counted, not written one by one.
    if (e instanceof ServiceError && !(e instanceof RateLimited && !e.firstOfMinute)) {
      deps.logbook.append(deps.clock(), {
        event: 'refused',
        code: e.code,
        organisation: org,
        keyId: key.keyId,
        ...who,
        ...(elements > 0 ? { elements } : {}),
      });
    }
    throw e;
  }
}
