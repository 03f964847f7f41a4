// Place a signal. The BSN (and the parents' BSNs) — or, for a person without a BSN and only
// when every epoch is an OPRF epoch (the SDK's substituteAllowed), surname, date of birth and
// gender (docs/portal.md "A person without a BSN") — are checked in the page with the SDK,
// each failure with its own Dutch or English message, and pseudonymised in the page by the
// injected pseudonymisers; the date of birth only yields an end date. Before anything is
// sent the screen shows exactly what will be sent — shortened pseudonyms, contact details,
// informed status, end date — and what stays here (docs/portal.md "What stays in the browser").
// The form, its model and the preview are in place-signal-*.ts(x).

import { type PlacementBody, parseDate, preparePlacement, webCryptoRandom } from '@sluis/client-sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type InboxItem, readInbox } from '../api/inbox.js';
import { newestOwnContact } from '../api/own-contact.js';
import { sessionEnded, useApi, useApp } from '../app-context.js';
import { Alert, Button, ButtonGroup, Heading1, Link, P } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { saveNote } from '../local/local-store.js';
import { lookupTags, tagKey } from '../local/tag-key.js';
import { back as goBack, href, navigate } from '../router.js';
import { errorMessage } from './errors.js';
import { HandoverAsk } from './handover-ask.js';
import { keepDraft, takeDraft } from './place-signal-draft.js';
import { PlacementForm } from './place-signal-form.js';
import {
  EMPTY,
  type Errors,
  type Form,
  isFieldRefusal,
  localErrors,
  placementInput,
  sdkErrors,
  todayUtc,
} from './place-signal-model.js';
import { PlacementPreview } from './place-signal-preview.js';
import { useWithoutBsnOffered } from './without-bsn-offered.js';

/**
 * `preview`: the route is the preview's own history entry (`#/signals/new/preview`), so the
 * browser's Back returns to the filled form and Forward to the preview; without a checked
 * placement in this page it shows the form (docs/portal.md "Placing a signal").
 */
export function PlaceSignal({ preview = false }: { preview?: boolean }) {
  const { t } = useI18n();
  const app = useApp();
  const api = useApi();
  const personId = app.session!.personId;
  // After the session ended on this form, signing in again brings back what identifies nobody.
  const [restored] = useState(() => takeDraft(personId));
  const [form, setFormState] = useState<Form>(restored ?? EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [sent, setSent] = useState(false);
  const [body, setBody] = useState<PlacementBody | null>(null);
  const step = sent ? 'sent' : preview && body !== null ? 'preview' : 'form';
  const [failure, setFailure] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{
    kind: string;
    reference: 'new' | 'kept';
    /** The refused placement's requestId: what a handover request names (handover-ask.tsx). */
    requestId: string;
  } | null>(null);
  const [busy, setBusy] = useState(false);
  const [matched, setMatched] = useState<readonly InboxItem[]>([]);
  const summaryRef = useRef<HTMLElement>(null);
  const previewRef = useRef<HTMLHeadingElement>(null);
  const focusPreview = useRef(false);
  const pushedPreview = useRef(false);
  // A changed form is checked again before anything is sent: the old preview no longer holds.
  const setForm = (f: Form) => {
    setFormState(f);
    setBody(null);
  };
  const formRef = useRef(form);
  formRef.current = form;
  const stepRef = useRef(step);
  stepRef.current = step;
  useEffect(
    () => () => {
      if (sessionEnded() && stepRef.current !== 'sent') keepDraft(personId, formRef.current);
    },
    [],
  );
  useEffect(() => {
    if (step === 'preview' && focusPreview.current) {
      focusPreview.current = false;
      previewRef.current?.focus();
    }
  }, [step]);
  // Back on the form from the preview or the sent screen: its heading takes the focus.
  const [back, setBack] = useState(false);
  const toForm = () => {
    setBack(true);
    setSent(false);
    if (preview && pushedPreview.current) {
      pushedPreview.current = false;
      goBack({ keepFocus: true });
    } else if (preview) navigate('/signals/new', { keepFocus: true });
  };
  // Back (the browser's) from the sent screen: a fresh form.
  useEffect(() => {
    if (!preview && sent) setSent(false);
  }, [preview]);
  // The contact name starts as the server knows the signed-in person (`GET /v1/me`'s displayName),
  // the role and phone number as the person's newest active signal gave them (the API keeps no
  // function or phone of a person), here and on every fresh form after sending; what is typed
  // meanwhile wins (docs/portal.md "Placing a signal").
  const known = useRef({ name: '', role: '', phone: '' });
  const fill = (f: Form): Form => ({
    ...f,
    name: f.name === '' ? known.current.name : f.name,
    role: f.role === '' ? known.current.role : f.role,
    phone: f.phone === '' ? known.current.phone : f.phone,
  });
  useEffect(() => {
    void api({ method: 'GET', path: '/v1/me' })
      .then((me) => {
        known.current = { ...known.current, name: (me as { displayName?: string }).displayName ?? '' };
        setFormState(fill);
      })
      .catch(() => {});
    void newestOwnContact(api, personId)
      .then((contact) => {
        if (contact === undefined) return;
        known.current = { ...known.current, ...contact };
        setFormState(fill);
      })
      .catch(() => {});
  }, []);
  // The option of a person without a BSN exists only when every epoch is an OPRF epoch.
  const withoutBsnOffered = useWithoutBsnOffered();

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
      const today = parseDate(todayUtc())!;
      const pseudonymisers = await app.services.pseudonymisers(app.session!);
      setBody(await preparePlacement(placementInput(form), pseudonymisers, today, webCryptoRandom));
      focusPreview.current = true;
      if (!preview) {
        pushedPreview.current = true;
        navigate('/signals/new/preview', { keepFocus: true });
      }
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
      const reference = form.reference.trim();
      if (answer.heldByYou !== false) {
        const key = await tagKey(personId);
        const tags = key === undefined ? {} : await lookupTags(key, body.subject);
        // `existing`: a newly typed reference replaces the one kept here, an empty one keeps it.
        saveNote(personId, answer.signal.id, { reference, tags });
      }
      // A match made by this placement is there at once: said and linked, not "you will be told".
      const signalId = answer.heldByYou === false ? null : answer.signal.id;
      setMatched(
        signalId === null || answer.outcome !== 'created'
          ? []
          : await readInbox(api)
              .then((read) => read.items.filter((i) => i.match?.ownSignalId === signalId))
              .catch(() => []),
      );
      setOutcome({
        kind: colleagues ? 'colleague' : answer.outcome,
        reference: reference === '' ? 'kept' : 'new',
        requestId: body.requestId,
      });
      // A created signal is now the newest: its role and phone start the next form.
      if (answer.outcome === 'created')
        known.current = { ...known.current, role: body.contact.role, phone: body.contact.phone ?? '' };
      setFormState(fill(EMPTY));
      setBody(null);
      setSent(true);
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
        {outcome?.kind === 'colleague' ? (
          <>
            <Alert type="info" focus>
              {t('place.sent.colleague')}
            </Alert>
            <HandoverAsk requestId={outcome.requestId} />
          </>
        ) : outcome?.kind === 'existing' ? (
          // Nothing of the new placement was stored: said so, with where to record it instead.
          <Alert type="warning" focus>
            <P>{t('place.sent.existing')}</P>
            <P>
              {t(
                outcome.reference === 'new'
                  ? 'pro.place.existing.newReference'
                  : 'pro.place.existing.keptReference',
              )}
            </P>
            <P>
              <Link href={href('/signals')}>{t('pro.place.existing.link')}</Link>
            </P>
          </Alert>
        ) : matched.length > 0 ? (
          <Alert type="ok" focus>
            <P>{t('pro.place.sent.matched')}</P>
            <ul class="utrecht-unordered-list">
              {matched.map((m) => (
                <li key={m.matchId}>
                  <Link href={href(`/matches/${m.matchId}`)}>
                    {t('pro.place.sent.matchWith', { organisation: m.match!.counterpart.organisationName })}
                  </Link>
                </li>
              ))}
            </ul>
          </Alert>
        ) : (
          <Alert type="ok" focus>
            {t('place.sent.created')}
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
    <>
      {restored === undefined ? null : <Alert type="warning">{t('pro.place.restored')}</Alert>}
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
    </>
  );
}
