// The GDPR desk's model (gdpr-desk-model.ts; docs/portal.md "The GDPR desk"): the citizen checked
// with the place-signal form's checks, the subject built under every pseudonymiser the page has
// (a person without a BSN marked oprfOnly, never HMACed), the objection's date and late choice,
// the server's refusal of an incomplete subject, and the refusal texts of the desk's routes.

import { canonicaliseIdentifier, SluisError } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http.js';
import { LANGS, translator } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import {
  citizenErrors,
  isSubjectRefusal,
  NO_CITIZEN,
  objectionBody,
  outcomeText,
  receivedOnError,
  subjectBody,
  subjectOf,
} from './gdpr-desk-model.js';
import { casePseudonymKey } from '../../../../test/support/case-keys.js';

const BSN = '123456782';
const key = (epoch: number) => casePseudonymKey(new Uint8Array(32).fill(epoch), epoch);

describe('the citizen at the desk', () => {
  it('checks a BSN with the eleven test, and a person without one by all three parts', () => {
    expect(citizenErrors({ ...NO_CITIZEN, bsn: '' })).toEqual({ bsn: 'place.error.bsn_required' });
    expect(citizenErrors({ ...NO_CITIZEN, bsn: '123456789' })).toEqual({ bsn: 'place.error.bsn_checksum' });
    expect(citizenErrors({ ...NO_CITIZEN, bsn: '1234 56 782' })).toEqual({});
    expect(citizenErrors({ ...NO_CITIZEN, withoutBsn: true })).toEqual({
      surname: 'place.error.surname_required',
      dateOfBirth: 'place.error.substitute_date_invalid',
      gender: 'place.error.substitute_gender_invalid',
    });
    expect(
      citizenErrors({
        ...NO_CITIZEN,
        withoutBsn: true,
        surname: '1234',
        dateOfBirth: '2012-03-04',
        gender: 'V',
      }),
    ).toEqual({ surname: 'place.error.substitute_surname_invalid' });
    expect(
      citizenErrors({
        ...NO_CITIZEN,
        withoutBsn: true,
        surname: 'van der Kroonenbergh',
        dateOfBirth: '2012-03-04',
        gender: 'V',
      }),
    ).toEqual({});
  });

  it('names the citizen under every pseudonymiser, the BSN as typed with spaces', async () => {
    const keys = [key(3), key(4)];
    const s = await subjectOf({ ...NO_CITIZEN, bsn: '1234 56 782' }, keys);
    const id = canonicaliseIdentifier('bsn', BSN);
    expect(s.subject).toEqual([keys[0]!.pseudonymise(id), keys[1]!.pseudonymise(id)]);
    expect(s.subject.map((p) => p.epoch)).toEqual([3, 4]);
    expect(subjectBody(s)).toEqual({ subject: s.subject });
    expect('oprfOnly' in subjectBody(s)).toBe(false);
  });

  it('sends a person without a BSN as oprfOnly, and never lets a covenant key pseudonymise them', async () => {
    const without = {
      ...NO_CITIZEN,
      withoutBsn: true,
      surname: 'Kroonenbergh, v.d.',
      dateOfBirth: '2012-03-04',
      gender: 'V' as const,
    };
    await expect(subjectOf(without, [key(1)])).rejects.toSatisfy(
      (e) => e instanceof SluisError && e.code === 'scheme_requires_oprf',
    );
    const s = { subject: [{ epoch: 2, value: 'x'.repeat(43) }], oprfOnly: true };
    expect(subjectBody(s)).toEqual({ subject: s.subject, oprfOnly: true });
  });
});

describe('the objection', () => {
  it('is received on a day not in the future; late only when excused', () => {
    expect(receivedOnError('2026-12-04', '2026-12-04')).toBeUndefined();
    expect(receivedOnError('2026-11-30', '2026-12-04')).toBeUndefined();
    expect(receivedOnError('2026-12-05', '2026-12-04')).toBe('gdpr.object.error.receivedOn');
    expect(receivedOnError('', '2026-12-04')).toBe('gdpr.object.error.receivedOn');
    expect(receivedOnError('2026-13-01', '2026-12-04')).toBe('gdpr.object.error.receivedOn');
    const s = { subject: [{ epoch: 2, value: 'y'.repeat(43) }], oprfOnly: false };
    expect(objectionBody(s, '2026-11-30', false)).toEqual({
      subject: s.subject,
      status: 'pending',
      receivedOn: '2026-11-30',
    });
    expect(objectionBody(s, '2026-11-30', true)).toMatchObject({ lateExcused: true });
  });
});

describe('the answers of the desk’s acts', () => {
  const nl = translator('nl');
  const en = translator('en');

  it('say how many parent links a restriction, its lifting and an objection changed (API 1.4.0)', () => {
    // Two kinds of count (docs/api.md "Admin (municipality) routes"): ALL the citizen's signals,
    // but only the parent links this request changed — the sentence says which is which.
    expect(outcomeText(nl, { kind: 'restrict', signals: 2, parentLinks: 3 })).toBe(
      'De verwerking is beperkt. De beperking geldt voor 2 signalen over deze burger: alle signalen, ook die al beperkt waren. Nieuw beperkt: 3 koppelingen als ouder op signalen van kinderen (koppelingen die al beperkt waren, zijn niet meegeteld).',
    );
    expect(outcomeText(nl, { kind: 'unrestrict', signals: 1, parentLinks: 1 })).toBe(
      'De beperking is opgeheven voor 1 signaal over deze burger: alle signalen. Nieuw vrijgegeven: 1 koppeling als ouder op signalen van kinderen (koppelingen die al vrij waren, zijn niet meegeteld).',
    );
    expect(outcomeText(en, { kind: 'rejected', signals: 0, parentLinks: 2 })).toBe(
      'The objection is rejected. The restriction is lifted from 0 signals about this citizen: all of them. Newly freed: 2 links as a parent on children’s signals (links that were free already are not counted).',
    );
    expect(outcomeText(en, { kind: 'restrict', signals: 2, parentLinks: 0 })).toContain(
      'also any that were restricted already. Newly restricted: 0 links as a parent',
    );
    expect(outcomeText(nl, { kind: 'upheld', signals: 2, parentLinks: 1 })).toContain(
      '1 koppeling als ouder',
    );
  });

  it('say how many parent links an erasure removed (the answer’s parentLinks)', () => {
    expect(outcomeText(nl, { kind: 'erase', signals: 2, matches: 1, parentLinks: 3 })).toBe(
      'Gewist: 2 signalen, 1 match en 3 koppelingen als ouder op signalen van kinderen.',
    );
    expect(outcomeText(en, { kind: 'erase', signals: 1, matches: 0, parentLinks: 1 })).toBe(
      'Erased: 1 signal, 0 matches and 1 link as a parent on children’s signals.',
    );
  });

  it('say whether a registered objection was on time, and that a "late" tick on time was not used', () => {
    const pending = { kind: 'pending', signals: 1, parentLinks: 0 } as const;
    expect(outcomeText(nl, { ...pending, onTime: true, lateTicked: false })).toMatch(
      /meegeteld\)\. Het bezwaar kwam op tijd binnen\.$/,
    );
    expect(outcomeText(nl, { ...pending, onTime: true, lateTicked: true })).toContain(
      'Het vinkje "Te laat, maar verschoonbaar" is daarom niet gebruikt en niet opgeslagen.',
    );
    expect(outcomeText(en, { ...pending, onTime: false, lateTicked: true })).toContain(
      'The objection came in after the term and is registered as excused.',
    );
  });
});

describe('what the desk reads', () => {
  it('tells the server’s refusal of an incomplete subject from other refusals', () => {
    expect(isSubjectRefusal(new ApiError(400, 'validation_failed', ['subject']))).toBe(true);
    expect(isSubjectRefusal(new ApiError(400, 'validation_failed', ['receivedOn']))).toBe(false);
    expect(isSubjectRefusal(new ApiError(400, 'pseudonym_invalid'))).toBe(false);
  });

  it('says every result and every refusal of the desk’s routes in words, in both languages', () => {
    for (const lang of LANGS) {
      const t = translator(lang);
      for (const kind of ['restrict', 'unrestrict', 'upheld', 'rejected'] as const)
        expect(outcomeText(t, { kind, signals: 2, parentLinks: 1 })).not.toMatch(/\{|gdpr\./);
      for (const onTime of [true, false])
        for (const lateTicked of [true, false])
          expect(
            outcomeText(t, { kind: 'pending', signals: 2, parentLinks: 1, onTime, lateTicked }),
          ).not.toMatch(/\{|gdpr\./);
      expect(outcomeText(t, { kind: 'erase', signals: 2, matches: 1, parentLinks: 1 })).not.toMatch(
        /\{|gdpr\./,
      );
      for (const code of [
        'gdpr_desk_unconfigured',
        'pseudonym_invalid',
        'epoch_unknown',
        'objection_out_of_term',
        'unavailable',
        'internal',
      ]) {
        const text = errorMessage(t, new ApiError(503, code));
        expect(text, `${lang} ${code}`).not.toContain(code);
        expect(text).not.toBe(t('error.other', { code }));
      }
      // The operator must set the municipality's id at the pseudonym service (docs/operations.md).
      expect(errorMessage(t, new ApiError(503, 'gdpr_desk_unconfigured'))).toMatch(
        /pseudoniemdienst|pseudonym service/,
      );
    }
  });
});
