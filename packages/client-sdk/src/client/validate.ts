// Client-side validation of everything a caller hands the SDK, mirroring the server's
// rules (docs/api.md) so a bad request never leaves the process. Failures name field
// paths only (never values) in SluisError('input_invalid' or 'text_forbidden').

import { SluisError } from '../errors.js';
import { type CalendarDate, compareDates, parseDate, utcDate } from './dates.js';
import { type Contact, INFORMED_STATUSES, type Informed, type InformedStatus } from './types.js';
import { TEXT_RULES, type TextFault, textFaultOf } from './text-rules.js';
import { isUuid } from './uuid.js';

/**
 * Collects failing field paths; throws once with all of them: `text_forbidden` when every
 * failing field holds forbidden content (text-rules.ts), else `input_invalid`.
 */
export class FieldErrors {
  readonly fields: string[] = [];
  readonly #shape = new Set<string>();
  add(path: string, fault: TextFault = 'input_invalid'): void {
    if (fault === 'input_invalid') this.#shape.add(path);
    if (!this.fields.includes(path)) this.fields.push(path);
  }
  /** Checks a text field against its rule (docs/api.md "Text fields"). */
  text(rule: (typeof TEXT_RULES)[keyof typeof TEXT_RULES], v: unknown, path: string): void {
    const fault = textFaultOf(rule, v);
    if (fault !== undefined) this.add(path, fault);
  }
  throwIfAny(): void {
    if (this.fields.length === 0) return;
    const code = this.#shape.size === 0 ? 'text_forbidden' : 'input_invalid';
    throw new SluisError(code, { fields: [...this.fields] });
  }
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
  errors.text(TEXT_RULES.contactName, c.name, `${path}.name`);
  errors.text(TEXT_RULES.contactRole, c.role, `${path}.role`);
  const phone = c.phone === undefined || c.phone === '' ? undefined : c.phone;
  const email = c.email === undefined || c.email === '' ? undefined : c.email;
  if (phone !== undefined) errors.text(TEXT_RULES.contactPhone, phone, `${path}.phone`);
  if (email !== undefined) errors.text(TEXT_RULES.contactEmail, email, `${path}.email`);
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
