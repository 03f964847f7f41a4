// One match: the own reference of the signal it is about (kept in this browser), the
// counterpart's contact details (all a match reveals), the follow-up (contact made / already
// in contact), regie, the citizen's consent on the own signal, process agreements (codes from
// the municipality's lists, shown in words, no free text) and withdrawal of the own signal,
// "placed in error" only after a confirm step. An ended match offers no regie, consent or
// agreement changes, which the server would refuse (docs/portal.md "Screens").

import type { Agreement, MatchView, Vocabulary } from '@sluis/client-sdk';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/http.js';
import { useApi, useApp } from '../app-context.js';
import {
  Alert,
  Button,
  ButtonGroup,
  Choice,
  ConfirmDialog,
  DataList,
  Fieldset,
  Heading1,
  Heading2,
  P,
  TextField,
} from '../components/ui.js';
import { type MessageKey, type Translate, useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import { formatDateTime, formatDay } from './format.js';
import { ownReference } from './own-reference.js';

/** The follow-up outcomes a professional records (docs/engine.md "Follow-up outcomes"). */
const OUTCOMES = ['contact_made', 'already_in_contact', 'no_contact_needed', 'client_refused'] as const;

export function MatchDetail({ matchId }: { matchId: string }) {
  const { t, lang } = useI18n();
  const app = useApp();
  const api = useApi();
  const [match, setMatch] = useState<MatchView | null>(null);
  const [agreements, setAgreements] = useState<readonly Agreement[]>([]);
  const [vocabulary, setVocabulary] = useState<Vocabulary | null>(null);
  const [status, setStatus] = useState<{ type: 'ok' | 'error'; text: string } | null>(null);
  const [ownActive, setOwnActive] = useState(true);
  const [gone, setGone] = useState(false);
  const [confirming, setConfirming] = useState(false);

  async function load() {
    try {
      const m = (await api({ method: 'GET', path: `/v1/matches/${matchId}` })) as MatchView;
      setMatch(m);
      const own = (await api({ method: 'GET', path: `/v1/signals/${m.ownSignalId}` })) as { status: string };
      setOwnActive(own.status === 'active');
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
    done: MessageKey,
  ): Promise<unknown> {
    setStatus(null);
    try {
      await api(request);
      setStatus({ type: 'ok', text: t(done) });
      await load();
      return undefined;
    } catch (e) {
      // A conflict means the match changed under the page (ended, a proposal answered):
      // say so and show the current state rather than a general text.
      if (e instanceof ApiError && e.code === 'conflict') {
        await load();
        setStatus({ type: 'error', text: t('match.conflict') });
      } else setStatus({ type: 'error', text: errorMessage(t, e) });
      return e;
    }
  }

  async function withdraw(reason: 'ended' | 'error') {
    if (match === null) return;
    setStatus(null);
    try {
      await api({ method: 'POST', path: `/v1/signals/${match.ownSignalId}/withdraw`, body: { reason } });
      setStatus({
        type: 'ok',
        text: t(reason === 'ended' ? 'signals.withdrawn.ended' : 'signals.withdrawn.error'),
      });
      // Placed in error: the signal and this match are deleted. Ended: the match ended with it.
      if (reason === 'error') setGone(true);
      else await load();
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e) });
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
  const regieHolder =
    match.regie.holder === null
      ? t('match.regie.none')
      : t(`match.party.${match.regie.holder}` as MessageKey);
  const base = `/v1/matches/${matchId}`;
  const reference = ownReference(t, app.session!.personId, match.ownSignalId);
  const ended = match.status === 'ended';
  return (
    <div class="sluis-stack">
      <Heading1>{t('match.title')}</Heading1>
      {status === null ? null : <Alert type={status.type}>{status.text}</Alert>}
      <DataList items={[[t('mine.reference'), reference]]} />
      {ended && !gone ? <Alert type="warning">{t('match.ended')}</Alert> : null}
      <Heading2>{t('match.counterpart')}</Heading2>
      {/* Under a pending objection no contact is revealed (docs/engine.md "Objections"). */}
      {match.underObjection ? <Alert type="warning">{t('match.underObjection')}</Alert> : null}
      <DataList
        items={[
          [t('match.organisation'), match.counterpart.organisationName],
          [t('place.name'), c?.name ?? '—'],
          [t('place.role'), c?.role ?? '—'],
          [t('place.phone'), c?.phone ?? '—'],
          [t('place.email'), c?.email ?? '—'],
          [t('match.kind'), t(`match.kind.${match.kind}` as MessageKey)],
          [t('match.status'), t(`match.status.${match.status}` as MessageKey)],
          [t('match.created'), formatDateTime(match.createdAt, lang)],
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
          <Heading2>{t('match.regie')}</Heading2>
          <P>{t('match.regie.holder', { holder: regieHolder })}</P>
          {ended ? null : (
            <RegieActions
              match={match}
              onAct={(body, done) => void act({ method: 'POST', path: `${base}/regie`, body }, done)}
            />
          )}
          {ended || !ownActive ? null : (
            <Consent
              scopes={match.coordination.myScopes}
              onSave={(body) =>
                act({ method: 'PUT', path: `/v1/signals/${match.ownSignalId}/consent`, body }, 'match.saved')
              }
            />
          )}
          <Agreements
            agreements={agreements}
            vocabulary={ended ? null : vocabulary}
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
                <Button variant="secondary" onClick={() => void withdraw('ended')}>
                  {t('match.withdraw.ended')}
                </Button>
                <Button variant="subtle" onClick={() => setConfirming(true)}>
                  {t('match.withdraw.error')}
                </Button>
              </ButtonGroup>
            </>
          ) : null}
          {confirming ? (
            <ConfirmDialog
              id="confirm-withdraw"
              title={t('confirm.withdrawError.title')}
              text={t('confirm.withdrawError.text', { reference })}
              confirm={t('confirm.withdrawError.button')}
              cancel={t('confirm.cancel')}
              onCancel={() => setConfirming(false)}
              onConfirm={() => {
                setConfirming(false);
                void withdraw('error');
              }}
            />
          ) : null}
        </>
      )}
    </div>
  );
}

/**
 * The regie block's actions, with the open proposal said in words (who proposed whom, and what
 * accepting it does), so neither side is left guessing after "propose" (docs/engine.md "Regie").
 */
function RegieActions({
  match,
  onAct,
}: {
  match: MatchView;
  onAct: (body: unknown, done: MessageKey) => void;
}) {
  const { t } = useI18n();
  const p = match.regie.proposal;
  return (
    <>
      {p === null ? null : <P>{t(`match.regie.proposal.${p.by}.${p.for}` as MessageKey)}</P>}
      <RegieButtons match={match} onAct={onAct} />
    </>
  );
}

function RegieButtons({
  match,
  onAct,
}: {
  match: MatchView;
  onAct: (body: unknown, done: MessageKey) => void;
}) {
  const { t } = useI18n();
  const p = match.regie.proposal;
  return (
    <ButtonGroup>
      {p !== null && p.by === 'counterpart' ? (
        <>
          <Button variant="secondary" onClick={() => onAct({ action: 'accept' }, 'match.regie.accepted')}>
            {t('match.regie.accept')}
          </Button>
          <Button variant="subtle" onClick={() => onAct({ action: 'decline' }, 'match.regie.declined')}>
            {t('match.regie.decline')}
          </Button>
        </>
      ) : null}
      {match.regie.holder === 'me' ? (
        <Button variant="secondary" onClick={() => onAct({ action: 'handover' }, 'match.regie.handedOver')}>
          {t('match.regie.handover')}
        </Button>
      ) : null}
      {/* Either party may propose, while none is open, a party that does not hold regie (docs/engine.md). */}
      {p === null && match.regie.holder !== 'me' ? (
        <Button
          variant="secondary"
          onClick={() => onAct({ action: 'propose', for: 'me' }, 'match.regie.proposed')}
        >
          {t('match.regie.proposeMe')}
        </Button>
      ) : null}
      {p === null && match.regie.holder !== 'counterpart' ? (
        <Button
          variant="secondary"
          onClick={() => onAct({ action: 'propose', for: 'counterpart' }, 'match.regie.proposed')}
        >
          {t('match.regie.proposeThem')}
        </Button>
      ) : null}
    </ButtonGroup>
  );
}

/** Today in the page's time zone as YYYY-MM-DD: a consent date may not be later. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function Consent({
  scopes,
  onSave,
}: {
  scopes: readonly string[];
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
        const se = chosen.length === 0 ? 'match.consent.error.scopes' : undefined;
        const de =
          date === ''
            ? 'match.consent.error.date'
            : date > today()
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

/**
 * A code of the municipality's lists in words: the default lists have a text in each language
 * (agreement.action.*, agreement.info.*, agreement.purpose.*); a code the municipality added
 * itself is shown as it is, its underscores as spaces.
 */
function codeText(t: Translate, list: 'action' | 'info' | 'purpose', code: string): string {
  const text = t(`agreement.${list}.${code}` as MessageKey) as string | undefined;
  return text ?? code.replaceAll('_', ' ');
}

type AgreementForm = {
  owner: string;
  actionKind: string;
  informationCategory: string;
  purpose: string;
  dueDate: string;
};
const REQUIRED = ['actionKind', 'informationCategory', 'purpose', 'dueDate'] as const;

function Agreements({
  agreements,
  vocabulary,
  onAdd,
  onStatus,
}: {
  agreements: readonly Agreement[];
  /** Null: no form (not loaded, or the match ended). */
  vocabulary: Vocabulary | null;
  onAdd: (body: unknown) => void;
  onStatus: (agreementId: string, status: 'done' | 'cancelled') => void;
}) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState<AgreementForm>({
    owner: 'me',
    actionKind: '',
    informationCategory: '',
    purpose: '',
    dueDate: '',
  });
  const [errors, setErrors] = useState<Partial<Record<keyof AgreementForm, MessageKey>>>({});
  const select = (
    id: keyof AgreementForm,
    label: string,
    options: readonly string[],
    text: (o: string) => string,
  ) => {
    const error = errors[id];
    return (
      <div class={`utrecht-form-field${error ? ' utrecht-form-field--invalid' : ''}`}>
        <div class="utrecht-form-field__label">
          <label class="utrecht-form-label" for={`agreement-${id}`}>
            {label}
          </label>
        </div>
        {error ? (
          <div class="utrecht-form-field-error-message" id={`agreement-${id}-error`}>
            {t(error)}
          </div>
        ) : null}
        <div class="utrecht-form-field__input">
          <select
            id={`agreement-${id}`}
            class="utrecht-select utrecht-select--html-select"
            value={form[id]}
            {...(error ? { 'aria-invalid': 'true', 'aria-describedby': `agreement-${id}-error` } : {})}
            onChange={(e) => setForm({ ...form, [id]: (e.currentTarget as HTMLSelectElement).value })}
          >
            <option value="">—</option>
            {options.map((o) => (
              <option key={o} value={o}>
                {text(o)}
              </option>
            ))}
          </select>
        </div>
      </div>
    );
  };
  return (
    <div class="sluis-stack">
      <Heading2>{t('match.agreements')}</Heading2>
      {agreements.length === 0 ? (
        <P>{t('match.agreements.none')}</P>
      ) : (
        <ul class="utrecht-unordered-list">
          {agreements.map((a) => {
            const action = codeText(t, 'action', a.actionKind);
            const due = formatDay(a.dueDate, lang);
            return (
              <li key={a.id}>
                {t('match.agreements.item', {
                  action,
                  info: codeText(t, 'info', a.informationCategory),
                  purpose: codeText(t, 'purpose', a.purpose),
                  due,
                  owner: t(`match.party.${a.owner}` as MessageKey),
                  status: t(`agreement.status.${a.status}` as MessageKey),
                })}
                {vocabulary === null || a.status !== 'open' ? null : (
                  <ButtonGroup>
                    <Button variant="secondary" onClick={() => onStatus(a.id, 'done')}>
                      {t('match.agreements.markDone', { action, due })}
                    </Button>
                    <Button variant="subtle" onClick={() => onStatus(a.id, 'cancelled')}>
                      {t('match.agreements.markCancelled', { action, due })}
                    </Button>
                  </ButtonGroup>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {vocabulary === null ? null : (
        <form
          class="sluis-stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const found: Partial<Record<keyof AgreementForm, MessageKey>> = {};
            for (const f of REQUIRED)
              if (form[f] === '') found[f] = `match.agreements.error.${f}` as MessageKey;
            setErrors(found);
            const first = REQUIRED.find((f) => found[f] !== undefined);
            if (first !== undefined) return document.getElementById(`agreement-${first}`)?.focus();
            onAdd(form);
          }}
        >
          {select('owner', t('match.agreements.owner'), ['me', 'counterpart'], (o) =>
            t(`match.party.${o}` as MessageKey),
          )}
          {select('actionKind', t('match.agreements.actionKind'), vocabulary.actionKinds, (o) =>
            codeText(t, 'action', o),
          )}
          {select(
            'informationCategory',
            t('match.agreements.informationCategory'),
            vocabulary.informationCategories,
            (o) => codeText(t, 'info', o),
          )}
          {select('purpose', t('match.agreements.purpose'), vocabulary.purposes, (o) =>
            codeText(t, 'purpose', o),
          )}
          <TextField
            id="agreement-dueDate"
            type="date"
            label={t('match.agreements.dueDate')}
            value={form.dueDate}
            onInput={(v) => setForm({ ...form, dueDate: v })}
            error={errors.dueDate === undefined ? undefined : t(errors.dueDate)}
          />
          <Button type="submit" variant="secondary">
            {t('match.agreements.add')}
          </Button>
        </form>
      )}
    </div>
  );
}
