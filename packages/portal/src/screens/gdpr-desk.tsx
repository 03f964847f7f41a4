// The GDPR desk's screen (`#/gdpr`, docs/portal.md "The GDPR desk"): a citizen's requests —
// access (art. 15), restriction (art. 18) and lifting it, objection (art. 21) and erasure
// (art. 17) — by pseudonym only. The BSN, or surname, date of birth and gender, is checked in
// the page (the place-signal form's checks), pseudonymised through the pseudonym service under
// every active epoch the page is offered (the SDK's OprfPseudonymiser, with a credential the
// match server issues to the desk's session) and then cleared from the form: the page holds
// only the pseudonyms, in memory, shown shortened. Nothing typed goes in the URL, in storage,
// in the console or in an error text; "New request" forgets everything of this request. After
// each act an overview on screen is read again, so it shows the citizen's new state.

import { useEffect, useRef, useState } from 'preact/hooks';
import { useApi, useApp } from '../app-context.js';
import {
  Alert,
  Button,
  ButtonGroup,
  Choice,
  Command,
  ErrorSummary,
  Heading1,
  Heading2,
  P,
  TextField,
  useConfirm,
} from '../components/ui.js';
import { type MessageKey, type Translate, useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import { shortPseudonym } from './format.js';
import { AccessOverview } from './gdpr-desk-access.js';
import { CitizenForm } from './gdpr-desk-citizen.js';
import {
  type AccessAnswer,
  type Citizen,
  type CitizenErrors,
  citizenErrors,
  isSubjectRefusal,
  NO_CITIZEN,
  objectionBody,
  type Outcome,
  outcomeText,
  receivedOnError,
  type Subject,
  subjectBody,
  subjectOf,
} from './gdpr-desk-model.js';
import { todayUtc } from './place-signal-model.js';
import { useWithoutBsnOffered } from './without-bsn-offered.js';

/** The admin CLI's command for what the portal cannot do (docs/operations.md "The admin CLI"). */
const CLI = 'sudo -u sluis sluis-server admin gdpr access --data-dir /var/lib/sluis --lang nl …';

/** The answer of the restriction and objection routes (API 1.4.0, docs/api.md "Admin (municipality) routes"). */
type Counted = { signals: number; parentLinks: number };

function failureText(t: Translate, e: unknown): string {
  return isSubjectRefusal(e) ? t('gdpr.error.subject') : errorMessage(t, e);
}

export function GdprDesk() {
  const { t } = useI18n();
  const app = useApp();
  const api = useApi();
  const [citizen, setCitizen] = useState<Citizen>(NO_CITIZEN);
  const [errors, setErrors] = useState<CitizenErrors>({});
  const [subject, setSubject] = useState<Subject | null>(null);
  const [answer, setAnswer] = useState<AccessAnswer | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // The refusal itself, said in words at render: in the language the desk switches to.
  const [failure, setFailure] = useState<{ readonly error: unknown } | null>(null);
  const [busy, setBusy] = useState(false);
  const [receivedOn, setReceivedOn] = useState(todayUtc());
  const [late, setLate] = useState(false);
  const [receivedError, setReceivedError] = useState<MessageKey | undefined>(undefined);
  // A person without a BSN only when every epoch is an OPRF epoch (as the place-signal form).
  const withoutBsnOffered = useWithoutBsnOffered();
  const summaryRef = useRef<HTMLElement>(null);
  const objectionSummary = useRef<HTMLElement>(null);
  const accessHeading = useRef<HTMLHeadingElement>(null);
  const [refused, setRefused] = useState(0);

  useEffect(() => {
    if (refused > 0) (receivedError === undefined ? summaryRef : objectionSummary).current?.focus();
  }, [refused]);

  function newRequest() {
    setCitizen(NO_CITIZEN);
    setErrors({});
    setSubject(null);
    setAnswer(null);
    setOutcome(null);
    setFailure(null);
    setReceivedOn(todayUtc());
    setLate(false);
    setReceivedError(undefined);
  }

  async function identify(e: Event) {
    e.preventDefault();
    setFailure(null);
    const found = citizenErrors(citizen);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setRefused((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      const s = await subjectOf(citizen, await app.services.pseudonymisers(app.session!));
      // The typed identifier is no longer needed: only the pseudonyms stay, in memory.
      setCitizen(NO_CITIZEN);
      setSubject(s);
    } catch (x) {
      setFailure({ error: x });
    } finally {
      setBusy(false);
    }
  }

  const readAccess = async () =>
    (await api({
      method: 'POST',
      path: '/v1/admin/gdpr/access',
      body: subjectBody(subject!),
    })) as AccessAnswer;

  /**
   * Runs one request about the citizen; its answer or refusal is said in words and takes the
   * focus. An overview on screen is read again first (the pseudonyms are still in memory), so
   * it shows the new state; one not asked for is not read (each read is logged as the desk's
   * view of the citizen's signals, docs/portal.md "The GDPR desk").
   */
  async function run(act: () => Promise<Outcome | null>) {
    setBusy(true);
    setFailure(null);
    setOutcome(null);
    const shown = answer !== null;
    try {
      const o = await act();
      if (o === null) return;
      if (shown) {
        try {
          setAnswer(await readAccess());
        } catch (x) {
          setAnswer(null);
          setFailure({ error: x });
        }
      }
      setOutcome(o);
    } catch (x) {
      setFailure({ error: x });
    } finally {
      setBusy(false);
    }
  }

  const access = () =>
    run(async () => {
      setAnswer(await readAccess());
      queueMicrotask(() => accessHeading.current?.focus());
      return null;
    });
  const restrict = (restricted: boolean) =>
    run(async () => {
      const r = (await api({
        method: 'POST',
        path: '/v1/admin/gdpr/restrict',
        body: { ...subjectBody(subject!), restricted },
      })) as Counted;
      return { kind: restricted ? 'restrict' : 'unrestrict', signals: r.signals, parentLinks: r.parentLinks };
    });
  const decide = (status: 'upheld' | 'rejected') =>
    run(async () => {
      const r = (await api({
        method: 'POST',
        path: '/v1/admin/gdpr/object',
        body: { ...subjectBody(subject!), status },
      })) as Counted;
      return { kind: status, signals: r.signals, parentLinks: r.parentLinks };
    });
  const erase = () =>
    run(async () => {
      const r = (await api({
        method: 'POST',
        path: '/v1/admin/gdpr/erase',
        body: subjectBody(subject!),
      })) as {
        signals: number;
        matches: number;
        parentLinks: number;
      };
      return { kind: 'erase', signals: r.signals, matches: r.matches, parentLinks: r.parentLinks };
    });
  function register(e: Event) {
    e.preventDefault();
    const fault = receivedOnError(receivedOn, todayUtc());
    setReceivedError(fault);
    if (fault !== undefined) {
      setRefused((n) => n + 1);
      return;
    }
    void run(async () => {
      const r = (await api({
        method: 'POST',
        path: '/v1/admin/gdpr/object',
        body: objectionBody(subject!, receivedOn, late),
      })) as Counted & { onTime: boolean };
      return {
        kind: 'pending',
        signals: r.signals,
        parentLinks: r.parentLinks,
        onTime: r.onTime,
        lateTicked: late,
      };
    });
  }

  const confirmErase = useConfirm(
    () => ({
      id: 'gdpr-erase-confirm',
      title: t('gdpr.erase.confirm.title'),
      text: t('gdpr.erase.confirm.text'),
      confirm: t('gdpr.erase.confirm.yes'),
      cancel: t('gdpr.cancel'),
    }),
    () => void erase(),
  );
  const confirmUphold = useConfirm(
    () => ({
      id: 'gdpr-uphold-confirm',
      title: t('gdpr.object.uphold.confirm.title'),
      text: t('gdpr.object.uphold.confirm.text'),
      confirm: t('gdpr.object.uphold.confirm.yes'),
      cancel: t('gdpr.cancel'),
    }),
    () => void decide('upheld'),
  );

  return (
    <div class="sluis-stack">
      <div class="sluis-no-print sluis-stack">
        <Heading1>{t('gdpr.title')}</Heading1>
        <P>{t('gdpr.intro')}</P>
      </div>
      {failure === null ? null : (
        <Alert type="error" focus>
          {failureText(t, failure.error)}
        </Alert>
      )}
      {subject === null ? (
        <CitizenForm
          citizen={citizen}
          setCitizen={setCitizen}
          errors={errors}
          withoutBsnOffered={withoutBsnOffered}
          busy={busy}
          summaryRef={summaryRef}
          onSubmit={(e) => void identify(e)}
        />
      ) : (
        <>
          <div class="sluis-no-print sluis-stack">
            <Alert type="info">
              <P>
                {t('gdpr.identified', {
                  pseudonyms: subject.subject.map((p) => shortPseudonym(p.epoch, p.value)).join(', '),
                })}
              </P>
              {subject.oprfOnly ? <P>{t('gdpr.identified.withoutBsn')}</P> : null}
            </Alert>
            <P>{t('gdpr.newRequest.help')}</P>
            <Button variant="secondary" onClick={newRequest}>
              {t('gdpr.newRequest')}
            </Button>
            {outcome === null ? null : (
              <Alert type="ok" focus>
                {outcomeText(t, outcome)}
              </Alert>
            )}
          </div>
          <section class="sluis-stack" aria-labelledby="gdpr-access-title">
            <h2
              class="utrecht-heading-2 sluis-no-print"
              id="gdpr-access-title"
              ref={accessHeading}
              tabIndex={-1}
            >
              {t('gdpr.access.title')}
            </h2>
            <div class="sluis-no-print">
              <Button onClick={() => void access()} busy={busy}>
                {t('gdpr.access.show')}
              </Button>
            </div>
            {answer === null ? null : (
              <>
                <div class="sluis-no-print">
                  <P>
                    {t('gdpr.access.result', {
                      signals: t('gdpr.count.signals', { count: answer.signals.length }),
                      parents: t('gdpr.count.signals', { count: answer.parentLinks.length }),
                      matches: t('gdpr.count.matches', { count: answer.matches.length }),
                      access: t('gdpr.count.times', { count: answer.access.length }),
                    })}
                  </P>
                </div>
                <AccessOverview answer={answer} />
              </>
            )}
          </section>
          <section class="sluis-stack sluis-no-print" aria-labelledby="gdpr-restrict-title">
            <Heading2 id="gdpr-restrict-title">{t('gdpr.restrict.title')}</Heading2>
            <P>{t('gdpr.restrict.help')}</P>
            <ButtonGroup>
              <Button variant="secondary" onClick={() => void restrict(true)} busy={busy}>
                {t('gdpr.restrict.on')}
              </Button>
              <Button variant="secondary" onClick={() => void restrict(false)} busy={busy}>
                {t('gdpr.restrict.off')}
              </Button>
            </ButtonGroup>
          </section>
          <section class="sluis-stack sluis-no-print" aria-labelledby="gdpr-erase-title">
            <Heading2 id="gdpr-erase-title">{t('gdpr.erase.title')}</Heading2>
            <P>{t('gdpr.erase.help')}</P>
            <Button variant="secondary" onClick={() => confirmErase.ask(null)} busy={busy}>
              {t('gdpr.erase.button')}
            </Button>
          </section>
          <section class="sluis-stack sluis-no-print" aria-labelledby="gdpr-object-title">
            <Heading2 id="gdpr-object-title">{t('gdpr.object.title')}</Heading2>
            <P>{t('gdpr.object.help')}</P>
            <form class="sluis-stack" onSubmit={register} noValidate>
              <ErrorSummary
                id="gdpr-object-errors"
                title={t('gdpr.object.errors')}
                errors={receivedError === undefined ? [] : [['gdpr-receivedOn', t(receivedError)]]}
                summaryRef={objectionSummary}
              />
              <TextField
                id="gdpr-receivedOn"
                type="date"
                label={t('gdpr.object.receivedOn')}
                description={t('gdpr.object.receivedOn.help')}
                value={receivedOn}
                onInput={setReceivedOn}
                error={receivedError === undefined ? undefined : t(receivedError)}
                required
              />
              <P>{t('gdpr.object.late.help')}</P>
              <Choice
                type="checkbox"
                id="gdpr-late"
                name="late"
                label={t('gdpr.object.late')}
                checked={late}
                onChange={setLate}
              />
              <Button type="submit" busy={busy}>
                {t('gdpr.object.register')}
              </Button>
            </form>
            <ButtonGroup>
              <Button variant="secondary" onClick={() => confirmUphold.ask(null)} busy={busy}>
                {t('gdpr.object.uphold')}
              </Button>
              <Button variant="secondary" onClick={() => void decide('rejected')} busy={busy}>
                {t('gdpr.object.reject')}
              </Button>
            </ButtonGroup>
          </section>
        </>
      )}
      <div class="sluis-no-print sluis-stack">
        <P>{t('gdpr.leftToCli')}</P>
        <Command>{CLI}</Command>
      </div>
      {confirmErase.dialog}
      {confirmUphold.dialog}
    </div>
  );
}
