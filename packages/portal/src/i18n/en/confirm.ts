// English: the confirm steps before an action that cannot be undone (docs/portal.md "Confirming").
import type { confirm as nl } from '../nl/confirm.js';

export const confirm: Record<keyof typeof nl, string> = {
  'confirm.cancel': 'Cancel',
  'confirm.withdrawError.title': 'Delete the signal?',
  'confirm.withdrawError.text':
    'You state that this signal ({reference}) was placed in error. It is deleted at once and for good, with its matches. This cannot be undone.',
  'confirm.withdrawError.button': 'Yes, delete the signal',
  'confirm.withdrawEnded.title': 'End involvement?',
  'confirm.withdrawEnded.text':
    'You state that you are no longer involved with the person of this signal ({reference}). The signal ends at once and goes to the archive. Its matches end too. This cannot be undone.',
  'confirm.withdrawEnded.button': 'Yes, end involvement',
  'confirm.removePerson.title': 'Remove {name}?',
  'confirm.removePerson.text':
    '{name} can no longer sign in: the passkeys of {name} are deleted and open sessions end at once. This cannot be undone. The signals of {name} stay; hand them over to a colleague afterwards.',
  'confirm.removePerson.button': 'Yes, remove {name}',
  'confirm.removeDevice.title': 'Remove device {name} (created {created})?',
  'confirm.removeDevice.text':
    'Nobody can sign in with the passkey on this device any more. Sessions opened with it end at once.',
  'confirm.removeOwnDevice.text':
    'You can no longer sign in with this passkey. If you are signed in with it now, your session ends at once.',
  'confirm.removeLastDevice.text':
    'This is your only passkey. Afterwards you cannot sign in any more, not on this device either. You will then need a new invitation code from your organisation’s coordinator, or from the municipality’s administrator if you work there. Add another passkey first if you want to avoid that.',
  'confirm.removeDevice.button': 'Yes, remove {name}',
  'confirm.transfer.title': 'Hand over the signals?',
  'confirm.transfer.text':
    '{count} active signals of {from} go to {to}. From then on {to} sees the matches of these signals and {from} no longer does. The other professionals of those matches see the contact details of {to} from now on.',
  'confirm.transfer.text.one':
    '1 active signal of {from} goes to {to}. From then on {to} sees the matches of this signal and {from} no longer does. The other professionals of those matches see the contact details of {to} from now on.',
  'confirm.transfer.button': 'Yes, hand over',
};
