// What the handling of one request shares (app.ts): the request's log record in the Hono
// context, its raw target and query exactly as received, strict validation, and the
// Response of a refusal — as an RFC 9457 problem (http/problem.ts), an unexpected error as
// 500 `internal` with its details in the log only, never a value; a client that went away
// before its body was complete is marked on the record, neither a refusal nor an error. A
// route's reply is answered by http/answer.ts.

import type { Context } from 'hono';
import type { z } from 'zod';
import { ServerError } from '../errors.js';
import { errorFields, type Logger, loggedCode } from '../ops/logger.js';
import { PROBLEM_CONTENT_TYPE, type ProblemCode, problem, publicCode, statusOf } from './problem.js';
import { asRefusal } from './problem-error.js';
import { type IncomingBody, RequestAborted } from './raw-body.js';
import { issueCode, issueFields } from './validation.js';

export interface RequestLog {
  correlationId: string;
  /** The trusted proxy's X-Request-Id (http/request-id.ts). */
  requestId?: string;
  route: string;
  organisationId?: string;
  adminKeyId?: string;
  personId?: string;
  code?: string;
  /** The client went away before its body was complete (http/raw-body.ts): app.ts logs `request_aborted`. */
  aborted?: true;
}

export type Env = {
  /** `origin`: the request's Origin when on the CORS allow-list (app.ts). */
  Variables: {
    log: RequestLog;
    origin: string | undefined;
    /** A session-signed request's idle expiry after it (ms, app.ts): the Sluis-Session-Expires-In header. */
    sessionIdleExpiresAt: number | undefined;
  };
  Bindings: { incoming?: IncomingBody & { url?: string; socket?: { remoteAddress?: string } } };
};

/** Path and query exactly as on the request line (node) or in the URL (in-process requests). */
export function rawTarget(c: Context<Env>): { path: string; query: string } {
  let target = c.env?.incoming?.url;
  if (typeof target !== 'string') {
    const url = c.req.url;
    const start = url.indexOf('/', url.indexOf(':') + 3);
    target = start === -1 ? '/' : url.slice(start);
  }
  const hash = target.indexOf('#');
  if (hash !== -1) target = target.slice(0, hash);
  const q = target.indexOf('?');
  return q === -1 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

export function parseQuery(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === '') return out;
  for (const [k, v] of new URLSearchParams(raw)) {
    if (Object.hasOwn(out, k)) throw new ServerError('validation_failed', { fields: ['query'] });
    out[k] = v;
  }
  return out;
}

export function validate<T>(
  schema: z.ZodType<T> | undefined,
  value: unknown,
  root: string,
  prefix: string[],
): T {
  if (schema === undefined) return undefined as T;
  const r = schema.safeParse(value);
  if (!r.success) throw new ServerError(issueCode(r.error), { fields: issueFields(r.error, root, prefix) });
  return r.data;
}

export function problemResponse(
  c: Context<Env>,
  code: ProblemCode,
  fields: readonly string[],
  headers: Record<string, string> = {},
): Response {
  const p = problem(code, c.get('log').correlationId, fields);
  c.get('log').code = p.code;
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...headers },
  });
}

/** The app's error handler: a refusal answered as its problem, anything else as `internal`. */
export function refusalResponder(logger: Logger): (err: Error, c: Context<Env>) => Response {
  return (err, c) => {
    if (err instanceof RequestAborted) {
      // No one is left to answer: the request's line says so (app.ts). Hono needs a
      // Response; it goes to a closed connection, where node:http writes nothing.
      c.get('log').aborted = true;
      return new Response(null, { status: 400 });
    }
    const refusal = asRefusal(err);
    if (refusal !== undefined) {
      // --log-level debug: why it was refused — the code and field paths, never a value
      // (http/validation.ts reports an unknown key by the path of its object, not its name).
      const log = c.get('log');
      logger.log('debug', 'request_refused', {
        correlationId: log.correlationId,
        route: log.route,
        code: loggedCode(refusal.code),
        fields: refusal.fields.length > 0 ? refusal.fields.join(',') : undefined,
        retryAfterSeconds: refusal.retryAfterSeconds,
      });
      // A storage or configuration fault reaches the client folded into `unavailable` or
      // `internal` (http/problem.ts); the operator needs the real code (docs/operations.md
      // "Logs": `server_fault`), e.g. database_corrupt → restore a backup.
      if (publicCode(refusal.code) !== refusal.code) {
        logger.log('error', 'server_fault', {
          correlationId: log.correlationId,
          route: log.route,
          code: loggedCode(refusal.code),
          // e.g. 53300 (too many connections), ECONNREFUSED: a fixed code, never the server's text.
          dbCode: loggedCode(refusal.dbCode),
        });
      }
      const headers: Record<string, string> = {};
      if (refusal.retryAfterSeconds !== undefined && statusOf(refusal.code) === 429) {
        headers['Retry-After'] = String(Math.max(1, Math.ceil(refusal.retryAfterSeconds)));
      }
      return problemResponse(c, refusal.code, refusal.fields, headers);
    }
    const log = c.get('log');
    logger.log('error', 'unexpected_error', {
      correlationId: log.correlationId,
      route: log.route,
      ...errorFields(err),
    });
    return problemResponse(c, 'internal', []);
  };
}
