// Whom the professional informed about an own active signal, and when, recorded again after
// placing (PUT /v1/signals/{id}/informed, docs/api.md): the status and, unless "not yet", the
// date, checked in the page as the SDK checks it (a date is required and not later than today,
// UTC) before anything is sent; the form starts from the status recorded now. The server's
// refusal of the date is marked at its field, `signal_inactive` goes back to the screen, any
// other refusal is said in words in the form (docs/portal.md "Whom you informed").

import type { Informed, InformedStatus } from '@sluis/client-sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/http.js';
import { useApi } from '../app-context.js';
import { Choice, Fieldset, FormFooter, P, TextField } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import { INFORMED } from './place-signal-model.js';

/** Today as the server counts it (UTC, as the SDK's checkInformed): the informed date may not be later. */
function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

export function InformedForm({
  signalId,
  name,
  current,
  onSaved,
  onRefused,
  onCancel,
}: {
  signalId: string;
  /** How the signal is named on the screen: its reference or its row (never a BSN or an id). */
  name: string;
  current: Informed;
  onSaved: (informed: Informed) => void;
  /** `signal_inactive`: the signal ended or expired meanwhile; the screen reloads and says so. */
  onRefused: (e: unknown) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const [status, setStatus] = useState<InformedStatus>(current.status);
  const [date, setDate] = useState(current.date ?? '');
  const [dateError, setDateError] = useState<MessageKey | undefined>(undefined);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // The form opens below the table: the focus moves to its heading, also when it is reopened for another signal.
  useEffect(() => heading.current?.focus(), [signalId]);

  async function save(e: Event) {
    e.preventDefault();
    setFailure(null);
    const de: MessageKey | undefined =
      status === 'not_yet'
        ? undefined
        : date === ''
          ? 'place.error.informedDate'
          : date > todayUtc()
            ? 'place.error.field.informedDate'
            : undefined;
    setDateError(de);
    if (de !== undefined) return document.getElementById('informed-date')?.focus();
    const informed: Informed = status === 'not_yet' ? { status } : { status, date };
    setBusy(true);
    try {
      await api({ method: 'PUT', path: `/v1/signals/${signalId}/informed`, body: { informed } });
      onSaved(informed);
    } catch (x) {
      // The server's own check of the date (its clock, not the browser's, says which day it is).
      if (x instanceof ApiError && x.code === 'validation_failed' && x.fields.includes('informed.date')) {
        setDateError('place.error.field.informedDate');
        document.getElementById('informed-date')?.focus();
      } else if (x instanceof ApiError && x.code === 'signal_inactive') onRefused(x);
      else setFailure(errorMessage(t, x));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="sluis-stack" noValidate aria-labelledby="informed-title" onSubmit={(e) => void save(e)}>
      <h2 class="utrecht-heading-2" id="informed-title" tabIndex={-1} ref={heading}>
        {t('informed.title', { reference: name })}
      </h2>
      <P>{t('informed.intro')}</P>
      <Fieldset legend={t('place.informed')} id="informed-status">
        {INFORMED.map((s) => (
          <Choice
            key={s}
            type="radio"
            id={`informed-${s}`}
            name="informed"
            label={t(`place.informed.${s}` as MessageKey)}
            checked={status === s}
            onChange={() => setStatus(s)}
          />
        ))}
        {status === 'not_yet' ? null : (
          <TextField
            id="informed-date"
            type="date"
            label={t('place.informedDate')}
            value={date}
            onInput={setDate}
            error={dateError === undefined ? undefined : t(dateError)}
            required
          />
        )}
      </Fieldset>
      <FormFooter
        failure={failure}
        busy={busy}
        submit={t('informed.save')}
        cancel={t('confirm.cancel')}
        onCancel={onCancel}
      />
    </form>
  );
}
