// The short report for the citizen about one match (village-team agreements: "casussen
// ontvangen via de inbrenger een kort verslag over wat is be-/afgesproken"), rendered
// entirely on the organisation's side from the match view and the agreements list — the
// server never sees it. Pure: the same input gives the same text. Invariant: it says only
// what the professionals already see (names, roles, organisations, regie, consent scopes,
// the agreed codes in words and due dates); no contact numbers, no ids, no form reference.

import type { Agreement, AgreementStatus, Contact, MatchView, Party } from '../client/types.js';
import { DEFAULT_LABELS, label, type ReportLabels, type ReportLanguage } from './report-labels.js';

export interface CitizenReportInput {
  readonly match: MatchView;
  readonly agreements: readonly Agreement[];
  /** The reporting organisation's name and its professional (the own signal's contact). */
  readonly own: { readonly organisationName: string; readonly contact: Contact };
  readonly lang: ReportLanguage;
  /** Words for codes the municipality configured beyond the defaults. */
  readonly labels?: Partial<ReportLabels>;
  /** 'YYYY-MM-DD' shown as the report date; omitted when absent. */
  readonly date?: string;
}

const MONTHS: Record<ReportLanguage, readonly string[]> = {
  nl: [
    'januari',
    'februari',
    'maart',
    'april',
    'mei',
    'juni',
    'juli',
    'augustus',
    'september',
    'oktober',
    'november',
    'december',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

/** '2026-02-01' or an RFC 3339 time → '1 februari 2026' / '1 February 2026' (UTC). */
export function formatReportDate(text: string, lang: ReportLanguage): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (m === null) return text;
  return `${Number(m[3])} ${MONTHS[lang][Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

const T = {
  nl: {
    title: 'Verslag: samenwerking rond uw hulpvraag',
    date: 'Datum',
    family: 'Het gaat om hulp aan uw gezin.',
    who: 'Wie zijn er betrokken',
    regie: 'Wie houdt het overzicht (regie)',
    regieHolder: (who: string, since: string) =>
      `${who} heeft de regie${since === '' ? '' : ` sinds ${since}`}.`,
    regieNone: 'Er is nog niet afgesproken wie de regie heeft.',
    consent: 'Uw toestemming',
    consentGiven: (what: string) => `U heeft toestemming gegeven om ${what}.`,
    consentNone:
      'Er is geen toestemming van u vastgelegd. Uw situatie wordt daarom alleen zonder uw naam (anoniem) besproken.',
    agreed: 'Wat is afgesproken',
    nothing: 'Er zijn nog geen afspraken vastgelegd.',
    by: 'door',
    info: 'Soort informatie',
    purpose: 'Doel',
    due: 'Uiterlijk',
    status: { open: 'nog te doen', done: 'gedaan', cancelled: 'vervallen' } as Record<
      AgreementStatus,
      string
    >,
    statusWord: 'Status',
    and: 'en',
    ended: 'Deze samenwerking is beëindigd; dit is wat er is afgesproken.',
    questions: 'Heeft u vragen over dit verslag? Neem contact op met',
  },
  en: {
    title: 'Report: working together on your request for help',
    date: 'Date',
    family: 'This is about help for your family.',
    who: 'Who is involved',
    regie: 'Who keeps the overview (case lead)',
    regieHolder: (who: string, since: string) =>
      `${who} is the case lead${since === '' ? '' : ` since ${since}`}.`,
    regieNone: 'It has not yet been agreed who is the case lead.',
    consent: 'Your consent',
    consentGiven: (what: string) => `You gave consent to ${what}.`,
    consentNone:
      'No consent from you has been recorded. Your situation is therefore only discussed without your name (anonymously).',
    agreed: 'What was agreed',
    nothing: 'No agreements have been recorded yet.',
    by: 'by',
    info: 'Kind of information',
    purpose: 'Purpose',
    due: 'By',
    status: { open: 'to do', done: 'done', cancelled: 'cancelled' } as Record<AgreementStatus, string>,
    statusWord: 'Status',
    and: 'and',
    ended: 'This collaboration has ended; this is what was agreed.',
    questions: 'Questions about this report? Please contact',
  },
} as const;

/**
 * Without a contact (under objection, restricted, or the counterpart's signal ended): its
 * organisation only.
 */
function person(c: Contact | null, organisationName: string): string {
  return c === null ? organisationName : `${c.name} (${c.role}, ${organisationName})`;
}

/** "a, b and c" in `lang`'s word for "and". */
export function list(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

/**
 * One process agreement in words: "action, by owner. Kind of information: …. Purpose: ….
 * By date. Status: …." — the same sentence in this report and in the GDPR access report.
 */
export function agreementText(
  a: Pick<Agreement, 'actionKind' | 'informationCategory' | 'purpose' | 'dueDate' | 'status'>,
  owner: string,
  lang: ReportLanguage,
  labels: Partial<ReportLabels> = {},
): string {
  const t = T[lang];
  const d = DEFAULT_LABELS[lang];
  return (
    `${label(labels.actionKinds, d.actionKinds, a.actionKind)}, ${t.by} ${owner}. ` +
    `${t.info}: ${label(labels.informationCategories, d.informationCategories, a.informationCategory)}. ` +
    `${t.purpose}: ${label(labels.purposes, d.purposes, a.purpose)}. ` +
    `${t.due} ${formatReportDate(a.dueDate, lang)}. ${t.statusWord}: ${t.status[a.status]}.`
  );
}

/** Renders the report as plain text (UTF-8, lines separated by \n). */
export function renderCitizenReport(input: CitizenReportInput): string {
  const lang: ReportLanguage = input.lang === 'en' ? 'en' : 'nl';
  const t = T[lang];
  const d = DEFAULT_LABELS[lang];
  const l = input.labels ?? {};
  const m = input.match;
  const parties: Record<Party, string> = {
    me: person(input.own.contact, input.own.organisationName),
    counterpart: person(m.counterpart.contact, m.counterpart.organisationName),
  };
  const lines: string[] = [t.title];
  if (input.date !== undefined) lines.push(`${t.date}: ${formatReportDate(input.date, lang)}`);
  if (m.kind === 'family') lines.push(t.family);
  if (m.status === 'ended') lines.push(t.ended);

  lines.push('', `${t.who}:`, `- ${parties.me}`, `- ${parties.counterpart}`);

  lines.push('', `${t.regie}:`);
  lines.push(
    m.regie.holder === null
      ? t.regieNone
      : t.regieHolder(
          parties[m.regie.holder],
          m.regie.since === null ? '' : formatReportDate(m.regie.since, lang),
        ),
  );

  lines.push('', `${t.consent}:`);
  const scopes = [...new Set([...m.coordination.myScopes, ...m.coordination.counterpartScopes])];
  lines.push(
    m.coordination.status === 'consented' && scopes.length > 0
      ? t.consentGiven(
          list(
            scopes.map((s) => label(l.scopes, d.scopes, s)),
            t.and,
          ),
        )
      : t.consentNone,
  );

  lines.push('', `${t.agreed}:`);
  if (input.agreements.length === 0) lines.push(t.nothing);
  for (const a of input.agreements) lines.push(`- ${agreementText(a, parties[a.owner], lang, l)}`);

  lines.push('', `${t.questions} ${parties.me}.`);
  return `${lines.join('\n')}\n`;
}
