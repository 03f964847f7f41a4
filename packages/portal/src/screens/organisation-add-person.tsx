// Adding a person (docs/api.md "People"): a name, an optional e-mail address and the roles
// the form offers, each checked in the page with the engine's rules for a person (the SDK's
// contact name and e-mail rules) before anything is sent; a refusal is named at its field.
// The coordinator's My organisation sends `POST /v1/people` with the organisation roles; the
// administrator's Municipality screen `POST /v1/admin/people` with the municipality's roles
// or, for an organisation, its roles (docs/portal.md "Screens"). Adding needs no step-up and
// no confirm step: the new person cannot sign in until someone makes an invitation code,
// which does need one (docs/protocol.md §10.6), and a person added by mistake is removed from
// the table.

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
  type PersonRole,
  personBody,
  personErrors,
  personRefusal,
} from './organisation-model.js';

const EMPTY: PersonForm = { name: '', email: '', roles: [] };

/** Where the form sends the person; the coordinator's own organisation unless given. */
export type SendPerson = (body: ReturnType<typeof personBody>) => Promise<Person>;

/**
 * The form's texts besides the fields: its heading, its introduction, the result after adding
 * and each role's label. My organisation's unless given.
 */
export interface AddPersonTexts {
  readonly title: string;
  readonly intro: string;
  readonly done: (name: string) => string;
  readonly role: (role: PersonRole) => string;
}

export function AddPerson({
  result,
  onAdded,
  onResult,
  onClear,
  roles = ORGANISATION_ROLES,
  idPrefix = 'add-person',
  send,
  texts,
}: {
  result: ComponentChildren;
  onAdded: (p: Person) => void;
  onResult: (type: 'ok' | 'error', text: string) => void;
  onClear: () => void;
  /** The roles offered, in the order shown and sent. */
  roles?: readonly PersonRole[];
  /** The ids of the form's fields start with this (two forms on one screen differ). */
  idPrefix?: string;
  send?: SendPerson;
  texts?: AddPersonTexts;
}) {
  const { t } = useI18n();
  const api = useApi();
  const [form, setForm] = useState<PersonForm>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors<PersonField>>({});
  const say: AddPersonTexts = texts ?? {
    title: t('org.add'),
    intro: t('org.add.intro'),
    done: (name) => t('org.add.done', { name }),
    role: (r) => t(`org.add.role.${r}` as MessageKey),
  };
  const post: SendPerson =
    send ??
    (async (body) =>
      ((await api({ method: 'POST', path: '/v1/people', body })) as { person: Person }).person);
  /** The field that takes the focus for each form field (the roles: their first checkbox). */
  const focusId: Readonly<Record<PersonField, string>> = {
    name: `${idPrefix}-name`,
    email: `${idPrefix}-email`,
    roles: `${idPrefix}-role-${roles[0] ?? ''}`,
  };

  function mark(e: FieldErrors<PersonField>): boolean {
    setErrors(e);
    const first = firstFaulty(PERSON_FIELDS, e);
    if (first !== undefined) document.getElementById(focusId[first])?.focus();
    return first !== undefined;
  }

  async function submit(e: Event) {
    e.preventDefault();
    onClear();
    if (mark(personErrors(form))) return;
    try {
      const person = await post(personBody(form, roles));
      setForm(EMPTY);
      setErrors({});
      onAdded(person);
      onResult('ok', say.done(person.displayName));
    } catch (x) {
      if (!mark(personRefusal(x))) onResult('error', errorMessage(t, x));
    }
  }

  const error = (f: PersonField) => (errors[f] === undefined ? undefined : t(errors[f]));
  return (
    <form class="sluis-stack" onSubmit={submit} noValidate aria-labelledby={`${idPrefix}-title`}>
      <Heading2 id={`${idPrefix}-title`}>{say.title}</Heading2>
      <P>{say.intro}</P>
      <TextField
        id={`${idPrefix}-name`}
        label={t('org.add.name')}
        description={t('org.add.name.description')}
        value={form.name}
        onInput={(name) => setForm((f) => ({ ...f, name }))}
        error={error('name')}
        autoComplete="off"
      />
      <TextField
        id={`${idPrefix}-email`}
        type="email"
        inputMode="email"
        label={t('org.add.email')}
        description={t('org.add.email.description')}
        value={form.email}
        onInput={(email) => setForm((f) => ({ ...f, email }))}
        error={error('email')}
      />
      <Fieldset legend={t('org.add.roles')} id={`${idPrefix}-roles`} error={error('roles')}>
        {roles.map((r) => (
          <Choice
            key={r}
            type="checkbox"
            id={`${idPrefix}-role-${r}`}
            name={`${idPrefix}-roles`}
            label={say.role(r)}
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
