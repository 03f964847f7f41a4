// Link a signal of My signals that has no reference in this browser — handed over by the
// coordinator, or placed in another browser — to the client it is about: the BSN typed again
// (checked and pseudonymised in the page, as everywhere) and the own reference. The page does
// a look-up (`POST /v1/signals` with `existingOnly: true`, docs/api.md "POST /v1/signals — place
// a signal"): it answers `existing` with `heldByYou: true` for the holder's own signal and
// `not_found` where a placement would create, so a mistyped BSN places nothing. The reference and
// the lookup tags are kept only when the answer names this same signal; any other answer is
// another person: said plainly, nothing kept (docs/portal.md "Handing one signal over"). The
// look-up carries this signal's own contact details and informed status only because a
// placement's shape requires them: nothing is stored from them.

import { type Informed, parseDate, preparePlacement, webCryptoRandom } from '@sluis/client-sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/http.js';
import { useApi, useApp } from '../app-context.js';
import { FormFooter, P, TextField } from '../components/ui.js';
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
export type LinkOutcome = 'linked' | 'other';

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
      // This signal's own contact details: a placement's required members (see above).
      const own = (await api({ method: 'GET', path: `/v1/signals/${signalId}` })) as {
        contact: SignalContact;
      };
      const body = await preparePlacement(
        { bsn: bsnDigits(bsn), informed, contact: own.contact },
        await app.services.pseudonymisers(app.session!),
        parseDate(todayUtc())!,
        webCryptoRandom,
      );
      // not_found: this organisation has no active signal for that person, and none was placed.
      const answer = (await api({
        method: 'POST',
        path: '/v1/signals',
        body: { ...body, existingOnly: true },
      }).catch((x: unknown) => {
        if (x instanceof ApiError && x.code === 'not_found') return { outcome: 'none' };
        throw x;
      })) as { outcome: string; heldByYou?: boolean; signal?: { id: string } };
      const typed = reference.trim();
      const same =
        answer.outcome === 'existing' && answer.heldByYou === true && answer.signal?.id === signalId;
      if (same) {
        const key = await tagKey(personId);
        const tags = key === undefined ? {} : await lookupTags(key, body.subject);
        saveNote(personId, answer.signal!.id, { reference: typed, tags });
      }
      setBsn('');
      onDone(same ? 'linked' : 'other', typed);
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
      <FormFooter
        failure={failure}
        busy={busy}
        submit={t('signals.link.button')}
        cancel={t('confirm.cancel')}
        onCancel={onCancel}
      />
    </form>
  );
}
