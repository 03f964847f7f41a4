// The place-signal form (docs/portal.md "Screens"): the person (BSN, parents'
// BSNs, date of birth — which only yields an end date; or, under OPRF epochs only, a person
// without a BSN by surname, date of birth and gender), the informed attestation, the
// contact details and the reference kept in this browser. Errors are listed in a summary
// whose links jump to the field, and shown beside each field.

import type { Ref } from 'preact';
import {
  Alert,
  Button,
  Choice,
  ErrorSummary,
  Fieldset,
  Heading1,
  Heading2,
  P,
  TextField,
} from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { type Errors, fieldId, type Form, GENDERS, INFORMED } from './place-signal-model.js';

/** The summary's name of a field whose error texts other fields share. */
const SUMMARY_NAME: Partial<Record<keyof Form, MessageKey>> = {
  bsn: 'place.summary.bsn',
  parent1: 'place.summary.parent1',
  parent2: 'place.summary.parent2',
};

export function PlacementForm({
  form,
  setForm,
  errors,
  failure,
  busy,
  summaryRef,
  onCheck,
  withoutBsnOffered,
  focusHeading,
}: {
  form: Form;
  setForm: (f: Form) => void;
  errors: Errors;
  failure: string | null;
  busy: boolean;
  summaryRef: Ref<HTMLElement>;
  onCheck: (e: Event) => void;
  /** Whether every epoch is an OPRF epoch (the SDK's substituteAllowed); undefined while unknown. */
  withoutBsnOffered: boolean | undefined;
  /** Back from the preview or the sent screen: the heading takes the focus. */
  focusHeading: boolean;
}) {
  const { t } = useI18n();
  const set = (k: keyof Form) => (v: string) => setForm({ ...form, [k]: v });
  const err = (k: keyof Form) => (errors[k] === undefined ? undefined : t(errors[k]));
  const errorList = Object.entries(errors) as [keyof Form, MessageKey][];
  return (
    <form class="sluis-stack" onSubmit={onCheck} noValidate>
      <Heading1 focus={focusHeading}>{t('place.title')}</Heading1>
      <P>{t('place.intro')}</P>
      <ErrorSummary
        id="place-errors"
        title={t('place.errors.title')}
        errors={errorList.map(([field, key]) => {
          // The BSN fields share their texts: the summary names the field, so its links differ.
          const name = SUMMARY_NAME[field];
          return [fieldId(field), name === undefined ? t(key) : `${t(name)}: ${t(key)}`] as const;
        })}
        summaryRef={summaryRef}
      />
      <Fieldset legend={t('place.person')} id="place-person">
        {withoutBsnOffered === true ? (
          <Choice
            type="checkbox"
            id="place-withoutBsn"
            name="withoutBsn"
            label={t('place.withoutBsn')}
            checked={form.withoutBsn}
            onChange={(checked) => setForm({ ...form, withoutBsn: checked })}
          />
        ) : null}
        {withoutBsnOffered === false ? <P>{t('place.withoutBsn.unavailable')}</P> : null}
        {form.withoutBsn && withoutBsnOffered === true ? (
          <>
            <P>{t('place.withoutBsn.help')}</P>
            <TextField
              id="place-surname"
              label={t('place.surname')}
              description={t('place.surname.help')}
              value={form.surname}
              onInput={set('surname')}
              error={err('surname')}
              autoComplete="off"
              required
            />
            <Fieldset legend={t('place.gender')} id="place-gender" error={err('gender')}>
              {GENDERS.map((g) => (
                <Choice
                  key={g}
                  type="radio"
                  id={`place-gender-${g}`}
                  name="gender"
                  label={t(`place.gender.${g}` as MessageKey)}
                  checked={form.gender === g}
                  onChange={() => setForm({ ...form, gender: g })}
                />
              ))}
            </Fieldset>
          </>
        ) : (
          <TextField
            id="place-bsn"
            label={t('place.bsn')}
            description={t('place.bsn.help')}
            value={form.bsn}
            onInput={set('bsn')}
            error={err('bsn')}
            inputMode="numeric"
            required
          />
        )}
        <TextField
          id="place-parent1"
          label={t('place.parent1')}
          description={t('place.parents.help')}
          value={form.parent1}
          onInput={set('parent1')}
          error={err('parent1')}
          inputMode="numeric"
        />
        <TextField
          id="place-parent2"
          label={t('place.parent2')}
          value={form.parent2}
          onInput={set('parent2')}
          error={err('parent2')}
          inputMode="numeric"
        />
        <TextField
          id="place-dateOfBirth"
          type="date"
          label={t(form.withoutBsn ? 'place.dateOfBirth.withoutBsn' : 'place.dateOfBirth')}
          description={t(form.withoutBsn ? 'place.dateOfBirth.withoutBsn.help' : 'place.dateOfBirth.help')}
          value={form.dateOfBirth}
          onInput={set('dateOfBirth')}
          error={err('dateOfBirth')}
          required={form.withoutBsn}
        />
      </Fieldset>
      <Fieldset legend={t('place.informed')} id="place-informed" error={err('informed')}>
        {INFORMED.map((s) => (
          <Choice
            key={s}
            type="radio"
            id={`place-informed-${s}`}
            name="informed"
            label={t(`place.informed.${s}` as MessageKey)}
            checked={form.informed === s}
            onChange={() => setForm({ ...form, informed: s })}
          />
        ))}
        {form.informed === '' || form.informed === 'not_yet' ? null : (
          <TextField
            id="place-informedDate"
            type="date"
            label={t('place.informedDate')}
            value={form.informedDate}
            onInput={set('informedDate')}
            error={err('informedDate')}
            required
          />
        )}
      </Fieldset>
      <Fieldset legend={t('place.contact')} id="place-contact">
        <P>{t('place.contact.help')}</P>
        <TextField
          id="place-name"
          label={t('place.name')}
          value={form.name}
          onInput={set('name')}
          error={err('name')}
          autoComplete="name"
          required
        />
        <TextField
          id="place-role"
          label={t('place.role')}
          value={form.role}
          onInput={set('role')}
          error={err('role')}
          autoComplete="organization-title"
          required
        />
        <TextField
          id="place-phone"
          type="tel"
          label={t('place.phone')}
          value={form.phone}
          onInput={set('phone')}
          error={err('phone')}
          autoComplete="tel"
          inputMode="tel"
        />
        <TextField
          id="place-email"
          type="email"
          label={t('place.email')}
          value={form.email}
          onInput={set('email')}
          error={err('email')}
          autoComplete="email"
          inputMode="email"
        />
      </Fieldset>
      <TextField
        id="place-reference"
        label={t('place.reference')}
        description={t('place.reference.help')}
        value={form.reference}
        onInput={set('reference')}
        error={err('reference')}
      />
      <Heading2>{t('place.basis.title')}</Heading2>
      <P>{t('place.basis.text')}</P>
      {failure === null ? null : <Alert type="error">{failure}</Alert>}
      <Button type="submit" busy={busy}>
        {t('place.check')}
      </Button>
    </form>
  );
}
