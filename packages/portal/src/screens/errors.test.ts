// A refused request in words (docs/portal.md "Screens"): the organisation that the pseudonym
// service does not know yet, and one that is suspended, each have a text that says what to do —
// from the match server (an ApiError) and from the pseudonym service (the SDK's SluisError) —
// in both languages, never "something went wrong (code …)".

import { SluisError } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http.js';
import { LANGS, translator } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';

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
