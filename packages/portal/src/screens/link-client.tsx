// Link a signal of My signals that has no reference in this browser — handed over by the
// coordinator, or placed in another browser — to the client it is about: the BSN typed again
// (checked and pseudonymised in the page, as everywhere) and the own reference. The page does
// what placing again does (`POST /v1/signals`, which answers `existing` with `heldByYou: true`
// for the holder's own signal, docs/api.md "POST /v1/signals") and keeps the reference and the
// lookup tags only when the answer names this same signal. Any other answer is another person:
// it is said plainly and nothing is kept. The placement carries this signal's own contact
// details and informed status, so a placement that does create a signal (no signal of the
// organisation for the person typed) is one the form said it would make
// (docs/portal.md "Handing one signal over").

import { type Informed, parseDate, preparePlacement, webCryptoRandom } from '@sluis/client-sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApi, useApp } from '../app-context.js';
import { Alert, Button, ButtonGroup, P, TextField } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { saveNote } from '../local/local-store.js';
import { ownReferenceError } from '../local/own-reference-rule.js';
import { lookupTags, tagKey } from '../local/tag-key.js';
import { errorMessage } from './errors.js';
import { bsnDigits, bsnError, todayUtc } from './place-signal-model.js';

interface SignalContact {
  readonly name: string;
  readonly role: string;
  readonly phone?: string;
  readonly email?: string;
}

/** What the link came to, said on My signals (never a BSN, a pseudonym or an id). */
export type LinkOutcome = 'linked' | 'other' | 'created';

export function LinkClient({
  signalId,
  name,
  informed,
  onDone,
  onCancel,
}: {
  signalId: string;
  /** How the signal is named on the screen: its row and placing time (never a BSN or an id). */
  name: string;
  informed: Informed;
  onDone: (outcome: LinkOutcome, reference: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const app = useApp();
  const api = useApi();
  const personId = app.session!.personId;
  const [bsn, setBsn] = useState('');
  const [reference, setReference] = useState('');
  const [errors, setErrors] = useState<{ bsn?: MessageKey | undefined; reference?: MessageKey | undefined }>(
    {},
  );
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [signalId]);

  async function link(e: Event) {
    e.preventDefault();
    setFailure(null);
    const found = { bsn: bsnError(bsn, false), reference: ownReferenceError(reference) };
    setErrors(found);
    if (found.bsn !== undefined) return document.getElementById('link-bsn')?.focus();
    if (found.reference !== undefined) return document.getElementById('link-reference')?.focus();
    setBusy(true);
    try {
      // This signal's own contact details: what a created signal would carry (see above).
      const own = (await api({ method: 'GET', path: `/v1/signals/${signalId}` })) as {
        contact: SignalContact;
      };
      const body = await preparePlacement(
        { bsn: bsnDigits(bsn), informed, contact: own.contact },
        await app.services.pseudonymisers(app.session!),
        parseDate(todayUtc())!,
        webCryptoRandom,
      );
      const answer = (await api({ method: 'POST', path: '/v1/signals', body })) as {
        outcome: string;
        heldByYou?: boolean;
        signal?: { id: string };
      };
      const typed = reference.trim();
      const same =
        answer.outcome === 'existing' && answer.heldByYou === true && answer.signal?.id === signalId;
      // A created signal is this person's own, for the person typed: kept as placing keeps it.
      if (same || answer.outcome === 'created') {
        const key = await tagKey(personId);
        const tags = key === undefined ? {} : await lookupTags(key, body.subject);
        saveNote(personId, answer.signal!.id, { reference: typed, tags });
      }
      setBsn('');
      onDone(same ? 'linked' : answer.outcome === 'created' ? 'created' : 'other', typed);
    } catch (x) {
      setFailure(errorMessage(t, x));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="sluis-stack" noValidate aria-labelledby="link-title" onSubmit={(e) => void link(e)}>
      <h2 class="utrecht-heading-2" id="link-title" tabIndex={-1} ref={heading}>
        {t('signals.link.title', { reference: name })}
      </h2>
      <P>{t('signals.link.intro')}</P>
      <TextField
        id="link-bsn"
        label={t('place.bsn')}
        value={bsn}
        onInput={setBsn}
        error={errors.bsn === undefined ? undefined : t(errors.bsn)}
        inputMode="numeric"
        required
      />
      <TextField
        id="link-reference"
        label={t('signals.link.reference')}
        description={t('signals.link.referenceHelp')}
        value={reference}
        onInput={setReference}
        error={errors.reference === undefined ? undefined : t(errors.reference)}
      />
      {failure === null ? null : (
        <Alert type="error" focus>
          {failure}
        </Alert>
      )}
      <ButtonGroup>
        <Button type="submit" busy={busy}>
          {t('signals.link.button')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('confirm.cancel')}
        </Button>
      </ButtonGroup>
    </form>
  );
}
