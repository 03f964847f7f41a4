// English: the sign-in screen (docs/portal.md "Signing in").
import type { signIn as nl } from '../nl/sign-in.js';

export const signIn: Record<keyof typeof nl, string> = {
  'signIn.title': 'Sign in',
  'signIn.intro':
    'You sign in with your passkey: your phone, a security key or this computer’s fingerprint reader.',
  'signIn.button': 'Sign in with a passkey',
  'signIn.noPasskey': 'No passkey yet?',
};
