// Signed HTTP transport: serialises the body once, signs exactly those bytes with the
// raw path and query as sent (docs/protocol.md §5), and retries per retry-policy.ts
// with a fresh signature each attempt. Errors carry codes, statuses and field paths
// only: no URL query, body or header value ends up in an error.

import { SluisError, toProblemCode } from '../errors.js';
import { base64url, utf8 } from '../protocol/encoding.js';
import { type RequestSigner, signRequestWith } from '../protocol/request-signer.js';
import { type RetryPolicy, backoffDelayMs, isRetryableStatus, parseRetryAfter } from './retry-policy.js';
import type { RandomSource } from './uuid.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportConfig {
  /** Origin plus optional base path, without a trailing slash, e.g. `https://sluis.example.nl`. */
  readonly baseUrl: string;
  /** The base path part of baseUrl ('' or '/prefix'), prepended to every signed @path. */
  readonly basePath: string;
  /** A registered key (keySigner) or a signed-in session (sessionSigner), docs/protocol.md §10.4. */
  readonly signer: RequestSigner;
  /** Every request acts on behalf of this person of the organisation (docs/protocol.md §5.6). */
  readonly onBehalfOf?: string;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly policy: RetryPolicy;
  readonly clock: () => number;
  readonly random: RandomSource;
  readonly sleep: (ms: number) => Promise<void>;
  /**
   * The code of a request that got no answer at all: `network_error` (the default) for the match
   * server, `pseudonym_service_unavailable` for the pseudonym service, so a caller can say which
   * service was down (docs/sdk.md "Errors").
   */
  readonly unreachable?: 'network_error' | 'pseudonym_service_unavailable';
}

export interface Call {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Route path with ids already validated, e.g. `/v1/signals/<uuid>/withdraw`. */
  readonly path: string;
  readonly query?: readonly (readonly [string, string | number | undefined])[];
  readonly body?: unknown;
  /**
   * True when repeating the request cannot change the outcome (GETs, placements by
   * requestId, PUTs). Otherwise only answers that guarantee nothing happened (429, 503)
   * are retried; a lost connection is reported, not retried.
   */
  readonly idempotent: boolean;
  /**
   * The pseudonym service only (docs/protocol.md §9.7): the credential to present, asked
   * for before every attempt so a provider can hand out a fresh one.
   */
  readonly credential?: () => Promise<string>;
  /** This call's timeout per attempt, in ms, instead of the transport's `timeoutMs`. */
  readonly timeoutMs?: number;
  /**
   * A `Prefer` header (RFC 7240): `return=minimal` on the batch routes (docs/api.md "POST
   * /v1/signals/batch"). Not signed (docs/protocol.md §5.5): it changes only the answer's form.
   */
  readonly prefer?: string;
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export function buildQuery(query: Call['query']): string {
  if (query === undefined) return '';
  const parts: string[] = [];
  for (const [k, v] of query) {
    if (v === undefined) continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.join('&');
}

function unitInterval(random: RandomSource): number {
  const b = random(4);
  return (((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!) / 2 ** 32;
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return Symbol.for('sluis.unparsable');
  }
}

function problemError(
  status: number,
  body: unknown,
  res: Response,
  retryAfter: number | undefined,
): SluisError {
  const p = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const fields = Array.isArray(p.fields) ? p.fields.filter((f): f is string => typeof f === 'string') : [];
  const correlationId =
    typeof p.correlationId === 'string'
      ? p.correlationId
      : (res.headers.get('x-correlation-id') ?? undefined);
  return new SluisError('server_error', {
    status,
    problemCode: toProblemCode(p.code),
    fields,
    ...(correlationId === undefined ? {} : { correlationId }),
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
  });
}

export class Transport {
  readonly #c: TransportConfig;

  constructor(config: TransportConfig) {
    this.#c = config;
  }

  async send(call: Call): Promise<Answer> {
    const c = this.#c;
    const query = buildQuery(call.query);
    const path = c.basePath + call.path;
    const url = `${c.baseUrl}${call.path}${query === '' ? '' : `?${query}`}`;
    const body = call.body === undefined ? new Uint8Array(0) : utf8(JSON.stringify(call.body));
    let lastError: SluisError | undefined;

    for (let attempt = 0; attempt <= c.policy.retries; attempt++) {
      if (attempt > 0) {
        const retryAfter = lastError?.details.retryAfterSeconds;
        const wait = Math.max(
          backoffDelayMs(c.policy, attempt - 1, unitInterval(c.random)),
          retryAfter === undefined ? 0 : retryAfter * 1000,
        );
        await c.sleep(wait);
      }
      const credential = call.credential === undefined ? undefined : await call.credential();
      const signature = await signRequestWith(c.signer, { method: call.method, path, query }, body, {
        created: Math.floor(c.clock() / 1000),
        nonce: base64url.encode(c.random(16)),
        ...(c.onBehalfOf === undefined ? {} : { onBehalfOf: c.onBehalfOf }),
        ...(credential === undefined ? {} : { credential }),
      });
      const headers: Record<string, string> = { accept: 'application/json', ...signature };
      if (call.body !== undefined) headers['content-type'] = 'application/json';
      if (call.prefer !== undefined) headers.prefer = call.prefer;

      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, call.timeoutMs ?? c.timeoutMs);
      let res: Response;
      let parsed: unknown;
      try {
        res = await c.fetch(url, {
          method: call.method,
          headers,
          ...(call.body === undefined ? {} : { body: body as Uint8Array<ArrayBuffer> }),
          signal: controller.signal,
          redirect: 'error',
        });
        parsed = await readJson(res);
      } catch (cause) {
        lastError = timedOut
          ? new SluisError('timeout')
          : new SluisError(c.unreachable ?? 'network_error', {}, { cause });
        // A request that may have reached the server is repeated only when that is harmless.
        if (!call.idempotent) throw lastError;
        continue;
      } finally {
        clearTimeout(timer);
      }

      if (res.ok) {
        // No body: 204, and the 202 of a handover request (docs/api.md "Handover requests").
        const empty = res.status === 204 || res.status === 202;
        if (parsed === Symbol.for('sluis.unparsable') || (parsed === undefined && !empty)) {
          throw new SluisError('response_invalid', { status: res.status });
        }
        return { status: res.status, body: parsed };
      }

      const retryAfter = parseRetryAfter(res.headers.get('retry-after'), c.clock());
      const error = problemError(res.status, parsed, res, retryAfter);
      const retryable = call.idempotent
        ? isRetryableStatus(res.status)
        : res.status === 429 || res.status === 503;
      if (!retryable || (retryAfter !== undefined && retryAfter > c.policy.maxRetryAfterSeconds)) throw error;
      lastError = error;
    }
    throw lastError ?? new SluisError(c.unreachable ?? 'network_error');
  }
}
