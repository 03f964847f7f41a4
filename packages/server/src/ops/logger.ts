// Structured JSON logs, one line per event; the server's logger writes the lines of a turn of
// the event loop with one write and loses none on the way to exit. Invariant (docs/leakage.md §3.4):
// callers pass only codes, ids, route templates and numbers — never a body, a raw path,
// a pseudonym, a key or a contact detail. `error` causes are logged by name, code and stack
// only, under the correlation id, and never reach a client.

import { isLoggableErrorCode } from '@sluis/engine/protocol';
import { ERROR_CODES as NODEMAILER_CODES } from 'nodemailer/lib/errors';
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

/** A sink that can fall behind its reader: a Node stream, process.stdout on a pipe. */
export interface LogStream extends LogSink {
  /** Bytes written and not yet taken by the reader (a Node stream's `writableLength`). */
  readonly writableLength?: number;
  /** A Node stream's: `drain` once the reader took what was behind. */
  once?(event: 'drain', listener: () => void): unknown;
}

/** One log line as every logger writes it: `time`, `level`, `event`, the defined fields, a newline. */
function formatLine(time: number, level: LogLevel, event: string, fields: LogFields): string {
  const entry: Record<string, unknown> = { time: new Date(time).toISOString(), level, event };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) entry[k] = v;
  return `${JSON.stringify(entry)}\n`;
}

/** A logger that writes each line with its own `write` (tests and tools read their sink at once). */
export function createLogger(
  sink: LogSink,
  minLevel: LogLevel = 'info',
  clock: () => number = Date.now,
): Logger {
  return {
    log(level, event, fields = {}) {
      if (RANK[level] < RANK[minLevel]) return;
      sink.write(formatLine(clock(), level, event, fields));
    },
  };
}

export interface TurnLogger extends Logger {
  /** Writes the lines held now (a command does before it writes to stderr or returns). */
  flush(): void;
}

/**
 * How far the stream may fall behind its reader before lines are dropped (docs/operations.md
 * "Logs"): ≈ 30,000 request lines, tens of seconds of a busy server's log.
 */
export const MAX_BEHIND_BYTES = 8 * 1024 * 1024;

/** Lines the turn loggers of this process dropped since start (`sluis_log_lines_dropped_total`). */
let droppedSinceStart = 0;
export const logLinesDroppedTotal = (): number => droppedSinceStart;

/** The flushes of the turn loggers holding lines or a count of dropped ones, for the process's exit. */
const holding = new Set<() => void>();
let hooked = false;
let exiting = false;

function flushAtExit(): void {
  exiting = true;
  for (const flush of holding) flush();
}

/**
 * The server's logger (docs/operations.md "Logs"): the lines of one turn of the event loop are
 * written together with one `write`, at the turn's end (`setImmediate`, which runs after the
 * turn's I/O callbacks and their promise continuations; a microtask would run after the first
 * callback's continuations and hold one request's line), byte for byte and in the order
 * `createLogger` writes them. A `warn` or `error` line is written at once, with the lines
 * before it. Every held line gets out on the way to exit: a command calls `flush`, and the
 * process's `exit` event — `process.exit`, an uncaught exception or unhandled rejection — writes
 * what is held, and any line logged after it at once. What no `exit` event precedes (SIGKILL,
 * a signal without a handler, a V8 abort) loses the lines of the turn it ends.
 * When the stream is more than MAX_BEHIND_BYTES behind its reader (a stalled pipe), a turn's
 * lines are dropped and counted instead of queued without bound; the next turn the stream has
 * room writes an `error` line `log_lines_dropped` with the count (`lines`) before its own, or,
 * when no line follows, the stream's `drain` writes it; /metrics counts them since start.
 */
export function createTurnLogger(
  out: LogStream,
  minLevel: LogLevel = 'info',
  clock: () => number = Date.now,
): TurnLogger {
  if (!hooked) {
    hooked = true;
    process.on('exit', flushAtExit);
  }
  let held = '';
  let lines = 0;
  let dropped = 0;
  let scheduled = false;
  let awaitingDrain = false;
  const flush = () => {
    if (lines === 0 && dropped === 0) return;
    if ((out.writableLength ?? 0) > MAX_BEHIND_BYTES) {
      dropped += lines;
      droppedSinceStart += lines;
      held = '';
      lines = 0;
      // Resume without waiting for another line: the count is written when the reader caught up.
      if (!awaitingDrain && out.once !== undefined) {
        awaitingDrain = true;
        out.once('drain', () => {
          awaitingDrain = false;
          flush();
        });
      }
      return;
    }
    const chunk =
      dropped === 0 ? held : formatLine(clock(), 'error', 'log_lines_dropped', { lines: dropped }) + held;
    held = '';
    lines = 0;
    dropped = 0;
    holding.delete(flush);
    out.write(chunk);
  };
  const atTurnEnd = () => {
    scheduled = false;
    flush();
  };
  return {
    log(level, event, fields = {}) {
      if (RANK[level] < RANK[minLevel]) return;
      held += formatLine(clock(), level, event, fields);
      if (++lines === 1) holding.add(flush);
      if (exiting || RANK[level] >= RANK.warn) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(atTurnEnd);
      }
    },
    flush,
  };
}

/**
 * What of a `code` reaches the log (docs/leakage.md §3.4): only what can be a code —
 * - one of ours: a code of the engine or the server, checked against their tables;
 * - a PostgreSQL SQLSTATE by PostgreSQL's class rule: a class of a digit and a digit or capital,
 *   or F0, HV, P0, XX, then three digits or capitals (`57P01`, `23505`, `XX001`) — a name of five
 *   capitals (`PETER`) has no such class;
 * - a single word only when it is one of Node's system error codes (`os.constants.errno`'s
 *   names and libuv's, `ECONNRESET`, `EOF`) or in nodemailer's fixed list (`EAUTH`);
 * - a constant of Node or a library in capitals: two or more words joined by `_`, each of
 *   capitals with at most one run of at most 4 digits (`HTTP2`, `X509`), each starting with
 *   a capital and at most 20 long, at most 64 in all (`ERR_TLS_CERT_ALTNAME_INVALID`,
 *   `SQLITE_BUSY`, postgres.js's `TRANSACTION_ENDED`, our patch's `RESERVATION_RELEASED`).
 * The last two are @sluis/engine/protocol's isLoggableErrorCode, the pseudonym service's rule too.
 * Anything else in `code` (a lower-case word, a token, digits, an address, a number, an
 * object) is logged as NOT_A_CODE, so the operator still sees that there was one. Codes come
 * from literal unions and fixed tables; the rule is what stops a value a library might put in
 * `code` — a word not ours, a BSN, a date, a pseudonym or a key — from reaching the log.
 */
export const NOT_A_CODE = '(not a code)';
const SQLSTATE = /^(?:[0-9][0-9A-Z]|F0|HV|P0|XX)[0-9A-Z]{3}$/;
/** nodemailer's codes (its `ERROR_CODES`, 10.6); Node's and the constants' are isLoggableErrorCode's. */
const MAILER_CODES: ReadonlySet<string> = new Set(Object.keys(NODEMAILER_CODES));

/** A `code` as it may be logged: itself when it can be a code, else NOT_A_CODE; undefined when absent. */
export function loggedCode(code: unknown): string | undefined {
  if (code === undefined || code === null) return undefined;
  return typeof code === 'string' &&
    (isServerErrorCode(code) || SQLSTATE.test(code) || isLoggableErrorCode(code) || MAILER_CODES.has(code))
    ? code
    : NOT_A_CODE;
}

/**
 * An error's `name` as it may be logged: an identifier of at most 64 characters without five
 * digits in a row (`TypeError`, `PostgresError`), else NOT_A_NAME — a library can set `name`
 * to anything, an object or a string that quotes input (docs/leakage.md §3.4).
 */
export const NOT_A_NAME = '(not a name)';
function loggedName(name: unknown): string {
  return typeof name === 'string' && /^[A-Za-z_$][\w$]{0,63}$/.test(name) && !/\d{5}/.test(name)
    ? name
    : NOT_A_NAME;
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

/**
 * A stack line as V8 writes a frame: `at` a function name (not starting with a digit) and its
 * place in parentheses — `path:line:col`, `<anonymous>`, `native`, `index N`, an `eval at …`
 * — or `at path:line:col`, a path being absolute, a URL (`file:`, `node:`) or a Windows path.
 */
const PLACE = String.raw`(?:\/|[A-Za-z]:\\|\\\\|[a-z][a-z0-9+.-]*:)[^\n]*:\d+:\d+`;
const FRAME = new RegExp(
  String.raw`^at (?:(?:new |async )?[A-Za-z_$<#][^()\n]* \((?:${PLACE}|eval at [^\n]+|<anonymous>|native|index \d+)\)|(?:async )?${PLACE})$`,
);

function keptFrames(e: Error): string {
  // The stack opens with `name: message`, the message as it was when V8 formatted the stack —
  // a library may have rewritten it since. Only lines shaped as frames are kept, from the
  // first one on, and none that is a line of the current message ("\n    at …").
  const message = typeof e.message === 'string' ? e.message : '';
  const lines = (typeof e.stack === 'string' ? e.stack : '').split('\n').map((l) => l.trim());
  const first = lines.findIndex((l) => FRAME.test(l));
  const frames = first < 0 ? [] : lines.slice(first).filter((l) => FRAME.test(l) && !message.includes(l));
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
  if (!(e instanceof Error)) return { errorName: typeof e };
  const code = loggedCode((e as { code?: unknown }).code);
  // The engine wraps a bug's exception as `internal` with it as the cause: log where the
  // cause came from too (name, code and frames, never its message), e.g. a statement
  // refused by postgres.js as TRANSACTION_ENDED (docs/engine.md "Storage contract", clause 3).
  // One level deep, without recursion: a cause can be the error itself or form a cycle.
  const cause = e.cause instanceof Error ? e.cause : undefined;
  const causeCode = cause === undefined ? undefined : loggedCode((cause as { code?: unknown }).code);
  return {
    errorName: loggedName(e.name),
    ...(code === undefined ? {} : { errorCode: code }),
    stack: keptFrames(e),
    ...(cause === undefined
      ? {}
      : {
          causeName: loggedName(cause.name),
          ...(causeCode === undefined ? {} : { causeCode }),
          causeStack: keptFrames(cause),
        }),
  };
}
