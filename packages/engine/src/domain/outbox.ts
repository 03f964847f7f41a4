// What the two persisted outboxes (webhook deliveries, match notice e-mail) share: the
// backoff of a failed attempt, the check of an attempt's result, and the claim a sender
// takes on the rows it is about to send (docs/engine.md "Storage contract", clause 5).
// Invariant: a row is sent under one claim at a time — another instance claims it again
// only after that claim's lease has ended without a recorded attempt (its sender crashed
// or stalled past the lease), so a row is sent twice only then, or when the receiver got
// an attempt whose answer we did not (a timeout): at-least-once, never by two live senders.

import type { AttemptResult } from '../api.js';
import type { OutboxClaim } from '../store/store.js';
import { newUuid } from '../ids.js';
import { fail } from '../validation.js';
import type { EngineContext } from './context.js';

export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_CAP_MS = 3_600_000;

/** The wait after the `attempts`-th failed attempt: 10 s × 2^(attempts−1), at most 1 h. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MS);
}

const ERROR_CODE_RE = /^[a-z0-9_.:-]{1,64}$/i;

/** `result` if it is a well-formed attempt result; else `validation_failed` naming the field. */
export function validAttemptResult(result: AttemptResult): AttemptResult {
  if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') fail(['result']);
  if (!result.ok && (typeof result.code !== 'string' || !ERROR_CODE_RE.test(result.code)))
    fail(['result.code']);
  return result;
}

/** Leases from 1 s to 1 h: longer than one attempt may take, short enough to retry after a crash. */
const LEASE_MIN_MS = 1_000;
const LEASE_MAX_MS = 3_600_000;

/** A fresh claim whose lease runs `leaseMs` from now. */
export function newClaim(ctx: EngineContext, leaseMs: number): OutboxClaim {
  if (!Number.isSafeInteger(leaseMs) || leaseMs < LEASE_MIN_MS || leaseMs > LEASE_MAX_MS) fail(['leaseMs']);
  return { token: newUuid(ctx.random), until: ctx.clock() + leaseMs };
}

/**
 * A row's attempt fields after one attempt at `now`: done at `doneAt` when `result.ok`, or
 * pending again (`doneAt` null) after the backoff with the failure's code. An earlier
 * failure's code stays on a done row.
 */
export function afterAttempt(
  row: { readonly attempts: number; readonly nextAttemptAt: number; readonly lastErrorCode: string | null },
  result: AttemptResult,
  now: number,
): { attempts: number; nextAttemptAt: number; lastErrorCode: string | null; doneAt: number | null } {
  const attempts = row.attempts + 1;
  return result.ok
    ? { attempts, nextAttemptAt: row.nextAttemptAt, lastErrorCode: row.lastErrorCode, doneAt: now }
    : { attempts, nextAttemptAt: now + backoffMs(attempts), lastErrorCode: result.code, doneAt: null };
}
