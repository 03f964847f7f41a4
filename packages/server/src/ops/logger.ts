// Structured JSON logs, one line per event. Invariant (docs/leakage.md §3.4):
// callers pass only codes, ids, route templates and numbers — never a body, a raw path,
// a pseudonym, a key or a contact detail. `error` causes are logged by name, code and stack
// only, under the correlation id, and never reach a client.

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
 * An error's `code` is logged only in the shape of a code: an identifier of at most 32
 * characters that starts with a letter (`internal`, `ECONNRESET`, postgres.js's
 * `TRANSACTION_ENDED`) or a SQLSTATE (`57P01`). Codes come from literal unions and fixed
 * tables (ours, Node's, PostgreSQL's, postgres.js's), which is what keeps values out
 * (docs/leakage.md §3.4); the shape is a second line against a BSN, a date (digits first), a
 * pseudonym or a key (longer) — not against a one-word name or a 32-character token.
 */
const CODE_SHAPE = /^(?:[A-Za-z][A-Za-z0-9_]{0,31}|[0-9A-Z]{5})$/;

function codeOf(e: Error): string | undefined {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && CODE_SHAPE.test(code) ? code : undefined;
}

/**
 * Where an unexpected error came from, for the log only: its name, code and stack frames.
 * The message is left out because a third-party message can quote input (JSON.parse does).
 */
export function errorFields(e: unknown): LogFields {
  if (e instanceof Error) {
    const frames = (e.stack ?? '')
      .split('\n')
      .filter((l) => l.trimStart().startsWith('at '))
      .slice(0, 8)
      .map((l) => l.trim());
    const code = codeOf(e);
    // The engine wraps a bug's exception as `internal` with it as the cause: log where the
    // cause came from too (name, code and frames, never its message), e.g. a statement
    // refused by postgres.js as TRANSACTION_ENDED (docs/engine.md "Storage contract", clause 3).
    const cause = e.cause instanceof Error ? errorFields(e.cause) : undefined;
    return {
      errorName: e.name,
      ...(code === undefined ? {} : { errorCode: code }),
      stack: frames.join(' | '),
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
