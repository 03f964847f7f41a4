// When and how long to wait before retrying a request: exponential backoff with full
// jitter (AWS architecture blog, "Exponential Backoff and Jitter"), never sooner than
// the server's Retry-After. Every retry is re-signed by the transport, so a retry is a
// new request with a fresh nonce and timestamp (docs/protocol.md §5: nonces are single use).

export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. Default 3. */
  readonly retries: number;
  /** First backoff ceiling in ms; doubles per retry. Default 250. */
  readonly baseDelayMs: number;
  /** Largest backoff in ms. Default 10 000. */
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error is returned instead. Default 60. */
  readonly maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterSeconds: 60,
};

/** Full jitter: uniform in [0, min(max, base·2^attempt)]; `unit` is uniform in [0, 1). */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, unit: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(unit * ceiling);
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. Undefined when absent or unparsable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) return Number(v);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** Statuses worth another attempt: the server was busy or failed, not the request. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
