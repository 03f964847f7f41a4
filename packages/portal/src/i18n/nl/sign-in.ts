// Dutch: the sign-in screen (docs/portal.md "Signing in").

export const signIn = {
  'signIn.title': 'Inloggen',
  'signIn.intro':
    'U logt in met uw passkey: uw telefoon, beveiligingssleutel of de vingerafdruk van deze computer.',
  'signIn.button': 'Inloggen met passkey',
  'signIn.noPasskey': 'Nog geen passkey?',
} as const;
