// Organisation coordinator: the organisation's people, an invitation code per person
// (shown once, after the coordinator's own passkey confirms it: a step-up, docs/protocol.md
// §10.6), their devices, removing a person (their sessions end at once), and moving a
// leaver's active signals — those the leaver placed — to a colleague (docs/portal.md
// "Screens", "Confirming"). Removing a person and a transfer each have a confirm step that
// names the consequence and the number of signals; the coordinator's own row offers no removal
// (the organisation could be left without a coordinator).

import { useEffect, useState } from 'preact/hooks';
import { confirmStepUp } from '../api/session.js';
import { useApi, useApp } from '../app-context.js';
import {
  Alert,
  Button,
  ButtonGroup,
  ConfirmDialog,
  Heading1,
  Heading2,
  P,
  Table,
  TextField,
} from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { DeviceList } from './device-list.js';
import { errorMessage } from './errors.js';
import type { SignalRow } from './my-signals.js';

interface Person {
  readonly id: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly roles: readonly string[];
  readonly status: 'active' | 'removed';
}

export function Organisation() {
  const { t } = useI18n();
  const api = useApi();
  const app = useApp();
  const [people, setPeople] = useState<readonly Person[] | null>(null);
  const [status, setStatus] = useState<{ type: 'ok' | 'error' | 'info'; text: string } | null>(null);
  const [devicesOf, setDevicesOf] = useState<Person | null>(null);
  const [removing, setRemoving] = useState<Person | null>(null);
  const self = app.session?.personId;

  async function load() {
    try {
      setPeople(((await api({ method: 'GET', path: '/v1/people' })) as { people: Person[] }).people);
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e) });
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function run(fn: () => Promise<void>) {
    try {
      await fn();
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e) });
    }
  }
  // A code enrols a passkey that outlives this session: the coordinator's own passkey
  // confirms it first, for this person only. A person has one code at a time: a new one
  // replaces an unused earlier one at once (docs/protocol.md §10.1), and both steps say so.
  const invite = (p: Person) =>
    run(async () => {
      if (app.session === null) return;
      const name = { name: p.displayName };
      setStatus({ type: 'info', text: `${t('org.invite.confirm', name)} ${t('org.invite.replaces', name)}` });
      const stepUp = await confirmStepUp(app.session, { kind: 'enrolment_code', personId: p.id });
      const r = (await api({
        method: 'POST',
        path: `/v1/people/${p.id}/enrolment-codes`,
        body: { stepUp },
      })) as { code: string };
      setStatus({
        type: 'info',
        text: `${t('org.code', { ...name, code: r.code })} ${t('org.code.replaces', name)}`,
      });
    });
  const remove = (p: Person) =>
    run(async () => {
      await api({ method: 'POST', path: `/v1/people/${p.id}/remove`, body: {} });
      setStatus({ type: 'ok', text: t('org.removed', { name: p.displayName }) });
      await load();
    });
  const active = (people ?? []).filter((p) => p.status === 'active');
  return (
    <div class="sluis-stack">
      <Heading1>{t('org.title')}</Heading1>
      <P>{t('org.intro')}</P>
      {status === null ? null : <Alert type={status.type}>{status.text}</Alert>}
      {people === null ? (
        <P>{t('common.loading')}</P>
      ) : (
        <Table caption={t('org.people')}>
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="col">
                {t('place.name')}
              </th>
              <th class="utrecht-table__header-cell" scope="col">
                {t('org.roles')}
              </th>
              <th class="utrecht-table__header-cell" scope="col">
                {t('common.actions')}
              </th>
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            {active.map((p) => (
              <tr class="utrecht-table__row" key={p.id}>
                <td class="utrecht-table__cell">{p.displayName}</td>
                <td class="utrecht-table__cell">
                  {p.roles.map((r) => t(`role.${r}` as MessageKey)).join(', ')}
                </td>
                <td class="utrecht-table__cell">
                  <ButtonGroup>
                    <Button variant="secondary" onClick={() => void invite(p)}>
                      {t('org.invite', { name: p.displayName })}
                    </Button>
                    <Button variant="secondary" onClick={() => setDevicesOf(p)}>
                      {t('org.devices', { name: p.displayName })}
                    </Button>
                    {p.id === self ? null : (
                      <Button variant="subtle" onClick={() => setRemoving(p)}>
                        {t('org.remove', { name: p.displayName })}
                      </Button>
                    )}
                  </ButtonGroup>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {devicesOf === null ? null : (
        <DeviceList
          path={`/v1/people/${devicesOf.id}/devices`}
          caption={t('org.devicesOf', { name: devicesOf.displayName })}
          removable={devicesOf.id !== self}
        />
      )}
      {devicesOf !== null && devicesOf.id === self ? <P>{t('org.ownDevices')}</P> : null}
      {removing === null ? null : (
        <ConfirmDialog
          id="confirm-remove-person"
          title={t('confirm.removePerson.title', { name: removing.displayName })}
          text={t('confirm.removePerson.text', { name: removing.displayName })}
          confirm={t('confirm.removePerson.button', { name: removing.displayName })}
          cancel={t('confirm.cancel')}
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const p = removing;
            setRemoving(null);
            setStatus(null);
            void remove(p);
          }}
        />
      )}
      <Transfer
        people={people ?? []}
        onDone={(text) => setStatus({ type: 'ok', text })}
        onError={(e) => setStatus({ type: 'error', text: errorMessage(t, e) })}
      />
    </div>
  );
}

/** The signals a transfer would move, shown in its confirm step before anything moves. */
interface PendingTransfer {
  readonly ids: readonly string[];
  readonly leaver: Person;
  readonly colleague: Person;
}

/**
 * Moves the active signals the leaver placed (picked by person id, docs/api.md "Organisation
 * routes") to a colleague's contact details.
 */
function Transfer({
  people,
  onDone,
  onError,
}: {
  people: readonly Person[];
  onDone: (text: string) => void;
  onError: (e: unknown) => void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [role, setRole] = useState('');
  const [phone, setPhone] = useState('');
  const [pending, setPending] = useState<PendingTransfer | null>(null);
  // The leaver may be removed already (their signals stay); the colleague must be an active
  // professional: only a professional can hold a signal (docs/api.md "Need to know").
  const colleagues = people.filter((p) => p.status === 'active' && p.roles.includes('professional'));
  async function submit(e: Event) {
    e.preventDefault();
    const leaver = people.find((p) => p.id === from);
    const colleague = colleagues.find((p) => p.id === to);
    if (leaver === undefined || colleague === undefined || role.trim() === '') return;
    try {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 100; i++) {
        const page = (await api({
          method: 'GET',
          path: '/v1/signals',
          query: { status: 'active', personId: leaver.id, limit: 500, cursor },
        })) as { items: SignalRow[]; nextCursor?: string };
        ids.push(...page.items.map((s) => s.id));
        if (page.items.length === 0 || page.nextCursor === undefined) break;
        cursor = page.nextCursor;
      }
      if (ids.length === 0) return onDone(t('org.transfer.none', { name: leaver.displayName }));
      // Nothing moves until the coordinator has seen how many signals go to whom.
      setPending({ ids, leaver, colleague });
    } catch (x) {
      onError(x);
    }
  }
  async function send({ ids, colleague }: PendingTransfer) {
    try {
      const contact = {
        name: colleague.displayName,
        role: role.trim(),
        ...(phone.trim() === '' ? {} : { phone: phone.trim() }),
        ...(colleague.email === null ? {} : { email: colleague.email }),
      };
      const r = (await api({
        method: 'POST',
        path: '/v1/signals/transfer',
        body: { signalIds: ids, contact, personId: colleague.id },
      })) as { transferred: number };
      onDone(t('org.transfer.done', { count: r.transferred, name: colleague.displayName }));
    } catch (x) {
      onError(x);
    }
  }
  const select = (
    id: string,
    label: string,
    value: string,
    set: (v: string) => void,
    options: readonly Person[],
  ) => (
    <div class="utrecht-form-field">
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>
          {label}
        </label>
      </div>
      <div class="utrecht-form-field__input">
        <select
          id={id}
          class="utrecht-select utrecht-select--html-select"
          value={value}
          onChange={(e) => set((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">—</option>
          {options.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
  return (
    <form class="sluis-stack" onSubmit={submit} aria-labelledby="transfer-title">
      <Heading2 id="transfer-title">{t('org.transfer')}</Heading2>
      <P>{t('org.transfer.intro')}</P>
      {select('transfer-from', t('org.transfer.from'), from, setFrom, people)}
      {select('transfer-to', t('org.transfer.to'), to, setTo, colleagues)}
      <TextField id="transfer-role" label={t('place.role')} value={role} onInput={setRole} />
      <TextField id="transfer-phone" type="tel" label={t('place.phone')} value={phone} onInput={setPhone} />
      <Button type="submit" variant="secondary">
        {t('org.transfer.button')}
      </Button>
      {pending === null ? null : (
        <ConfirmDialog
          id="confirm-transfer"
          title={t('confirm.transfer.title')}
          text={t(pending.ids.length === 1 ? 'confirm.transfer.text.one' : 'confirm.transfer.text', {
            count: pending.ids.length,
            from: pending.leaver.displayName,
            to: pending.colleague.displayName,
          })}
          confirm={t('confirm.transfer.button')}
          cancel={t('confirm.cancel')}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            const p = pending;
            setPending(null);
            void send(p);
          }}
        />
      )}
    </form>
  );
}
