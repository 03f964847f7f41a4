// Turns anything thrown inside handlers and middleware into a refusal with a stable code
// for the app's error handler (problem+json). A refusal carries a code and field paths
// only, never a value; anything else is unexpected (→ 500 internal).

import { isEngineError } from '@sluis/engine';
import { isCliErrorCode, isServerError } from '../errors.js';
import type { ProblemCode } from './problem.js';

export interface Refusal {
  readonly code: ProblemCode;
  readonly fields: readonly string[];
  readonly retryAfterSeconds: number | undefined;
  /** The PostgreSQL SQLSTATE or connection code behind a store fault (engine `dbCode`), for the log only. */
  readonly dbCode?: string | undefined;
}

/** A refusal with a stable code, or undefined for an unexpected error (→ 500 internal). */
export function asRefusal(e: unknown): Refusal | undefined {
  if (isServerError(e)) {
    if (isCliErrorCode(e.code)) return undefined;
    return { code: e.code, fields: e.fields, retryAfterSeconds: e.details.retryAfterSeconds };
  }
  if (isEngineError(e)) {
    if (e.code === 'internal') return undefined;
    return { code: e.code, fields: e.fields, retryAfterSeconds: e.retryAfterSeconds, dbCode: e.dbCode };
  }
  return undefined;
}
