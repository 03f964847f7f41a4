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

describe('organisation_suspended at sign-in and enrolment (docs/portal.md "Screens")', () => {
  for (const lang of LANGS) {
    it(`says the organisation's access is suspended and whom to ask, not "nothing was sent" (${lang})`, () => {
      const t = translator(lang);
      const action = errorMessage(t, new ApiError(403, 'organisation_suspended'));
      const signIn = errorMessage(t, new ApiError(403, 'organisation_suspended'), 'sign-in');
      expect(signIn).toBe(t('error.organisation_suspended.signIn'));
      expect(signIn).not.toBe(action);
      expect(signIn).toContain(
        lang === 'nl' ? 'De toegang van uw organisatie' : 'Your organisation’s access',
      );
      expect(signIn).toContain(
        lang === 'nl' ? 'Vraag de coördinator van uw organisatie' : 'Ask your organisation’s coordinator',
      );
      expect(signIn).not.toContain(lang === 'nl' ? 'Er is niets verstuurd' : 'Nothing was sent');
      // The action's text stays for actions; other codes read the same in either place.
      expect(action).toBe(t('error.organisation_suspended'));
      expect(errorMessage(t, new ApiError(429, 'rate_limited'), 'sign-in')).toBe(t('error.rate_limited'));
    });
  }
});

describe('a clock that is off (docs/portal.md "Signing in")', () => {
  for (const lang of LANGS) {
    const t = translator(lang);
    it(`says timestamp_out_of_window in words: check the computer's clock (${lang})`, () => {
      const own = errorMessage(t, new ApiError(401, 'timestamp_out_of_window'));
      expect(own).toBe(t('error.timestamp_out_of_window'));
      expect(own).toMatch(lang === 'nl' ? /klok van deze computer/ : /clock of this computer/);
      expect(own).not.toContain('timestamp_out_of_window');
      expect(
        errorMessage(t, new SluisError('server_error', { problemCode: 'timestamp_out_of_window' })),
      ).toBe(own);
    });
  }
});
