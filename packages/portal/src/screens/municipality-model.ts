// The checks of the administrator's Municipality screen
// (docs/portal.md "The municipality's administrator"): admitting an organisation (`POST /v1/admin/organisations`) and the texts of
// the refusals its routes can give. Each field is checked in the page before the passkey is
// asked (docs/api.md "Text fields"), and a refusal's field paths are mapped back onto the form,
// so a fault is named at its field. No value is ever put in a message: errors are message keys.

import { TEXT_RULES, textFaultOf } from '@sluis/client-sdk';
import { ApiError } from '../api/http.js';
import type { MessageKey, Translate } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import type { FieldErrors } from './organisation-model.js';

export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly status: 'active' | 'suspended';
}

/**
 * The organisation types of the engine's default list (docs/operations.md "Configure",
 * `--organisation-type`), each with a text in the catalogue; a type outside this list (one the
 * operator configured) is shown as its code. The admit form offers the server's own list
 * (`GET /v1/admin/organisation-types`, API 1.6.0), this one only until that answer arrives.
 */
export const ORGANISATION_TYPES = [
  'youth_care',
  'general_practice',
  'school',
  'debt_counselling',
  'housing',
  'police',
  'social_services',
  'municipality',
  'other',
] as const;

/** An organisation type in words when the catalogue has it, else its code as it is. */
export function typeLabel(t: Translate, type: string): string {
  return (ORGANISATION_TYPES as readonly string[]).includes(type)
    ? t(`municipality.type.${type}` as MessageKey)
    : type;
}

/** The engine's rule for an organisation's name: 1–200 characters, no BSN-like number (docs/api.md "Text fields"). */
const ORGANISATION_NAME = { ...TEXT_RULES.contactName, max: 200 } as const;
/** An Ed25519 public key as `sluis keygen` prints it: 32 bytes in base64url without padding (43 characters). */
const PUBLIC_KEY = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

export interface AdmitForm {
  readonly name: string;
  readonly type: string;
  readonly publicKey: string;
}
export type AdmitField = keyof AdmitForm;
export const ADMIT_FIELDS: readonly AdmitField[] = ['name', 'type', 'publicKey'];

/** Every fault of the admit form in one round. */
export function admitErrors(f: AdmitForm): FieldErrors<AdmitField> {
  const e: FieldErrors<AdmitField> = {};
  const name = f.name.trim();
  const nameFault = name === '' ? undefined : textFaultOf(ORGANISATION_NAME, name);
  if (name === '') e.name = 'municipality.admit.error.name';
  else if (nameFault === 'text_forbidden') e.name = 'municipality.admit.error.name.forbidden';
  else if (nameFault !== undefined) e.name = 'municipality.admit.error.name.invalid';
  if (f.type === '') e.type = 'municipality.admit.error.type';
  const key = f.publicKey.trim();
  if (key === '') e.publicKey = 'municipality.admit.error.key';
  else if (!PUBLIC_KEY.test(key)) e.publicKey = 'municipality.admit.error.key.invalid';
  return e;
}

/** The body of `POST /v1/admin/organisations` without its step-up: trimmed values, one key. */
export function admitBody(f: AdmitForm): { name: string; type: string; publicKeys: string[] } {
  return { name: f.name.trim(), type: f.type, publicKeys: [f.publicKey.trim()] };
}

/**
 * A refused admission named at its fields: the server's field paths, and the codes that are
 * about the key (`public_key_invalid`: no Ed25519 key; `conflict`: the key is registered
 * already). Empty when the refusal names no field of the form.
 */
export function admitRefusal(e: unknown): FieldErrors<AdmitField> {
  const out: FieldErrors<AdmitField> = {};
  if (!(e instanceof ApiError)) return out;
  if (e.code === 'public_key_invalid') return { publicKey: 'municipality.admit.error.key.invalid' };
  if (e.code === 'conflict') return { publicKey: 'municipality.admit.error.key.taken' };
  for (const path of e.fields) {
    if (path === 'name')
      out.name =
        e.code === 'text_forbidden'
          ? 'municipality.admit.error.name.forbidden'
          : 'municipality.admit.error.name.invalid';
    else if (path === 'type') out.type = 'municipality.admit.error.type.unknown';
    else if (path.startsWith('publicKeys')) out.publicKey = 'municipality.admit.error.key.invalid';
  }
  return out;
}

/** The refusals of the administrator's routes that the shared texts (errors.ts) do not name. */
const OWN: Readonly<Record<string, MessageKey>> = {
  passkey_counter_invalid: 'municipality.error.passkey_counter_invalid',
  public_key_invalid: 'municipality.error.public_key_invalid',
  text_forbidden: 'municipality.error.text_forbidden',
  forbidden: 'municipality.error.forbidden',
};

/** A refusal of an administrator's route as one sentence (never a value). */
export function municipalityError(t: Translate, e: unknown): string {
  const key = e instanceof ApiError ? OWN[e.code] : undefined;
  return key === undefined ? errorMessage(t, e) : t(key);
}
