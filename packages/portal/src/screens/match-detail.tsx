// One match: the counterpart's contact details (all a match reveals), the follow-up
// (contact made / already in contact), regie, the citizen's consent on the own signal,
// process agreements (codes from the municipality's lists, no free text) and withdrawal of
// the own signal (docs/portal.md "Matches").

import type { Agreement, MatchView, Vocabulary } from '@sluis/client-sdk';
import { useEffect, useState } from 'preact/hooks';
import { useApi } from '../app-context.js';
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
} from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import { formatDateTime } from './format.js';

/** The follow-up outcomes a professional records (docs/engine.md "Follow-up outcomes"). */
const OUTCOMES = ['contact_made', 'already_in_contact', 'no_contact_needed', 'client_refused'] as const;

export function MatchDetail({ matchId }: { matchId: string }) {
  const { t, lang } = useI18n();
  const api = useApi();
  const [match, setMatch] = useState<MatchView | null>(null);
  const [agreements, setAgreements] = useState<readonly Agreement[]>([]);
  const [vocabulary, setVocabulary] = useState<Vocabulary | null>(null);
  const [status, setStatus] = useState<{ type: 'ok' | 'error'; text: string } | null>(null);
  const [gone, setGone] = useState(false);

  async function load() {
    try {
      setMatch((await api({ method: 'GET', path: `/v1/matches/${matchId}` })) as MatchView);
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

  async function act(request: { method: 'POST' | 'PUT'; path: string; body: unknown }, done: MessageKey) {
    try {
      await api(request);
      setStatus({ type: 'ok', text: t(done) });
      await load();
    } catch (e) {
      setStatus({ type: 'error', text: errorMessage(t, e) });
    }
  }

  async function withdraw(reason: 'ended' | 'error') {
    if (match === null) return;
    try {
      await api({ method: 'POST', path: `/v1/signals/${match.ownSignalId}/withdraw`, body: { reason } });
      setStatus({
        type: 'ok',
        text: t(reason === 'ended' ? 'signals.withdrawn.ended' : 'signals.withdrawn.error'),
      });
      setGone(true);
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
  return (
    <div class="sluis-stack">
      <Heading1>{t('match.title')}</Heading1>
      {status === null ? null : <Alert type={status.type}>{status.text}</Alert>}
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
          <RegieActions
            match={match}
            onAct={(body, done) => void act({ method: 'POST', path: `${base}/regie`, body }, done)}
          />
          <Consent
            signalId={match.ownSignalId}
            scopes={match.coordination.myScopes}
            onSave={(body) =>
              void act(
                { method: 'PUT', path: `/v1/signals/${match.ownSignalId}/consent`, body },
                'match.saved',
              )
            }
          />
          <Agreements
            agreements={agreements}
            vocabulary={vocabulary}
            onAdd={(body) => void act({ method: 'POST', path: `${base}/agreements`, body }, 'match.saved')}
          />
          <Heading2>{t('match.withdraw')}</Heading2>
          <P>{t('match.withdraw.intro')}</P>
          <ButtonGroup>
            <Button variant="secondary" onClick={() => void withdraw('ended')}>
              {t('match.withdraw.ended')}
            </Button>
            <Button variant="subtle" onClick={() => void withdraw('error')}>
              {t('match.withdraw.error')}
            </Button>
          </ButtonGroup>
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

function Consent({
  scopes,
  onSave,
}: {
  signalId: string;
  scopes: readonly string[];
  onSave: (body: unknown) => void;
}) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<readonly string[]>(scopes);
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const toggle = (s: string) => (on: boolean) =>
    setChosen(on ? [...chosen, s] : chosen.filter((x) => x !== s));
  return (
    <form
      class="sluis-stack"
      noValidate
      aria-labelledby="consent-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (date === '' || chosen.length === 0) return setError(t('match.consent.error'));
        setError(undefined);
        onSave({ date, scopes: chosen });
      }}
    >
      <Heading2 id="consent-title">{t('match.consent')}</Heading2>
      <Fieldset legend={t('match.consent.scopes')} id="consent-scopes" error={error}>
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
      />
      <Button type="submit" variant="secondary">
        {t('match.consent.save')}
      </Button>
    </form>
  );
}

function Agreements({
  agreements,
  vocabulary,
  onAdd,
}: {
  agreements: readonly Agreement[];
  vocabulary: Vocabulary | null;
  onAdd: (body: unknown) => void;
}) {
  const { t } = useI18n();
  const [form, setForm] = useState({
    owner: 'me',
    actionKind: '',
    informationCategory: '',
    purpose: '',
    dueDate: '',
  });
  const select = (
    id: keyof typeof form,
    label: string,
    options: readonly string[],
    text: (o: string) => string = (o) => o,
  ) => (
    <div class="utrecht-form-field">
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={`agreement-${id}`}>
          {label}
        </label>
      </div>
      <div class="utrecht-form-field__input">
        <select
          id={`agreement-${id}`}
          class="utrecht-select utrecht-select--html-select"
          value={form[id]}
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
  return (
    <div class="sluis-stack">
      <Heading2>{t('match.agreements')}</Heading2>
      {agreements.length === 0 ? (
        <P>{t('match.agreements.none')}</P>
      ) : (
        <ul class="utrecht-unordered-list">
          {agreements.map((a) => (
            <li
              key={a.id}
            >{`${a.actionKind} · ${a.informationCategory} · ${a.purpose} · ${a.dueDate} · ${t(`match.party.${a.owner}` as MessageKey)} · ${a.status}`}</li>
          ))}
        </ul>
      )}
      {vocabulary === null ? null : (
        <form
          class="sluis-stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (form.actionKind && form.informationCategory && form.purpose && form.dueDate) onAdd(form);
          }}
        >
          {select('owner', t('match.agreements.owner'), ['me', 'counterpart'], (o) =>
            t(`match.party.${o}` as MessageKey),
          )}
          {select('actionKind', t('match.agreements.actionKind'), vocabulary.actionKinds)}
          {select(
            'informationCategory',
            t('match.agreements.informationCategory'),
            vocabulary.informationCategories,
          )}
          {select('purpose', t('match.agreements.purpose'), vocabulary.purposes)}
          <TextField
            id="agreement-dueDate"
            type="date"
            label={t('match.agreements.dueDate')}
            value={form.dueDate}
            onInput={(v) => setForm({ ...form, dueDate: v })}
          />
          <Button type="submit" variant="secondary">
            {t('match.agreements.add')}
          </Button>
        </form>
      )}
    </div>
  );
}
