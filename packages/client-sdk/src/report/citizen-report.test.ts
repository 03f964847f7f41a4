// The citizen's report: who is involved, who holds regie, consent, what was agreed — in
// Dutch and English, from the match view and the agreements only; codes in words; no
// phone numbers, e-mail addresses, ids or form references. Content assertions, no snapshot.

import { describe, expect, it } from 'vitest';
import type { Agreement, MatchView } from '../client/types.js';
import { formatReportDate, renderCitizenReport } from './citizen-report.js';

const match: MatchView = {
  id: '8c1f0e52-5a0b-4b8e-9d43-6f1e2a3b4c5d',
  kind: 'person',
  status: 'active',
  createdAt: '2026-01-15T10:00:00.000Z',
  ownSignalId: '3f1c9a52-8d7e-4b6a-9c1d-2e5f7a8b9c0d',
  counterpart: {
    organisationName: 'Wijkteam Noord',
    contact: { name: 'A. Jansen', role: 'wijkcoach', email: 'a.jansen@example.nl', phone: '+31 10 765 4321' },
  },
  underObjection: false,
  restricted: false,
  followUp: { contactMadeByMe: null, contactMadeByCounterpart: null, mine: null, counterpart: null },
  regie: { holder: 'counterpart', since: '2026-01-16T09:00:00.000Z', proposal: null },
  coordination: {
    status: 'consented',
    myScopes: ['share_with_matched'],
    counterpartScopes: ['team_meeting'],
  },
};

const agreements: Agreement[] = [
  {
    id: 'aaaaaaaa-0000-4000-8000-000000000001',
    owner: 'counterpart',
    actionKind: 'home_visit',
    informationCategory: 'housing',
    purpose: 'prevent_eviction',
    dueDate: '2026-02-01',
    status: 'open',
    createdAt: '2026-01-16T09:00:00.000Z',
    createdBy: 'me',
    history: [{ status: 'open', at: '2026-01-16T09:00:00.000Z', by: 'me' }],
  },
  {
    id: 'aaaaaaaa-0000-4000-8000-000000000002',
    owner: 'me',
    actionKind: 'apply_for_provision',
    informationCategory: 'income_and_debts',
    purpose: 'municipal_special_fund',
    dueDate: '2026-03-15',
    status: 'done',
    createdAt: '2026-01-16T09:00:00.000Z',
    createdBy: 'me',
    history: [],
  },
];

const own = {
  organisationName: 'Jeugdzorg Rijnmond',
  contact: { name: 'J. de Vries', role: 'jeugdconsulent', phone: '+31 10 123 4567' },
};

describe('renderCitizenReport', () => {
  it('Dutch: involved professionals, regie, consent and the agreements in words', () => {
    const text = renderCitizenReport({ match, agreements, own, lang: 'nl', date: '2026-01-20' });
    expect(text).toContain('Verslag');
    expect(text).toContain('Datum: 20 januari 2026');
    expect(text).toContain('- J. de Vries (jeugdconsulent, Jeugdzorg Rijnmond)');
    expect(text).toContain('- A. Jansen (wijkcoach, Wijkteam Noord)');
    expect(text).toContain('A. Jansen (wijkcoach, Wijkteam Noord) heeft de regie sinds 16 januari 2026.');
    expect(text).toContain(
      'U heeft toestemming gegeven om informatie delen met de betrokken hulpverleners en uw situatie bespreken in een overleg.',
    );
    expect(text).toContain('- Huisbezoek, door A. Jansen (wijkcoach, Wijkteam Noord).');
    expect(text).toContain(
      'Soort informatie: wonen. Doel: huisuitzetting voorkomen. Uiterlijk 1 februari 2026.',
    );
    expect(text).toContain('Status: nog te doen.');
    // an unknown configured code is shown as words, not dropped
    expect(text).toContain('Doel: municipal special fund.');
    expect(text).toContain('Status: gedaan.');
  });

  it('English, with the municipality’s own words for its codes', () => {
    const text = renderCitizenReport({
      match,
      agreements,
      own,
      lang: 'en',
      labels: { purposes: { municipal_special_fund: 'apply to the municipal special fund' } },
    });
    expect(text).toContain('Who is involved:');
    expect(text).toContain('A. Jansen (wijkcoach, Wijkteam Noord) is the case lead since 16 January 2026.');
    expect(text).toContain('- Home visit, by A. Jansen (wijkcoach, Wijkteam Noord).');
    expect(text).toContain(
      'Kind of information: housing. Purpose: prevent eviction. By 1 February 2026. Status: to do.',
    );
    expect(text).toContain('Purpose: apply to the municipal special fund.');
    expect(text).not.toContain('Date:');
  });

  it('without consent or regie it says the process stays anonymous and nobody leads yet', () => {
    const m: MatchView = {
      ...match,
      kind: 'family',
      status: 'ended',
      regie: { holder: null, since: null, proposal: null },
      coordination: { status: 'anonymous', myScopes: [], counterpartScopes: [] },
    };
    const nl = renderCitizenReport({ match: m, agreements: [], own, lang: 'nl' });
    expect(nl).toContain('alleen zonder uw naam (anoniem) besproken');
    expect(nl).toContain('Er is nog niet afgesproken wie de regie heeft.');
    expect(nl).toContain('Er zijn nog geen afspraken vastgelegd.');
    expect(nl).toContain('uw gezin');
    expect(nl).toContain('beëindigd');
    const en = renderCitizenReport({ match: m, agreements: [], own, lang: 'en' });
    expect(en).toContain('only discussed without your name (anonymously)');
    expect(en).toContain('It has not yet been agreed who is the case lead.');
  });

  it('never shows contact numbers, e-mail addresses or ids; is pure', () => {
    const input = { match, agreements, own, lang: 'nl' as const };
    const text = renderCitizenReport(input);
    for (const secret of ['+31', '@', match.id, match.ownSignalId, agreements[0]!.id]) {
      expect(text).not.toContain(secret);
    }
    expect(renderCitizenReport(input)).toBe(text);
    expect(formatReportDate('2026-12-31', 'en')).toBe('31 December 2026');
    expect(formatReportDate('2026-07-04T23:00:00.000Z', 'nl')).toBe('4 juli 2026');
  });
});
