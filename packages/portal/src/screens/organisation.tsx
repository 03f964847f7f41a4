// Organisation coordinator: the organisation's people (name, e-mail, roles), adding a person,
// an invitation code per person (shown once, under that person's row, after the
// coordinator's own passkey confirms it: a step-up, docs/protocol.md §10.6), their devices,
// removing a person (their sessions end at once), and moving a leaver's active signals —
// those the leaver placed — to a colleague (docs/portal.md "Screens", "Confirming").
// Removing a person and a transfer each have a confirm step that names the consequence and
// the number of signals; the coordinator's own row offers no removal (the organisation could
// be left without a coordinator) and no invitation code (the server refuses one's own). Each
// action's result appears where the action was and takes the focus; the next action clears it
// (docs/portal.md "Accessibility"). An invitation code lives in this screen's state only:
// never in the URL or the browser's storage.

import { useEffect, useState } from 'preact/hooks';
import { useApi, useApp } from '../app-context.js';
import { Alert, Button, ButtonGroup, Heading1, P, useConfirm } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { DeviceList } from './device-list.js';
import { errorMessage } from './errors.js';
import {
  InvitationCodeText,
  type IssuedCode,
  inviteConfirmText,
  issueInvitationCode,
} from './invitation-code.js';
import { AddPerson } from './organisation-add-person.js';
import { HandoverRequests } from './organisation-handover.js';
import type { Person } from './organisation-model.js';
import { Transfer } from './organisation-transfer.js';
import { PeopleTable } from './people-table.js';

/** Where an action's result is shown: above the table, under a person's row, or under a form. */
type Place = 'top' | 'transfer' | 'add' | `person:${string}`;

interface Notice {
  readonly at: Place;
  readonly type: 'ok' | 'error' | 'info';
  readonly text: string;
  /** An invitation code, shown once in its own element. */
  readonly code?: IssuedCode;
  /** The result of an action: it takes the focus (and scrolls into view). */
  readonly focus: boolean;
}

export function Organisation() {
  const { t } = useI18n();
  const api = useApi();
  const app = useApp();
  const [people, setPeople] = useState<readonly Person[] | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [devicesOf, setDevicesOf] = useState<Person | null>(null);
  const self = app.session?.personId;

  const tell = (at: Place, type: Notice['type'], text: string, focus = true) =>
    setNotice({ at, type, text, focus });
  async function load() {
    try {
      setPeople(((await api({ method: 'GET', path: '/v1/people' })) as { people: Person[] }).people);
    } catch (e) {
      tell('top', 'error', errorMessage(t, e));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  // A code enrols a passkey that outlives this session: the coordinator's own passkey
  // confirms it first, for this person only. Its result shows under the person's row. A
  // person has one code at a time: a new one replaces an unused earlier one at once
  // (docs/protocol.md §10.1), and both steps say so.
  async function invite(p: Person) {
    if (app.session === null) return;
    const at: Place = `person:${p.id}`;
    tell(at, 'info', inviteConfirmText(t, p.displayName), false);
    try {
      const code = await issueInvitationCode(app.session, api, p.id, '/v1');
      setNotice({ at, type: 'ok', text: '', code: { name: p.displayName, ...code }, focus: true });
    } catch (e) {
      tell(at, 'error', errorMessage(t, e));
    }
  }
  async function remove(p: Person) {
    try {
      await api({ method: 'POST', path: `/v1/people/${p.id}/remove`, body: {} });
      if (devicesOf?.id === p.id) setDevicesOf(null);
      await load();
      tell('top', 'ok', t('org.removed', { name: p.displayName }));
    } catch (e) {
      tell('top', 'error', errorMessage(t, e));
    }
  }
  const confirmRemove = useConfirm(
    (p: Person) => ({
      id: 'confirm-remove-person',
      title: t('confirm.removePerson.title', { name: p.displayName }),
      text: t('confirm.removePerson.text', { name: p.displayName }),
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
        {...(notice.code === undefined ? {} : { id: 'invitation-code' })}
      >
        {notice.code === undefined ? notice.text : <InvitationCodeText code={notice.code} />}
      </Alert>
    );
  const active = (people ?? []).filter((p) => p.status === 'active');
  return (
    <div class="sluis-stack">
      <Heading1>{t('org.title')}</Heading1>
      <P>{t('org.intro')}</P>
      {noticeAt('top')}
      {people === null ? (
        <P>{t('common.loading')}</P>
      ) : (
        <PeopleTable
          caption={t('org.people')}
          people={active}
          result={(p) => noticeAt(`person:${p.id}`)}
          actions={(p) => (
            <>
              <ButtonGroup>
                {p.id === self ? null : (
                  <Button variant="secondary" onClick={() => void invite(p)}>
                    {t('org.invite', { name: p.displayName })}
                  </Button>
                )}
                <Button variant="secondary" onClick={() => setDevicesOf(p)}>
                  {t('org.devices', { name: p.displayName })}
                </Button>
                {p.id === self ? null : (
                  <Button variant="subtle" onClick={() => confirmRemove.ask(p)}>
                    {t('org.remove', { name: p.displayName })}
                  </Button>
                )}
              </ButtonGroup>
              {p.id === self ? <p class="utrecht-paragraph">{t('org.ownCode')}</p> : null}
            </>
          )}
        />
      )}
      {devicesOf === null ? null : (
        <DeviceList
          path={`/v1/people/${devicesOf.id}/devices`}
          caption={t('org.devicesOf', { name: devicesOf.displayName })}
          removable={devicesOf.id !== self}
          opened
        />
      )}
      {devicesOf !== null && devicesOf.id === self ? <P>{t('org.ownDevices')}</P> : null}
      {confirmRemove.dialog}
      <AddPerson
        result={noticeAt('add')}
        onAdded={(p) => setPeople((all) => [...(all ?? []), p])}
        onResult={(type, text) => tell('add', type, text)}
        onClear={() => setNotice(null)}
      />
      {people === null ? null : <HandoverRequests people={people} />}
      <Transfer
        people={people ?? []}
        result={noticeAt('transfer')}
        onResult={(type, text) => tell('transfer', type, text)}
        onClear={() => setNotice(null)}
      />
    </div>
  );
}
