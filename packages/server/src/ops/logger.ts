// Structured JSON logs, one line per event. Invariant (docs/leakage.md §3.4):
// callers pass only codes, ids, route templates and numbers — never a body, a raw path,
// a pseudonym, a key or a contact detail. `error` causes are logged by name and stack
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
 * Where an unexpected error came from, for the log only: its name and stack frames. The
 * message is left out because a third-party message can quote input (JSON.parse does).
 */
export function errorFields(e: unknown): LogFields {
  if (e instanceof Error) {
    const frames = (e.stack ?? '')
      .split('\n')
      .filter((l) => l.trimStart().startsWith('at '))
      .slice(0, 8)
      .map((l) => l.trim());
    const code = (e as { code?: unknown }).code;
    // The engine wraps a bug's exception as `internal` with it as the cause: log where the
    // cause came from too (name and frames, never its message).
    const cause = e.cause instanceof Error ? errorFields(e.cause) : undefined;
    return {
      errorName: e.name,
      ...(typeof code === 'string' ? { errorCode: code } : {}),
      stack: frames.join(' | '),
      ...(cause === undefined ? {} : { causeName: cause.errorName, causeStack: cause.stack }),
    };
  }
  return { errorName: typeof e };
}
