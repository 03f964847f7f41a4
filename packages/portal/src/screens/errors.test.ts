// A refusal as one sentence in the page's language (errors.ts): every code with a text of its
// own has it in Dutch and in English; the engine's rules — the municipality's last
// administrator, a passkey whose counter did not advance — say what to do, not "code …".
// The organisation that the pseudonym service does not know yet, and one that is suspended, each
// have a text that says what to do — from the match server (an ApiError) and from the pseudonym
// service (the SDK's SluisError) — never "something went wrong (code …)" (docs/portal.md "Screens").

import { SluisError } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http.js';
import { LANGS, translator } from '../i18n/i18n.js';
import { errorMessage, KNOWN_ERROR_CODES } from './errors.js';

describe('errorMessage', () => {
  it('has a text of its own for every known code, in both languages', () => {
    for (const lang of LANGS) {
      const t = translator(lang);
      const other = t('error.other', { code: 'x' }).split('x')[0]!;
      for (const code of KNOWN_ERROR_CODES) {
        const text = errorMessage(t, new ApiError(409, code));
        expect(typeof text, `${lang} ${code}`).toBe('string');
        expect(text.startsWith(other), `${lang} ${code}`).toBe(false);
      }
    }
  });

  it('tells what to do about the last administrator and a copied passkey', () => {
    const nl = translator('nl');
    const en = translator('en');
    expect(errorMessage(nl, new ApiError(409, 'last_administrator'))).toContain(
      'Voeg eerst een andere beheerder toe',
    );
    expect(errorMessage(en, new ApiError(409, 'last_administrator'))).toContain(
      'Add another administrator first',
    );
    expect(errorMessage(nl, new ApiError(401, 'passkey_counter_invalid'))).toContain(
      'Gebruik een andere passkey',
    );
    expect(errorMessage(en, new ApiError(401, 'passkey_counter_invalid'))).toContain(
      'Use another passkey of yours',
    );
  });
});

describe('the refusals about the organisation itself', () => {
  for (const lang of LANGS) {
    const t = translator(lang);
    for (const code of ['organisation_unknown', 'organisation_suspended'] as const) {
      it(`says ${code} in words (${lang})`, () => {
        const own = t(`error.${code}`);
        expect(own).not.toBe(`error.${code}`);
        expect(errorMessage(t, new ApiError(403, code))).toBe(own);
        expect(errorMessage(t, new SluisError('server_error', { problemCode: code }))).toBe(own);
        expect(own).not.toContain(code);
        expect(own).not.toBe(t('error.other', { code }));
      });
    }
  }
});
