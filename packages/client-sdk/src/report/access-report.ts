// The citizen's GDPR art. 15 access report as text, in Dutch or English, from the answer of
// POST /v1/admin/gdpr/access (docs/api.md "Admin (municipality) routes", docs/privacy.md
// "Who saw the signal").
// Rendered where the GDPR desk works (the admin CLI, a portal): pure, the same input gives
// the same text. Invariant: it shows only what the answer holds — for this citizen's
// signals: which organisation placed each, its status and dates; for the signals about a
// child that name the citizen as a parent, the same, and the family matches built on them
// (the two organisations, date, status); and who received or viewed the citizen's own
// signals, when, by organisation and role, with the professional's name where the answer
// names one. From API 1.7.0 also what is stored beyond that (docs/privacy.md §2, art. 15): each
// own signal's legal basis and consent for working together (never the form reference), and
// per match each organisation's follow-up, who holds regie and the process agreements. From API
// 1.9.0 the recipients include the archive notices and the `existing` answers (`via`); each own
// signal also says whether the citizen was informed, whether it is restricted (art. 18) and
// whether an objection (art. 21) is pending or was rejected, where the answer has them. No ids
// (they mean nothing to a citizen and link records).

import type { AgreementStatus, ConsentScope, FollowUpOutcome } from '../client/types.js';
import { agreementText, formatReportDate, list } from './citizen-report.js';
import { DEFAULT_LABELS, label, type ReportLanguage } from './report-labels.js';

/** A signal as the report shows it: who placed it, when, and whether it is still active. */
export interface AccessReportSignal {
  readonly organisationName: string;
  readonly status: 'active' | 'inactive';
  readonly placedAt: string;
  readonly endedAt: string | null;
  readonly purgeAt: string | null;
  /** API 1.7.0, own signals: the legal basis and the day consent or non-objection was given. */
  readonly legalBasis?: 'jeugdwet' | 'consent' | 'no_objection';
  readonly attestedOn?: string | null;
  /** API 1.7.0, own signals: the consent for working together, without the form reference. */
  readonly consent?: {
    readonly date: string;
    readonly scopes: readonly ConsentScope[];
    readonly recordedAt: string;
    readonly withdrawnAt: string | null;
  } | null;
  /** Own signals (in every API version's answer): who was informed, and when. */
  readonly informed?: {
    readonly status: 'citizen' | 'representative' | 'both' | 'not_yet';
    readonly date?: string;
  };
  /** Own signals: the GDPR desk's restriction (art. 18) and the objection's state (art. 21). */
  readonly restricted?: boolean;
  readonly objection?: 'pending' | 'upheld' | 'rejected' | null;
}

/** API 1.7.0: what is stored about a match beyond its organisations and dates. */
export interface AccessReportMatchExtras {
  /** Each organisation's follow-up, in the order of `organisationNames`. */
  readonly followUp?: readonly ({ readonly outcome: FollowUpOutcome; readonly at: string } | null)[];
  /** `holder` is an index into `organisationNames`. */
  readonly regie?: { readonly holder: 0 | 1; readonly since: string } | null;
  /** `owner` is an index into `organisationNames`. */
  readonly agreements?: readonly {
    readonly owner: 0 | 1;
    readonly actionKind: string;
    readonly informationCategory: string;
    readonly purpose: string;
    readonly dueDate: string;
    readonly status: AgreementStatus;
  }[];
}

/**
 * The part of the access answer the report shows (times RFC 3339, as on the wire).
 * `parentLinks` and `matches` came with API 1.1.0 and 1.2.0 (`via`); an input without them (the
 * shape of SDK 0.1.0 before they came, or an API 1.0.0 answer) is still accepted and rendered as
 * before: without the parent section, never with an empty one that would say no child's signal
 * names the citizen (docs/sdk.md "Consent, agreements and the report for the citizen").
 */
export interface AccessReportInput {
  readonly signals: readonly AccessReportSignal[];
  /** Signals about a child that name the citizen as a parent (the child's signals). */
  readonly parentLinks?: readonly AccessReportSignal[];
  /** Only those `via: 'parent'` are shown: the family matches built on the parent links. */
  readonly matches?: readonly (AccessReportMatchExtras & {
    readonly status: 'active' | 'ended';
    readonly createdAt: string;
    readonly organisationNames: readonly string[];
    readonly via: 'signal' | 'parent';
  })[];
  readonly access: readonly {
    readonly at: string;
    readonly kind: 'received' | 'viewed';
    /** API 1.9.0; absent in an earlier answer, which listed matches and the desk only. */
    readonly via?: 'match' | 'archive_notice' | 'existing' | 'access_request';
    readonly organisationName: string | null;
    readonly role: string;
    readonly personName: string | null;
  }[];
}

const ROLE_WORDS: Record<ReportLanguage, Readonly<Record<string, string>>> = {
  nl: {
    professional: 'hulpverlener',
    organisation_coordinator: 'coördinator van de organisatie',
    match_coordinator: 'regievoerder van de gemeente',
    gdpr_desk: 'AVG-loket van de gemeente',
    auditor: 'controleur van de gemeente',
    administrator: 'beheerder van de gemeente',
    organisation: 'systeem van de organisatie',
    municipality: 'de gemeente',
  },
  en: {
    professional: 'professional',
    organisation_coordinator: 'organisation coordinator',
    match_coordinator: 'match coordinator of the municipality',
    gdpr_desk: 'GDPR desk of the municipality',
    auditor: 'auditor of the municipality',
    administrator: 'administrator of the municipality',
    organisation: 'the organisation’s system',
    municipality: 'the municipality',
  },
};

const TEXT = {
  nl: {
    title: 'Inzage in uw gegevens in sluis (AVG artikel 15)',
    signals: 'Meldingen over u',
    none: 'Er zijn geen meldingen over u.',
    placed: (org: string, date: string) => `${org} heeft op ${date} een melding gedaan`,
    active: 'actief',
    ended: (date: string) => `beëindigd op ${date}`,
    purge: (date: string) => `wordt verwijderd op ${date}`,
    parents: 'Meldingen over een kind, met u als ouder',
    noParents: 'Geen melding over een kind noemt u als ouder.',
    parentPlaced: (org: string, date: string) =>
      `${org} heeft op ${date} een melding gedaan over een kind en u daarbij als ouder genoemd`,
    family: 'Gezinsmatches via u als ouder',
    familyExplained:
      'Bij een gezinsmatch horen twee organisaties dat hun meldingen gaan over kinderen met dezelfde ouder. Zij krijgen elkaars contactgegevens.',
    familyMatch: (a: string, b: string) => `${a} en ${b} kregen een gezinsmatch`,
    matchEnded: 'beëindigd',
    access: 'Wie uw melding heeft ontvangen of ingezien',
    noAccess: 'Niemand heeft uw melding ontvangen of ingezien.',
    received: 'ontving bericht van een match',
    viewed: 'heeft de match ingezien',
    noticeReceived:
      'kreeg bij een nieuwe melding de contactgegevens van uw afgesloten melding (een archiefbericht)',
    noticeViewed: 'heeft dat archiefbericht opnieuw ingezien',
    existing: 'zag bij een melding of opzoeking dat uw melding al bestond',
    informed: {
      citizen: (d: string) => `U bent over deze melding geïnformeerd${d === '' ? '' : ` op ${d}`}`,
      representative: (d: string) =>
        `Uw wettelijk vertegenwoordiger is over deze melding geïnformeerd${d === '' ? '' : ` op ${d}`}`,
      both: (d: string) =>
        `U en uw wettelijk vertegenwoordiger zijn over deze melding geïnformeerd${d === '' ? '' : ` op ${d}`}`,
      not_yet: () => 'U bent nog niet over deze melding geïnformeerd',
    },
    restricted: 'Beperkt (AVG artikel 18): de melding wordt alleen nog bewaard, niet gebruikt',
    objection: {
      pending: 'Uw bezwaar (AVG artikel 21) is in behandeling',
      upheld: 'Uw bezwaar (AVG artikel 21) is toegewezen',
      rejected: 'Uw bezwaar (AVG artikel 21) is afgewezen',
    },
    municipality: 'De gemeente',
    desk: 'Het AVG-loket van de gemeente',
    accessRequest: 'een inzageverzoek',
    basis: {
      jeugdwet: () => 'Grondslag: de Jeugdwet (de verwijsindex)',
      consent: (date: string) => `Grondslag: uw toestemming${date === '' ? '' : `, gegeven op ${date}`}`,
      no_objection: (date: string) => `Grondslag: u had geen bezwaar${date === '' ? '' : ` (op ${date})`}`,
    },
    consent: (scopes: string, date: string, recorded: string, withdrawn: string) =>
      `Uw toestemming om samen te werken: ${scopes} (gegeven op ${date}, vastgelegd op ${recorded}${withdrawn === '' ? '' : `, ingetrokken op ${withdrawn}`})`,
    and: 'en',
    own: 'Matches van uw meldingen',
    ownExplained:
      'Bij een match horen twee organisaties dat zij allebei bij u betrokken zijn. Zij krijgen elkaars contactgegevens.',
    ownMatch: (a: string, b: string) => `${a} en ${b} kregen een match`,
    followUp: (org: string, what: string, date: string) => `Opvolging door ${org}: ${what} (${date})`,
    outcome: {
      contact_made: 'contact gelegd',
      already_in_contact: 'was al in contact',
      no_contact_needed: 'contact niet nodig',
      client_refused: 'u wilde geen contact',
    } as Record<string, string>,
    regie: (org: string, date: string) => `${org} heeft de regie sinds ${date}`,
    agreement: 'Afspraak',
  },
  en: {
    title: 'Your data in sluis (GDPR article 15 access)',
    signals: 'Signals about you',
    none: 'There are no signals about you.',
    placed: (org: string, date: string) => `${org} placed a signal on ${date}`,
    active: 'active',
    ended: (date: string) => `ended on ${date}`,
    purge: (date: string) => `to be deleted on ${date}`,
    parents: 'Signals about a child that name you as a parent',
    noParents: 'No signal about a child names you as a parent.',
    parentPlaced: (org: string, date: string) =>
      `${org} placed a signal about a child on ${date}, naming you as a parent`,
    family: 'Family matches through you as a parent',
    familyExplained:
      'In a family match, two organisations learn that their signals are about children who share a parent. They receive each other’s contact details.',
    familyMatch: (a: string, b: string) => `${a} and ${b} were given a family match`,
    matchEnded: 'ended',
    access: 'Who received or viewed your signal',
    noAccess: 'No one received or viewed your signal.',
    received: 'was notified of a match',
    viewed: 'viewed the match',
    noticeReceived:
      'was given the contact details of your ended signal when placing a new one (an archive notice)',
    noticeViewed: 'viewed that archive notice again',
    existing: 'was shown, placing or looking up a signal, that yours already existed',
    informed: {
      citizen: (d: string) => `You were informed of this signal${d === '' ? '' : ` on ${d}`}`,
      representative: (d: string) =>
        `Your legal representative was informed of this signal${d === '' ? '' : ` on ${d}`}`,
      both: (d: string) =>
        `You and your legal representative were informed of this signal${d === '' ? '' : ` on ${d}`}`,
      not_yet: () => 'You have not been informed of this signal yet',
    },
    restricted: 'Restricted (GDPR article 18): the signal is only kept, not used',
    objection: {
      pending: 'Your objection (GDPR article 21) is being decided',
      upheld: 'Your objection (GDPR article 21) was upheld',
      rejected: 'Your objection (GDPR article 21) was rejected',
    },
    municipality: 'The municipality',
    desk: 'The municipality’s GDPR desk',
    accessRequest: 'an access request',
    basis: {
      jeugdwet: () => 'Legal basis: the Youth Act (the reference index)',
      consent: (date: string) => `Legal basis: your consent${date === '' ? '' : `, given on ${date}`}`,
      no_objection: (date: string) => `Legal basis: you did not object${date === '' ? '' : ` (on ${date})`}`,
    },
    consent: (scopes: string, date: string, recorded: string, withdrawn: string) =>
      `Your consent to work together: ${scopes} (given on ${date}, recorded on ${recorded}${withdrawn === '' ? '' : `, withdrawn on ${withdrawn}`})`,
    and: 'and',
    own: 'Matches of your signals',
    ownExplained:
      'In a match, two organisations learn that they are both involved with you. They receive each other’s contact details.',
    ownMatch: (a: string, b: string) => `${a} and ${b} were given a match`,
    followUp: (org: string, what: string, date: string) => `Follow-up by ${org}: ${what} (${date})`,
    outcome: {
      contact_made: 'contact made',
      already_in_contact: 'already in contact',
      no_contact_needed: 'no contact needed',
      client_refused: 'you declined contact',
    } as Record<string, string>,
    regie: (org: string, date: string) => `${org} is the case lead since ${date}`,
    agreement: 'Agreement',
  },
} as const;

/** The report as plain text (one line per fact), in `lang`. */
export function renderAccessReport(r: AccessReportInput, lang: ReportLanguage): string {
  const t = TEXT[lang];
  const date = (iso: string) => formatReportDate(iso, lang);
  const time = (iso: string) => `${date(iso)} ${iso.slice(11, 16)} UTC`;
  const state = (s: AccessReportSignal) => {
    const now = s.status === 'active' ? t.active : t.ended(date(s.endedAt ?? s.placedAt));
    return `(${now}${s.purgeAt === null ? '' : `; ${t.purge(date(s.purgeAt))}`})`;
  };
  const out = [t.title, '', t.signals];
  if (r.signals.length === 0) out.push(`- ${t.none}`);
  for (const s of r.signals) {
    out.push(`- ${t.placed(s.organisationName, date(s.placedAt))} ${state(s)}`);
    // API 1.7.0: the legal basis and the consent, as sub-lines; absent in an earlier answer.
    if (s.legalBasis !== undefined && s.legalBasis in t.basis)
      out.push(`  ${t.basis[s.legalBasis](s.attestedOn == null ? '' : date(s.attestedOn))}`);
    if (s.consent != null) {
      const c = s.consent;
      const scopes = list(
        c.scopes.map((x) => label(undefined, DEFAULT_LABELS[lang].scopes, x)),
        t.and,
      );
      const withdrawn = c.withdrawnAt === null ? '' : date(c.withdrawnAt);
      out.push(`  ${t.consent(scopes, date(c.date), date(c.recordedAt), withdrawn)}`);
    }
    // What privacy.md §2 art. 15 lists besides: informed, restriction, objection (all in every
    // API version's answer of the citizen's own signals; absent in an input without them).
    if (s.informed !== undefined && s.informed.status in t.informed)
      out.push(
        `  ${t.informed[s.informed.status](s.informed.date === undefined ? '' : date(s.informed.date))}`,
      );
    if (s.restricted === true) out.push(`  ${t.restricted}`);
    if (s.objection != null && s.objection in t.objection) out.push(`  ${t.objection[s.objection]}`);
  }
  // API 1.7.0: what was stored about a match — each organisation's follow-up, regie and the
  // process agreements, the organisations by name (an index in the answer).
  const extras = (m: NonNullable<AccessReportInput['matches']>[number]) => {
    const name = (i: 0 | 1) => m.organisationNames[i] ?? '';
    m.followUp?.forEach((f, i) => {
      const what = f === null ? '' : (t.outcome[f.outcome] ?? f.outcome.replaceAll('_', ' '));
      if (f !== null) out.push(`  ${t.followUp(m.organisationNames[i] ?? '', what, date(f.at))}`);
    });
    if (m.regie != null) out.push(`  ${t.regie(name(m.regie.holder), date(m.regie.since))}`);
    for (const a of m.agreements ?? [])
      out.push(`  ${t.agreement}: ${agreementText(a, name(a.owner), lang)}`);
  };
  // The matches of the citizen's own signals get lines only with what 1.7.0 stores about them;
  // before, their receipts and views told them (below).
  const own = (r.matches ?? []).filter((m) => m.via === 'signal' && m.followUp !== undefined);
  if (own.length > 0) out.push('', t.own, t.ownExplained);
  for (const m of own) {
    const [a = '', b = ''] = m.organisationNames;
    out.push(
      `- ${date(m.createdAt)}: ${t.ownMatch(a, b)} (${m.status === 'active' ? t.active : t.matchEnded})`,
    );
    extras(m);
  }
  // A parent link is data about the citizen too (docs/privacy.md §2, art. 15). Absent (an input
  // of the earlier shape) it is left out: "none" would claim what the input does not say.
  if (r.parentLinks !== undefined) {
    out.push('', t.parents);
    if (r.parentLinks.length === 0) out.push(`- ${t.noParents}`);
    for (const s of r.parentLinks)
      out.push(`- ${t.parentPlaced(s.organisationName, date(s.placedAt))} ${state(s)}`);
  }
  const family = (r.matches ?? []).filter((m) => m.via === 'parent');
  if (family.length > 0) out.push('', t.family, t.familyExplained);
  for (const m of family) {
    const [a = '', b = ''] = m.organisationNames;
    const now = m.status === 'active' ? t.active : t.matchEnded;
    out.push(`- ${date(m.createdAt)}: ${t.familyMatch(a, b)} (${now})`);
    extras(m);
  }
  out.push('', t.access);
  if (r.access.length === 0) out.push(`- ${t.noAccess}`);
  for (const a of r.access) {
    // The municipality views a signal only by an access request (gdpr.access), by role only
    // (docs/privacy.md "Who saw the signal").
    if (a.organisationName === null) {
      const desk = a.role === 'gdpr_desk' ? t.desk : t.municipality;
      out.push(`- ${time(a.at)}: ${desk} — ${t.accessRequest}`);
      continue;
    }
    const who = [
      a.organisationName,
      ROLE_WORDS[lang][a.role] ?? a.role.replaceAll('_', ' '),
      ...(a.personName === null ? [] : [a.personName]),
    ].join(', ');
    const what =
      a.via === 'archive_notice'
        ? a.kind === 'received'
          ? t.noticeReceived
          : t.noticeViewed
        : a.via === 'existing'
          ? t.existing
          : a.kind === 'received'
            ? t.received
            : t.viewed;
    out.push(`- ${time(a.at)}: ${who} — ${what}`);
  }
  return `${out.join('\n')}\n`;
}
