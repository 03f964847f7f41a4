// Column layouts of the CLI's CSV inputs and the mapping of a row to an SDK call's input.
// Error fields are reported as column names (never values), so a results file can say
// which cell is wrong without repeating it.

import { SluisError } from '../errors.js';
import type { MigrateSignalInput, ParentInput, PlaceSignalInput } from '../client/placement.js';
import type { InformedStatus, LegalBasis } from '../client/types.js';

/**
 * Columns of a person without a BSN (docs/protocol.md §2.2; OPRF epochs only): the subject's
 * surname and gender beside `date_of_birth`, and each parent's three.
 */
const SUBSTITUTE_COLUMNS = [
  'surname',
  'gender',
  'parent1_surname',
  'parent1_date_of_birth',
  'parent1_gender',
  'parent2_surname',
  'parent2_date_of_birth',
  'parent2_gender',
] as const;

export const IMPORT_COLUMNS = [
  'bsn',
  'name',
  'role',
  'phone',
  'email',
  'informed_status',
  'informed_date',
  'date_of_birth',
  'end_date',
  'parent1_bsn',
  'parent2_bsn',
  ...SUBSTITUTE_COLUMNS,
  'legal_basis',
  'attestation_date',
  'attestation_form_ref',
] as const;
export const IMPORT_REQUIRED = ['name', 'role', 'informed_status'] as const;

export const MIGRATE_COLUMNS = [
  'signal_id',
  'bsn',
  'date_of_birth',
  'parent1_bsn',
  'parent2_bsn',
  ...SUBSTITUTE_COLUMNS,
] as const;
export const MIGRATE_REQUIRED = ['signal_id'] as const;

/** Columns that come only together: a subject or parent without BSN needs all three. */
const TOGETHER: readonly (readonly string[])[] = [
  ['surname', 'date_of_birth', 'gender'],
  ['parent1_surname', 'parent1_date_of_birth', 'parent1_gender'],
  ['parent2_surname', 'parent2_date_of_birth', 'parent2_gender'],
];

export type ColumnIndex = ReadonlyMap<string, number>;

/**
 * Maps header names (trimmed, case-insensitive) to positions. Unknown or duplicate columns
 * and missing required ones are a usage error: a column the schema does not name could
 * carry free text about the person.
 */
export function readHeader(
  header: readonly string[],
  known: readonly string[],
  required: readonly string[],
): { ok: true; index: ColumnIndex } | { ok: false; problem: string } {
  const index = new Map<string, number>();
  for (const [i, raw] of header.entries()) {
    const name = raw.trim().toLowerCase();
    if (!known.includes(name)) return { ok: false, problem: `unknown column "${name.slice(0, 40)}"` };
    if (index.has(name)) return { ok: false, problem: `duplicate column "${name}"` };
    index.set(name, i);
  }
  for (const r of required) if (!index.has(r)) return { ok: false, problem: `missing column "${r}"` };
  // The subject: a `bsn` column, or the three of a person without one (or both kinds of row).
  if (!index.has('bsn') && !index.has('surname')) return { ok: false, problem: 'missing column "bsn"' };
  for (const group of TOGETHER) {
    // `date_of_birth` alone is the subject's age (docs/sdk.md "Legal basis"), not a substitute.
    if (!group.some((c) => c !== 'date_of_birth' && index.has(c))) continue;
    const missing = group.find((c) => !index.has(c));
    if (missing !== undefined) return { ok: false, problem: `missing column "${missing}"` };
  }
  return { ok: true, index };
}

function cell(fields: readonly string[], index: ColumnIndex, name: string): string | undefined {
  const i = index.get(name);
  if (i === undefined) return undefined;
  const v = fields[i]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/**
 * The subject (docs/sdk.md "CSV import"): with a `surname` or `gender` cell the row is about a
 * person without a BSN, whose `date_of_birth` is then part of the identifier; otherwise the
 * `bsn` cell. Both given is refused by the SDK (input_invalid naming bsn and surname).
 */
function subject(
  fields: readonly string[],
  index: ColumnIndex,
): Pick<PlaceSignalInput, 'bsn' | 'substitute'> {
  const bsn = cell(fields, index, 'bsn');
  const surname = cell(fields, index, 'surname');
  const gender = cell(fields, index, 'gender');
  if (surname === undefined && gender === undefined) return { bsn: bsn ?? '' };
  const substitute = {
    surname: surname ?? '',
    dateOfBirth: cell(fields, index, 'date_of_birth') ?? '',
    gender: gender ?? '',
  };
  return bsn === undefined ? { substitute } : { bsn, substitute };
}

/** Parent n: its BSN, or the three cells of a parent without one (both: refused by the SDK). */
function parent(fields: readonly string[], index: ColumnIndex, n: 1 | 2): ParentInput | undefined {
  const bsn = cell(fields, index, `parent${n}_bsn`);
  const surname = cell(fields, index, `parent${n}_surname`);
  const dateOfBirth = cell(fields, index, `parent${n}_date_of_birth`);
  const gender = cell(fields, index, `parent${n}_gender`);
  if (surname === undefined && dateOfBirth === undefined && gender === undefined)
    return bsn === undefined ? undefined : { bsn };
  const substitute = { surname: surname ?? '', dateOfBirth: dateOfBirth ?? '', gender: gender ?? '' };
  return (bsn === undefined ? { substitute } : { bsn, substitute }) as ParentInput;
}

function parents(fields: readonly string[], index: ColumnIndex): ParentInput[] | undefined {
  const p = [parent(fields, index, 1), parent(fields, index, 2)].filter(
    (x): x is ParentInput => x !== undefined,
  );
  return p.length === 0 ? undefined : p;
}

function checkWidth(fields: readonly string[], index: ColumnIndex): void {
  if (fields.length !== index.size) throw new SluisError('csv_malformed');
}

export function importRow(
  fields: readonly string[],
  index: ColumnIndex,
  requestId: string,
): PlaceSignalInput {
  checkWidth(fields, index);
  const phone = cell(fields, index, 'phone');
  const email = cell(fields, index, 'email');
  const informedDate = cell(fields, index, 'informed_date');
  const dob = cell(fields, index, 'date_of_birth');
  const end = cell(fields, index, 'end_date');
  const p = parents(fields, index);
  // From 23 the basis is consent or recorded non-objection, with its attestation (docs/sdk.md
  // "Legal basis"); the SDK checks both, as for a single placement.
  const basis = cell(fields, index, 'legal_basis');
  const attested = cell(fields, index, 'attestation_date');
  const formRef = cell(fields, index, 'attestation_form_ref');
  return {
    ...subject(fields, index),
    contact: {
      name: cell(fields, index, 'name') ?? '',
      role: cell(fields, index, 'role') ?? '',
      ...(phone === undefined ? {} : { phone }),
      ...(email === undefined ? {} : { email }),
    },
    informed: {
      status: (cell(fields, index, 'informed_status') ?? '') as InformedStatus,
      ...(informedDate === undefined ? {} : { date: informedDate }),
    },
    ...(dob === undefined ? {} : { dateOfBirth: dob }),
    ...(end === undefined ? {} : { endDate: end }),
    ...(p === undefined ? {} : { parents: p }),
    ...(basis === undefined ? {} : { legalBasis: basis as LegalBasis }),
    ...(attested === undefined && formRef === undefined
      ? {}
      : {
          attestation: { date: attested ?? '', ...(formRef === undefined ? {} : { formReference: formRef }) },
        }),
    requestId,
  };
}

export function migrateRow(fields: readonly string[], index: ColumnIndex): MigrateSignalInput {
  checkWidth(fields, index);
  const p = parents(fields, index);
  return {
    signalId: cell(fields, index, 'signal_id') ?? '',
    ...subject(fields, index),
    ...(p === undefined ? {} : { parents: p }),
  };
}

const FIELD_TO_COLUMN: Record<string, string> = {
  bsn: 'bsn',
  subject: 'bsn',
  signalId: 'signal_id',
  'contact.name': 'name',
  'contact.role': 'role',
  'contact.phone': 'phone',
  'contact.email': 'email',
  contact: 'name',
  informed: 'informed_status',
  'informed.status': 'informed_status',
  'informed.date': 'informed_date',
  dateOfBirth: 'date_of_birth',
  endDate: 'end_date',
  parentsBsn: 'parent1_bsn',
  'parentsBsn.0': 'parent1_bsn',
  'parentsBsn.1': 'parent2_bsn',
  parents: 'parent1_bsn',
  'parents.0': 'parent1_bsn',
  'parents.1': 'parent2_bsn',
  substitute: 'surname',
  'substitute.surname': 'surname',
  'substitute.dateOfBirth': 'date_of_birth',
  'substitute.gender': 'gender',
  ...Object.fromEntries(
    [1, 2].flatMap((n) => [
      [`parents.${n - 1}.bsn`, `parent${n}_bsn`],
      [`parents.${n - 1}.substitute`, `parent${n}_surname`],
      [`parents.${n - 1}.substitute.surname`, `parent${n}_surname`],
      [`parents.${n - 1}.substitute.dateOfBirth`, `parent${n}_date_of_birth`],
      [`parents.${n - 1}.substitute.gender`, `parent${n}_gender`],
    ]),
  ),
  legalBasis: 'legal_basis',
  attestation: 'attestation_date',
  'attestation.date': 'attestation_date',
  'attestation.formReference': 'attestation_form_ref',
};

/** SDK or server field paths (`items.3.contact.email`) → CSV column names. */
export function fieldsToColumns(fields: readonly string[]): string[] {
  const out = new Set<string>();
  for (const f of fields) {
    const path = f.replace(/^items\.\d+\.?/, '');
    const exact = FIELD_TO_COLUMN[path];
    const prefix = Object.keys(FIELD_TO_COLUMN)
      .filter((k) => path.startsWith(`${k}.`))
      .sort((a, b) => b.length - a.length)[0];
    const col = exact ?? (prefix === undefined ? undefined : FIELD_TO_COLUMN[prefix]);
    out.add(col ?? (/^[A-Za-z0-9_.]{1,60}$/.test(path) ? path : 'row'));
  }
  return [...out];
}
