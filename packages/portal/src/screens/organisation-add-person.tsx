// Adding a person to the organisation (`POST /v1/people`, docs/api.md "People"): a name, an
// optional e-mail address and the organisation roles, each checked in the page with the
// engine's rules for a person (the SDK's contact name and e-mail rules) before anything is
// sent; a refusal is named at its field. Adding needs no step-up and no confirm step: the new
// person cannot sign in until the coordinator makes an invitation code, which does need one
// (docs/protocol.md §10.6), and a person added by mistake is removed from the table.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useApi } from '../app-context.js';
import { Button, Choice, Fieldset, Heading2, P, TextField } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import {
  type FieldErrors,
  firstFaulty,
  ORGANISATION_ROLES,
  PERSON_FIELDS,
  type Person,
  type PersonField,
  type PersonForm,
  personBody,
  personErrors,
  personRefusal,
} from './organisation-model.js';

const EMPTY: PersonForm = { name: '', email: '', roles: [] };
/** The field that takes the focus for each form field (the roles: their first checkbox). */
const FOCUS_ID: Readonly<Record<PersonField, string>> = {
  name: 'add-person-name',
  email: 'add-person-email',
  roles: 'add-person-role-professional',
};

export function AddPerson({
  result,
  onAdded,
  onResult,
  onClear,
}: {
  result: ComponentChildren;
  onAdded: (p: Person) => void;
  onResult: (type: 'ok' | 'error', text: string) => void;
  onClear: () => void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const [form, setForm] = useState<PersonForm>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors<PersonField>>({});

  function mark(e: FieldErrors<PersonField>): boolean {
    setErrors(e);
    const first = firstFaulty(PERSON_FIELDS, e);
    if (first !== undefined) document.getElementById(FOCUS_ID[first])?.focus();
    return first !== undefined;
  }

  async function submit(e: Event) {
    e.preventDefault();
    onClear();
    if (mark(personErrors(form))) return;
    try {
      const r = (await api({ method: 'POST', path: '/v1/people', body: personBody(form) })) as {
        person: Person;
      };
      setForm(EMPTY);
      setErrors({});
      onAdded(r.person);
      onResult('ok', t('org.add.done', { name: r.person.displayName }));
    } catch (x) {
      if (!mark(personRefusal(x))) onResult('error', errorMessage(t, x));
    }
  }

  const error = (f: PersonField) => (errors[f] === undefined ? undefined : t(errors[f]));
  return (
    <form class="sluis-stack" onSubmit={submit} noValidate aria-labelledby="add-person-title">
      <Heading2 id="add-person-title">{t('org.add')}</Heading2>
      <P>{t('org.add.intro')}</P>
      <TextField
        id="add-person-name"
        label={t('org.add.name')}
        description={t('org.add.name.description')}
        value={form.name}
        onInput={(name) => setForm((f) => ({ ...f, name }))}
        error={error('name')}
        autoComplete="off"
      />
      <TextField
        id="add-person-email"
        type="email"
        inputMode="email"
        label={t('org.add.email')}
        description={t('org.add.email.description')}
        value={form.email}
        onInput={(email) => setForm((f) => ({ ...f, email }))}
        error={error('email')}
      />
      <Fieldset legend={t('org.add.roles')} id="add-person-roles" error={error('roles')}>
        {ORGANISATION_ROLES.map((r) => (
          <Choice
            key={r}
            type="checkbox"
            id={`add-person-role-${r}`}
            name="add-person-roles"
            label={t(`org.add.role.${r}` as MessageKey)}
            checked={form.roles.includes(r)}
            onChange={(on) =>
              setForm((f) => ({ ...f, roles: on ? [...f.roles, r] : f.roles.filter((x) => x !== r) }))
            }
          />
        ))}
      </Fieldset>
      <Button type="submit" variant="secondary">
        {t('org.add.button')}
      </Button>
      {result}
    </form>
  );
}
