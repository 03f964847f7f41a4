// What the GDPR art. 15 access report adds to a signal and a match beyond ids, status and
// dates (docs/privacy.md §2, art. 15): the consent recorded on the signal, and per match each
// organisation's follow-up outcome, who holds regie, and the process agreements with their
// status history. Only what is about the citizen: a family match's other side is a sibling, and
// a family match the citizen is in only as a parent is the children's care, so their follow-up
// and agreements stay out (`sidesOfTheCitizen`). None of it is a contact detail or a pseudonym,
// and the consent's form reference stays with the organisation that holds the form.

import type { GdprAccessReport, GdprAgreementRecord, GdprConsentRecord, GdprFollowUp } from '../api.js';
import type { MatchRow, Side, SignalRow, StoreReader } from '../store/store.js';
import { foldAgreements } from './agreements.js';

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

/**
 * The sides of match `m` whose follow-up and agreements are about the citizen: both of a person
 * match (both signals are theirs); of a family match only the side of their own signal (the
 * other is a sibling's); none of a family match they are in as a parent only (`via: 'parent'`:
 * both sides are their children's care steps, which the children's own access request answers).
 */
export function sidesOfTheCitizen(
  m: MatchRow,
  via: 'signal' | 'parent',
  ownSignalRids: ReadonlySet<number>,
): readonly Side[] {
  if (via === 'parent') return [];
  if (m.kind !== 'family') return ['a', 'b'];
  return (['a', 'b'] as const).filter((s) => ownSignalRids.has(s === 'a' ? m.a : m.b));
}

/**
 * Side a is index 0, as in the report's `organisationNames`. Only `sides` (sidesOfTheCitizen)
 * are reported: another side's follow-up is null, its agreements are left out, and regie is null
 * when no side is the citizen's.
 */
export async function matchExtras(
  tx: StoreReader,
  m: MatchRow,
  sides: readonly Side[],
): Promise<MatchExtras> {
  const ours = (s: Side) => sides.includes(s);
  // The agreements as side a sees them ('me' = a): the organisation's own view, mapped to indexes.
  const at = (r: 'me' | 'counterpart'): 0 | 1 => (r === 'me' ? 0 : 1);
  const agreements: GdprAgreementRecord[] = foldAgreements(await tx.agreementEntries(m.rid), 'a')
    .filter((a) => ours(a.owner === 'me' ? 'a' : 'b'))
    .map((a) => ({
      agreementId: a.id,
      owner: at(a.owner),
      actionKind: a.actionKind,
      informationCategory: a.informationCategory,
      purpose: a.purpose,
      dueDate: a.dueDate,
      status: a.status,
      createdAt: a.createdAt,
      createdBy: at(a.createdBy),
      history: a.history.map((h) => ({ status: h.status, at: h.at, by: at(h.by) })),
    }));
  return {
    followUp: [
      ours('a') ? followUp(m.outcomeA, m.contactMadeA) : null,
      ours('b') ? followUp(m.outcomeB, m.contactMadeB) : null,
    ],
    regie:
      sides.length === 0 || m.regieHolder === null || m.regieSince === null
        ? null
        : { holder: index(m.regieHolder), since: m.regieSince },
    agreements,
  };
}
