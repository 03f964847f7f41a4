// Dutch: making a passkey with an invitation code (docs/portal.md "Signing in").

export const enrol = {
  'enrol.title': 'Passkey aanmaken met uitnodigingscode',
  'enrol.intro':
    'U hebt een uitnodigingscode gekregen van de coördinator van uw organisatie, of van de gemeente als u daar werkt. Daarmee maakt u een passkey op dit apparaat.',
  'enrol.code': 'Uitnodigingscode',
  'enrol.device': 'Naam van dit apparaat',
  'enrol.device.help': 'Bijvoorbeeld "laptop werk". Zo herkent u het later in uw lijst met apparaten.',
  'enrol.button': 'Passkey aanmaken',
  'enrol.done': 'Uw passkey is aangemaakt. U kunt nu inloggen.',
  'enrol.errors.title': 'Controleer de volgende velden',
  'enrol.error.code': 'Vul de uitnodigingscode in.',
  'enrol.error.device': 'Vul een naam voor dit apparaat in.',
} as const;
