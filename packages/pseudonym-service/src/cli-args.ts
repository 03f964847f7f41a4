// The command line's argument checks, shared by its commands (cli.ts, cli-start.ts): a bad
// value is a usage error naming the flag and its range, never the value typed.

import { ServiceError } from './errors.js';

export const usage = (hint: string) => new ServiceError('usage_invalid', { hint });

export function failUsage(hint: string): never {
  throw usage(hint);
}

/** A decimal integer flag from `min` to `max`; undefined when not given. */
export function int(v: string | undefined, flag: string, min: number, max = 0xffffffff): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^[0-9]{1,10}$/.test(v) || Number(v) < min || Number(v) > max)
    throw usage(`--${flag} must be an integer from ${min} to ${max}`);
  return Number(v);
}
