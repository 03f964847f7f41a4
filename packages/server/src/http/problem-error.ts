// The server's own refusal, thrown inside handlers and middleware and turned into a
// problem+json answer by the app's error handler. Like EngineError it carries a code
// and field paths only, never a value.

import { isEngineError } from '@sluis/engine';
import type { ProblemCode } from './problem.js';

export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly code: ProblemCode;
  readonly fields: readonly string[];
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ProblemCode, options: { fields?: readonly string[]; retryAfterSeconds?: number } = {}) {
    super(code);
    this.code = code;
    this.fields = options.fields ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** A refusal with a stable code, or undefined for an unexpected error (→ 500 internal). */
export function asRefusal(e: unknown): ProblemError | undefined {
  if (e instanceof ProblemError) return e;
  if (isEngineError(e)) {
    if (e.code === 'internal') return undefined;
    return new ProblemError(e.code, {
      fields: e.fields,
      ...(e.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: e.retryAfterSeconds }),
    });
  }
  return undefined;
}
