// The service's HTTP surface on node:http (no framework: three routes, and the smaller
// the code between the network and the key, the better). Routes: GET /v1/keys (public
// keys), POST /v1/evaluate (signed), GET /healthz, GET /metrics. Every refusal is
// application/problem+json with a stable code (http/problem.ts); nothing is echoed.

import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { OPRF_MODE, OPRF_SUITE, base64url } from '@sluis/client-sdk';
import type { BlockList } from 'node:net';
import { clientAddress } from '../abuse/auth-failure-limit.js';
import { ServiceError, type ServiceErrorCode } from '../errors.js';
import type { OprfKeyring } from '../keyring.js';
import { type EvaluateDeps, evaluate } from './evaluate.js';
import { bearerCheck } from '../metrics-token.js';
import { isLoggableErrorCode } from '@sluis/engine/protocol';
import { Drain } from './drain.js';
import { RequestAborted, readBody } from './request-body.js';
import { PROBLEM_CONTENT_TYPE, problem, statusOf } from './problem.js';

export interface HttpDeps extends EvaluateDeps {
  readonly keyring: OprfKeyring;
  /** Browser origins (the portal's) allowed to call /v1/evaluate and /v1/keys (CORS). */
  readonly corsOrigins: readonly string[];
  /** The bearer token GET /metrics requires (metrics-token.ts). */
  readonly metricsToken: string;
  /** Reverse proxies whose X-Forwarded-For names the client (abuse/auth-failure-limit.ts). */
  readonly trustedProxies: BlockList | undefined;
}

/** Operator-side codes: a broken data directory or file, logged with the file (never its contents). */
const OPERATOR_CODES: ReadonlySet<ServiceErrorCode> = new Set([
  'key_file_insecure',
  'key_file_invalid',
  'key_file_unreadable',
  'file_foreign_owner',
  'key_file_exists',
  'data_dir_insecure',
  'usage_invalid',
]);

/** The request headers a browser may send: the signature profile of §5 and the credential of §9.7. */
const CORS_ALLOW_HEADERS = 'content-type, content-digest, signature-input, signature, sluis-credential';

/** CORS answer headers for an allowed origin; none for any other (the browser then refuses). */
function corsHeaders(deps: HttpDeps, req: IncomingMessage): Record<string, string> {
  const origin = header(req, 'origin');
  if (origin === undefined || !deps.corsOrigins.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    vary: 'Origin',
    // `date`: the portal signs a refused request again on the service's time (docs/portal.md
    // "Signing in"); a page cannot read a header not exposed here.
    'access-control-expose-headers': 'retry-after, x-correlation-id, date',
  };
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json',
  extra: Record<string, string> = {},
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const cors = (res as ServerResponse & { cors?: Record<string, string> }).cors ?? {};
  res.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS, ...cors, ...extra });
  res.end(text);
}

function sendProblem(res: ServerResponse, e: ServiceError, correlationId: string) {
  const p = problem(e.code, correlationId, e.details.fields);
  const extra: Record<string, string> = { 'x-correlation-id': correlationId };
  if (e.details.retryAfterSeconds !== undefined) extra['retry-after'] = String(e.details.retryAfterSeconds);
  send(res, p.status, p, PROBLEM_CONTENT_TYPE, extra);
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? undefined : v;
};

/** The server, and its stop (http/drain.ts): every request's handler runs under `drain`. */
export function createHttpServer(deps: HttpDeps): { server: Server; drain: Drain } {
  const metricsTokenMatches = bearerCheck(deps.metricsToken);
  // The request and headers timeouts (service.ts) are checked every second, not node:http's
  // default 30 s: a body not arrived within the request timeout is cut off within a second of it.
  const server = createServer(
    { connectionsCheckingInterval: 1000 },
    (req, res) => void drain.run(res, () => handle(req, res)),
  );
  const drain = new Drain(server);
  return { server, drain };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const target = req.url ?? '/';
      const q = target.indexOf('?');
      const path = q < 0 ? target : target.slice(0, q);
      const query = q < 0 ? '' : target.slice(q + 1);
      const cors = corsHeaders(deps, req);
      (res as ServerResponse & { cors?: Record<string, string> }).cors = cors;
      if (req.method === 'OPTIONS' && (path === '/v1/evaluate' || path === '/v1/keys')) {
        // A preflight: answered for an allowed origin only, and never authenticated.
        if (cors['access-control-allow-origin'] === undefined) throw new ServiceError('method_not_allowed');
        res.writeHead(204, {
          ...SECURITY_HEADERS,
          ...cors,
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': CORS_ALLOW_HEADERS,
          'access-control-max-age': '600',
        });
        res.end();
        return;
      }
      if (path === '/v1/evaluate') {
        if (req.method !== 'POST') throw new ServiceError('method_not_allowed');
        const type = header(req, 'content-type') ?? '';
        if (!/^application\/json(\s*;.*)?$/i.test(type)) throw new ServiceError('unsupported_media_type');
        // The failed-authentication limit per client address, before the body is read.
        const address = clientAddress(
          req.socket.remoteAddress,
          header(req, 'x-forwarded-for'),
          deps.trustedProxies,
        );
        if (address !== undefined) {
          const wait = deps.failedAddresses.wait(address);
          if (wait > 0) throw new ServiceError('rate_limited', { retryAfterSeconds: wait });
        }
        const body = await readBody(req);
        const answer = await evaluate(
          deps,
          {
            method: 'POST',
            path,
            query,
            body,
            contentDigest: header(req, 'content-digest'),
            signatureInput: header(req, 'signature-input'),
            signature: header(req, 'signature'),
            credential: header(req, 'sluis-credential'),
          },
          address,
        );
        send(res, 200, answer);
        return;
      }
      if (req.method !== 'GET') throw new ServiceError(isKnown(path) ? 'method_not_allowed' : 'not_found');
      if (path === '/v1/keys') {
        deps.keyring.reload();
        send(res, 200, {
          suite: OPRF_SUITE,
          mode: OPRF_MODE,
          keys: deps.keyring
            .publicKeys()
            .map((k) => ({ epoch: k.epoch, publicKey: base64url.encode(k.publicKey) })),
        });
      } else if (path === '/healthz') {
        send(res, 200, { status: 'ok' });
      } else if (path === '/metrics') {
        if (!metricsTokenMatches(header(req, 'authorization'))) {
          const p = problem('metrics_token_required', randomBytes(8).toString('hex'));
          send(res, p.status, p, PROBLEM_CONTENT_TYPE, {
            'www-authenticate': 'Bearer realm="sluis-pseudonym-metrics"',
            'x-correlation-id': p.correlationId,
          });
          return;
        }
        send(res, 200, deps.metrics.render(), 'text/plain; version=0.0.4');
      } else {
        throw new ServiceError('not_found');
      }
    } catch (e) {
      const correlationId = randomBytes(8).toString('hex');
      if (e instanceof RequestAborted) {
        // Nothing to answer and nothing to refuse: one line with the route and an id, no
        // value (docs/operations.md "Pseudonym service"), and the connection left to node:http,
        // which has closed it.
        process.stderr.write(
          `${JSON.stringify({ level: 'info', event: 'request_aborted', correlationId, route: '/v1/evaluate' })}\n`,
        );
        deps.metrics.aborted();
        res.destroy();
        return;
      }
      const err = e instanceof ServiceError ? e : new ServiceError('internal');
      if (!(e instanceof ServiceError)) {
        // The answer's correlation id and a system error's code (ENOSPC, EIO): never the
        // error's message, which could carry input.
        const code = systemErrorCode(e);
        process.stderr.write(
          `${JSON.stringify({ level: 'error', event: 'internal_error', correlationId, ...(code === undefined ? {} : { code }) })}\n`,
        );
      } else if (OPERATOR_CODES.has(e.code)) {
        // A file the operator broke while the service runs (500 to the client): the code and
        // the file's path, never its contents (docs/operations.md "Pseudonym service").
        process.stderr.write(
          `${JSON.stringify({ level: 'error', event: 'data_dir_error', correlationId, code: e.code, ...(e.details.file === undefined ? {} : { file: e.details.file }) })}\n`,
        );
      }
      deps.metrics.refused(err.code as ServiceErrorCode);
      if (!res.headersSent) sendProblem(res, err, correlationId);
      else res.destroy();
    }
  }
}

/** A Node system error's code (`ENOSPC`, `EIO`, …), as the CLI shows it (cli.ts); nothing else. */
function systemErrorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return isLoggableErrorCode(code) ? code : undefined;
}

const isKnown = (path: string) => ['/v1/keys', '/healthz', '/metrics', '/v1/evaluate'].includes(path);
export { statusOf };
