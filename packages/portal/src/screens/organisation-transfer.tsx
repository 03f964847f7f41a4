// Handing a leaver's active signals to a colleague (docs/portal.md "Organisation
// coordinator"): only professionals are offered (removed ones marked), every field is checked
// in the page with the SDK's text rules before the confirm step, which shows the contact
// details the other professionals will see from then on; a refusal is named at its field.
// The form is emptied after a transfer. More than 1000 signals go in chunks (transfer-chunks.ts).

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useApi } from '../app-context.js';
import { Button, DataList, Heading2, P, SelectField, TextField, useConfirm } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import { sendInChunks } from './transfer-chunks.js';
import type { SignalRow } from './my-signals.js';
import {
  type Contact,
  colleagues,
  type FieldErrors,
  firstFaulty,
  leavers,
  type Person,
  TRANSFER_FIELDS,
  type TransferField,
  type TransferForm,
  transferContact,
  transferErrors,
  transferRefusal,
} from './organisation-model.js';

const EMPTY: TransferForm = { from: '', to: '', role: '', phone: '' };

/** The signals a transfer would move and the contact it sends, shown in its confirm step. */
interface PendingTransfer {
  readonly ids: readonly string[];
  readonly leaver: Person;
  readonly colleague: Person;
  readonly contact: Contact;
}

/**
 * Moves the active signals the leaver placed (picked by person id, docs/api.md "Organisation
 * routes") to a colleague's contact details. `result` is the outcome of the last transfer,
 * shown under the button; `onResult` replaces it, `onClear` removes any earlier one.
 */
export function Transfer({
  people,
  result,
  onResult,
  onClear,
}: {
  people: readonly Person[];
  result: ComponentChildren;
  onResult: (type: 'ok' | 'info' | 'error', text: string) => void;
  onClear: () => void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const [form, setForm] = useState<TransferForm>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors<TransferField>>({});
  const confirmTransfer = useConfirm(
    (pending: PendingTransfer) => ({
      id: 'confirm-transfer',
      title: t('confirm.transfer.title'),
      text: (
        <>
          <p class="utrecht-paragraph">
            {t(pending.ids.length === 1 ? 'confirm.transfer.text.one' : 'confirm.transfer.text', {
              count: pending.ids.length,
              from: pending.leaver.displayName,
              to: pending.colleague.displayName,
            })}
          </p>
          <p class="utrecht-paragraph">{t('org.transfer.contact')}</p>
          <DataList
            items={[
              [t('place.name'), pending.contact.name],
              [t('place.role'), pending.contact.role],
              [t('place.phone'), pending.contact.phone ?? t('org.none')],
              [t('place.email'), pending.contact.email ?? t('org.none')],
            ]}
          />
        </>
      ),
      confirm: t('confirm.transfer.button'),
      cancel: t('confirm.cancel'),
    }),
    (pending) => void send(pending),
  );
  // Choosing the colleague as leaver takes them out of the colleague list, and the choice with them.
  const set = (field: TransferField) => (value: string) =>
    setForm((f) =>
      field === 'from' && f.to === value ? { ...f, from: value, to: '' } : { ...f, [field]: value },
    );

  /** Shows the errors and moves the focus to the first faulty field; true when there is one. */
  function mark(e: FieldErrors<TransferField>): boolean {
    setErrors(e);
    const first = firstFaulty(TRANSFER_FIELDS, e);
    if (first !== undefined) document.getElementById(`transfer-${first}`)?.focus();
    return first !== undefined;
  }

  async function submit(e: Event) {
    e.preventDefault();
    onClear();
    if (mark(transferErrors(form, people))) return;
    const leaver = leavers(people).find((p) => p.id === form.from)!;
    const colleague = colleagues(people, form.from).find((p) => p.id === form.to)!;
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
      if (ids.length === 0) return onResult('info', t('org.transfer.none', { name: leaver.displayName }));
      // Nothing moves until the coordinator has seen how many signals go to whom, and with which contact.
      confirmTransfer.ask({ ids, leaver, colleague, contact: transferContact(colleague, form) });
    } catch (x) {
      onResult('error', errorMessage(t, x));
    }
  }

  async function send({ ids, leaver, colleague, contact }: PendingTransfer) {
    const name = colleague.displayName;
    // At most 1000 a request (docs/api.md): a larger handover goes in chunks, its progress said.
    const outcome = await sendInChunks(
      ids,
      async (chunk) =>
        (
          (await api({
            method: 'POST',
            path: '/v1/signals/transfer',
            body: { signalIds: chunk, contact, personId: colleague.id },
          })) as { transferred: number }
        ).transferred,
      (moved, total) => onResult('info', t('coordfix.transfer.progress', { moved, total, name })),
    );
    if (outcome.ok) {
      setForm(EMPTY);
      setErrors({});
      return onResult('ok', t('org.transfer.done', { count: outcome.moved, name }));
    }
    // Nothing moved: the refusal is named at its field. Some moved: say what did and what did not.
    if (outcome.moved === 0 && mark(transferRefusal(outcome.error))) return;
    if (outcome.moved === 0) return onResult('error', errorMessage(t, outcome.error));
    onResult(
      'error',
      `${t('coordfix.transfer.partial', {
        moved: outcome.moved,
        notMoved: outcome.notMoved,
        name,
        from: leaver.displayName,
      })} ${errorMessage(t, outcome.error)}`,
    );
  }

  const error = (f: TransferField) => (errors[f] === undefined ? undefined : t(errors[f]));
  const name = (p: Person) =>
    p.status === 'removed' ? t('org.transfer.removed', { name: p.displayName }) : p.displayName;
  return (
    <form class="sluis-stack" onSubmit={submit} noValidate aria-labelledby="transfer-title">
      <Heading2 id="transfer-title">{t('org.transfer')}</Heading2>
      <P>{t('org.transfer.intro')}</P>
      <SelectField
        id="transfer-from"
        label={t('org.transfer.from')}
        value={form.from}
        options={leavers(people).map((p) => [p.id, name(p)] as const)}
        onChange={set('from')}
        error={error('from')}
      />
      <SelectField
        id="transfer-to"
        label={t('org.transfer.to')}
        value={form.to}
        options={colleagues(people, form.from).map((p) => [p.id, p.displayName] as const)}
        onChange={set('to')}
        error={error('to')}
      />
      <TextField
        id="transfer-role"
        label={t('org.transfer.role')}
        description={t('org.transfer.role.description')}
        value={form.role}
        onInput={set('role')}
        error={error('role')}
      />
      <TextField
        id="transfer-phone"
        type="tel"
        label={t('org.transfer.phone')}
        description={t('org.transfer.phone.description')}
        value={form.phone}
        onInput={set('phone')}
        error={error('phone')}
      />
      <Button type="submit" variant="secondary">
        {t('org.transfer.button')}
      </Button>
      {result}
      {confirmTransfer.dialog}
    </form>
  );
}
