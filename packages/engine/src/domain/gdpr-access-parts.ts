// What the GDPR art. 15 access report adds to a signal and a match beyond ids, status and
// dates (docs/privacy.md §2, art. 15): the consent recorded on the signal, and per match each
// organisation's follow-up outcome, who holds regie, and the process agreements. All of it is
// stored about the citizen, so all of it is in the answer; none of it is a contact detail or
// a pseudonym, and the consent's form reference stays with the organisation that holds the form.

import type { GdprAccessReport, GdprAgreementRecord, GdprConsentRecord, GdprFollowUp } from '../api.js';
import type { MatchRow, Side, SignalRow, StoreReader } from '../store/store.js';

type MatchExtras = Pick<GdprAccessReport['matches'][number], 'followUp' | 'regie' | 'agreements'>;

export async function consentPart(tx: StoreReader, s: SignalRow): Promise<GdprConsentRecord | null> {
  const c = await tx.getConsent(s.rid);
  if (c === undefined) return null;
  return { date: c.date, scopes: [...c.scopes], recordedAt: c.recordedAt, withdrawnAt: c.withdrawnAt };
}

const index = (side: Side): 0 | 1 => (side === 'a' ? 0 : 1);

function followUp(outcome: MatchRow['outcomeA'], at: number | null): GdprFollowUp | null {
  return outcome === null || at === null ? null : { outcome, at };
}

/** Side a is index 0, as in the report's `organisationNames`. */
export async function matchExtras(tx: StoreReader, m: MatchRow): Promise<MatchExtras> {
  const agreements = new Map<string, GdprAgreementRecord>();
  for (const e of await tx.agreementEntries(m.rid)) {
    if (e.kind === 'agreement') {
      agreements.set(e.agreementId, {
        agreementId: e.agreementId,
        owner: index(e.owner ?? e.bySide),
        actionKind: e.actionKind ?? '',
        informationCategory: e.informationCategory ?? '',
        purpose: e.purpose ?? '',
        dueDate: e.dueDate ?? '',
        status: 'open',
        createdAt: e.at,
      });
      continue;
    }
    const a = agreements.get(e.agreementId);
    if (a !== undefined && e.status !== null) agreements.set(e.agreementId, { ...a, status: e.status });
  }
  return {
    followUp: [followUp(m.outcomeA, m.contactMadeA), followUp(m.outcomeB, m.contactMadeB)],
    regie:
      m.regieHolder === null || m.regieSince === null
        ? null
        : { holder: index(m.regieHolder), since: m.regieSince },
    agreements: [...agreements.values()],
  };
}
