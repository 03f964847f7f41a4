// The citizen's access report text, in Dutch and in English: every signal, every signal
// about a child that names the citizen as a parent, every family match built on those and
// every receipt or view is a line with the organisation, the role in words, the
// professional's name where the answer gives one and the time; a match of the citizen's own
// signal is told through its receipts and views, and (API 1.7.0) in a section of its own with
// the follow-up, regie and agreements; the legal basis and consent under each signal; no id
// from the answer appears.

import { describe, expect, it } from 'vitest';
import { type AccessReportInput, renderAccessReport } from './access-report.js';

const SIGNAL_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const MATCH_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const CHILD_SIGNAL_ID = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const FAMILY_MATCH_ID = '6fa459ea-ee8a-4ca4-894e-db77e160355e';

/** As the server answers (with ids the report must not show). */
const answer: Required<AccessReportInput> = JSON.parse(
  JSON.stringify({
    signals: [
      {
        signalId: SIGNAL_ID,
        organisationName: 'Jeugdzorg A',
        status: 'active',
        placedAt: '2026-02-01T09:00:00.000Z',
        endedAt: null,
        purgeAt: null,
      },
    ],
    parentLinks: [
      {
        signalId: CHILD_SIGNAL_ID,
        organisationName: 'Basisschool C',
        status: 'active',
        placedAt: '2026-01-10T09:00:00.000Z',
        endedAt: null,
        purgeAt: null,
      },
      {
        signalId: SIGNAL_ID.replace('0f', '2e'),
        organisationName: 'Wijkteam D',
        status: 'inactive',
        placedAt: '2025-11-03T09:00:00.000Z',
        endedAt: '2026-01-20T09:00:00.000Z',
        purgeAt: '2031-01-20T09:00:00.000Z',
      },
    ],
    matches: [
      {
        matchId: MATCH_ID,
        kind: 'person',
        status: 'active',
        createdAt: '2026-02-01T10:15:00.000Z',
        organisationNames: ['Jeugdzorg A', 'Schuldhulp B'],
        via: 'signal',
      },
      {
        matchId: FAMILY_MATCH_ID,
        kind: 'family',
        status: 'ended',
        createdAt: '2026-01-12T14:00:00.000Z',
        organisationNames: ['Wijkteam D', 'Basisschool C'],
        via: 'parent',
      },
    ],
    access: [
      {
        at: '2026-02-01T10:15:00.000Z',
        kind: 'received',
        matchId: MATCH_ID,
        organisationName: 'Schuldhulp B',
        role: 'organisation',
        personName: null,
      },
      {
        at: '2026-02-02T08:05:00.000Z',
        kind: 'viewed',
        matchId: MATCH_ID,
        organisationName: 'Schuldhulp B',
        role: 'professional',
        personName: 'Bram Bekijker',
      },
      {
        at: '2026-03-01T12:00:00.000Z',
        kind: 'viewed',
        matchId: null,
        organisationName: null,
        role: 'gdpr_desk',
        personName: null,
      },
    ],
  }),
);

describe('access report', () => {
  it('in Dutch', () => {
    expect(renderAccessReport(answer, 'nl')).toBe(
      [
        'Inzage in uw gegevens in sluis (AVG artikel 15)',
        '',
        'Meldingen over u',
        '- Jeugdzorg A heeft op 1 februari 2026 een melding gedaan (actief)',
        '',
        'Meldingen over een kind, met u als ouder',
        '- Basisschool C heeft op 10 januari 2026 een melding gedaan over een kind en u daarbij als ouder genoemd (actief)',
        '- Wijkteam D heeft op 3 november 2025 een melding gedaan over een kind en u daarbij als ouder genoemd (beëindigd op 20 januari 2026; wordt verwijderd op 20 januari 2031)',
        '',
        'Gezinsmatches via u als ouder',
        'Bij een gezinsmatch horen twee organisaties dat hun meldingen gaan over kinderen met dezelfde ouder. Zij krijgen elkaars contactgegevens.',
        '- 12 januari 2026: Wijkteam D en Basisschool C kregen een gezinsmatch (beëindigd)',
        '',
        'Wie uw melding heeft ontvangen of ingezien',
        '- 1 februari 2026 10:15 UTC: Schuldhulp B, systeem van de organisatie — ontving bericht van een match',
        '- 2 februari 2026 08:05 UTC: Schuldhulp B, hulpverlener, Bram Bekijker — heeft de match ingezien',
        '- 1 maart 2026 12:00 UTC: Het AVG-loket van de gemeente — een inzageverzoek',
        '',
      ].join('\n'),
    );
  });

  it('in English', () => {
    const text = renderAccessReport(answer, 'en');
    expect(text).toContain('Who received or viewed your signal');
    expect(text).toContain('- Jeugdzorg A placed a signal on 1 February 2026 (active)');
    expect(text).toContain(
      [
        'Signals about a child that name you as a parent',
        '- Basisschool C placed a signal about a child on 10 January 2026, naming you as a parent (active)',
        '- Wijkteam D placed a signal about a child on 3 November 2025, naming you as a parent (ended on 20 January 2026; to be deleted on 20 January 2031)',
        '',
        'Family matches through you as a parent',
        'In a family match, two organisations learn that their signals are about children who share a parent. They receive each other’s contact details.',
        '- 12 January 2026: Wijkteam D and Basisschool C were given a family match (ended)',
        '',
      ].join('\n'),
    );
    expect(text).toContain(
      '- 2 February 2026 08:05 UTC: Schuldhulp B, professional, Bram Bekijker — viewed the match',
    );
    expect(text).toContain('- 1 March 2026 12:00 UTC: The municipality’s GDPR desk — an access request');
  });

  it('names no id, and says so when nothing is there', () => {
    for (const lang of ['nl', 'en'] as const) {
      const text = renderAccessReport(answer, lang);
      for (const id of [SIGNAL_ID, MATCH_ID, CHILD_SIGNAL_ID, FAMILY_MATCH_ID])
        expect(text).not.toContain(id);
    }
    const empty = { signals: [], parentLinks: [], matches: [], access: [] };
    expect(renderAccessReport(empty, 'nl')).toContain('Niemand heeft uw melding ontvangen of ingezien.');
    expect(renderAccessReport(empty, 'nl')).toContain('- Geen melding over een kind noemt u als ouder.');
    expect(renderAccessReport(empty, 'en')).toContain('There are no signals about you.');
    expect(renderAccessReport(empty, 'en')).toContain('- No signal about a child names you as a parent.');
    // A match of the citizen's own signal is no family match through a parent link.
    for (const lang of ['nl', 'en'] as const)
      expect(renderAccessReport({ ...empty, matches: [answer.matches[0]!] }, lang)).not.toMatch(
        /Gezinsmatch|family match/i,
      );
  });

  it('words the municipality’s view as an access request, by role only, never as a view of a match', () => {
    const desk = (role: string): AccessReportInput => ({
      signals: [],
      access: [
        { at: '2026-03-01T12:00:00.000Z', kind: 'viewed', organisationName: null, role, personName: null },
      ],
    });
    expect(renderAccessReport(desk('gdpr_desk'), 'en')).toContain(
      '\n- 1 March 2026 12:00 UTC: The municipality’s GDPR desk — an access request\n',
    );
    // The municipality's key alone (sluis-server admin gdpr access): no role to name.
    expect(renderAccessReport(desk('municipality'), 'en')).toContain(
      '\n- 1 March 2026 12:00 UTC: The municipality — an access request\n',
    );
    expect(renderAccessReport(desk('municipality'), 'nl')).toContain(
      '\n- 1 maart 2026 12:00 UTC: De gemeente — een inzageverzoek\n',
    );
    for (const lang of ['nl', 'en'] as const) {
      const text = renderAccessReport(desk('gdpr_desk'), lang);
      expect(text).not.toMatch(/municipality, |gemeente, |viewed the match|match ingezien/);
    }
  });

  it('still takes the earlier input without parentLinks and matches, and renders it as before', () => {
    // The shape of AccessReportInput before parent links (SDK 0.1.0 as first released): a caller
    // built on it keeps compiling, and gets the text it got then, byte for byte — but for the
    // municipality's view, now worded as the access request it was.
    const earlier: AccessReportInput = {
      signals: [
        {
          organisationName: 'Jeugdzorg A',
          status: 'active',
          placedAt: '2026-02-01T09:00:00.000Z',
          endedAt: null,
          purgeAt: null,
        },
      ],
      access: [
        {
          at: '2026-02-03T08:05:00.000Z',
          kind: 'viewed',
          organisationName: null,
          role: 'gdpr_desk',
          personName: null,
        },
      ],
    };
    expect(renderAccessReport(earlier, 'nl')).toBe(
      [
        'Inzage in uw gegevens in sluis (AVG artikel 15)',
        '',
        'Meldingen over u',
        '- Jeugdzorg A heeft op 1 februari 2026 een melding gedaan (actief)',
        '',
        'Wie uw melding heeft ontvangen of ingezien',
        '- 3 februari 2026 08:05 UTC: Het AVG-loket van de gemeente — een inzageverzoek',
        '',
      ].join('\n'),
    );
    // No parent section at all: an input without parent links does not say there are none.
    expect(renderAccessReport(earlier, 'en')).not.toMatch(/parent/i);
    expect(renderAccessReport(earlier, 'en')).toContain('- Jeugdzorg A placed a signal on 1 February 2026');
  });

  it('words what API 1.7.0 adds: legal basis, consent, follow-up, regie and agreements, under their match', () => {
    const AGREEMENT_ID = '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
    const agreement = {
      agreementId: AGREEMENT_ID,
      actionKind: 'home_visit',
      informationCategory: 'housing',
      purpose: 'prevent_eviction',
      dueDate: '2026-03-15',
      createdAt: '2026-02-04T09:00:00.000Z',
    };
    const full: AccessReportInput = {
      ...answer,
      signals: [
        {
          ...answer.signals[0]!,
          legalBasis: 'consent',
          attestedOn: '2026-01-30',
          consent: {
            date: '2026-02-02',
            scopes: ['team_meeting', 'share_with_matched'],
            recordedAt: '2026-02-03T10:00:00.000Z',
            withdrawnAt: '2026-02-20T10:00:00.000Z',
          },
        },
        {
          ...answer.signals[0]!,
          organisationName: 'Schuldhulp B',
          legalBasis: 'jeugdwet',
          attestedOn: null,
          consent: null,
        },
      ],
      matches: [
        {
          ...answer.matches[0]!,
          followUp: [{ outcome: 'contact_made', at: '2026-02-05T09:00:00.000Z' }, null],
          regie: { holder: 1, since: '2026-02-06T09:00:00.000Z' },
          agreements: [{ ...agreement, owner: 1, status: 'done' }],
        },
        {
          ...answer.matches[1]!,
          followUp: [null, { outcome: 'client_refused', at: '2026-01-13T09:00:00.000Z' }],
          regie: null,
          agreements: [],
        },
      ],
    };
    const nl = renderAccessReport(full, 'nl');
    expect(nl).toContain(
      [
        'Meldingen over u',
        '- Jeugdzorg A heeft op 1 februari 2026 een melding gedaan (actief)',
        '  Grondslag: uw toestemming, gegeven op 30 januari 2026',
        '  Uw toestemming om samen te werken: uw situatie bespreken in een overleg en informatie delen met de betrokken hulpverleners (gegeven op 2 februari 2026, vastgelegd op 3 februari 2026, ingetrokken op 20 februari 2026)',
        '- Schuldhulp B heeft op 1 februari 2026 een melding gedaan (actief)',
        '  Grondslag: de Jeugdwet (de verwijsindex)',
        '',
        'Matches van uw meldingen',
        'Bij een match horen twee organisaties dat zij allebei bij u betrokken zijn. Zij krijgen elkaars contactgegevens.',
        '- 1 februari 2026: Jeugdzorg A en Schuldhulp B kregen een match (actief)',
        '  Opvolging door Jeugdzorg A: contact gelegd (5 februari 2026)',
        '  Schuldhulp B heeft de regie sinds 6 februari 2026',
        '  Afspraak: Huisbezoek, door Schuldhulp B. Soort informatie: wonen. Doel: huisuitzetting voorkomen. Uiterlijk 15 maart 2026. Status: gedaan.',
        '',
      ].join('\n'),
    );
    expect(nl).toContain(
      [
        '- 12 januari 2026: Wijkteam D en Basisschool C kregen een gezinsmatch (beëindigd)',
        '  Opvolging door Basisschool C: u wilde geen contact (13 januari 2026)',
        '',
      ].join('\n'),
    );
    const en = renderAccessReport(full, 'en');
    expect(en).toContain('  Legal basis: your consent, given on 30 January 2026\n');
    expect(en).toContain(
      '  Your consent to work together: discuss your situation in a meeting and share information with the professionals involved (given on 2 February 2026, recorded on 3 February 2026, withdrawn on 20 February 2026)\n',
    );
    expect(en).toContain('  Legal basis: the Youth Act (the reference index)\n');
    expect(en).toContain('- 1 February 2026: Jeugdzorg A and Schuldhulp B were given a match (active)\n');
    expect(en).toContain('  Follow-up by Jeugdzorg A: contact made (5 February 2026)\n');
    expect(en).toContain('  Schuldhulp B is the case lead since 6 February 2026\n');
    expect(en).toContain(
      '  Agreement: Home visit, by Schuldhulp B. Kind of information: housing. Purpose: prevent eviction. By 15 March 2026. Status: done.\n',
    );
    expect(en).toContain('  Follow-up by Basisschool C: you declined contact (13 January 2026)\n');
    for (const text of [nl, en]) expect(text).not.toContain(AGREEMENT_ID);
  });
});

describe('API 1.9.0: archive notices, existing answers, informed, restriction and objection', () => {
  const later: AccessReportInput = {
    signals: [
      {
        organisationName: 'Jeugdzorg A',
        status: 'inactive',
        placedAt: '2026-02-01T09:00:00.000Z',
        endedAt: '2026-03-01T09:00:00.000Z',
        purgeAt: '2031-03-01T09:00:00.000Z',
        informed: { status: 'representative', date: '2026-02-02' },
        restricted: true,
        objection: 'pending',
      },
    ],
    access: [
      {
        at: '2026-04-01T10:00:00.000Z',
        kind: 'received',
        via: 'archive_notice',
        organisationName: 'School B',
        role: 'organisation',
        personName: null,
      },
      {
        at: '2026-04-02T10:00:00.000Z',
        kind: 'viewed',
        via: 'archive_notice',
        organisationName: 'School B',
        role: 'professional',
        personName: 'Nora Nieuw',
      },
      {
        at: '2026-04-03T10:00:00.000Z',
        kind: 'viewed',
        via: 'existing',
        organisationName: 'Jeugdzorg A',
        role: 'professional',
        personName: 'Pieter Collega',
      },
    ],
  };

  it('words each in Dutch', () => {
    const text = renderAccessReport(later, 'nl');
    expect(text).toContain(
      '  Uw wettelijk vertegenwoordiger is over deze melding geïnformeerd op 2 februari 2026',
    );
    expect(text).toContain('  Beperkt (AVG artikel 18)');
    expect(text).toContain('  Uw bezwaar (AVG artikel 21) is in behandeling');
    expect(text).toContain(
      '- 1 april 2026 10:00 UTC: School B, systeem van de organisatie — kreeg bij een nieuwe melding de contactgegevens van uw afgesloten melding (een archiefbericht)',
    );
    expect(text).toContain('School B, hulpverlener, Nora Nieuw — heeft dat archiefbericht opnieuw ingezien');
    expect(text).toContain(
      'Jeugdzorg A, hulpverlener, Pieter Collega — zag bij een melding of opzoeking dat uw melding al bestond',
    );
  });

  it('words each in English', () => {
    const text = renderAccessReport(later, 'en');
    expect(text).toContain('  Your legal representative was informed of this signal on 2 February 2026');
    expect(text).toContain('  Restricted (GDPR article 18)');
    expect(text).toContain('  Your objection (GDPR article 21) is being decided');
    expect(text).toContain(
      'School B, the organisation’s system — was given the contact details of your ended signal',
    );
    expect(text).toContain('School B, professional, Nora Nieuw — viewed that archive notice again');
    expect(text).toContain(
      'Pieter Collega — was shown, placing or looking up a signal, that yours already existed',
    );
  });
});
