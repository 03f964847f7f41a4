// The people of the municipality, or of one organisation, as the municipality's administrator
// manages them (docs/portal.md "The municipality's administrator"): the active people (name,
// e-mail, roles), adding a person with the roles of that side (`POST /v1/admin/people`), an
// invitation code per person (shown once under the row after the administrator's own passkey
// confirms it, docs/protocol.md §10.6) and removing a person after a confirm step that names
// them (their sessions end at once). The administrator's own row offers neither: the server
// refuses a code for oneself, and one's own removal is left to another administrator or the
// admin CLI so that the municipality is not left without one by a slip. Each action's result
// appears where the action was and takes the focus; the next action clears it, in this section
// or another of the screen (one-notice.tsx).

import { useEffect, useState } from 'preact/hooks';
import { useApi, useApp } from '../app-context.js';
import { Alert, Button, ButtonGroup, P, useConfirm } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import {
  InvitationCodeText,
  type IssuedCode,
  inviteConfirmText,
  issueInvitationCode,
} from './invitation-code.js';
import { municipalityError } from './municipality-model.js';
import { useOneNotice } from './one-notice.js';
import { AddPerson, type AddPersonTexts } from './organisation-add-person.js';
import type { Person, PersonRole } from './organisation-model.js';
import { PeopleTable } from './people-table.js';

type Place = 'top' | 'add' | `person:${string}`;

interface Notice {
  readonly at: Place;
  readonly type: 'ok' | 'error' | 'info';
  readonly text: string;
  readonly code?: IssuedCode;
  readonly focus: boolean;
}

export function PeopleSection({
  organisationId,
  caption,
  roles,
  idPrefix,
  addTexts,
}: {
  /** null: the municipality's own people. */
  organisationId: string | null;
  caption: string;
  roles: readonly PersonRole[];
  idPrefix: string;
  addTexts: AddPersonTexts;
}) {
  const { t } = useI18n();
  const api = useApi();
  const app = useApp();
  const [people, setPeople] = useState<readonly Person[] | null>(null);
  const [notice, setNotice] = useOneNotice<Notice>();
  const self = app.session?.personId;

  const tell = (at: Place, type: Notice['type'], text: string, focus = true) =>
    setNotice({ at, type, text, focus });
  async function load() {
    try {
      const r = (await api({
        method: 'GET',
        path: '/v1/admin/people',
        ...(organisationId === null ? {} : { query: { organisationId } }),
      })) as { people: Person[] };
      setPeople(r.people);
    } catch (e) {
      tell('top', 'error', municipalityError(t, e));
    }
  }
  useEffect(() => {
    setPeople(null);
    setNotice(null);
    void load();
  }, [organisationId]);

  async function invite(p: Person) {
    if (app.session === null) return;
    const at: Place = `person:${p.id}`;
    tell(at, 'info', inviteConfirmText(t, p.displayName), false);
    try {
      const code = await issueInvitationCode(app.session, api, p.id, '/v1/admin');
      setNotice({ at, type: 'ok', text: '', code: { name: p.displayName, ...code }, focus: true });
    } catch (e) {
      tell(at, 'error', municipalityError(t, e));
    }
  }
  async function remove(p: Person) {
    try {
      await api({ method: 'POST', path: `/v1/admin/people/${p.id}/remove`, body: {} });
      await load();
      tell('top', 'ok', t('org.removed', { name: p.displayName }));
    } catch (e) {
      tell('top', 'error', municipalityError(t, e));
    }
  }
  const confirmRemove = useConfirm(
    (p: Person) => ({
      id: `${idPrefix}-confirm-remove`,
      title: t('confirm.removePerson.title', { name: p.displayName }),
      text: t(
        organisationId === null ? 'municipality.remove.text' : 'municipality.remove.text.organisation',
        { name: p.displayName },
      ),
      confirm: t('confirm.removePerson.button', { name: p.displayName }),
      cancel: t('confirm.cancel'),
    }),
    (p) => {
      setNotice(null);
      void remove(p);
    },
  );

  const noticeAt = (at: Place) =>
    notice === null || notice.at !== at ? null : (
      <Alert
        type={notice.type}
        focus={notice.focus}
        {...(notice.code === undefined ? {} : { id: `${idPrefix}-invitation-code` })}
      >
        {notice.code === undefined ? notice.text : <InvitationCodeText code={notice.code} />}
      </Alert>
    );
  const active = (people ?? []).filter((p) => p.status === 'active');
  return (
    <div class="sluis-stack">
      {noticeAt('top')}
      {people === null ? (
        <P>{t('common.loading')}</P>
      ) : active.length === 0 ? (
        <P>{t('municipality.people.none')}</P>
      ) : (
        <PeopleTable
          caption={caption}
          people={active}
          result={(p) => noticeAt(`person:${p.id}`)}
          actions={(p) =>
            p.id === self ? (
              <p class="utrecht-paragraph">{t('municipality.people.self')}</p>
            ) : (
              <ButtonGroup>
                <Button variant="secondary" onClick={() => void invite(p)}>
                  {t('org.invite', { name: p.displayName })}
                </Button>
                <Button variant="subtle" onClick={() => confirmRemove.ask(p)}>
                  {t('org.remove', { name: p.displayName })}
                </Button>
              </ButtonGroup>
            )
          }
        />
      )}
      {confirmRemove.dialog}
      <AddPerson
        result={noticeAt('add')}
        roles={roles}
        idPrefix={idPrefix}
        texts={addTexts}
        send={async (body) =>
          (
            (await api({ method: 'POST', path: '/v1/admin/people', body: { organisationId, ...body } })) as {
              person: Person;
            }
          ).person
        }
        onAdded={(p) => setPeople((all) => [...(all ?? []), p])}
        onResult={(type, text) => tell('add', type, text)}
        onClear={() => setNotice(null)}
      />
    </div>
  );
}
