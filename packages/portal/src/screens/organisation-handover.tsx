// The coordinator's requests to take over a signal (docs/portal.md "Handing one signal
// over"): who asks, whose signal it is and when it was placed. *Hand over to …* opens the
// asker's role and phone fields under the request (filled from the asker's newest active
// signal, ../api/own-contact.ts), checked in the page like the leaver
// transfer's, and then the transfer's confirm step for that one signal; *Decline* deletes the
// request (the asker sees the decline on My signals, ./handover-declines.tsx). Names come from
// the organisation's people list: the API answers person ids only. Each result appears above
// the list and takes the focus. The list is read again after each act and when the coordinator
// comes back to the page (./read-on-return.ts), so a request made meanwhile shows without
// opening the screen again.

import { useEffect, useRef, useState } from 'preact/hooks';
import { newestOwnContact } from '../api/own-contact.js';
import { useApi } from '../app-context.js';
import {
  Alert,
  Button,
  ButtonGroup,
  DataList,
  Heading2,
  P,
  TextField,
  useConfirm,
} from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import { formatDay } from './format.js';
import { useReadOnReturn } from './read-on-return.js';
import {
  type Contact,
  type FieldErrors,
  type Person,
  transferContact,
  transferErrors,
  transferRefusal,
} from './organisation-model.js';

interface HandoverRequest {
  readonly id: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly heldBy: string | null;
  readonly signal: { readonly id: string; readonly placedAt: string };
}
type Field = 'role' | 'phone';
interface Pending {
  readonly request: HandoverRequest;
  readonly asker: Person;
  readonly holder: string;
  readonly contact: Contact;
}

export function HandoverRequests({ people }: { readonly people: readonly Person[] }) {
  const { t, lang } = useI18n();
  const api = useApi();
  const [requests, setRequests] = useState<readonly HandoverRequest[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const openRef = useRef(open);
  openRef.current = open;
  const [form, setForm] = useState({ role: '', phone: '' });
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [notice, setNotice] = useState<{ type: 'ok' | 'error'; text: string } | null>(null);
  const nameOf = (id: string | null) =>
    id === null ? t('handover.noHolder') : (people.find((p) => p.id === id)?.displayName ?? '—');

  async function load() {
    try {
      const page = (await api({ method: 'GET', path: '/v1/signals/handover-requests' })) as {
        items: HandoverRequest[];
      };
      setRequests(page.items);
    } catch (e) {
      setNotice({ type: 'error', text: errorMessage(t, e) });
    }
  }
  useEffect(() => {
    void load();
  }, []);
  useReadOnReturn(load);
  // The fields open under the request: the focus moves to the first, not left on the button.
  useEffect(() => {
    if (open !== null) document.getElementById('handover-role')?.focus();
  }, [open]);

  const confirmTransfer = useConfirm(
    (p: Pending) => ({
      id: 'confirm-handover',
      title: t('confirm.transfer.title'),
      text: (
        <>
          <p class="utrecht-paragraph">
            {t('confirm.transfer.text.one', { from: p.holder, to: p.asker.displayName })}
          </p>
          <p class="utrecht-paragraph">{t('org.transfer.contact')}</p>
          <DataList
            items={[
              [t('place.name'), p.contact.name],
              [t('place.role'), p.contact.role],
              [t('place.phone'), p.contact.phone ?? t('org.none')],
              [t('place.email'), p.contact.email ?? t('org.none')],
            ]}
          />
        </>
      ),
      confirm: t('confirm.transfer.button'),
      cancel: t('confirm.cancel'),
    }),
    (p) => void transfer(p),
  );

  // The asker's role and phone start as their newest active signal gave them (a coordinator
  // may list any of the organisation's people's signals), else empty; typing meanwhile wins.
  async function openFor(request: HandoverRequest) {
    setForm({ role: '', phone: '' });
    setOpen(request.id);
    openRef.current = request.id;
    const contact = await newestOwnContact(api, request.requestedBy).catch(() => undefined);
    // Another request opened (or this one closed) meanwhile: its fields are not this asker's.
    if (contact === undefined || openRef.current !== request.id) return;
    setForm((f) => ({
      role: f.role === '' ? contact.role : f.role,
      phone: f.phone === '' ? contact.phone : f.phone,
    }));
  }

  function next(e: Event, request: HandoverRequest) {
    e.preventDefault();
    setNotice(null);
    const asker = people.find((p) => p.id === request.requestedBy);
    if (asker === undefined) return;
    // The leaver transfer's rules for the role and the phone number (organisation-model.ts).
    const all = transferErrors({ from: '', to: asker.id, ...form }, people);
    const found: FieldErrors<Field> = {
      ...(all.role === undefined ? {} : { role: all.role }),
      ...(all.phone === undefined ? {} : { phone: all.phone }),
    };
    setErrors(found);
    const first = (['role', 'phone'] as const).find((f) => found[f] !== undefined);
    if (first !== undefined) return document.getElementById(`handover-${first}`)?.focus();
    confirmTransfer.ask({
      request,
      asker,
      holder: nameOf(request.heldBy),
      contact: transferContact(asker, { from: '', to: asker.id, ...form }),
    });
  }

  async function transfer({ request, asker, contact }: Pending) {
    try {
      await api({
        method: 'POST',
        path: '/v1/signals/transfer',
        body: { signalIds: [request.signal.id], contact, personId: asker.id },
      });
      setOpen(null);
      setForm({ role: '', phone: '' });
      setNotice({ type: 'ok', text: t('handover.done', { name: asker.displayName }) });
      await load();
    } catch (e) {
      const refused = transferRefusal(e);
      const found: FieldErrors<Field> = {
        ...(refused.role === undefined ? {} : { role: refused.role }),
        ...(refused.phone === undefined ? {} : { phone: refused.phone }),
      };
      if (Object.keys(found).length > 0) setErrors(found);
      else setNotice({ type: 'error', text: errorMessage(t, e) });
    }
  }

  async function decline(request: HandoverRequest) {
    setNotice(null);
    try {
      await api({ method: 'DELETE', path: `/v1/signals/handover-requests/${request.id}` });
      setNotice({ type: 'ok', text: t('handover.declined', { name: nameOf(request.requestedBy) }) });
      await load();
    } catch (e) {
      setNotice({ type: 'error', text: errorMessage(t, e) });
    }
  }

  const error = (f: Field) => (errors[f] === undefined ? undefined : t(errors[f]));
  return (
    <section class="sluis-stack" aria-labelledby="handover-title">
      <Heading2 id="handover-title">{t('handover.title')}</Heading2>
      <P>{t('handover.intro')}</P>
      {notice === null ? null : (
        <Alert type={notice.type} focus>
          {notice.text}
        </Alert>
      )}
      {requests === null ? (
        <P>{t('common.loading')}</P>
      ) : requests.length === 0 ? (
        <P>{t('handover.none')}</P>
      ) : (
        <ul class="utrecht-unordered-list sluis-stack">
          {requests.map((r) => {
            const asker = nameOf(r.requestedBy);
            const date = formatDay(r.signal.placedAt, lang);
            return (
              <li key={r.id}>
                <P>
                  {r.heldBy === null
                    ? t('handover.item.noHolder', { asker, date })
                    : t('handover.item', { asker, holder: nameOf(r.heldBy), date })}
                </P>
                <ButtonGroup>
                  <Button
                    variant="secondary"
                    onClick={() => {
                      setErrors({});
                      if (open === r.id) setOpen(null);
                      else void openFor(r);
                    }}
                  >
                    {t('handover.transfer', { name: asker })}
                  </Button>
                  <Button variant="subtle" onClick={() => void decline(r)}>
                    {t('handover.decline')}
                  </Button>
                </ButtonGroup>
                {open !== r.id ? null : (
                  <form
                    class="sluis-stack"
                    noValidate
                    onSubmit={(e) => next(e, r)}
                    aria-label={t('handover.form', { name: asker })}
                  >
                    <TextField
                      id="handover-role"
                      label={t('org.transfer.role')}
                      description={t('org.transfer.role.description')}
                      value={form.role}
                      onInput={(role) => setForm((f) => ({ ...f, role }))}
                      error={error('role')}
                    />
                    <TextField
                      id="handover-phone"
                      type="tel"
                      label={t('org.transfer.phone')}
                      description={t('org.transfer.phone.description')}
                      value={form.phone}
                      onInput={(phone) => setForm((f) => ({ ...f, phone }))}
                      error={error('phone')}
                    />
                    <Button type="submit">{t('handover.form.button')}</Button>
                  </form>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {confirmTransfer.dialog}
    </section>
  );
}
