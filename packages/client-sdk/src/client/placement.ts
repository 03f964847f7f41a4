// Turns a placement as the caller knows it (BSN, parents' BSNs, date of birth) into the
// wire body (pseudonyms under every configured key epoch, an end date). This is the
// point where the raw identifier stops: nothing returned from here contains it.
// Two steps, so that bulk placement pseudonymises every item's persons in one batch per
// epoch (an OPRF epoch then costs one service round trip per 1000 identifiers): a
// synchronous check that yields canonical identifiers, then pseudonymiseItems.

import { SluisError } from '../errors.js';
import { type CanonicalIdentifier, checkBsn, checkSubstitute } from '../protocol/identifier.js';
import type { SubstituteIdentifierInput } from '../protocol/substitute-identifier.js';
import type { Pseudonym } from '../protocol/pseudonym.js';
import { type EpochKind, type Pseudonymiser, pseudonymiseEach } from '../protocol/pseudonymiser.js';
import {
  type CalendarDate,
  compareDates,
  endDateFromDateOfBirth,
  formatDate,
  placementEndDate,
} from './dates.js';
import {
  type Attestation,
  type Contact,
  type Informed,
  LEGAL_BASES,
  type LegalBasis,
  type MigrationBody,
  type PlacementBody,
} from './types.js';
import {
  FieldErrors,
  checkContact,
  checkDateOfBirth,
  checkFutureDate,
  checkInformed,
  checkUuid,
} from './validate.js';
import { type RandomSource, uuidV4 } from './uuid.js';
import { TEXT_RULES } from './text-rules.js';

export interface PlaceSignalInput {
  /** The citizen's BSN (8 or 9 digits). Validated and pseudonymised locally; never sent. */
  readonly bsn?: string;
  /**
   * Instead of `bsn`, for a person without one: surname, date of birth and gender
   * (docs/protocol.md §2.2). Only under OPRF epochs: with an HMAC epoch configured the
   * placement is refused with `scheme_requires_oprf`. Never sent.
   */
  readonly substitute?: SubstituteIdentifierInput;
  readonly contact: Contact;
  readonly informed: Informed;
  /** Last day the signal is active ('YYYY-MM-DD', after today). The server caps it at 2 years. */
  readonly endDate?: string;
  /**
   * Used only here, never sent: the age band (under 23 or not) decides which legal basis
   * is allowed, and for a jeugdwet signal the end date (the day before the 23rd birthday).
   */
  readonly dateOfBirth?: string;
  /**
   * Default 'jeugdwet' (under 23). From 23: 'consent' or 'no_objection' with an
   * attestation; a jeugdwet signal for someone of 23 or older is refused here.
   */
  readonly legalBasis?: LegalBasis;
  readonly attestation?: Attestation;
  /** 0–2 parents' BSNs for family matching. Pseudonymised locally; never sent. */
  readonly parentsBsn?: readonly string[];
  /**
   * Instead of `parentsBsn`: 0–2 parents, each `{ bsn }` or, for a parent without a BSN,
   * `{ substitute }` (docs/protocol.md §2.2; OPRF epochs only). Never sent.
   */
  readonly parents?: readonly ParentInput[];
  /** Idempotency key (UUID). Generated when absent; reuse it to retry a placement safely. */
  readonly requestId?: string;
}

const PLACE_KEYS = new Set([
  'bsn',
  'substitute',
  'contact',
  'informed',
  'endDate',
  'dateOfBirth',
  'parentsBsn',
  'parents',
  'requestId',
  'legalBasis',
  'attestation',
]);

/** The persons of one item as canonical identifiers (SDK-internal, never sent). */
export interface Persons {
  readonly subject: CanonicalIdentifier;
  readonly parents: readonly CanonicalIdentifier[] | undefined;
}

/**
 * A parent, for family matching: a BSN, or for a parent without one the substitute of
 * docs/protocol.md §2.2 (OPRF epochs only, like a subject without a BSN).
 */
export type ParentInput =
  | { readonly bsn: string; readonly substitute?: undefined }
  | { readonly substitute: SubstituteIdentifierInput; readonly bsn?: undefined };

/** The field an identifier error names, per check code (docs/sdk.md "People without a BSN"). */
const SUBSTITUTE_FIELD: Readonly<Record<string, string>> = {
  substitute_surname_invalid: 'surname',
  substitute_date_invalid: 'dateOfBirth',
  substitute_gender_invalid: 'gender',
};

/** Checks one person's BSN; a bad one throws its bsn_* code naming the field. */
function person(raw: unknown, field: string): CanonicalIdentifier {
  const r = checkBsn(raw);
  if (!r.ok) throw new SluisError(r.code, { fields: [field] });
  return r.identifier;
}

/** Checks a substitute identifier; a bad one throws its substitute_* code naming the part. */
function substitutePerson(raw: unknown, field: string): CanonicalIdentifier {
  const r = checkSubstitute(raw);
  if (r.ok) return r.identifier;
  const part = SUBSTITUTE_FIELD[r.code];
  throw new SluisError(r.code, { fields: [part === undefined ? field : `${field}.${part}`] });
}

/** The subject: a BSN, or (docs/protocol.md §2.2) a substitute identifier — exactly one of them. */
function subjectOf(bsn: unknown, substitute: unknown): CanonicalIdentifier {
  if (substitute === undefined) return person(bsn, 'bsn');
  if (bsn !== undefined) throw new SluisError('input_invalid', { fields: ['bsn', 'substitute'] });
  return substitutePerson(substitute, 'substitute');
}

/** One entry of `parents`: `{bsn}` or `{substitute}`, exactly one. */
function parentOf(raw: unknown, field: string): CanonicalIdentifier {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new SluisError('input_invalid', { fields: [field] });
  const { bsn, substitute, ...rest } = raw as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || (bsn === undefined) === (substitute === undefined))
    throw new SluisError('input_invalid', { fields: [field] });
  return bsn === undefined
    ? substitutePerson(substitute, `${field}.substitute`)
    : person(bsn, `${field}.bsn`);
}

/** Where an item's parents are and how each is checked: `parentsBsn` or `parents`, not both. */
function parentList(
  parentsBsn: unknown,
  parents: unknown,
): { list: unknown; field: string; check: (raw: unknown, field: string) => CanonicalIdentifier } {
  if (parents === undefined) return { list: parentsBsn, field: 'parentsBsn', check: person };
  if (parentsBsn !== undefined) throw new SluisError('input_invalid', { fields: ['parentsBsn', 'parents'] });
  return { list: parents, field: 'parents', check: parentOf };
}

function persons(
  subjectId: CanonicalIdentifier,
  parentsBsn: unknown,
  parents: unknown,
  errors: FieldErrors,
): Persons {
  const { list, field, check } = parentList(parentsBsn, parents);
  if (list === undefined) return { subject: subjectId, parents: undefined };
  if (!Array.isArray(list) || list.length > 2) {
    errors.add(field);
    errors.throwIfAny();
    return { subject: subjectId, parents: undefined };
  }
  // Subject and parents are different people: the same (scheme, canonical text) twice is refused.
  const key = (id: CanonicalIdentifier) => `${id.scheme}:${id.reveal()}`;
  const seen = [key(subjectId)];
  const out: CanonicalIdentifier[] = [];
  list.forEach((p, i) => {
    const id = check(p, `${field}.${i}`);
    out.push(id);
    if (seen.includes(key(id))) errors.add(`${field}.${i}`);
    seen.push(key(id));
  });
  return { subject: subjectId, parents: out.length === 0 ? undefined : out };
}

/**
 * docs/protocol.md §2.2: whether a person without a BSN may be placed under these epoch
 * kinds — only when every one is an OPRF epoch. A form asks this before offering the option.
 */
export function substituteAllowed(kinds: readonly EpochKind[]): boolean {
  return kinds.every((k) => k === 'oprf');
}

/**
 * docs/protocol.md §2.2: an identifier without BSN is pseudonymised under OPRF epochs only.
 * Checked per item before any evaluation, so that in a batch only the items concerned are
 * refused (`scheme_requires_oprf`, naming the subject or the parent), never the whole batch.
 */
function requireOprfFor(checked: Persons, kinds: readonly EpochKind[], parentsField: string): void {
  if (substituteAllowed(kinds)) return;
  const fields: string[] = [];
  if (checked.subject.scheme !== 'bsn') fields.push('substitute');
  checked.parents?.forEach((p, i) => {
    if (p.scheme !== 'bsn') fields.push(`${parentsField}.${i}.substitute`);
  });
  if (fields.length > 0) throw new SluisError('scheme_requires_oprf', { fields });
}

/** The wire pseudonyms of one item's persons. */
export interface PersonPseudonyms {
  readonly subject: Pseudonym[];
  readonly parents?: Pseudonym[][];
}

/**
 * Pseudonymises the persons of many items under every pseudonymiser, one batch per epoch
 * over all items together; result[i] belongs to items[i].
 */
export async function pseudonymiseItems(
  pseudonymisers: readonly Pseudonymiser[],
  items: readonly Persons[],
): Promise<PersonPseudonyms[]> {
  const flat: CanonicalIdentifier[] = [];
  for (const it of items) flat.push(it.subject, ...(it.parents ?? []));
  const each = await pseudonymiseEach(pseudonymisers, flat);
  let o = 0;
  return items.map((it) => {
    const subject = each[o++]!;
    if (it.parents === undefined) return { subject };
    return { subject, parents: it.parents.map(() => each[o++]!) };
  });
}

/** A placement checked locally, waiting for its pseudonyms. */
export interface CheckedPlacement {
  readonly persons: Persons;
  readonly build: (p: PersonPseudonyms) => PlacementBody;
  readonly requestId: string;
}

/** A migration item checked locally, waiting for its pseudonyms. */
export interface CheckedMigration {
  readonly persons: Persons;
  readonly build: (p: PersonPseudonyms) => MigrationBody;
}

/**
 * Validates a placement for a client with epochs of the given kinds. Throws SluisError with
 * a bsn_* or substitute_* code naming the field (`bsn`, `parentsBsn.i`, `parents.i.bsn`,
 * `substitute.surname`, …), `scheme_requires_oprf` when an identifier without BSN meets an
 * HMAC epoch, or 'input_invalid' with every failing field.
 */
export function checkPlacement(
  input: PlaceSignalInput,
  today: CalendarDate,
  random: RandomSource,
  kinds: readonly EpochKind[],
): CheckedPlacement {
  const errors = new FieldErrors();
  if (typeof input !== 'object' || input === null) throw new SluisError('input_invalid', { fields: [''] });
  for (const k of Object.keys(input)) {
    if (!PLACE_KEYS.has(k) && (input as unknown as Record<string, unknown>)[k] !== undefined) errors.add(k);
  }
  const contact = checkContact(input.contact, 'contact', errors);
  const informed = checkInformed(input.informed, 'informed', today, errors);
  let end: CalendarDate | undefined;
  if (input.endDate !== undefined) end = checkFutureDate(input.endDate, 'endDate', today, errors);
  const basis = checkLegalBasis(input, today, errors);
  if (input.dateOfBirth !== undefined) {
    const dob = checkDateOfBirth(input.dateOfBirth, 'dateOfBirth', today, errors);
    if (dob !== undefined && basis !== undefined) {
      const over23 = compareDates(endDateFromDateOfBirth(dob), today) <= 0;
      // 23 or older: the Jeugdwet no longer applies, so a jeugdwet signal is refused
      // (legal_basis_invalid) — consent or non-objection is the basis from then on.
      if (over23 && basis.legalBasis === 'jeugdwet') {
        throw new SluisError('legal_basis_invalid', { fields: ['legalBasis'] });
      }
      if (!over23 && basis.legalBasis === 'jeugdwet') {
        // Rounded down to the month: the exact day would give the server the birth date.
        const youthEnd = placementEndDate(dob, today);
        if (end === undefined || compareDates(youthEnd, end) < 0) end = youthEnd;
      }
    }
  }
  const requestId =
    input.requestId === undefined ? uuidV4(random) : checkUuid(input.requestId, 'requestId', errors);
  // Identifier errors first: they have their own codes.
  const checked = persons(subjectOf(input.bsn, input.substitute), input.parentsBsn, input.parents, errors);
  errors.throwIfAny();
  requireOprfFor(checked, kinds, input.parents === undefined ? 'parentsBsn' : 'parents');
  return {
    persons: checked,
    requestId: requestId!,
    build: ({ subject, parents }) => ({
      requestId: requestId!,
      subject,
      ...(parents === undefined ? {} : { parents }),
      contact: contact!,
      informed: informed!,
      ...(end === undefined ? {} : { endDate: formatDate(end) }),
      ...(basis === undefined || basis.legalBasis === 'jeugdwet'
        ? {}
        : { legalBasis: basis.legalBasis, attestation: basis.attestation! }),
    }),
  };
}

/**
 * The legal basis and its attestation (docs/sdk.md "Legal basis"): 'consent' and
 * 'no_objection' need an attestation dated today or before, 'jeugdwet' takes none.
 */
function checkLegalBasis(
  input: PlaceSignalInput,
  today: CalendarDate,
  errors: FieldErrors,
): { legalBasis: LegalBasis; attestation: Attestation | undefined } | undefined {
  const legalBasis = input.legalBasis ?? 'jeugdwet';
  if (!LEGAL_BASES.includes(legalBasis)) {
    errors.add('legalBasis');
    return undefined;
  }
  const a = input.attestation as unknown;
  if (legalBasis === 'jeugdwet') {
    if (a !== undefined) errors.add('attestation');
    return { legalBasis, attestation: undefined };
  }
  if (a === undefined) throw new SluisError('attestation_required', { fields: ['attestation'] });
  if (typeof a !== 'object' || a === null || Array.isArray(a)) {
    errors.add('attestation');
    return undefined;
  }
  const r = a as Record<string, unknown>;
  if (Object.keys(r).some((k) => k !== 'date' && k !== 'formReference')) errors.add('attestation');
  // A real date, not in the future (the same rule as a date of birth).
  const date = checkDateOfBirth(r.date, 'attestation.date', today, errors);
  const formReference = r.formReference;
  if (formReference !== undefined)
    errors.text(TEXT_RULES.formReference, formReference, 'attestation.formReference');
  return {
    legalBasis,
    attestation:
      date === undefined
        ? undefined
        : {
            date: formatDate(date),
            ...(formReference === undefined ? {} : { formReference: formReference as string }),
          },
  };
}

/** Validates a placement and builds its wire body under the given epochs. */
export async function preparePlacement(
  input: PlaceSignalInput,
  pseudonymisers: readonly Pseudonymiser[],
  today: CalendarDate,
  random: RandomSource,
): Promise<PlacementBody> {
  const checked = checkPlacement(
    input,
    today,
    random,
    pseudonymisers.map((p) => p.kind),
  );
  const [p] = await pseudonymiseItems(pseudonymisers, [checked.persons]);
  return checked.build(p!);
}

export interface MigrateSignalInput {
  readonly signalId: string;
  /** The citizen's BSN, pseudonymised locally under the target epoch(s); never sent. */
  readonly bsn?: string;
  /**
   * Instead of `bsn`: the substitute the signal was placed with (docs/protocol.md §2.2). It
   * migrates only to OPRF epochs; a target HMAC epoch refuses it (`scheme_requires_oprf`).
   */
  readonly substitute?: SubstituteIdentifierInput;
  readonly parentsBsn?: readonly string[];
  /** Instead of `parentsBsn`, as in PlaceSignalInput.parents. */
  readonly parents?: readonly ParentInput[];
}

const MIGRATE_KEYS = new Set(['signalId', 'bsn', 'substitute', 'parentsBsn', 'parents']);

/**
 * Validates one migration item for target epochs of the given kinds: the same person, to be
 * pseudonymised under the target epochs. Errors as checkPlacement.
 */
export function checkMigration(input: MigrateSignalInput, kinds: readonly EpochKind[]): CheckedMigration {
  const errors = new FieldErrors();
  if (typeof input !== 'object' || input === null) throw new SluisError('input_invalid', { fields: [''] });
  for (const k of Object.keys(input)) {
    if (!MIGRATE_KEYS.has(k) && (input as unknown as Record<string, unknown>)[k] !== undefined) errors.add(k);
  }
  const signalId = checkUuid(input.signalId, 'signalId', errors);
  const checked = persons(subjectOf(input.bsn, input.substitute), input.parentsBsn, input.parents, errors);
  errors.throwIfAny();
  requireOprfFor(checked, kinds, input.parents === undefined ? 'parentsBsn' : 'parents');
  return {
    persons: checked,
    build: ({ subject, parents }) => ({
      signalId: signalId!,
      subject,
      ...(parents === undefined ? {} : { parents }),
    }),
  };
}
