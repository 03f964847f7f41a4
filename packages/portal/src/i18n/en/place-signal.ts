// English: placing a signal: the form, its checks, the preview and what was sent (docs/portal.md
// "Placing a signal", "A person without a BSN").
import type { placeSignal as nl } from '../nl/place-signal.js';

export const placeSignal: Record<keyof typeof nl, string> = {
  'place.title': 'Place a signal',
  'place.intro':
    'Record that you are involved with a child or young person. You never give a reason. The BSN stays in this page: it is checked here and turned into a pseudonym.',
  'place.person': 'Who is it about?',
  'place.bsn': 'BSN',
  'place.bsn.help': '9 digits (an 8-digit BSN is fine too). Not sent.',
  'place.parent1': 'First parent’s BSN (optional)',
  'place.parent2': 'Second parent’s BSN (optional)',
  'place.parents.help': 'For a family match. Not sent, only a pseudonym.',
  'place.dateOfBirth': 'Date of birth (optional)',
  'place.dateOfBirth.help':
    'Only to compute the end date. The signal ends on the 1st of the month in which the young person turns 23 (for a birthday on the 1st: a month earlier), and at the latest 2 years from today. The date of birth is not sent.',
  'place.withoutBsn': 'This person has no BSN',
  'place.withoutBsn.help':
    'You then place the signal with surname, date of birth and gender (Besluit Jeugdwet art. 7.3.1). They are not sent, only a pseudonym.',
  'place.withoutBsn.unavailable':
    'A person without a BSN cannot be placed here now. That needs pseudonyms computed by the pseudonym service: surname, date of birth and gender together are far easier to guess than a BSN.',
  'place.surname': 'Surname',
  'place.surname.help': 'As you know it, with prefixes (such as "van der"). Not sent.',
  'place.gender': 'Gender',
  'place.gender.M': 'Male',
  'place.gender.V': 'Female',
  'place.gender.O': 'Unknown',
  'place.dateOfBirth.withoutBsn': 'Date of birth',
  'place.dateOfBirth.withoutBsn.help':
    'Belongs to the person without a BSN and also gives the end date. The date of birth is not sent.',
  'place.error.surname_required': 'Enter the surname.',
  'place.error.substitute_surname_invalid': 'A surname contains letters; check the surname.',
  'place.error.substitute_date_invalid': 'Enter the date of birth (between 1900 and 2099).',
  'place.error.substitute_gender_invalid': 'Choose the gender.',
  'place.error.substitute_input_invalid': 'Check surname, date of birth and gender.',
  'place.error.scheme_requires_oprf': 'A person without a BSN cannot be placed here now.',
  'place.error.field.surname': 'Check the surname.',
  'place.error.field.gender': 'Choose the gender.',
  'place.informed': 'Whom did you inform about this signal?',
  'place.informed.citizen': 'The young person (12 or older)',
  'place.informed.representative': 'The legal representative',
  'place.informed.both': 'The young person and the legal representative',
  'place.informed.not_yet': 'Not yet',
  'place.informedDate': 'Date you informed them',
  'place.contact': 'Your contact details',
  'place.contact.help':
    'Only a professional with a match sees these. Fill in a phone number or an e-mail address, or both.',
  'place.name': 'Name',
  'place.role': 'Role',
  'place.phone': 'Phone',
  'place.email': 'E-mail',
  'place.reference': 'Your own reference (optional)',
  'place.reference.help':
    'For example your case number. Kept only in this browser, so that you know whom the signal is about. Do not enter a name or BSN.',
  'place.basis.title': 'Legal basis',
  'place.basis.text':
    'You place this signal under the Youth Act (Jeugdwet article 7.1.4.1, the reference index for young people at risk) and your organisation’s covenant with the municipality.',
  'place.check': 'Check',
  'place.summary.bsn': 'BSN',
  'place.summary.parent1': 'First parent’s BSN',
  'place.summary.parent2': 'Second parent’s BSN',
  'place.errors.title': 'Please check these fields',
  'place.error.bsn_required': 'Enter the BSN.',
  'place.error.bsn_non_digit': 'The BSN may contain digits only.',
  'place.error.bsn_wrong_length': 'A BSN has 8 or 9 digits.',
  'place.error.bsn_all_zeros': 'A BSN cannot be all zeros.',
  'place.error.bsn_checksum': 'This is not a valid BSN: it fails the eleven test. Check the digits.',
  'place.error.identifier_not_a_string': 'Enter the BSN as digits.',
  'place.error.informed': 'Choose whom you informed.',
  'place.error.informedDate': 'Enter the date you informed them.',
  'place.error.name': 'Enter your name.',
  'place.error.role': 'Enter your role.',
  'place.error.phoneOrEmail': 'Enter a phone number or an e-mail address.',
  'place.error.field.bsn': 'Check the BSN.',
  'place.error.field.parent1': 'The first parent’s BSN equals another BSN.',
  'place.error.field.parent2': 'The second parent’s BSN equals another BSN.',
  'place.error.field.dateOfBirth':
    'This date of birth is not possible: in the future, or the person is 23 or older.',
  'place.error.field.informed': 'Choose whom you informed.',
  'place.error.field.informedDate': 'The date you informed them cannot be in the future.',
  'place.error.field.name': 'The name is too long or contains characters that are not allowed.',
  'place.error.field.role': 'The role is too long or contains characters that are not allowed.',
  'place.error.field.phone': 'Enter a valid phone number (6 to 20 characters), or an e-mail address.',
  'place.error.field.email': 'Enter a valid e-mail address.',
  'place.error.field.reference': 'Check your reference.',
  'place.preview.title': 'This will be sent',
  'place.preview.intro':
    'Check what goes to the server. Instead of a BSN, a code goes to the server. No one can get the BSN back from that code. Below you see only the start of each code. The number before the colon is the version of the key.',
  'place.preview.subject': 'Code instead of the young person’s BSN',
  'place.preview.parents': 'Codes instead of the parents’ BSNs',
  'place.preview.none': 'none',
  'place.preview.endDate': 'End date',
  'place.preview.defaultEnd': '(active up to and including this day; never longer than 2 years)',
  'place.preview.notSent':
    'Not sent: the BSN (or the surname and gender), the parents’ BSNs, the date of birth and your own reference.',
  'place.send': 'Send',
  'place.change': 'Change',
  'place.sent.created':
    'Your signal has been placed. If there is a match later, you will see it under Matches. Every screen then also shows a notice.',
  'place.sent.existing':
    'You already had an active signal for this person. No second one was made. The new details were not saved: whom you informed, your contact details and the parents’ BSNs stay as in the first signal.',
  'place.sent.colleague':
    'Your organisation already has an active signal for this person, held by a colleague (or by your organisation’s own system). No second one was made. You cannot open that signal or its matches. To take it over, your organisation’s coordinator can hand it over to you; the button below asks them.',
  'place.another': 'Place another signal',
  'place.error.forbidden.name':
    'The name contains a number that looks like a BSN, or a character that is not allowed. Never put a BSN in your contact details.',
  'place.error.forbidden.role':
    'The job title contains a number that looks like a BSN, or a character that is not allowed. Never put a BSN in your contact details.',
  'place.error.forbidden.phone':
    'The phone number looks like a BSN or contains a character that is not allowed. Enter your own phone number.',
  'place.error.forbidden.email':
    'The e-mail address contains a number that looks like a BSN, or a character that is not allowed. Enter your own e-mail address.',
};
