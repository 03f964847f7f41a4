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
  'signals.withdraw.ended': 'End involvement: {reference}',
  'signals.withdraw.error': 'Delete signal (placed in error): {reference}',
  'signals.withdrawn.ended': 'The signal has ended and goes to the archive.',
  'signals.withdrawn.error': 'The signal has been deleted.',
  'signals.lookup.title': 'Find my signal for this client',
  'signals.lookup.help':
    'Type the BSN again. The page turns it into a pseudonym and searches only your own signals in this browser.',
  'signals.lookup.button': 'Find',
  'signals.lookup.none':
    'No signal of yours for this person found in this browser. Was a signal handed over to you? Then choose ‘Link to client’ at that signal.',
  'signals.lookup.found': 'Found: {references}',
  'signals.link.open': 'Link to client: {reference}',
  'signals.link.title': 'Link to client: {reference}',
  'signals.link.intro':
    'Type the client’s BSN and your own reference. The page turns the BSN into a pseudonym and looks the signal up with it. No signal is placed and nothing about this signal changes. If the BSN is another person’s, you are told so and nothing is kept.',
  'signals.link.reference': 'Own reference (optional)',
  'signals.link.referenceHelp': 'Only for yourself. It stays in this browser and is not sent.',
  'signals.link.button': 'Link',
  'signals.link.linked': 'Linked: {reference}. You can now also find this signal by the BSN.',
  'signals.link.other': 'This BSN is another person’s than {name}. Nothing was linked and nothing was kept.',
  'signals.informed': 'Informed',
  'signals.informed.change': 'Update whom you informed: {reference}',
  'informed.title': 'Whom you informed: {reference}',
  'informed.intro': 'Record whom you informed about this signal, and when. You can update this again later.',
  'informed.save': 'Save',
  'informed.saved': 'Recorded for {reference}: {status}, on {date}.',
  'informed.saved.notYet': 'Recorded for {reference}: {status}.',
};
