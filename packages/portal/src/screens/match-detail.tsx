// One match: the own reference of the signal it is about (kept in this browser), the
// counterpart's contact details (all a match reveals), the follow-up (contact made / already
// in contact), regie, the citizen's consent on the own signal, process agreements (codes from
// the municipality's lists, shown in words, no free text) and withdrawal of the own signal,
// "placed in error" only after a confirm step. An ended match offers no regie, consent or
// agreement changes, which the server would refuse (docs/portal.md "Screens"). The regie and
// agreement blocks are match-regie.tsx and match-agreements.tsx.

import type { Agreement, Consent as ConsentRecord, MatchView, Vocabulary } from '@sluis/client-sdk';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/http.js';
import { useApi, useApp } from '../app-context.js';
import {
  Alert,
  Button,
  ButtonGroup,
  Choice,
  DataList,
  Fieldset,
  Heading1,
  Heading2,
  P,
  TextField,
  useConfirm,
} from '../components/ui.js';
import { type MessageKey, type Translate, useI18n } from '../i18n/i18n.js';
import { formatDay } from './format.js';
import { errorMessage } from './errors.js';
import { Agreements } from './match-agreements.js';
import { Regie } from './match-regie.js';
import { todayUtc } from './place-signal-model.js';
import { ownReference } from './own-reference.js';
import { Moment } from './time.js';

/** The follow-up outcomes a professional records (docs/engine.md "Follow-up outcomes"). */
const OUTCOMES = ['contact_made', 'already_in_contact', 'no_contact_needed', 'client_refused'] as const;

export function MatchDetail({ matchId }: { matchId: string }) {
  const { t, lang } = useI18n();
  const app = useApp();
  const api = useApi();
  const [match, setMatch] = useState<MatchView | null>(null);
  const [agreements, setAgreements] = useState<readonly Agreement[]>([]);
  const [vocabulary, setVocabulary] = useState<Vocabulary | null>(null);
  // `focus`: the answer to an action takes the focus, as after *Send* (WCAG 2.4.3).
  const [status, setStatus] = useState<{ type: 'ok' | 'error'; text: string; focus?: true } | null>(null);
  const [consent, setConsent] = useState<ConsentRecord | null>(null);
  const [ownActive, setOwnActive] = useState(true);
  const [gone, setGone] = useState(false);
  const confirmWithdrawError = useConfirm(
    (reference: string) => ({
      id: 'confirm-withdraw',
      title: t('confirm.withdrawError.title'),
      text: t('confirm.withdrawError.text', { reference }),
      confirm: t('confirm.withdrawError.button'),
      cancel: t('confirm.cancel'),
    }),
    () => void withdraw('error'),
  );
  const confirmWithdrawEnded = useConfirm(
    (reference: string) => ({
      id: 'confirm-withdraw-ended',
      title: t('confirm.withdrawEnded.title'),
      text: t('confirm.withdrawEnded.text', { reference }),
      confirm: t('confirm.withdrawEnded.button'),
      cancel: t('confirm.cancel'),
    }),
    () => void withdraw('ended'),
  );

  async function load() {
    try {
      const m = (await api({ method: 'GET', path: `/v1/matches/${matchId}` })) as MatchView;
      setMatch(m);
      const own = (await api({ method: 'GET', path: `/v1/signals/${m.ownSignalId}` })) as { status: string };
      setOwnActive(own.status === 'active');
      // The own consent with its date; an ended own signal may have none to show.
      const c = (await api({ method: 'GET', path: `/v1/signals/${m.ownSignalId}/consent` }).catch(() => ({
        consent: null,
      }))) as { consent: ConsentRecord | null };
      setConsent(c.consent);
      const a = (await api({ method: 'GET', path: `/v1/matches/${matchId}/agreements` })) as {
        items: Agreement[];
      };
      setAgreements(a.items);
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e) });
    }
  }
  useEffect(() => {
    void load();
    api({ method: 'GET', path: '/v1/agreements/vocabulary' })
      .then((v) => setVocabulary(v as Vocabulary))
      .catch(() => {});
  }, [matchId]);

  /** One action; its refusal is returned too, for a form that marks a field. */
  async function act(
    request: { method: 'POST' | 'PUT'; path: string; body: unknown },
    done: MessageKey | ((answer: unknown) => string),
  ): Promise<unknown> {
    setStatus(null);
    try {
      const answer = await api(request);
      setStatus({ type: 'ok', text: typeof done === 'function' ? done(answer) : t(done), focus: true });
      await load();
      return undefined;
    } catch (e) {
      // A conflict means the match changed under the page (ended, a proposal answered):
      // say so and show the current state rather than a general text.
      if (e instanceof ApiError && e.code === 'conflict') {
        await load();
        setStatus({ type: 'error', text: t('match.conflict'), focus: true });
      } else setStatus({ type: 'error', text: errorMessage(t, e), focus: true });
      return e;
    }
  }

  async function withdraw(reason: 'ended' | 'error') {
    if (match === null) return;
    setStatus(null);
    try {
      await api({ method: 'POST', path: `/v1/signals/${match.ownSignalId}/withdraw`, body: { reason } });
      // The withdraw buttons go with the signal: the answer takes the focus (docs/portal.md "Screens").
      setStatus({
        type: 'ok',
        text: t(reason === 'ended' ? 'signals.withdrawn.ended' : 'signals.withdrawn.error'),
        focus: true,
      });
      // Placed in error: the signal and this match are deleted. Ended: the match ended with it.
      if (reason === 'error') setGone(true);
      else await load();
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e), focus: true });
    }
  }

  if (match === null)
    return (
      <div class="sluis-stack">
        <Heading1>{t('match.title')}</Heading1>
        {status === null ? <P>{t('common.loading')}</P> : <Alert type={status.type}>{status.text}</Alert>}
      </div>
    );
  const c = match.counterpart.contact;
  const base = `/v1/matches/${matchId}`;
  const reference = ownReference(t, app.session!.personId, match.ownSignalId);
  const ended = match.status === 'ended';
  return (
    <div class="sluis-stack">
      <Heading1>{t('match.title')}</Heading1>
      {status === null ? null : (
        <Alert type={status.type} focus={status.focus === true}>
          {status.text}
        </Alert>
      )}
      <DataList items={[[t('mine.reference'), reference]]} />
      {ended && !gone ? <Alert type="warning">{t('match.ended')}</Alert> : null}
      <Heading2>{t('match.counterpart')}</Heading2>
      {/* Under a pending objection or a restriction no contact is revealed (docs/engine.md
          "What a match reveals"). */}
      {match.underObjection ? <Alert type="warning">{t('match.underObjection')}</Alert> : null}
      {match.restricted ? <Alert type="warning">{t('match.restricted')}</Alert> : null}
      <DataList
        items={[
          [t('match.organisation'), match.counterpart.organisationName],
          [t('place.name'), c?.name ?? '—'],
          [t('place.role'), c?.role ?? '—'],
          [t('place.phone'), c?.phone ?? '—'],
          [t('place.email'), c?.email ?? '—'],
          [t('match.kind'), t(`match.kind.${match.kind}` as MessageKey)],
          [t('match.status'), t(`match.status.${match.status}` as MessageKey)],
          [t('match.created'), <Moment value={match.createdAt} />],
        ]}
      />
      {gone ? null : (
        <>
          <Heading2>{t('match.followUp')}</Heading2>
          <P>
            {match.followUp.mine === null
              ? t('match.followUp.none')
              : t('match.followUp.mine', {
                  outcome: t(`match.outcome.${match.followUp.mine.outcome}` as MessageKey),
                })}
          </P>
          <P>
            {match.followUp.counterpart === null
              ? t('pro.match.followUp.counterpartNone')
              : t('pro.match.followUp.counterpart', {
                  outcome: t(`match.outcome.${match.followUp.counterpart.outcome}` as MessageKey),
                })}
          </P>
          <ButtonGroup>
            {OUTCOMES.map((outcome) => (
              <Button
                key={outcome}
                variant="secondary"
                onClick={() =>
                  void act({ method: 'POST', path: `${base}/follow-up`, body: { outcome } }, 'match.saved')
                }
              >
                {t(`match.outcome.${outcome}` as MessageKey)}
              </Button>
            ))}
          </ButtonGroup>
          <Regie
            match={match}
            onAct={(body, done) => void act({ method: 'POST', path: `${base}/regie`, body }, done)}
          />
          <Coordination match={match} consent={consent} />
          {ended || !ownActive ? null : (
            <Consent
              scopes={match.coordination.myScopes}
              onCheck={() => setStatus(null)}
              onSave={(body) =>
                act({ method: 'PUT', path: `/v1/signals/${match.ownSignalId}/consent`, body }, (a) =>
                  consentText(t, (a as { consent: ConsentRecord }).consent, lang),
                )
              }
            />
          )}
          <Agreements
            agreements={agreements}
            vocabulary={ended ? null : vocabulary}
            onCheck={() => setStatus(null)}
            onAdd={(body) => void act({ method: 'POST', path: `${base}/agreements`, body }, 'match.saved')}
            onStatus={(id, s) =>
              void act(
                { method: 'POST', path: `${base}/agreements/${id}/status`, body: { status: s } },
                'match.saved',
              )
            }
          />
          {ownActive ? (
            <>
              <Heading2>{t('match.withdraw')}</Heading2>
              <P>{t('match.withdraw.intro')}</P>
              <ButtonGroup>
                <Button variant="secondary" onClick={() => confirmWithdrawEnded.ask(reference)}>
                  {t('match.withdraw.ended')}
                </Button>
                <Button variant="subtle" onClick={() => confirmWithdrawError.ask(reference)}>
                  {t('match.withdraw.error')}
                </Button>
              </ButtonGroup>
            </>
          ) : null}
          {confirmWithdrawEnded.dialog}
          {confirmWithdrawError.dialog}
        </>
      )}
    </div>
  );
}

/** "Consent recorded on <date> for: <scopes>." — the own consent, said after saving and on the screen. */
function consentText(t: Translate, c: ConsentRecord, lang: 'nl' | 'en'): string {
  return t('pro.match.consent.recorded', {
    date: formatDay(c.date, lang),
    scopes: scopeList(t, c.scopes),
  });
}

/** The consent's scopes in words (match.consent.*), as the match screen says them. */
export function scopeList(t: Translate, scopes: readonly string[]): string {
  return scopes.length === 0
    ? t('place.preview.none')
    : scopes.map((s) => t(`match.consent.${s}` as MessageKey).toLowerCase()).join('; ');
}

/**
 * Consent and coordination as the API returns them: whether the match is coordinated with
 * consent, the scopes the counterpart's client consented to (never its date or form
 * reference), and the own consent with its date
 * (docs/api.md "Working together after a match (consent, agreements)").
 */
function Coordination({ match, consent }: { match: MatchView; consent: ConsentRecord | null }) {
  const { t, lang } = useI18n();
  return (
    <DataList
      items={[
        [t('pro.match.coordination'), t(`pro.match.coordination.${match.coordination.status}` as MessageKey)],
        [
          t('pro.match.consent.mine'),
          consent === null || consent.status !== 'given'
            ? t('pro.match.consent.none')
            : consentText(t, consent, lang),
        ],
        [t('pro.match.consent.counterpart'), scopeList(t, match.coordination.counterpartScopes)],
      ]}
    />
  );
}

function Consent({
  scopes,
  onCheck,
  onSave,
}: {
  scopes: readonly string[];
  /** Called first on submit: an earlier action's message no longer holds. */
  onCheck: () => void;
  onSave: (body: unknown) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<readonly string[]>(scopes);
  const [date, setDate] = useState('');
  const [scopesError, setScopesError] = useState<MessageKey | undefined>(undefined);
  const [dateError, setDateError] = useState<MessageKey | undefined>(undefined);
  const toggle = (s: string) => (on: boolean) =>
    setChosen(on ? [...chosen, s] : chosen.filter((x) => x !== s));
  return (
    <form
      class="sluis-stack"
      noValidate
      aria-labelledby="consent-title"
      onSubmit={(e) => {
        e.preventDefault();
        onCheck();
        const se = chosen.length === 0 ? 'match.consent.error.scopes' : undefined;
        const de =
          date === ''
            ? 'match.consent.error.date'
            : // Today or before, as the server counts days: in UTC.
              date > todayUtc()
              ? 'match.consent.error.future'
              : undefined;
        setScopesError(se);
        setDateError(de);
        if (se !== undefined) return document.getElementById('consent-team_meeting')?.focus();
        if (de !== undefined) return document.getElementById('consent-date')?.focus();
        void onSave({ date, scopes: chosen }).then((x) => {
          // The server's own check of the date (its calendar day may differ from the page's).
          if (x instanceof ApiError && x.code === 'validation_failed' && x.fields.includes('date'))
            setDateError('match.consent.error.future');
        });
      }}
    >
      <Heading2 id="consent-title">{t('match.consent')}</Heading2>
      <Fieldset
        legend={t('match.consent.scopes')}
        id="consent-scopes"
        error={scopesError === undefined ? undefined : t(scopesError)}
      >
        {(['team_meeting', 'share_with_matched'] as const).map((s) => (
          <Choice
            key={s}
            type="checkbox"
            id={`consent-${s}`}
            name="consent"
            label={t(`match.consent.${s}` as MessageKey)}
            checked={chosen.includes(s)}
            onChange={toggle(s)}
          />
        ))}
      </Fieldset>
      <TextField
        id="consent-date"
        type="date"
        label={t('match.consent.date')}
        value={date}
        onInput={setDate}
        error={dateError === undefined ? undefined : t(dateError)}
      />
      <Button type="submit" variant="secondary">
        {t('match.consent.save')}
      </Button>
    </form>
  );
}
