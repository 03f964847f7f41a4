// A small signed HTTP client for the admin CLI (docs/protocol.md §5, signing with
// @sluis/client-sdk). Bodies are serialised once and the same bytes are signed and
// sent. When the server answers timestamp_out_of_window it re-signs once with the
// server's time from its Date header (the server may run a test clock, or this host's
// clock may drift); a fresh nonce is used, so this is never a replay.

import { type SigningKey, signRequest } from '@sluis/client-sdk';
import { ServerError } from '../errors.js';

export interface AdminAnswer {
  readonly status: number;
  /** The parsed JSON answer; undefined for another media type. */
  readonly body: unknown;
  /** The answer as sent (a CSV export). */
  readonly text: string;
}

export class AdminClient {
  readonly #base: string;
  readonly #key: SigningKey;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  #offsetMs = 0;

  constructor(options: { baseUrl: string; key: SigningKey; fetch?: typeof fetch; timeoutMs?: number }) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#key = options.key;
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The administrator's signing key: also signs evaluate requests to the pseudonym service. */
  get signingKey(): SigningKey {
    return this.#key;
  }

  async request(
    method: string,
    path: string,
    options: {
      query?: Record<string, string | number | undefined>;
      body?: unknown;
      accept?: string;
    } = {},
  ): Promise<AdminAnswer> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) params.set(k, String(v));
    const query = params.toString();
    const bytes =
      options.body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(options.body));
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {
        accept: options.accept ?? 'application/json',
        ...signRequest(this.#key, { method, path, query }, bytes, {
          created: Math.floor((Date.now() + this.#offsetMs) / 1000),
        }),
      };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      let res: Response;
      try {
        res = await this.#fetch(`${this.#base}${path}${query === '' ? '' : `?${query}`}`, {
          method,
          headers,
          ...(options.body === undefined ? {} : { body: bytes }),
          redirect: 'error',
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch {
        throw new ServerError('admin_unreachable', { path: this.#base });
      }
      const text = await res.text();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (res.ok) return { status: res.status, body, text };
      const p = (body ?? {}) as { code?: unknown; fields?: unknown; correlationId?: unknown };
      const code = typeof p.code === 'string' ? p.code : `http_${res.status}`;
      const serverDate = Date.parse(res.headers.get('date') ?? '');
      if (code === 'timestamp_out_of_window' && attempt === 0 && Number.isFinite(serverDate)) {
        this.#offsetMs = serverDate - Date.now();
        continue;
      }
      // A refusal: the server's code, status, field paths and correlation id (admin_refused).
      throw new ServerError('admin_refused', {
        status: res.status,
        problemCode: code,
        fields: Array.isArray(p.fields) ? p.fields.filter((f): f is string => typeof f === 'string') : [],
        ...(typeof p.correlationId === 'string' ? { correlationId: p.correlationId } : {}),
      });
    }
  }
}
