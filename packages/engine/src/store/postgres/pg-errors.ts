// Maps PostgreSQL and connection failures to engine codes. The server's message is never
// passed on (it can quote values: "Key (id)=(…) already exists"); only the code travels.
// A serialization failure or deadlock is not mapped: it becomes RetryWrite, which no
// domain code catches as a refusal, so the whole write operation is repeated
// (docs/engine.md "Storage contract", clause 3).

import { EngineError } from '../../errors.js';

/** Thrown inside a write when its transaction lost a race; the store runs the operation again. */
export class RetryWrite extends Error {
  override readonly name = 'RetryWrite';
}

const UNAVAILABLE_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
  '25006', // read_only_sql_transaction: a standby after a failover in progress
]);

function codeOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

/**
 * The connection went away (closed by the server, reset, refused on reconnect, the server
 * still starting): the statement may not have reached the database, and the same statement
 * can succeed a moment later, so the store repeats it (docs/operations.md "PostgreSQL
 * restarting or failing over"). Not a timeout — a statement that ran too long is not
 * repeated, and a connect attempt that timed out already took its 5 s. 08P01 is repeated
 * too: a pooler in front of the database (PgBouncer) reports passing trouble with the server
 * behind it under that code, and the repeats are bounded (five runs, ≈ 0.75 s).
 */
export function isConnectionLoss(e: unknown): boolean {
  const code = codeOf(e);
  return (
    code === 'CONNECTION_CLOSED' ||
    code === 'ECONNRESET' ||
    code === 'ECONNREFUSED' ||
    code === 'EPIPE' ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code.startsWith('08')
  );
}

/**
 * 25P02: a statement sent after one that failed in the same transaction (a coalesced group
 * pipelines its reads). It says nothing of the cause, so it is passed on unmapped: the
 * client's transaction scope then throws the first real error of the transaction instead
 * (a lock timeout, a deadlock to repeat), which the store maps.
 */
export function isAbortedTransaction(e: unknown): boolean {
  return codeOf(e) === '25P02';
}

export function isRetryable(e: unknown): boolean {
  const code = codeOf(e);
  return code === '40001' || code === '40P01';
}

/** Codes safe to carry: a SQLSTATE or an upper-case Node/postgres.js code, never free text. */
const CARRIED_CODE = /^(?:[0-9A-Z]{5}|[A-Z][A-Z0-9_]{1,40})$/;

export function mapPgError(e: unknown): Error {
  if (e instanceof EngineError || e instanceof RetryWrite) return e;
  const code = codeOf(e);
  const dbCode = CARRIED_CODE.test(code) ? { dbCode: code } : {};
  if (isRetryable(e)) return new RetryWrite('the transaction lost a race');
  if (code.startsWith('23')) return new EngineError('conflict', 'the change conflicts with stored state');
  if (UNAVAILABLE_CODES.has(code) || code.startsWith('08')) {
    return new EngineError('database_unavailable', 'the database cannot be reached', dbCode);
  }
  if (code === '57014' || code === '55P03') {
    return new EngineError('database_busy', 'the database did not answer in time');
  }
  if (code === '53100') return new EngineError('disk_full', 'the disk is full');
  if (code === 'XX001' || code === 'XX002') {
    return new EngineError('database_corrupt', 'the database is corrupt');
  }
  // A non-database exception (a bug in an operation) keeps its original as the cause, so
  // the server can log where it came from (stack frames only, never sent).
  const fromDatabase = /^[0-9A-Z]{5}$/.test(code);
  return new EngineError('internal', 'internal storage error', fromDatabase ? dbCode : { cause: e });
}
