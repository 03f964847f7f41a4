// Column layouts of the CLI's CSV inputs and the mapping of a row to an SDK call's input.
// Error fields are reported as column names (never values), so a results file can say
// which cell is wrong without repeating it.

import { SluisError } from '../errors.js';
import type { MigrateSignalInput, PlaceSignalInput } from '../client/placement.js';
import type { InformedStatus, LegalBasis } from '../client/types.js';

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
  'legal_basis',
  'attestation_date',
  'attestation_form_ref',
] as const;
export const IMPORT_REQUIRED = ['bsn', 'name', 'role', 'informed_status'] as const;

export const MIGRATE_COLUMNS = ['signal_id', 'bsn', 'parent1_bsn', 'parent2_bsn'] as const;
export const MIGRATE_REQUIRED = ['signal_id', 'bsn'] as const;

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
  return { ok: true, index };
}

function cell(fields: readonly string[], index: ColumnIndex, name: string): string | undefined {
  const i = index.get(name);
  if (i === undefined) return undefined;
  const v = fields[i]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

function parents(fields: readonly string[], index: ColumnIndex): string[] | undefined {
  const p = [cell(fields, index, 'parent1_bsn'), cell(fields, index, 'parent2_bsn')].filter(
    (x): x is string => x !== undefined,
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
    bsn: cell(fields, index, 'bsn') ?? '',
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
    ...(p === undefined ? {} : { parentsBsn: p }),
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
    bsn: cell(fields, index, 'bsn') ?? '',
    ...(p === undefined ? {} : { parentsBsn: p }),
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
