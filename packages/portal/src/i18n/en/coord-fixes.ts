// English: what the coordinator's walk-through added (see nl/coord-fixes.ts).
import type { coordFixes as nl } from '../nl/coord-fixes.js';

export const coordFixes: Record<keyof typeof nl, string> = {
  'coordfix.transfer.progress': 'In progress: {moved} of {total} signals handed over to {name}…',
  'coordfix.transfer.partial':
    '{moved} signals were handed over to {name}. {notMoved} signals were not. Press Hand over again: the active signals {from} still holds then go to {name} as well.',
  'coordfix.devices.newName': 'Name of the new passkey',
  'coordfix.devices.newName.description':
    'For example "phone" or "security key", so that you recognise the passkey later in the list.',
  'coordfix.devices.lastRemoved':
    'This person now has no passkey. They can only sign in again with a new invitation code: make one with the Invitation code button in this person’s row.',
};
