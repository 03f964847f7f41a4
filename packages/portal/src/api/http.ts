// The portal's HTTP to the match server: unsigned JSON for the public passkey ceremony
// routes, and requests signed with the session key (docs/protocol.md §5, keyid = the
// session id) for everything else. Errors carry the server's problem code, status and
// field paths only — never a body, a URL or a value (docs/portal.md "What stays in the
// browser").

import { type RequestSigner, signRequestWith } from '@sluis/client-sdk';

export type { RequestSigner };

export class ApiError extends Error {
  readonly status: number;
  /** The problem+json `code`, or `network_error` / `response_invalid` for a failure before an answer. */
  readonly code: string;
  readonly fields: readonly string[];
  constructor(status: number, code: string, fields: readonly string[] = []) {
    super(code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRequest {
  readonly method: Method;
  /** Route path with validated ids, e.g. `/v1/matches/<uuid>`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
}

/** Base URL of the API: the page's own origin unless the build named another (docs/portal.md "Deploy"). */
export function apiBase(): string {
  const configured = import.meta.env.VITE_SLUIS_API_BASE as string | undefined;
  return configured === undefined || configured === ''
    ? globalThis.location.origin
    : configured.replace(/\/+$/, '');
}

function queryString(query: ApiRequest['query']): string {
  if (query === undefined) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.join('&');
}

async function answer(res: Response): Promise<unknown> {
  const text = await res.text();
  let parsed: unknown;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(res.status, 'response_invalid');
    }
  }
  if (res.ok) return parsed;
  const p = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const fields = Array.isArray(p.fields) ? p.fields.filter((f): f is string => typeof f === 'string') : [];
  throw new ApiError(res.status, typeof p.code === 'string' ? p.code : `http_${res.status}`, fields);
}

async function send(url: string, init: RequestInit, seen?: (res: Response) => void): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, credentials: 'omit', redirect: 'error', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'network_error');
  }
  seen?.(res);
  return answer(res);
}

/** The answer header that says how long a session lives on without a request (docs/api.md "Conventions"). */
const EXPIRES_IN = 'Sluis-Session-Expires-In';

/**
 * The moment a session ends at the earliest without another request, on two of this browser's
 * clocks: the wall clock (`Date.now()`, which goes on while the computer sleeps) and the
 * monotonic one of this page (`performance.now()`, which a changed wall clock does not move).
 */
export interface SessionEnd {
  readonly endsAt: number;
  readonly monotonicEndsAt: number;
}

/** Told, for a session's key id, when it ends at the earliest and the seconds the server said. */
export type SessionExpiryListener = (keyId: string, end: SessionEnd, seconds: number) => void;
let expiryListener: SessionExpiryListener | undefined;

/**
 * Listens to every signed answer's `Sluis-Session-Expires-In` (one listener: the page's session
 * expiry, ../local/session-expiry.ts). The seconds count from the server's answer, which came
 * after the request left, so the send time plus them is never later than the real end,
 * however this browser's clock differs from the server's.
 */
export function onSessionExpiry(listener: SessionExpiryListener | undefined): void {
  expiryListener = listener;
}

/** A public route (the passkey ceremonies): JSON in, JSON out, no signature. */
export async function publicJson(path: string, body: unknown): Promise<unknown> {
  return send(`${apiBase()}${path}`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * The server's clock minus this browser's (ms), learnt from the `Date` header of an answer that
 * refused a signature with `timestamp_out_of_window`; 0 until then. Kept for the page's life, so
 * a skewed clock costs one refused request, not one per request (docs/portal.md "Signing in").
 */
let serverClockOffsetMs = 0;

/** This browser's estimate of the match server's time now (ms): its clock plus the difference learnt. */
export function serverNow(): number {
  return Date.now() + serverClockOffsetMs;
}

/**
 * A request signed with the session key: the SDK's signer, the SDK's headers. Refused
 * `timestamp_out_of_window`, it is signed again once with the time of the server's `Date`
 * header (docs/api.md "Conventions", as the admin CLI does): a fresh nonce, so never a replay,
 * and the window is still the server's.
 */
export async function signedJson(signer: RequestSigner, request: ApiRequest): Promise<unknown> {
  let serverDate = Number.NaN;
  try {
    return await signedOnce(signer, request, (date) => {
      serverDate = date;
    });
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'timestamp_out_of_window' && Number.isFinite(serverDate)))
      throw e;
    serverClockOffsetMs = serverDate - Date.now();
    return signedOnce(signer, request);
  }
}

async function signedOnce(
  signer: RequestSigner,
  request: ApiRequest,
  dated?: (serverDate: number) => void,
): Promise<unknown> {
  const base = apiBase();
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  const query = queryString(request.query);
  const bytes =
    request.body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(request.body));
  const signature = await signRequestWith(
    signer,
    { method: request.method, path: basePath + request.path, query },
    bytes,
    { created: Math.floor(serverNow() / 1000) },
  );
  const headers: Record<string, string> = { accept: 'application/json', ...signature };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const sentAt = Date.now();
  const sentAtMonotonic = performance.now();
  return send(
    `${base}${request.path}${query === '' ? '' : `?${query}`}`,
    {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: bytes as Uint8Array<ArrayBuffer> }),
    },
    (res) => {
      dated?.(Date.parse(res.headers.get('date') ?? ''));
      const told = res.headers.get(EXPIRES_IN);
      if (told === null || !/^[0-9]{1,9}$/.test(told)) return;
      const ms = Number(told) * 1000;
      expiryListener?.(
        signer.keyId,
        { endsAt: sentAt + ms, monotonicEndsAt: sentAtMonotonic + ms },
        Number(told),
      );
    },
  );
}
