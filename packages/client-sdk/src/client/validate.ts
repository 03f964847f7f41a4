// Client-side validation of everything a caller hands the SDK, mirroring the server's
// schema (docs/api.md, packages/engine api.ts) so a bad request never leaves the
// process. Failures name field paths only (never values) in SluisError('input_invalid').

import { SluisError } from '../errors.js';
import { type CalendarDate, compareDates, parseDate, utcDate } from './dates.js';
import { type Contact, INFORMED_STATUSES, type Informed, type InformedStatus } from './types.js';
import { isUuid } from './uuid.js';

/** Collects failing field paths; throws once with all of them. */
export class FieldErrors {
  readonly fields: string[] = [];
  add(path: string): void {
    if (!this.fields.includes(path)) this.fields.push(path);
  }
  throwIfAny(): void {
    if (this.fields.length > 0) throw new SluisError('input_invalid', { fields: [...this.fields] });
  }
}

// C0 and C1 control characters and the Unicode line/paragraph separators.
function hasControl(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}
const PHONE_RE = /^[0-9 +\-()]{6,20}$/;
// One @, no whitespace or control characters, a dot-free-or-not domain with no empty labels.
const EMAIL_RE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*$/;

function isText(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.trim().length >= 1 && v.length <= max && !hasControl(v);
}

const CONTACT_KEYS = new Set(['name', 'role', 'phone', 'email']);

/** Checks a contact; returns a plain copy with only the known members. */
export function checkContact(v: unknown, path: string, errors: FieldErrors): Contact | undefined {
  if (typeof v !== 'object' || v === null) {
    errors.add(path);
    return undefined;
  }
  const c = v as Record<string, unknown>;
  for (const k of Object.keys(c)) if (!CONTACT_KEYS.has(k) && c[k] !== undefined) errors.add(`${path}.${k}`);
  const before = errors.fields.length;
  if (!isText(c.name, 100)) errors.add(`${path}.name`);
  if (!isText(c.role, 100)) errors.add(`${path}.role`);
  const phone = c.phone === undefined || c.phone === '' ? undefined : c.phone;
  const email = c.email === undefined || c.email === '' ? undefined : c.email;
  if (phone !== undefined && (typeof phone !== 'string' || !PHONE_RE.test(phone)))
    errors.add(`${path}.phone`);
  if (email !== undefined && (typeof email !== 'string' || email.length > 254 || !EMAIL_RE.test(email))) {
    errors.add(`${path}.email`);
  }
  if (phone === undefined && email === undefined) {
    errors.add(`${path}.phone`);
    errors.add(`${path}.email`);
  }
  if (errors.fields.length > before) return undefined;
  return {
    name: c.name as string,
    role: c.role as string,
    ...(phone === undefined ? {} : { phone: phone as string }),
    ...(email === undefined ? {} : { email: email as string }),
  };
}

/** Checks an informed attestation against today's UTC date. */
export function checkInformed(
  v: unknown,
  path: string,
  today: CalendarDate,
  errors: FieldErrors,
): Informed | undefined {
  if (typeof v !== 'object' || v === null) {
    errors.add(path);
    return undefined;
  }
  const i = v as Record<string, unknown>;
  for (const k of Object.keys(i))
    if (k !== 'status' && k !== 'date' && i[k] !== undefined) errors.add(`${path}.${k}`);
  const status = i.status;
  if (typeof status !== 'string' || !(INFORMED_STATUSES as readonly string[]).includes(status)) {
    errors.add(`${path}.status`);
    return undefined;
  }
  const date = i.date === '' ? undefined : i.date;
  if (status === 'not_yet') {
    if (date !== undefined) {
      errors.add(`${path}.date`);
      return undefined;
    }
    return { status: 'not_yet' };
  }
  const d = parseDate(date);
  if (d === undefined || compareDates(d, today) > 0) {
    errors.add(`${path}.date`);
    return undefined;
  }
  return { status: status as InformedStatus, date: date as string };
}

/** A calendar date that must lie strictly after today. */
export function checkFutureDate(
  v: unknown,
  path: string,
  today: CalendarDate,
  errors: FieldErrors,
): CalendarDate | undefined {
  const d = parseDate(v);
  if (d === undefined || compareDates(d, today) <= 0) {
    errors.add(path);
    return undefined;
  }
  return d;
}

/** A date of birth: a real date, not in the future. */
export function checkDateOfBirth(
  v: unknown,
  path: string,
  today: CalendarDate,
  errors: FieldErrors,
): CalendarDate | undefined {
  const d = parseDate(v);
  if (d === undefined || compareDates(d, today) > 0) {
    errors.add(path);
    return undefined;
  }
  return d;
}

export function checkUuid(v: unknown, path: string, errors: FieldErrors): string | undefined {
  if (!isUuid(v)) {
    errors.add(path);
    return undefined;
  }
  return v;
}

/** Throws input_invalid unless v is a UUID (signal, match and request ids). */
export function requireUuid(v: unknown, path: string): string {
  const errors = new FieldErrors();
  checkUuid(v, path, errors);
  errors.throwIfAny();
  return v as string;
}

export function todayUtc(clock: () => number): CalendarDate {
  return utcDate(clock());
}

/** Page queries, as the server bounds them: 1–500 items, an opaque cursor of at most 200 characters. */
export function checkLimit(limit: unknown, errors: FieldErrors): void {
  if (limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 500)) {
    errors.add('limit');
  }
}

export function checkCursor(cursor: unknown, errors: FieldErrors): void {
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 200)) {
    errors.add('cursor');
  }
}
