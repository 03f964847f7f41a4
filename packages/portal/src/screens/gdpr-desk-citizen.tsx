// The GDPR desk's form that identifies the citizen (docs/portal.md "The GDPR desk"): a BSN, or,
// where every epoch is an OPRF epoch, surname, date of birth and gender — the place-signal
// form's fields and checks. What is typed stays in the form's state until the screen has
// pseudonymised it, and is then cleared (gdpr-desk.tsx).

import type { Ref } from 'preact';
import { Button, Choice, ErrorSummary, Fieldset, P, TextField } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import type { Citizen, CitizenErrors } from './gdpr-desk-model.js';
import { GENDERS } from './place-signal-model.js';

export function CitizenForm(p: {
  readonly citizen: Citizen;
  readonly setCitizen: (c: Citizen) => void;
  readonly errors: CitizenErrors;
  /** Whether a person without a BSN may be named; undefined while the page finds out. */
  readonly withoutBsnOffered: boolean | undefined;
  readonly busy: boolean;
  readonly summaryRef: Ref<HTMLElement>;
  readonly onSubmit: (e: Event) => void;
}) {
  const { t } = useI18n();
  const { citizen, setCitizen, errors, withoutBsnOffered, busy, summaryRef } = p;
  const set = (k: keyof Citizen) => (v: string) => setCitizen({ ...citizen, [k]: v });
  const err = (k: keyof CitizenErrors) => (errors[k] === undefined ? undefined : t(errors[k]));
  const errorList = Object.entries(errors) as [keyof CitizenErrors, MessageKey][];
  const fieldId = (k: keyof CitizenErrors) => (k === 'gender' ? 'gdpr-gender-M' : `gdpr-${k}`);
  return (
    <form class="sluis-stack" onSubmit={p.onSubmit} noValidate>
      <ErrorSummary
        id="gdpr-errors"
        title={t('gdpr.errors.title')}
        errors={errorList.map(([k, key]) => [fieldId(k), t(key)] as const)}
        summaryRef={summaryRef}
      />
      <Fieldset legend={t('gdpr.person')} id="gdpr-person">
        {withoutBsnOffered === true ? (
          <Choice
            type="checkbox"
            id="gdpr-withoutBsn"
            name="withoutBsn"
            label={t('place.withoutBsn')}
            checked={citizen.withoutBsn}
            onChange={(checked) => setCitizen({ ...citizen, withoutBsn: checked })}
          />
        ) : null}
        {withoutBsnOffered === false ? <P>{t('place.withoutBsn.unavailable')}</P> : null}
        {citizen.withoutBsn && withoutBsnOffered === true ? (
          <>
            <TextField
              id="gdpr-surname"
              label={t('place.surname')}
              description={t('place.surname.help')}
              value={citizen.surname}
              onInput={set('surname')}
              error={err('surname')}
              autoComplete="off"
              required
            />
            <TextField
              id="gdpr-dateOfBirth"
              type="date"
              label={t('place.dateOfBirth.withoutBsn')}
              description={t('gdpr.dateOfBirth.help')}
              value={citizen.dateOfBirth}
              onInput={set('dateOfBirth')}
              error={err('dateOfBirth')}
              required
            />
            <Fieldset legend={t('place.gender')} id="gdpr-gender" error={err('gender')}>
              {GENDERS.map((g) => (
                <Choice
                  key={g}
                  type="radio"
                  id={`gdpr-gender-${g}`}
                  name="gender"
                  label={t(`place.gender.${g}` as MessageKey)}
                  checked={citizen.gender === g}
                  onChange={() => setCitizen({ ...citizen, gender: g })}
                />
              ))}
            </Fieldset>
          </>
        ) : (
          <TextField
            id="gdpr-bsn"
            label={t('place.bsn')}
            description={t('gdpr.bsn.help')}
            value={citizen.bsn}
            onInput={set('bsn')}
            error={err('bsn')}
            inputMode="numeric"
            autoComplete="off"
            required
          />
        )}
      </Fieldset>
      <Button type="submit" busy={busy}>
        {t('gdpr.identify')}
      </Button>
    </form>
  );
}
