// The organisations as the municipality's administrator manages them
// (docs/portal.md "The municipality's administrator"): the list (name, type, status), suspending and reinstating
// after a confirm step that names the consequence, admitting an organisation with the public
// key it made itself (`sluis keygen`; the administrator's own passkey confirms first, as the key
// outlives the session, docs/protocol.md §10.6), and the people of one organisation — which is
// how an organisation starts: its first coordinator, added here with an invitation code. An
// admitted organisation's result names its id and the pseudonym service's step that must follow.

import type { ComponentChildren, Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { confirmStepUp } from '../api/session.js';
import { useApi, useApp } from '../app-context.js';
import {
  Alert,
  Button,
  ButtonGroup,
  Heading2,
  P,
  SelectField,
  Table,
  TextField,
  useConfirm,
} from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import {
  ADMIT_FIELDS,
  type AdmitField,
  type AdmitForm,
  admitBody,
  admitErrors,
  admitRefusal,
  municipalityError,
  ORGANISATION_TYPES,
  type Organisation,
  typeLabel,
} from './municipality-model.js';
import { PeopleSection } from './municipality-people.js';
import { useClearNotices, useOneNotice } from './one-notice.js';
import { type FieldErrors, firstFaulty, ORGANISATION_ROLES } from './organisation-model.js';

type Place = 'top' | 'admit';
interface Notice {
  readonly at: Place;
  readonly type: 'ok' | 'error' | 'info';
  readonly text: string;
  /** An admitted organisation: its id, shown in its own element, and the next step. */
  readonly admitted?: Organisation;
}
type Change = { readonly organisation: Organisation; readonly to: 'suspend' | 'reinstate' };

export function Organisations() {
  const { t } = useI18n();
  const api = useApi();
  const [list, setList] = useState<readonly Organisation[] | null>(null);
  const [notice, setNotice] = useOneNotice<Notice>();
  const clearNotices = useClearNotices();
  // Which organisation's people are open, and how often *People of …* was pressed: pressing it
  // again for the same organisation moves the focus to its heading again.
  const [open, setOpen] = useState<{ readonly organisation: Organisation; readonly n: number } | null>(null);
  const peopleRef = useRef<HTMLHeadingElement>(null);
  const openPeople = (o: Organisation) => {
    clearNotices();
    setOpen((was) => ({ organisation: o, n: (was?.n ?? 0) + 1 }));
  };
  const closePeople = (o: Organisation) => {
    clearNotices();
    setOpen(null);
    document.getElementById(`organisation-people-${o.id}`)?.focus();
  };

  async function load() {
    try {
      setList(
        ((await api({ method: 'GET', path: '/v1/admin/organisations' })) as { items: Organisation[] }).items,
      );
    } catch (e) {
      setNotice({ at: 'top', type: 'error', text: municipalityError(t, e) });
    }
  }
  useEffect(() => {
    void load();
  }, []);
  useEffect(() => {
    if (open !== null) peopleRef.current?.focus();
  }, [open?.n]);

  async function change({ organisation: o, to }: Change) {
    try {
      await api({ method: 'POST', path: `/v1/admin/organisations/${o.id}/${to}`, body: {} });
      await load();
      const key = to === 'suspend' ? 'municipality.org.suspended' : 'municipality.org.reinstated';
      setNotice({ at: 'top', type: 'ok', text: t(key, { name: o.name }) });
    } catch (e) {
      setNotice({ at: 'top', type: 'error', text: municipalityError(t, e) });
    }
  }
  const confirmChange = useConfirm(
    ({ organisation: o, to }: Change) => ({
      id: 'confirm-organisation-status',
      title: t(`municipality.confirm.${to}.title`, { name: o.name }),
      text: t(`municipality.confirm.${to}.text`, { name: o.name }),
      confirm: t(`municipality.confirm.${to}.button`, { name: o.name }),
      cancel: t('confirm.cancel'),
    }),
    (c) => void change(c),
  );

  const noticeAt = (at: Place) =>
    notice === null || notice.at !== at ? null : (
      <Alert type={notice.type} focus={notice.type !== 'info'}>
        {notice.admitted === undefined ? notice.text : <Admitted organisation={notice.admitted} />}
      </Alert>
    );
  return (
    <section class="sluis-stack" aria-labelledby="organisations-title">
      <Heading2 id="organisations-title">{t('municipality.org.title')}</Heading2>
      <P>{t('municipality.org.intro')}</P>
      {noticeAt('top')}
      {list === null ? (
        <P>{t('common.loading')}</P>
      ) : list.length === 0 ? (
        <P>{t('municipality.org.none')}</P>
      ) : (
        <Table caption={t('municipality.org.caption')}>
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="col">
                {t('place.name')}
              </th>
              <th class="utrecht-table__header-cell" scope="col">
                {t('municipality.org.type')}
              </th>
              <th class="utrecht-table__header-cell" scope="col">
                {t('municipality.org.status')}
              </th>
              <th class="utrecht-table__header-cell" scope="col">
                {t('common.actions')}
              </th>
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            {list.map((o) => (
              <tr class="utrecht-table__row" key={o.id}>
                <td class="utrecht-table__cell">{o.name}</td>
                <td class="utrecht-table__cell">{typeLabel(t, o.type)}</td>
                <td class="utrecht-table__cell">{t(`municipality.org.status.${o.status}` as MessageKey)}</td>
                <td class="utrecht-table__cell">
                  <ButtonGroup>
                    <Button
                      id={`organisation-people-${o.id}`}
                      variant="secondary"
                      onClick={() => openPeople(o)}
                    >
                      {t('municipality.org.people', { name: o.name })}
                    </Button>
                    <Button
                      variant="subtle"
                      onClick={() => {
                        setNotice(null);
                        confirmChange.ask({
                          organisation: o,
                          to: o.status === 'active' ? 'suspend' : 'reinstate',
                        });
                      }}
                    >
                      {t(o.status === 'active' ? 'municipality.org.suspend' : 'municipality.org.reinstate', {
                        name: o.name,
                      })}
                    </Button>
                  </ButtonGroup>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {confirmChange.dialog}
      {open === null ? null : (
        <OrganisationPeople organisation={open.organisation} headingRef={peopleRef} onClose={closePeople} />
      )}
      <Admit
        result={noticeAt('admit')}
        onAdmitted={(o) => {
          setList((all) => [...(all ?? []), o]);
          setNotice({ at: 'admit', type: 'ok', text: '', admitted: o });
        }}
        onResult={(type, text) => setNotice({ at: 'admit', type, text })}
        onClear={() => setNotice(null)}
      />
    </section>
  );
}

/** The admitted organisation's id, in its own element, and what must happen before it can place signals. */
function Admitted({ organisation: o }: { organisation: Organisation }) {
  const { t } = useI18n();
  return (
    <>
      <p class="utrecht-paragraph">{t('municipality.admit.done', { name: o.name })}</p>
      <p class="utrecht-paragraph">
        {t('adminfix.admit.id', { name: o.name })}{' '}
        <code class="utrecht-code sluis-code" id="admitted-organisation-id">
          {o.id}
        </code>
      </p>
      <p class="utrecht-paragraph">{t('adminfix.admit.next', { name: o.name })}</p>
    </>
  );
}

/** One organisation's people under the list, with a button that closes them. */
function OrganisationPeople({
  organisation: open,
  headingRef,
  onClose,
}: {
  organisation: Organisation;
  headingRef: Ref<HTMLHeadingElement>;
  onClose: (o: Organisation) => void;
}) {
  const { t } = useI18n();
  return (
    <section class="sluis-stack" aria-labelledby="organisation-people-title">
      <h3 class="utrecht-heading-3" id="organisation-people-title" tabIndex={-1} ref={headingRef}>
        {t('municipality.org.peopleOf', { name: open.name })}
      </h3>
      <P>{t('municipality.org.peopleIntro')}</P>
      <ButtonGroup>
        <Button variant="subtle" onClick={() => onClose(open)}>
          {t('adminfix.org.close', { name: open.name })}
        </Button>
      </ButtonGroup>
      <PeopleSection
        key={open.id}
        organisationId={open.id}
        caption={t('municipality.org.peopleCaption', { name: open.name })}
        roles={[...ORGANISATION_ROLES].reverse()}
        idPrefix="organisation-person"
        addTexts={{
          title: t('municipality.org.add', { name: open.name }),
          intro: t('municipality.org.add.intro'),
          done: (name) => t('org.add.done', { name }),
          role: (r) => t(`municipality.orgRole.${r}` as MessageKey),
        }}
      />
    </section>
  );
}

const EMPTY: AdmitForm = { name: '', type: '', publicKey: '' };
const FOCUS_ID: Readonly<Record<AdmitField, string>> = {
  name: 'admit-name',
  type: 'admit-type',
  publicKey: 'admit-key',
};

/**
 * Admitting an organisation: its name, type and the public key it made itself. Checked in the
 * page first; then the administrator's passkey confirms the admission of exactly this key
 * (`organisation_admit`), and the page sends it with that answer.
 */
function Admit({
  result,
  onAdmitted,
  onResult,
  onClear,
}: {
  result: ComponentChildren;
  onAdmitted: (o: Organisation) => void;
  onResult: (type: 'error' | 'info', text: string) => void;
  onClear: () => void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const app = useApp();
  const [form, setForm] = useState<AdmitForm>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors<AdmitField>>({});
  // The types this server admits, as configured (docs/portal.md "The municipality's administrator").
  const [types, setTypes] = useState<readonly string[]>(ORGANISATION_TYPES);
  useEffect(() => {
    void api({ method: 'GET', path: '/v1/admin/organisation-types' })
      .then((r) => setTypes((r as { items: string[] }).items))
      .catch(() => {});
  }, []);

  function mark(e: FieldErrors<AdmitField>): boolean {
    setErrors(e);
    const first = firstFaulty(ADMIT_FIELDS, e);
    if (first !== undefined) document.getElementById(FOCUS_ID[first])?.focus();
    return first !== undefined;
  }
  async function submit(e: Event) {
    e.preventDefault();
    onClear();
    if (app.session === null || mark(admitErrors(form))) return;
    const body = admitBody(form);
    onResult('info', t('municipality.admit.confirm', { name: body.name }));
    try {
      const stepUp = await confirmStepUp(app.session, {
        kind: 'organisation_admit',
        publicKeys: body.publicKeys,
      });
      const r = (await api({
        method: 'POST',
        path: '/v1/admin/organisations',
        body: { ...body, stepUp },
      })) as {
        organisation: Organisation;
      };
      setForm(EMPTY);
      setErrors({});
      onAdmitted(r.organisation);
    } catch (x) {
      // A refusal at a field is named there (and takes the focus); another under the form.
      if (mark(admitRefusal(x))) onClear();
      else onResult('error', municipalityError(t, x));
    }
  }
  const error = (f: AdmitField) => (errors[f] === undefined ? undefined : t(errors[f]));
  return (
    <form class="sluis-stack" onSubmit={submit} noValidate aria-labelledby="admit-title">
      <Heading2 id="admit-title">{t('municipality.admit.title')}</Heading2>
      <P>{t('municipality.admit.intro')}</P>
      <TextField
        id="admit-name"
        label={t('municipality.admit.name')}
        value={form.name}
        onInput={(name) => setForm((f) => ({ ...f, name }))}
        error={error('name')}
      />
      <SelectField
        id="admit-type"
        label={t('municipality.org.type')}
        value={form.type}
        options={types.map((ty) => [ty, typeLabel(t, ty)] as const)}
        onChange={(type) => setForm((f) => ({ ...f, type }))}
        error={error('type')}
      />
      <TextField
        id="admit-key"
        label={t('municipality.admit.key')}
        description={t('municipality.admit.key.description')}
        value={form.publicKey}
        onInput={(publicKey) => setForm((f) => ({ ...f, publicKey }))}
        error={error('publicKey')}
      />
      <Button type="submit" variant="secondary">
        {t('municipality.admit.button')}
      </Button>
      {result}
    </form>
  );
}
