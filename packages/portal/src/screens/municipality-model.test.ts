// The administrator's admit form and refusal texts
// (docs/portal.md "The municipality's administrator"): every fault in one round, the server's field paths and key codes mapped to
// the form, and the refusals of the administrator's routes in words, in both languages.

import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http.js';
import { translator } from '../i18n/i18n.js';
import {
  admitBody,
  admitErrors,
  admitRefusal,
  municipalityError,
  ORGANISATION_TYPES,
  typeLabel,
} from './municipality-model.js';
import { MUNICIPALITY_ROLES, personBody } from './organisation-model.js';

/** An Ed25519 public key as `sluis keygen` prints it (RFC 8032 §7.1 test 1). */
const KEY = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';

describe('admitting an organisation', () => {
  it('names every empty field in one round', () => {
    expect(admitErrors({ name: ' ', type: '', publicKey: '' })).toEqual({
      name: 'municipality.admit.error.name',
      type: 'municipality.admit.error.type',
      publicKey: 'municipality.admit.error.key',
    });
  });

  it('refuses a BSN-like name, a name over 200 characters and a key that is not 32 bytes of base64url', () => {
    expect(admitErrors({ name: 'Jeugdzorg 999900006', type: 'youth_care', publicKey: KEY })).toEqual({
      name: 'municipality.admit.error.name.forbidden',
    });
    expect(admitErrors({ name: 'x'.repeat(201), type: 'school', publicKey: `${KEY}=` }).name).toBe(
      'municipality.admit.error.name.invalid',
    );
    for (const bad of [`${KEY}=`, KEY.slice(1), `${KEY.slice(0, 42)}B`, KEY.replace('_', '/')])
      expect(admitErrors({ name: 'Jeugdzorg', type: 'school', publicKey: bad }), bad).toEqual({
        publicKey: 'municipality.admit.error.key.invalid',
      });
    expect(admitErrors({ name: 'x'.repeat(200), type: 'school', publicKey: ` ${KEY} ` })).toEqual({});
  });

  it('sends trimmed values and one key', () => {
    expect(admitBody({ name: ' Jeugdzorg Oost ', type: 'youth_care', publicKey: ` ${KEY}\n` })).toEqual({
      name: 'Jeugdzorg Oost',
      type: 'youth_care',
      publicKeys: [KEY],
    });
  });

  it('maps a refusal onto the form: fields, an invalid key, a key registered already', () => {
    expect(admitRefusal(new ApiError(400, 'text_forbidden', ['name']))).toEqual({
      name: 'municipality.admit.error.name.forbidden',
    });
    expect(admitRefusal(new ApiError(400, 'validation_failed', ['type', 'publicKeys.0']))).toEqual({
      type: 'municipality.admit.error.type.unknown',
      publicKey: 'municipality.admit.error.key.invalid',
    });
    expect(admitRefusal(new ApiError(400, 'public_key_invalid'))).toEqual({
      publicKey: 'municipality.admit.error.key.invalid',
    });
    expect(admitRefusal(new ApiError(409, 'conflict'))).toEqual({
      publicKey: 'municipality.admit.error.key.taken',
    });
    expect(admitRefusal(new ApiError(403, 'step_up_required'))).toEqual({});
    expect(admitRefusal(new Error('x'))).toEqual({});
  });
});

describe('the refusals of the administrator’s routes', () => {
  it('have their own words, else the shared ones, never a general code', () => {
    for (const lang of ['nl', 'en'] as const) {
      const t = translator(lang);
      for (const code of [
        'passkey_counter_invalid',
        'public_key_invalid',
        'text_forbidden',
        'forbidden',
        'not_found',
        'conflict',
        'step_up_required',
        'challenge_invalid',
        'passkey_invalid',
        'role_not_permitted',
        'validation_failed',
        'rate_limited',
        'session_expired',
      ]) {
        const text = municipalityError(t, new ApiError(400, code));
        expect(text, `${lang} ${code}`).not.toBe(t('error.other', { code }));
        expect(text, `${lang} ${code}`).not.toContain(code);
      }
    }
    expect(municipalityError(translator('nl'), new ApiError(403, 'forbidden'))).toContain('andere beheerder');
  });
});

describe('types and roles', () => {
  it('names every default type in words, and an unknown type by its code', () => {
    const t = translator('nl');
    for (const ty of ORGANISATION_TYPES) expect(typeLabel(t, ty)).not.toBe(ty);
    expect(typeLabel(t, 'youth_care')).toBe('Jeugdzorg');
    expect(typeLabel(t, 'sport_club')).toBe('sport_club');
  });

  it('sends municipality roles in the API’s order', () => {
    expect(
      personBody({ name: 'Ada', email: '', roles: ['administrator', 'auditor'] }, MUNICIPALITY_ROLES),
    ).toEqual({ displayName: 'Ada', roles: ['auditor', 'administrator'] });
  });
});
