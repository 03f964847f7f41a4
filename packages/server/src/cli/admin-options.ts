// The admin command line's options and the small argument checks every command group
// uses. Invariant: a usage error names the flag, never the value that was typed (it can
// be a BSN or a key).

import type { parseArgs } from 'node:util';
import { usageError } from './io.js';

export const ADMIN_OPTIONS = {
  config: { type: 'string' },
  server: { type: 'string' },
  'admin-key-file': { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  id: { type: 'string' },
  name: { type: 'string' },
  type: { type: 'string' },
  'public-key': { type: 'string', multiple: true },
  'webhook-url': { type: 'string' },
  'no-webhook': { type: 'boolean' },
  budget: { type: 'string' },
  'match-email': { type: 'string' },
  lang: { type: 'string' },
  admin: { type: 'boolean' },
  'key-id': { type: 'string' },
  days: { type: 'string' },
  'follow-up': { type: 'string' },
  outcome: { type: 'string' },
  'min-age-days': { type: 'string' },
  'max-age-days': { type: 'string' },
  sort: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  all: { type: 'boolean' },
  'from-seq': { type: 'string' },
  out: { type: 'string' },
  status: { type: 'string' },
  epoch: { type: 'string', multiple: true },
  'pseudonym-key-file': { type: 'string', multiple: true },
  'oprf-epoch': { type: 'string', multiple: true },
  'oprf-public-key': { type: 'string', multiple: true },
  'pseudonym-service-url': { type: 'string' },
  kind: { type: 'string' },
  bsn: { type: 'string' },
  'without-bsn': { type: 'boolean' },
  surname: { type: 'string' },
  'date-of-birth': { type: 'string' },
  gender: { type: 'string' },
  'advance-days': { type: 'string' },
  force: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  'received-on': { type: 'string' },
  'late-excused': { type: 'boolean' },
  format: { type: 'string' },
  'switch-after-seconds': { type: 'string' },
  'advance-seconds': { type: 'string' },
  'person-id': { type: 'string' },
  'device-id': { type: 'string' },
  'organisation-id': { type: 'string' },
  'display-name': { type: 'string' },
  role: { type: 'string', multiple: true },
  email: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type AdminValues = ReturnType<
  typeof parseArgs<{ options: typeof ADMIN_OPTIONS; allowPositionals: true }>
>['values'];

export function need(v: string | undefined, flag: string): string {
  if (v === undefined || v === '') throw usageError(`--${flag} is required`);
  return v;
}

export function int(v: string | undefined, flag: string, min = 0): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,12}$/.test(v) || Number(v) < min) throw usageError(`--${flag} must be an integer ≥ ${min}`);
  return Number(v);
}

export function uuidArg(v: string | undefined, flag: string): string {
  const s = need(v, flag);
  if (!/^[0-9a-fA-F-]{36}$/.test(s)) throw usageError(`--${flag} must be an id (UUID)`);
  return s;
}
