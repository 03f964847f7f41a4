// English: making a passkey with an invitation code (docs/portal.md "Signing in").
import type { enrol as nl } from '../nl/enrol.js';

export const enrol: Record<keyof typeof nl, string> = {
  'enrol.title': 'Create a passkey with an invitation code',
  'enrol.intro':
    'Your organisation’s coordinator gave you an invitation code, or the municipality if you work there. With it you create a passkey on this device.',
  'enrol.code': 'Invitation code',
  'enrol.device': 'Name of this device',
  'enrol.device.help': 'For example "work laptop", so that you recognise it later in your list of devices.',
  'enrol.button': 'Create passkey',
  'enrol.done': 'Your passkey has been created. You can sign in now.',
  'enrol.errors.title': 'Please check these fields',
  'enrol.error.code': 'Enter the invitation code.',
  'enrol.error.device': 'Enter a name for this device.',
};
