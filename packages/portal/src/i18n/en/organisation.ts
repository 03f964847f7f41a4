// English: My organisation: the people, adding a person, invitation codes and the transfer of a
// leaver's signals (docs/portal.md "Screens").
import type { organisation as nl } from '../nl/organisation.js';

export const organisation: Record<keyof typeof nl, string> = {
  'org.title': 'My organisation',
  'org.intro':
    'Your organisation’s people, their devices, and handing over the signals of someone who leaves.',
  'org.people': 'People',
  'org.roles': 'Roles',
  'org.invite': 'Invitation code for {name}',
  'org.invite.confirm':
    'Confirm with your own passkey that you are making an invitation code for {name}. The code lets someone add a passkey, so it needs your confirmation.',
  'org.devices': 'Devices of {name}',
  'org.devicesOf': 'Devices of {name}',
  'org.remove': 'Remove {name}',
  'org.removed': '{name} has been removed. This person’s sessions have ended.',
  'org.transfer': 'Hand over signals',
  'org.transfer.intro':
    'A leaving colleague’s active signals go to another colleague, with that colleague’s contact details.',
  'org.transfer.from': 'From (leaving colleague)',
  'org.transfer.to': 'To (colleague)',
  'org.transfer.button': 'Hand over',
  'org.transfer.none': '{name} has no active signals.',
  'org.transfer.done.one': '1 signal has been handed over to {name}.',
  'org.transfer.done': '{count} signals have been handed over to {name}.',
  'org.email': 'E-mail address',
  'org.none': 'none',
  'org.ownCode':
    'You cannot make a new invitation code for yourself. Another coordinator of your organisation or the municipality gives you one.',
  'org.code.title': 'Invitation code for {name}:',
  'org.code.note': 'Pass this code on in person. You see it only once: write it down or copy it now.',
  'org.add': 'Add a person',
  'org.add.intro':
    'Add a colleague. Then make an invitation code for this person in the table. With that code the person makes a passkey to sign in.',
  'org.add.name': 'Name',
  'org.add.name.description':
    'First name and surname. If this person takes over signals later, other professionals see this name.',
  'org.add.email': 'E-mail address (optional)',
  'org.add.email.description':
    'Notices of new matches go here. If this person takes over signals later, other professionals see this address.',
  'org.add.roles': 'Roles',
  'org.add.role.professional': 'Professional: places signals and sees matches',
  'org.add.role.organisation_coordinator':
    'Coordinator: manages the people of your organisation and hands over signals',
  'org.add.button': 'Add',
  'org.add.done': '{name} has been added. Now make an invitation code for {name} in the table.',
  'org.add.error.name': 'Enter the name.',
  'org.add.error.name.invalid': 'The name is too long. Use at most 100 characters.',
  'org.add.error.name.forbidden':
    'The name contains a number that looks like a BSN, or a character that is not allowed. Enter the name only.',
  'org.add.error.email.invalid': 'Enter a valid e-mail address, such as name@organisation.nl.',
  'org.add.error.email.forbidden':
    'The e-mail address contains a number that looks like a BSN, or a character that is not allowed.',
  'org.add.error.roles': 'Choose at least one role.',
  'org.transfer.removed': '{name} (removed)',
  'org.transfer.role': 'Colleague’s role',
  'org.transfer.role.description': 'For example: youth consultant. Other professionals see this role.',
  'org.transfer.phone': 'Colleague’s phone number',
  'org.transfer.phone.description':
    'Required when the colleague has no e-mail address. Other professionals see this number.',
  'org.transfer.contact': 'From now on the other professionals see these contact details:',
  'org.transfer.error.from': 'Choose the colleague who is leaving.',
  'org.transfer.error.to': 'Choose the colleague who receives the signals.',
  'org.transfer.error.to.refused':
    'This colleague cannot receive the signals. Perhaps this person was just removed. Reload the page and choose a colleague.',
  'org.transfer.error.to.contact':
    'The name or e-mail address of this colleague cannot serve as contact details. Choose another colleague.',
  'org.transfer.error.role': 'Enter the colleague’s role.',
  'org.transfer.error.role.invalid': 'The role is too long. Use at most 100 characters.',
  'org.transfer.error.role.forbidden':
    'The role contains a number that looks like a BSN, or a character that is not allowed. Never put a BSN in contact details.',
  'org.transfer.error.phone.required': 'This colleague has no e-mail address. So enter a phone number.',
  'org.transfer.error.phone.invalid':
    'Enter a valid phone number: 6 to 20 characters, only digits, spaces and + - ( ).',
  'org.transfer.error.phone.forbidden':
    'The phone number looks like a BSN or contains a character that is not allowed. Enter the colleague’s phone number.',
  'org.invite.replaces': 'Does {name} already have an unused invitation code? It stops working then.',
  'org.code.replaces':
    'Only this code works: an earlier, unused invitation code for {name} is no longer valid from now on. Passkeys {name} already has keep working.',
  'org.ownDevices': 'You remove your own passkeys under "My devices", confirmed with your passkey.',
};
