// Place a signal. The BSN (and the parents' BSNs) are checked in the page with the SDK,
// each failure with its own Dutch or English message, and pseudonymised in the page by the
// injected pseudonymisers; the date of birth only yields an end date. Before anything is
// sent the screen shows exactly what will be sent — shortened pseudonyms, contact details,
// informed status, end date — and what stays here (docs/portal.md "Placing a signal").

import {
  checkBsn,
  type PlacementBody,
  parseDate,
  preparePlacement,
  SluisError,
  webCryptoRandom,
} from '@sluis/client-sdk';
import { useRef, useState } from 'preact/hooks';
import { useApi, useApp } from '../app-context.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { lookupTag, saveNote } from '../local/local-store.js';
import { href } from '../router.js';
import {
  Alert,
  Button,
  ButtonGroup,
  Choice,
  DataList,
  Fieldset,
  Heading1,
  Heading2,
  Link,
  P,
  TextField,
} from '../components/ui.js';
import { errorMessage } from './errors.js';
import { shortPseudonym } from './format.js';

type Informed = 'citizen' | 'representative' | 'both' | 'not_yet';
const INFORMED: readonly Informed[] = ['citizen', 'representative', 'both', 'not_yet'];

interface Form {
  bsn: string;
  parent1: string;
  parent2: string;
  dateOfBirth: string;
  informed: Informed | '';
  informedDate: string;
  name: string;
  role: string;
  phone: string;
  email: string;
  reference: string;
}

const EMPTY: Form = {
  bsn: '',
  parent1: '',
  parent2: '',
  dateOfBirth: '',
  informed: '',
  informedDate: '',
  name: '',
  role: '',
  phone: '',
  email: '',
  reference: '',
};

/** SDK field path → form field. */
const FIELD_OF: Readonly<Record<string, keyof Form>> = {
  bsn: 'bsn',
  'parentsBsn.0': 'parent1',
  'parentsBsn.1': 'parent2',
  dateOfBirth: 'dateOfBirth',
  'informed.status': 'informed',
  informed: 'informed',
  'informed.date': 'informedDate',
  'contact.name': 'name',
  'contact.role': 'role',
  'contact.phone': 'phone',
  'contact.email': 'email',
  contact: 'phone',
};

type Errors = Partial<Record<keyof Form, MessageKey>>;

function bsnError(value: string, optional: boolean): MessageKey | undefined {
  if (optional && value.trim() === '') return undefined;
  if (value.trim() === '') return 'place.error.bsn_required';
  const r = checkBsn(value.trim());
  return r.ok ? undefined : (`place.error.${r.code}` as MessageKey);
}

function localErrors(f: Form): Errors {
  const e: Errors = {};
  const b = bsnError(f.bsn, false);
  if (b) e.bsn = b;
  const p1 = bsnError(f.parent1, true);
  if (p1) e.parent1 = p1;
  const p2 = bsnError(f.parent2, true);
  if (p2) e.parent2 = p2;
  if (f.informed === '') e.informed = 'place.error.informed';
  if (f.informed !== '' && f.informed !== 'not_yet' && f.informedDate === '')
    e.informedDate = 'place.error.informedDate';
  if (f.name.trim() === '') e.name = 'place.error.name';
  if (f.role.trim() === '') e.role = 'place.error.role';
  if (f.phone.trim() === '' && f.email.trim() === '') e.phone = 'place.error.phoneOrEmail';
  return e;
}

/** The SDK's refusal as errors per form field (its codes, our texts). */
function sdkErrors(err: SluisError): Errors {
  const e: Errors = {};
  for (const path of err.details.fields ?? []) {
    const field = FIELD_OF[path];
    if (field === undefined) continue;
    e[field] = err.code.startsWith('bsn_')
      ? (`place.error.${err.code}` as MessageKey)
      : (`place.error.field.${field}` as MessageKey);
  }
  return e;
}

export function PlaceSignal() {
  const { t } = useI18n();
  const app = useApp();
  const api = useApi();
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [step, setStep] = useState<'form' | 'preview' | 'sent'>('form');
  const [body, setBody] = useState<PlacementBody | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLElement>(null);
  const previewRef = useRef<HTMLHeadingElement>(null);

  const set = (k: keyof Form) => (v: string) => setForm({ ...form, [k]: v });
  const err = (k: keyof Form) => (errors[k] === undefined ? undefined : t(errors[k]));

  async function check(e: Event) {
    e.preventDefault();
    setFailure(null);
    const local = localErrors(form);
    setErrors(local);
    if (Object.keys(local).length > 0) {
      queueMicrotask(() => summaryRef.current?.focus());
      return;
    }
    setBusy(true);
    try {
      const today = parseDate(new Date().toISOString().slice(0, 10))!;
      const parents = [form.parent1, form.parent2].map((p) => p.trim()).filter((p) => p !== '');
      const pseudonymisers = await app.services.pseudonymisers(app.session!);
      const prepared = await preparePlacement(
        {
          bsn: form.bsn.trim(),
          ...(parents.length === 0 ? {} : { parentsBsn: parents }),
          ...(form.dateOfBirth === '' ? {} : { dateOfBirth: form.dateOfBirth }),
          informed:
            form.informed === 'not_yet'
              ? { status: 'not_yet' }
              : { status: form.informed as Informed, date: form.informedDate },
          contact: {
            name: form.name.trim(),
            role: form.role.trim(),
            ...(form.phone.trim() === '' ? {} : { phone: form.phone.trim() }),
            ...(form.email.trim() === '' ? {} : { email: form.email.trim() }),
          },
        },
        pseudonymisers,
        today,
        webCryptoRandom,
      );
      setBody(prepared);
      setStep('preview');
      queueMicrotask(() => previewRef.current?.focus());
    } catch (x) {
      if (x instanceof SluisError && (x.code.startsWith('bsn_') || x.code === 'input_invalid')) {
        setErrors(sdkErrors(x));
        queueMicrotask(() => summaryRef.current?.focus());
      } else setFailure(errorMessage(t, x));
    } finally {
      setBusy(false);
    }
  }

  async function send() {
    if (body === null) return;
    setBusy(true);
    setFailure(null);
    try {
      const answer = (await api({ method: 'POST', path: '/v1/signals', body })) as {
        outcome: string;
        signal: { id: string };
      };
      const tags: Record<string, string> = {};
      for (const p of body.subject) tags[String(p.epoch)] = await lookupTag(p.value);
      if (form.reference.trim() !== '')
        saveNote(app.session!.personId, answer.signal.id, { reference: form.reference.trim(), tags });
      else saveNote(app.session!.personId, answer.signal.id, { reference: '', tags });
      setOutcome(answer.outcome);
      setForm(EMPTY);
      setBody(null);
      setStep('sent');
    } catch (x) {
      setFailure(errorMessage(t, x));
    } finally {
      setBusy(false);
    }
  }

  if (step === 'sent') {
    return (
      <div class="sluis-stack">
        <Heading1>{t('place.title')}</Heading1>
        <Alert type="ok">{t(outcome === 'existing' ? 'place.sent.existing' : 'place.sent.created')}</Alert>
        <ButtonGroup>
          <Link href={href('/signals')}>{t('signals.title')}</Link>
          <Button variant="secondary" onClick={() => setStep('form')}>
            {t('place.another')}
          </Button>
        </ButtonGroup>
      </div>
    );
  }

  if (step === 'preview' && body !== null) {
    return (
      <div class="sluis-stack">
        <Heading1>{t('place.title')}</Heading1>
        <h2 class="utrecht-heading-2" tabIndex={-1} ref={previewRef}>
          {t('place.preview.title')}
        </h2>
        <P>{t('place.preview.intro')}</P>
        <DataList
          items={[
            [
              t('place.preview.subject'),
              body.subject.map((p) => shortPseudonym(p.epoch, p.value)).join(', '),
            ],
            [
              t('place.preview.parents'),
              body.parents === undefined
                ? t('place.preview.none')
                : body.parents
                    .map((ps) => ps.map((p) => shortPseudonym(p.epoch, p.value)).join(', '))
                    .join('; '),
            ],
            [
              t('place.contact'),
              [body.contact.name, body.contact.role, body.contact.phone, body.contact.email]
                .filter(Boolean)
                .join(' · '),
            ],
            [
              t('place.informed'),
              `${t(`place.informed.${body.informed.status}` as MessageKey)}${body.informed.date ? ` (${body.informed.date})` : ''}`,
            ],
            [t('place.preview.endDate'), body.endDate ?? t('place.preview.defaultEnd')],
          ]}
        />
        <Alert type="info">{t('place.preview.notSent')}</Alert>
        {failure === null ? null : <Alert type="error">{failure}</Alert>}
        <ButtonGroup>
          <Button onClick={send} busy={busy}>
            {t('place.send')}
          </Button>
          <Button variant="secondary" onClick={() => setStep('form')}>
            {t('place.change')}
          </Button>
        </ButtonGroup>
      </div>
    );
  }

  const errorList = Object.entries(errors) as [keyof Form, MessageKey][];
  return (
    <form class="sluis-stack" onSubmit={check} noValidate>
      <Heading1>{t('place.title')}</Heading1>
      <P>{t('place.intro')}</P>
      {errorList.length === 0 ? null : (
        <section
          class="utrecht-alert utrecht-alert--error"
          tabIndex={-1}
          ref={summaryRef}
          aria-labelledby="place-errors-title"
        >
          <div class="utrecht-alert__message">
            <h2 class="utrecht-heading-2" id="place-errors-title">
              {t('place.errors.title')}
            </h2>
            <ul class="utrecht-unordered-list">
              {errorList.map(([field, key]) => (
                <li key={field}>
                  <a class="utrecht-link utrecht-link--html-a" href={`#${fieldId(field)}`}>
                    {t(key)}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        </section>
      )}
      <Fieldset legend={t('place.person')} id="place-person">
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
          label={t('place.dateOfBirth')}
          description={t('place.dateOfBirth.help')}
          value={form.dateOfBirth}
          onInput={set('dateOfBirth')}
          error={err('dateOfBirth')}
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

/** The element an error summary link jumps to (the first radio button for a group). */
function fieldId(field: keyof Form): string {
  return field === 'informed' ? 'place-informed-citizen' : `place-${field}`;
}
