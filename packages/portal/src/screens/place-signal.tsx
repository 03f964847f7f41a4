// Place a signal. The BSN (and the parents' BSNs) — or, for a person without a BSN and only
// when every epoch is an OPRF epoch (the SDK's substituteAllowed), surname, date of birth and
// gender (docs/portal.md "A person without a BSN") — are checked in the page with the SDK,
// each failure with its own Dutch or English message, and pseudonymised in the page by the
// injected pseudonymisers; the date of birth only yields an end date. Before anything is
// sent the screen shows exactly what will be sent — shortened pseudonyms, contact details,
// informed status, end date — and what stays here (docs/portal.md "What stays in the browser").
// The form, its model and the preview are in place-signal-*.ts(x).

import {
  type PlacementBody,
  parseDate,
  preparePlacement,
  substituteAllowed,
  webCryptoRandom,
} from '@sluis/client-sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApi, useApp } from '../app-context.js';
import { Alert, Button, ButtonGroup, Heading1, Link } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { saveNote } from '../local/local-store.js';
import { lookupTags, tagKey } from '../local/tag-key.js';
import { href } from '../router.js';
import { errorMessage } from './errors.js';
import { PlacementForm } from './place-signal-form.js';
import {
  EMPTY,
  type Errors,
  type Form,
  isFieldRefusal,
  localErrors,
  placementInput,
  sdkErrors,
} from './place-signal-model.js';
import { PlacementPreview } from './place-signal-preview.js';

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
  // Back on the form from the preview or the sent screen: its heading takes the focus.
  const [back, setBack] = useState(false);
  const toForm = () => {
    setBack(true);
    setStep('form');
  };
  const [withoutBsnOffered, setWithoutBsnOffered] = useState<boolean | undefined>(undefined);

  // The option of a person without a BSN exists only when every epoch is an OPRF epoch.
  useEffect(() => {
    let live = true;
    app.services
      .pseudonymisers(app.session!)
      .then((p) => substituteAllowed(p.map((x) => x.kind)))
      .catch(() => false)
      .then((offered) => {
        if (live) setWithoutBsnOffered(offered);
      });
    return () => {
      live = false;
    };
  }, [app.session]);

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
      const pseudonymisers = await app.services.pseudonymisers(app.session!);
      setBody(await preparePlacement(placementInput(form), pseudonymisers, today, webCryptoRandom));
      setStep('preview');
      queueMicrotask(() => previewRef.current?.focus());
    } catch (x) {
      if (isFieldRefusal(x)) {
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
      // Without the signal when this person does not hold it (docs/api.md "Need to know").
      const answer = (await api({ method: 'POST', path: '/v1/signals', body })) as
        | { outcome: string; heldByYou: false }
        | { outcome: string; heldByYou?: true; signal: { id: string } };
      // A colleague's signal (or one of the organisation's system, or one a transfer moved
      // away since a replayed placement): not this person's to open, so no note of it here
      // either (docs/portal.md "Screens").
      const colleagues = answer.heldByYou === false;
      if (answer.heldByYou !== false) {
        const key = await tagKey(app.session!.personId);
        const tags = key === undefined ? {} : await lookupTags(key, body.subject);
        saveNote(app.session!.personId, answer.signal.id, { reference: form.reference.trim(), tags });
      }
      setOutcome(colleagues ? 'colleague' : answer.outcome);
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
        {outcome === 'colleague' ? (
          <Alert type="info" focus>
            {t('place.sent.colleague')}
          </Alert>
        ) : (
          <Alert type="ok" focus>
            {t(outcome === 'existing' ? 'place.sent.existing' : 'place.sent.created')}
          </Alert>
        )}
        <ButtonGroup>
          <Link href={href('/signals')}>{t('signals.title')}</Link>
          <Button variant="secondary" onClick={toForm}>
            {t('place.another')}
          </Button>
        </ButtonGroup>
      </div>
    );
  }

  if (step === 'preview' && body !== null) {
    return (
      <PlacementPreview
        body={body}
        failure={failure}
        busy={busy}
        headingRef={previewRef}
        onSend={() => void send()}
        onChange={toForm}
      />
    );
  }
  return (
    <PlacementForm
      form={form}
      setForm={setForm}
      errors={errors}
      failure={failure}
      busy={busy}
      summaryRef={summaryRef}
      onCheck={(e) => void check(e)}
      withoutBsnOffered={withoutBsnOffered}
      focusHeading={back}
    />
  );
}
