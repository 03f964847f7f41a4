// Why a PostgreSQL database cannot be reached, as a code (docs/operations.md "PostgreSQL"):
// run by the server's start, `retention` and `migrate-store` only after opening the store
// failed, whose error (`internal`, `database_unavailable`) says nothing of the cause. Invariant:
// the answer is a fixed code — never the server's message, the URL, the host or the password.
// It lives beside migrate-store because it is the same kind of tool: a one-off connection
// outside the store, with the store's own connection settings (connectPostgres).

import { connect as netConnect, type Socket } from 'node:net';
import { connectPostgres, type PostgresStoreOptions } from '../postgres/pg-connect.js';
import { checkPostgresUrl } from '../postgres/pg-url.js';

export type ConnectFailure =
  /** No TCP connection: refused, no such host, no route, or the connect timed out. */
  | 'unreachable'
  /** TLS was asked for (`require`, `verify-full`) and the server does not offer it. */
  | 'tls_refused'
  /** The server's certificate or host name did not verify (`verify-full`). */
  | 'tls_certificate_refused'
  /** The server refused the user or the password (SQLSTATE 28P01, 28000). */
  | 'authentication_failed'
  /** The database named in the URL does not exist (3D000). */
  | 'database_not_found'
  /** The user may not connect to the database or use its schema (42501). */
  | 'database_permission_denied'
  /** The server, or the user's CONNECTION LIMIT, has no connection left (53300). */
  | 'too_many_connections';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
]);
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/;

function codeOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

/**
 * The server's first answer to an SSLRequest (the PostgreSQL protocol's 8-byte request, code
 * 80877103): 'S' offers TLS, 'N' refuses it. postgres.js goes on with a TLS
 * handshake after an 'N', which fails as a reset; only this probe tells the two apart.
 */
function offersTls(host: string, port: number, timeoutMs: number): Promise<boolean | ConnectFailure> {
  return new Promise((resolve) => {
    const socket: Socket = netConnect({ host, port });
    const done = (v: boolean | ConnectFailure) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(timeoutMs, () => done('unreachable'));
    socket.once('error', () => done('unreachable'));
    socket.once('connect', () => {
      const request = Buffer.alloc(8);
      request.writeInt32BE(8, 0);
      request.writeInt32BE(80877103, 4);
      socket.write(request);
    });
    socket.once('data', (b) => done(b[0] === 0x53));
  });
}

/** The cause of a failed open, or undefined when a fresh connection works or the cause is another. */
export async function diagnosePostgresConnection(
  options: PostgresStoreOptions,
): Promise<ConnectFailure | undefined> {
  const checked = checkPostgresUrl(options.url);
  if (!checked.ok) return undefined;
  const timeoutMs = (options.connectTimeoutSeconds ?? 5) * 1000;
  if (options.tls !== undefined && options.tls !== false) {
    // The hosts in the client's order: the first that answers tells whether TLS is offered.
    let answer: boolean | ConnectFailure = 'unreachable';
    for (const { host, port } of checked.hosts) {
      answer = await offersTls(host, port, timeoutMs);
      if (answer !== 'unreachable') break;
    }
    if (answer === false) return 'tls_refused';
    if (answer !== true) return answer;
  }
  const sql = await connectPostgres(options, {}, 1);
  try {
    await sql`SELECT 1`;
    return undefined;
  } catch (e) {
    const code = codeOf(e);
    if (UNREACHABLE.has(code)) return 'unreachable';
    if (code === '28P01' || code === '28000' || code.startsWith('SASL_')) return 'authentication_failed';
    if (code === '3D000') return 'database_not_found';
    if (code === '42501') return 'database_permission_denied';
    if (code === '53300') return 'too_many_connections';
    if (CERTIFICATE.test(code)) return 'tls_certificate_refused';
    return undefined;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}
