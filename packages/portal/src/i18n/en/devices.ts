// English: one's own devices (passkeys): the list, adding and removing one (docs/portal.md "Signing
// in").
import type { devices as nl } from '../nl/devices.js';

export const devices: Record<keyof typeof nl, string> = {
  'devices.title': 'My devices',
  'devices.intro':
    'You can sign in with these passkeys. Remove a device you lost or no longer use. To add or remove one, you first confirm with a passkey you already have.',
  'devices.caption': 'Your passkeys',
  'devices.name': 'Device',
  'devices.created': 'Created',
  'devices.remove': 'Remove {name}',
  'devices.removed': 'Device {name} has been removed.',
  'devices.add': 'Add another passkey',
  'devices.addIntro':
    'Step 1: confirm with a passkey you already have. Step 2: create the new passkey on the device you are adding.',
  'devices.confirm': 'Confirm with my passkey',
  'devices.confirmed': 'Confirmed. Now create the new passkey within 5 minutes.',
  'devices.create': 'Create the new passkey',
  'devices.added': 'Device {name} has been added.',
  'devices.none': 'No devices yet.',
  'devices.removeAt': 'Remove {name} in row {row} (created {created})',
  'devices.error.name': 'Enter a name for the new device.',
};
