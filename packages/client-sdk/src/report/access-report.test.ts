// The citizen's access report text, in Dutch and in English: every signal and every
// receipt or view is a line with the organisation, the role in words, the professional's
// name where the answer gives one and the time; no id from the answer appears.

import { describe, expect, it } from 'vitest';
import { type AccessReportInput, renderAccessReport } from './access-report.js';

const SIGNAL_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const MATCH_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

/** As the server answers (with ids the report must not show). */
const answer: AccessReportInput = JSON.parse(
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
        'Wie uw melding heeft ontvangen of ingezien',
        '- 1 februari 2026 10:15 UTC: Schuldhulp B, systeem van de organisatie — ontving bericht van een match',
        '- 2 februari 2026 08:05 UTC: Schuldhulp B, hulpverlener, Bram Bekijker — heeft de match ingezien',
        '- 1 maart 2026 12:00 UTC: De gemeente, AVG-loket van de gemeente — heeft de match ingezien',
        '',
      ].join('\n'),
    );
  });

  it('in English', () => {
    const text = renderAccessReport(answer, 'en');
    expect(text).toContain('Who received or viewed your signal');
    expect(text).toContain('- Jeugdzorg A placed a signal on 1 February 2026 (active)');
    expect(text).toContain(
      '- 2 February 2026 08:05 UTC: Schuldhulp B, professional, Bram Bekijker — viewed the match',
    );
    expect(text).toContain(
      '- 1 March 2026 12:00 UTC: The municipality, GDPR desk of the municipality — viewed the match',
    );
  });

  it('names no id, and says so when nothing is there', () => {
    for (const lang of ['nl', 'en'] as const) {
      const text = renderAccessReport(answer, lang);
      expect(text).not.toContain(SIGNAL_ID);
      expect(text).not.toContain(MATCH_ID);
    }
    expect(renderAccessReport({ signals: [], access: [] }, 'nl')).toContain(
      'Niemand heeft uw melding ontvangen of ingezien.',
    );
    expect(renderAccessReport({ signals: [], access: [] }, 'en')).toContain(
      'There are no signals about you.',
    );
  });
});
