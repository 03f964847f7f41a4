// English: the municipality's administrator: the municipality's people and the organisations
// (docs/portal.md "The municipality's administrator").
import type { municipality as nl } from '../nl/municipality.js';

export const municipality: Record<keyof typeof nl, string> = {
  'municipality.title': 'Municipality: people and organisations',
  'municipality.intro':
    'Here you manage the municipality’s people and the organisations that take part. Making an invitation code and admitting an organisation are confirmed with your own passkey first.',
  'municipality.people.title': 'People of the municipality',
  'municipality.people.caption': 'People of the municipality and their roles',
  'municipality.people.none': 'There are no people yet.',
  'municipality.people.self':
    'This is you. A new invitation code for yourself, or your removal, is done by another administrator or with the admin program on the server.',
  'municipality.add.title': 'Add someone of the municipality',
  'municipality.add.intro':
    'Add a colleague of the municipality and choose the roles. Then make an invitation code for this person in the table.',
  'municipality.role.match_coordinator': 'Match coordinator: follows up the matches',
  'municipality.role.gdpr_desk': 'GDPR desk: handles requests from citizens',
  'municipality.role.auditor': 'Auditor: checks the logbook',
  'municipality.role.administrator': 'Administrator: manages people, organisations and keys',
  'municipality.remove.text':
    '{name} can no longer sign in: the passkeys of {name} are removed and open sessions end at once. You cannot undo this.',
  'municipality.remove.text.organisation':
    '{name} can no longer sign in: the passkeys of {name} are removed and open sessions end at once. You cannot undo this. Signals of {name} stay; the organisation’s coordinator can hand them over to a colleague.',
  'municipality.org.title': 'Organisations',
  'municipality.org.intro':
    'The organisations with a covenant. A suspended organisation can do nothing until you reinstate it.',
  'municipality.org.caption': 'Admitted organisations and their status',
  'municipality.org.none': 'There are no organisations yet.',
  'municipality.org.type': 'Type of organisation',
  'municipality.org.status': 'Status',
  'municipality.org.status.active': 'active',
  'municipality.org.status.suspended': 'suspended',
  'municipality.org.people': 'People of {name}',
  'municipality.org.peopleOf': 'People of {name}',
  'municipality.org.peopleCaption': 'People of {name} and their roles',
  'municipality.org.peopleIntro':
    'A new organisation starts with a coordinator: add them here and make an invitation code. The coordinator then adds the other people.',
  'municipality.org.add': 'Add someone to {name}',
  'municipality.org.add.intro':
    'Usually the organisation’s first coordinator. Then make an invitation code for this person in the table.',
  'municipality.org.suspend': 'Suspend {name}',
  'municipality.org.reinstate': 'Reinstate {name}',
  'municipality.org.suspended': '{name} has been suspended.',
  'municipality.org.reinstated': '{name} has been reinstated.',
  'municipality.confirm.suspend.title': 'Suspend {name}?',
  'municipality.confirm.suspend.text':
    'From its next request {name} can do nothing: no placing or withdrawing signals, no matches. The people of {name} can do nothing either. Signals are kept. You can reinstate {name} later.',
  'municipality.confirm.suspend.button': 'Yes, suspend {name}',
  'municipality.confirm.reinstate.title': 'Reinstate {name}?',
  'municipality.confirm.reinstate.text':
    '{name} and its people can work again. Active signals of {name} are compared again at once; new matches may follow.',
  'municipality.confirm.reinstate.button': 'Yes, reinstate {name}',
  'municipality.admit.title': 'Admit an organisation',
  'municipality.admit.intro':
    'Admit an organisation once the covenant is signed. The organisation makes its own key (sluis keygen) and gives you only the public key. Then you confirm with your own passkey.',
  'municipality.admit.name': 'Name of the organisation',
  'municipality.admit.key': 'Public key of the organisation',
  'municipality.admit.key.description':
    'The 43 characters that sluis keygen shows, for example 0vW2…. Never the secret key.',
  'municipality.admit.button': 'Admit',
  'municipality.admit.confirm':
    'Confirm with your own passkey that you admit {name}. With this key the organisation can then make requests itself; that is why your confirmation is needed.',
  'municipality.admit.done':
    '{name} has been admitted. Now add its first coordinator under "People of {name}" and make an invitation code.',
  'municipality.admit.error.name': 'Enter the name of the organisation.',
  'municipality.admit.error.name.invalid': 'The name is too long. Use at most 200 characters.',
  'municipality.admit.error.name.forbidden':
    'The name contains a number that looks like a BSN, or a character that is not allowed. Enter only the name of the organisation.',
  'municipality.admit.error.type': 'Choose the type of organisation.',
  'municipality.admit.error.type.unknown':
    'This server does not know this type of organisation. Choose another type, or ask whoever runs the server.',
  'municipality.admit.error.key': 'Enter the public key of the organisation.',
  'municipality.admit.error.key.invalid':
    'This is not a valid public key. Enter the 43 characters that sluis keygen shows, without spaces.',
  'municipality.admit.error.key.taken': 'This key is already in use. Ask the organisation to make a new key.',
  'municipality.type.youth_care': 'Youth care',
  'municipality.type.general_practice': 'General practice',
  'municipality.type.school': 'School',
  'municipality.type.debt_counselling': 'Debt counselling',
  'municipality.type.housing': 'Housing (housing association)',
  'municipality.type.police': 'Police',
  'municipality.type.social_services': 'Social district team or social services',
  'municipality.type.municipality': 'Municipality',
  'municipality.type.other': 'Other',
  'municipality.error.passkey_counter_invalid':
    'Your passkey gave a counter that is not right. A copy of it may be in use. Try again; if it happens again, remove this passkey under "My devices".',
  'municipality.error.public_key_invalid':
    'This is not a valid public key. Ask the organisation to send the key again.',
  'municipality.error.text_forbidden':
    'A field contains a number that looks like a BSN, or a character that is not allowed. Nothing was saved.',
  'municipality.error.forbidden':
    'You may not do this. Another administrator gives you an invitation code for yourself.',
  'municipality.orgRole.professional': 'Professional: places signals and sees matches',
  'municipality.orgRole.organisation_coordinator':
    'Coordinator: manages the organisation’s people and hands over signals',
  'municipality.cli':
    'Keys and key periods (epochs), organisation settings such as the webhook and the daily budget, and people’s devices you manage on the server with the admin program (sluis-server admin …).',
};
