// Structured JSON logs, one line per event. Invariant (docs/leakage.md §3.4):
// callers pass only codes, ids, route templates and numbers — never a body, a raw path,
// a pseudonym, a key or a contact detail. `error` causes are logged by name, code and stack
// only, under the correlation id, and never reach a client.

import { isServerErrorCode } from '../errors.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}

export interface LogSink {
  write(line: string): unknown;
}

export function createLogger(
  sink: LogSink,
  minLevel: LogLevel = 'info',
  clock: () => number = Date.now,
): Logger {
  return {
    log(level, event, fields = {}) {
      if (RANK[level] < RANK[minLevel]) return;
      const entry: Record<string, unknown> = { time: new Date(clock()).toISOString(), level, event };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) entry[k] = v;
      sink.write(`${JSON.stringify(entry)}\n`);
    },
  };
}

/**
 * What of a `code` reaches the log (docs/leakage.md §3.4): only what can be a code —
 * - one of ours: a code of the engine or the server, checked against their tables;
 * - a PostgreSQL SQLSTATE: five digits or capitals (`57P01`, `23505`);
 * - a constant of Node or a library, in capitals: words of capitals and digits, each starting
 *   with a capital and at most 20 long, joined by `_` (`ERR_TLS_CERT_ALTNAME_INVALID`,
 *   `SQLITE_BUSY`, postgres.js's `TRANSACTION_ENDED`), at most 64 in all; a single word only
 *   as Node's system error codes and nodemailer's are, `E` and at most 15 more (`ECONNRESET`).
 * Anything else in `code` (a lower-case word, a token, digits, an address, a number, an
 * object) is logged as NOT_A_CODE, so the operator still sees that there was one. Codes come
 * from literal unions and fixed tables; the rule is what stops a value a library might put in
 * `code` — a word not ours, a BSN, a date, a pseudonym or a key — from reaching the log.
 */
export const NOT_A_CODE = '(not a code)';
const SQLSTATE = /^[0-9A-Z]{5}$/;
const CONSTANT = /^(?=.{1,64}$)[A-Z][A-Z0-9]{0,19}(?:_[A-Z][A-Z0-9]{0,19})+$/;
const SYSTEM_CODE = /^E[A-Z0-9]{1,15}$/;

/** A `code` as it may be logged: itself when it can be a code, else NOT_A_CODE; undefined when absent. */
export function loggedCode(code: unknown): string | undefined {
  if (code === undefined || code === null) return undefined;
  return typeof code === 'string' &&
    (isServerErrorCode(code) || SQLSTATE.test(code) || CONSTANT.test(code) || SYSTEM_CODE.test(code))
    ? code
    : NOT_A_CODE;
}

/**
 * The frames kept of a stack: the first HEAD_FRAMES (where it was thrown), then the first
 * frames of our own code — not in node_modules, not a `node:` internal, with a file:line:col —
 * up to MAX_FRAMES in all, `…` where frames were left out. A refusal thrown inside the
 * PostgreSQL driver has a dozen of the driver's and Node's frames above the line of ours that
 * sent the statement (postgres.js appends the statement's origin to the stack).
 */
const HEAD_FRAMES = 4;
const MAX_FRAMES = 12;
const GAP = '…';

function isOwnFrame(frame: string): boolean {
  return /:\d+:\d+\)?$/.test(frame) && !/[\\/]node_modules[\\/]/.test(frame) && !/[( ]node:/.test(frame);
}

function keptFrames(e: Error): string {
  // The stack opens with `name: message`; a message line that looks like a frame
  // ("\n    at …") is not one, so no line of the message is kept.
  const message = typeof e.message === 'string' ? e.message : '';
  const frames = (typeof e.stack === 'string' ? e.stack : '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at ') && !message.includes(l));
  const kept: string[] = [];
  let last = -1;
  let count = 0;
  for (let i = 0; i < frames.length && count < MAX_FRAMES; i++) {
    const frame = frames[i] as string;
    if (i >= HEAD_FRAMES && !isOwnFrame(frame)) continue;
    if (i > last + 1) kept.push(GAP);
    kept.push(frame);
    last = i;
    count++;
  }
  if (last < frames.length - 1) kept.push(GAP);
  return kept.join(' | ');
}

/**
 * Where an unexpected error came from, for the log only: its name, code and stack frames.
 * The message is left out because a third-party message can quote input (JSON.parse does).
 */
export function errorFields(e: unknown): LogFields {
  if (e instanceof Error) {
    const code = loggedCode((e as { code?: unknown }).code);
    // The engine wraps a bug's exception as `internal` with it as the cause: log where the
    // cause came from too (name, code and frames, never its message), e.g. a statement
    // refused by postgres.js as TRANSACTION_ENDED (docs/engine.md "Storage contract", clause 3).
    const cause = e.cause instanceof Error ? errorFields(e.cause) : undefined;
    return {
      errorName: e.name,
      ...(code === undefined ? {} : { errorCode: code }),
      stack: keptFrames(e),
      ...(cause === undefined
        ? {}
        : {
            causeName: cause.errorName,
            ...(cause.errorCode === undefined ? {} : { causeCode: cause.errorCode }),
            causeStack: cause.stack,
          }),
    };
  }
  return { errorName: typeof e };
}
