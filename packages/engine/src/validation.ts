// Input validation inside the engine (defence in depth: the server validates with zod
// first), with the text rules of input-rules.ts. Refusals name field paths only, never
// values (docs/api.md "Errors"), and happen before anything is written, so a refused call
// changes nothing.

import {
  type Attestation,
  type Contact,
  type Informed,
  LEGAL_BASES,
  type LegalBasis,
  type PersonPseudonyms,
  type PlaceSignalInput,
} from './api.js';
import { EngineError } from './errors.js';
import { isUuid } from './ids.js';
import { faultCode, INPUT_RULES, type InputFault, type TextRule, textFault } from './input-rules.js';
import { ServerSecrets } from './protocol/stored-pseudonym.js';
import { parseDate, startOfDay } from './time.js';

const INFORMED: readonly string[] = ['citizen', 'representative', 'both', 'not_yet'];

/** Accepted values remembered per rule before that rule's memory starts afresh. */
export const ACCEPTED_TEXTS_PER_RULE = 512;
const acceptedTexts = new Map<TextRule, Set<string>>();
/**
 * The rules whose accepted values are remembered: a professional's contact details, which
 * repeat from placement to placement. Not a consent form's reference, which names one
 * citizen's form and never repeats (remembering it would save nothing and keep it in memory
 * after the consent is erased), nor names that are not on the placement's path.
 */
const REMEMBERED_RULES: ReadonlySet<TextRule> = new Set([
  INPUT_RULES.contactName,
  INPUT_RULES.contactRole,
  INPUT_RULES.contactPhone,
  INPUT_RULES.contactEmail,
]);

/**
 * textFault, with the values each rule accepted lately remembered (docs/engine.md "Input
 * validation"): the rules are a pure function of rule and value, and a professional's
 * contact details repeat from placement to placement, so a value accepted before is accepted
 * again without its BSN scan. Only accepted values are kept (never a refused one, which may
 * hold a BSN), in memory only, at most ACCEPTED_TEXTS_PER_RULE per rule, and only for the
 * contact rules (REMEMBERED_RULES).
 */
export function rememberedTextFault(rule: TextRule, value: unknown): InputFault | undefined {
  if (!REMEMBERED_RULES.has(rule)) return textFault(rule, value);
  let seen = acceptedTexts.get(rule);
  if (typeof value === 'string' && seen?.has(value)) return undefined;
  const f = textFault(rule, value);
  if (f !== undefined) return f;
  if (seen === undefined || seen.size >= ACCEPTED_TEXTS_PER_RULE) {
    seen = new Set();
    acceptedTexts.set(rule, seen);
  }
  seen.add(value as string);
  return undefined;
}

/** Whether `value` is in `rule`'s memory now (for the tests of what is never kept). */
export function isRememberedText(rule: TextRule, value: string): boolean {
  return acceptedTexts.get(rule)?.has(value) === true;
}

const MESSAGE = {
  validation_failed: 'the request is invalid',
  pseudonym_invalid: 'a pseudonym is invalid',
  text_forbidden: 'a text field holds a BSN or an invisible character',
  attestation_required: 'this legal basis needs an attestation',
} as const;

export function fail(fields: readonly string[], code: keyof typeof MESSAGE = 'validation_failed'): never {
  throw new EngineError(code, MESSAGE[code], { fields });
}

/**
 * Field paths that failed, each with its fault; thrown as one refusal (faultCode). The map is
 * made at the first fault: most checks find none (a batch checks each of its items).
 */
export class Faults {
  #byPath: Map<string, InputFault> | undefined;
  add(path: string, fault: InputFault = 'validation_failed'): void {
    this.#byPath ??= new Map();
    if (this.#byPath.get(path) !== 'validation_failed') this.#byPath.set(path, fault);
  }
  /** Checks `value` against `rule` and records a fault under `path`. */
  check(rule: TextRule, value: unknown, path: string): void {
    const f = rememberedTextFault(rule, value);
    if (f !== undefined) this.add(path, f);
  }
  /** `check` under `${path}.${member}`, the path made only for a fault. */
  checkMember(rule: TextRule, value: unknown, path: string, member: string): void {
    const f = rememberedTextFault(rule, value);
    if (f !== undefined) this.add(`${path}.${member}`, f);
  }
  get size(): number {
    return this.#byPath?.size ?? 0;
  }
  get paths(): string[] {
    return this.#byPath === undefined ? [] : [...this.#byPath.keys()];
  }
  throwIfAny(): void {
    if (this.#byPath !== undefined && this.#byPath.size > 0)
      fail(this.paths, faultCode(this.#byPath.values()));
  }
}

/**
 * The members of a placement (docs/api.md "POST /v1/signals — place a signal"): the one list the
 * engine and the server's check use.
 */
export const PLACEMENT_KEYS: readonly string[] = Object.freeze([
  'requestId',
  'subject',
  'parents',
  'contact',
  'informed',
  'endDate',
  'legalBasis',
  'attestation',
]);
/** The members of a contact (docs/api.md "Text fields"). */
export const CONTACT_KEYS: readonly string[] = Object.freeze(['name', 'role', 'phone', 'email']);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Records the faults of a contact (docs/api.md "Text fields") under `path`. */
export function contactFaults(c: unknown, path: string, faults: Faults): void {
  if (!isRecord(c)) {
    faults.add(path);
    return;
  }
  // An unknown key is reported by the path that holds it: a key name is input too.
  for (const k of Object.keys(c)) if (!CONTACT_KEYS.includes(k)) faults.add(path);
  faults.checkMember(INPUT_RULES.contactName, c.name, path, 'name');
  faults.checkMember(INPUT_RULES.contactRole, c.role, path, 'role');
  if (c.phone !== undefined) faults.checkMember(INPUT_RULES.contactPhone, c.phone, path, 'phone');
  if (c.email !== undefined) faults.checkMember(INPUT_RULES.contactEmail, c.email, path, 'email');
  if (c.phone === undefined && c.email === undefined) faults.add(path);
}

/**
 * Records the faults of a person's name and e-mail: the contact-name and contact-e-mail rules
 * (docs/api.md "Text fields"; docs/engine.md "People and roles").
 */
export function personFaults(displayName: unknown, email: unknown, faults: Faults): void {
  faults.check(INPUT_RULES.contactName, displayName, 'displayName');
  if (email !== undefined && email !== null) faults.check(INPUT_RULES.contactEmail, email, 'email');
}

export function informedErrors(i: unknown, path: string, now: number): string[] {
  if (!isRecord(i)) return [path];
  const bad: string[] = [];
  for (const k of Object.keys(i)) if (k !== 'status' && k !== 'date') bad.push(path);
  const known = typeof i.status === 'string' && INFORMED.includes(i.status);
  if (!known) bad.push(`${path}.status`);
  if (i.status === 'not_yet') {
    if (i.date !== undefined) bad.push(`${path}.date`);
  } else if (known) {
    const d = parseDate(i.date);
    if (d === undefined || d > startOfDay(now)) bad.push(`${path}.date`);
  }
  return bad;
}

export function validateContact(c: unknown, path = 'contact'): Contact {
  const faults = new Faults();
  contactFaults(c, path, faults);
  faults.throwIfAny();
  return contactOf(c as Contact);
}

/** A checked contact's own copy (only its four members, in this order). */
function contactOf(r: Contact): Contact {
  const c: { name: string; role: string; phone?: string; email?: string } = { name: r.name, role: r.role };
  if (r.phone !== undefined) c.phone = r.phone;
  if (r.email !== undefined) c.email = r.email;
  return c;
}

export function validateInformed(i: unknown, now: number, path = 'informed'): Informed {
  const bad = informedErrors(i, path, now);
  if (bad.length > 0) fail([...new Set(bad)]);
  return informedOf(i as Informed);
}

const informedOf = (r: Informed): Informed =>
  r.date === undefined ? { status: r.status } : { status: r.status, date: r.date };

/** A person's pseudonyms, decoded: 1–2 with distinct epochs. */
export interface DecodedPseudonym {
  readonly epoch: number;
  readonly bytes: Buffer;
}

/** `paths` with `path` added, made at the first. */
function withPath(paths: string[] | undefined, path: string): string[] {
  if (paths === undefined) return [path];
  paths.push(path);
  return paths;
}

/** Whether `w` has a member other than a pseudonym's two. */
function hasOtherThanEpochAndValue(w: Record<string, unknown>): boolean {
  for (const k of Object.keys(w)) if (k !== 'epoch' && k !== 'value') return true;
  return false;
}

export function decodePerson(p: unknown, path: string): DecodedPseudonym[] {
  if (!Array.isArray(p) || p.length < 1 || p.length > 2) fail([path]);
  const out: DecodedPseudonym[] = [];
  // The refused paths, made only for a refusal (a batch decodes each of its items).
  let invalid: string[] | undefined;
  let shape: string[] | undefined;
  for (let i = 0; i < p.length; i++) {
    if (!(i in p)) continue; // a hole, skipped as forEach skips it
    const w: unknown = p[i];
    if (!isRecord(w) || hasOtherThanEpochAndValue(w)) {
      shape = withPath(shape, `${path}.${i}`);
      continue;
    }
    if (typeof w.epoch !== 'number' || !Number.isInteger(w.epoch) || w.epoch < 1 || w.epoch > 0xffffffff) {
      shape = withPath(shape, `${path}.${i}.epoch`);
    }
    const bytes = typeof w.value === 'string' ? ServerSecrets.decodePseudonym(w.value) : undefined;
    if (bytes === undefined) invalid = withPath(invalid, `${path}.${i}.value`);
    else out.push({ epoch: w.epoch as number, bytes });
  }
  if (shape !== undefined) fail(shape);
  if (invalid !== undefined) fail(invalid, 'pseudonym_invalid');
  if (out.length === 2 && out[0]!.epoch === out[1]!.epoch) fail([path]);
  return out;
}

export interface ValidPlacement {
  readonly requestId: string;
  readonly subject: DecodedPseudonym[];
  readonly parents: DecodedPseudonym[][];
  readonly contact: Contact;
  readonly informed: Informed;
  /** Midnight UTC of the end date, when given. */
  readonly endDay: number | undefined;
  readonly endDate: string | undefined;
  readonly legalBasis: LegalBasis;
  readonly attestation: Attestation | undefined;
  /** Look up only, never create (PlaceSignalInput.existingOnly). */
  readonly existingOnly: boolean;
}

/**
 * The legal basis rule (docs/engine.md "Legal basis"): 'consent' and 'no_objection' (the
 * bases from 23) need an attestation dated today or before; 'jeugdwet' takes none. The
 * server cannot see the age (the birth date never leaves the SDK); the SDK refuses
 * 'jeugdwet' from 23.
 */
function legalBasisFaults(input: PlaceSignalInput, now: number, faults: Faults): void {
  const basis = input.legalBasis ?? 'jeugdwet';
  if (!LEGAL_BASES.includes(basis)) {
    faults.add('legalBasis');
    return;
  }
  const a = input.attestation as unknown;
  if (basis === 'jeugdwet') {
    if (a !== undefined) faults.add('attestation');
    return;
  }
  if (a === undefined) return; // refused as attestation_required once the rest is valid
  if (!isRecord(a)) {
    faults.add('attestation');
    return;
  }
  if (Object.keys(a).some((k) => k !== 'date' && k !== 'formReference')) faults.add('attestation');
  const day = parseDate(a.date);
  if (day === undefined || day > startOfDay(now)) faults.add('attestation.date');
  if (a.formReference !== undefined)
    faults.check(INPUT_RULES.formReference, a.formReference, 'attestation.formReference');
}

export function validatePlacement(input: PlaceSignalInput, now: number): ValidPlacement {
  if (!isRecord(input)) fail(['']);
  const faults = new Faults();
  // `existingOnly` is a single placement's member, not a batch item's: not in PLACEMENT_KEYS.
  for (const k of Object.keys(input)) if (!PLACEMENT_KEYS.includes(k) && k !== 'existingOnly') faults.add('');
  if (input.existingOnly !== undefined && input.existingOnly !== true) faults.add('existingOnly');
  if (!isUuid(input.requestId)) faults.add('requestId');
  contactFaults(input.contact, 'contact', faults);
  for (const f of informedErrors(input.informed, 'informed', now)) faults.add(f);
  let endDay: number | undefined;
  if (input.endDate !== undefined) {
    endDay = parseDate(input.endDate);
    if (endDay === undefined || endDay <= startOfDay(now)) faults.add('endDate');
  }
  if (input.parents !== undefined && (!Array.isArray(input.parents) || input.parents.length > 2))
    faults.add('parents');
  legalBasisFaults(input, now, faults);
  faults.throwIfAny();
  if ((input.legalBasis ?? 'jeugdwet') !== 'jeugdwet' && input.attestation === undefined) {
    fail(['attestation'], 'attestation_required');
  }
  const subject = decodePerson(input.subject, 'subject');
  const parents = (input.parents ?? []).map((p, i) => decodePerson(p, `parents.${i}`));
  return {
    requestId: input.requestId.toLowerCase(),
    subject,
    parents,
    // Both were checked above (contactFaults, informedErrors): copied, not checked again.
    contact: contactOf(input.contact),
    informed: informedOf(input.informed),
    endDay,
    endDate: input.endDate,
    legalBasis: input.legalBasis ?? 'jeugdwet',
    existingOnly: input.existingOnly === true,
    attestation:
      input.attestation === undefined
        ? undefined
        : {
            date: input.attestation.date,
            ...(input.attestation.formReference === undefined
              ? {}
              : { formReference: input.attestation.formReference }),
          },
  };
}

export function validateLimit(limit: unknown, fallback: number, max = 500): number {
  if (limit === undefined) return fallback;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max) fail(['limit']);
  return limit;
}

export function validateCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (typeof cursor !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(cursor)) fail(['cursor']);
  return Number(cursor);
}

export function samePerson(a: PersonPseudonyms, b: PersonPseudonyms): boolean {
  return a.some((x) => b.some((y) => x.epoch === y.epoch && x.value === y.value));
}
