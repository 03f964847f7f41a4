// English: My signals: the list, withdrawing, finding a signal again by BSN, and whom you informed
// (docs/portal.md "Screens", "Whom you informed").
import type { signals as nl } from '../nl/signals.js';

export const signals: Record<keyof typeof nl, string> = {
  'signals.title': 'My signals',
  'signals.intro': 'Your active signals. The reference is kept only in this browser.',
  'signals.caption': 'Active signals',
  'signals.reference': 'Reference',
  'signals.noReference': '(no reference in this browser)',
  'signals.restricted': 'processing restricted',
  'signals.underObjection': 'under objection',
  'signals.placed': 'Placed',
  'signals.expires': 'Expires',
  'signals.none': 'You have no active signals.',
  'signals.unnamed': 'a signal without a reference in this browser',
  'signals.unnamedRow': 'signal in row {row}, placed {placed}',
  'signals.withdraw.ended': 'Involvement ended: {reference}',
  'signals.withdraw.error': 'Placed in error: {reference}',
  'signals.withdrawn.ended': 'The signal has ended and goes to the archive.',
  'signals.withdrawn.error': 'The signal has been deleted.',
  'signals.lookup.title': 'Find my signal for this client',
  'signals.lookup.help':
    'Type the BSN again. The page turns it into a pseudonym and searches only your own signals in this browser.',
  'signals.lookup.button': 'Find',
  'signals.lookup.none': 'No signal of yours for this person found in this browser.',
  'signals.lookup.found': 'Found: {references}',
  'signals.informed': 'Informed',
  'signals.informed.change': 'Update whom you informed: {reference}',
  'informed.title': 'Whom you informed: {reference}',
  'informed.intro': 'Record whom you informed about this signal, and when. You can update this again later.',
  'informed.save': 'Save',
  'informed.saved': 'Recorded for {reference}: {status}, on {date}.',
  'informed.saved.notYet': 'Recorded for {reference}: {status}.',
};
