// The process agreements of a match (docs/engine.md "Working together after a match"): each in words —
// the municipality's codes with a text in each language, a code it added itself shown as it is
// — with its due day, owner and status; an open one can be marked done or cancelled, and a new
// one is made from the municipality's lists only (no free text). Each empty field is marked
// beside it and the focus moves to the first. Without the lists (not loaded, or the match
// ended) there is no form and no marking.

import type { Agreement, Vocabulary } from '@sluis/client-sdk';
import { useState } from 'preact/hooks';
import { Button, ButtonGroup, Heading2, P, TextField } from '../components/ui.js';
import { type MessageKey, type Translate, useI18n } from '../i18n/i18n.js';
import { formatDay } from './format.js';

/**
 * A code of the municipality's lists in words: the default lists have a text in each language
 * (agreement.action.*, agreement.info.*, agreement.purpose.*); a code the municipality added
 * itself is shown as it is, its underscores as spaces.
 */
export function codeText(t: Translate, list: 'action' | 'info' | 'purpose', code: string): string {
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

export function Agreements({
  agreements,
  vocabulary,
  onAdd,
  onStatus,
  onCheck,
}: {
  agreements: readonly Agreement[];
  /** Null: no form (not loaded, or the match ended). */
  vocabulary: Vocabulary | null;
  onAdd: (body: unknown) => void;
  onStatus: (agreementId: string, status: 'done' | 'cancelled') => void;
  /** Called first on submit: an earlier action's message no longer holds. */
  onCheck: () => void;
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
            onCheck();
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
