// Dutch: one's own devices (passkeys): the list, adding and removing one (docs/portal.md "Signing
// in").

export const devices = {
  'devices.title': 'Mijn apparaten',
  'devices.intro':
    'Met deze passkeys kunt u inloggen. Verwijder een apparaat dat u kwijt bent of niet meer gebruikt. Voor toevoegen en verwijderen bevestigt u eerst met een passkey die u al hebt.',
  'devices.caption': 'Uw passkeys',
  'devices.name': 'Apparaat',
  'devices.created': 'Aangemaakt',
  'devices.remove': '{name} verwijderen',
  'devices.removed': 'Apparaat {name} is verwijderd.',
  'devices.add': 'Nog een passkey toevoegen',
  'devices.addIntro':
    'Stap 1: bevestig met een passkey die u al hebt. Stap 2: maak de nieuwe passkey aan op het apparaat dat u toevoegt.',
  'devices.confirm': 'Bevestigen met mijn passkey',
  'devices.confirmed': 'Bevestigd. Maak nu binnen 5 minuten de nieuwe passkey aan.',
  'devices.create': 'Nieuwe passkey aanmaken',
  'devices.added': 'Apparaat {name} is toegevoegd.',
  'devices.none': 'Nog geen apparaten.',
  'devices.removeAt': '{name} in rij {row} (aangemaakt {created}) verwijderen',
  'devices.error.name': 'Vul een naam voor het nieuwe apparaat in.',
} as const;
