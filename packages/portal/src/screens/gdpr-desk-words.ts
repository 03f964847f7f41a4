// What API 1.7.0 adds to the GDPR desk's access overview, in words (docs/portal.md "The GDPR
// desk", docs/privacy.md §2 art. 15): a signal's legal basis and consent for working together,
// and a match's follow-up per organisation, regie and process agreements. The codes are worded
// as the match screens word them (match.outcome.*, match.consent.*, agreement.*), one text per
// code; an organisation is named by its name, as the answer's indexes point. Only what the
// answer carries: the consent's form reference is not in it, so it is nowhere here.

import type { MessageKey, Translate } from '../i18n/i18n.js';
import { formatDay } from './format.js';
import type { AccessAnswer } from './gdpr-desk-model.js';
import { codeText } from './match-agreements.js';
import { scopeList } from './match-detail.js';

type Signal = AccessAnswer['signals'][number];
type Match = AccessAnswer['matches'][number];

/** "Jeugdwet", or consent / no objection with the day it was given. */
export function basisText(t: Translate, lang: string, s: Signal): string {
  const date = s.attestedOn === null ? '—' : formatDay(s.attestedOn, lang);
  return ['jeugdwet', 'consent', 'no_objection'].includes(s.legalBasis)
    ? t(`gdpr.basis.${s.legalBasis}` as MessageKey, { date })
    : s.legalBasis;
}

/** The consent's day, recording, scopes and (when so) withdrawal; null: none recorded. */
export function consentText(t: Translate, lang: string, s: Signal): string | null {
  const c = s.consent;
  if (c === null) return null;
  const given = t('gdpr.consent.text', {
    date: formatDay(c.date, lang),
    recorded: formatDay(c.recordedAt, lang),
    scopes: scopeList(t, c.scopes),
  });
  return c.withdrawnAt === null
    ? given
    : `${given} ${t('gdpr.consent.withdrawn', { date: formatDay(c.withdrawnAt, lang) })}`;
}

/** One line per organisation: its outcome and day, or "nothing recorded yet". */
export function followUpTexts(t: Translate, lang: string, m: Match): string[] {
  return m.organisationNames.map((organisation, i) => {
    const f = m.followUp[i] ?? null;
    if (f === null) return `${organisation}: ${t('match.followUp.none')}`;
    const outcome = (t(`match.outcome.${f.outcome}` as MessageKey) as string | undefined) ?? f.outcome;
    return t('gdpr.followUp.item', { organisation, outcome, date: formatDay(f.at, lang) });
  });
}

/** The organisation that holds regie and since when, or "nobody yet". */
export function regieText(t: Translate, lang: string, m: Match): string {
  if (m.regie === null) return t('match.regie.none');
  const organisation = m.organisationNames[m.regie.holder] ?? t('followUp.regie.gone');
  return t('gdpr.regie.item', { organisation, date: formatDay(m.regie.since, lang) });
}

/** Each agreement as the match screen says it, its owner by organisation name. */
export function agreementTexts(t: Translate, lang: string, m: Match): string[] {
  return m.agreements.map((a) =>
    t('match.agreements.item', {
      action: codeText(t, 'action', a.actionKind),
      info: codeText(t, 'info', a.informationCategory),
      purpose: codeText(t, 'purpose', a.purpose),
      due: formatDay(a.dueDate, lang),
      owner: m.organisationNames[a.owner] ?? t('followUp.regie.gone'),
      status: t(`agreement.status.${a.status}` as MessageKey),
    }),
  );
}
