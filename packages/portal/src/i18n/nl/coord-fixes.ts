// Dutch: what the coordinator's walk-through added — a handover in chunks (its progress and a
// partial failure said honestly), and the device texts that fit a security key too.

export const coordFixes = {
  'coordfix.transfer.progress': 'Bezig: {moved} van {total} signalen zijn overgedragen aan {name}…',
  'coordfix.transfer.partial':
    '{moved} signalen zijn overgedragen aan {name}. {notMoved} signalen zijn niet overgedragen. Druk nog eens op Overdragen: dan gaan ook de actieve signalen die {from} nog heeft naar {name}.',
  'coordfix.devices.newName': 'Naam van de nieuwe passkey',
  'coordfix.devices.newName.description':
    'Bijvoorbeeld "telefoon" of "beveiligingssleutel". Zo herkent u de passkey later in de lijst.',
  'coordfix.devices.lastRemoved':
    'Deze persoon heeft nu geen passkey meer. Inloggen kan pas weer met een nieuwe uitnodigingscode: maak die met de knop Uitnodigingscode in de rij van deze persoon.',
} as const;
