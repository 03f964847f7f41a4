// English: what the administrator's walk-through added (see nl/admin-fixes.ts).
import type { adminFixes as nl } from '../nl/admin-fixes.js';

export const adminFixes: Record<keyof typeof nl, string> = {
  'adminfix.code.validUntil': 'The code works until',
  'adminfix.code.where': 'The person creates a passkey with it on this page:',
  'adminfix.admit.id': 'The id of {name}:',
  'adminfix.admit.next':
    'The pseudonym service must know {name} first. Give this id, the public key and the name to whoever runs the pseudonym service: they admit {name} there. Until then the people of {name} cannot place a signal. Give {name} this id and the server’s address as well.',
  'adminfix.org.close': 'Close people of {name}',
  'error.organisation_unknown':
    'The pseudonym service does not know your organisation yet, so you cannot place or look up a signal yet. Nothing was sent. Ask your organisation’s coordinator to report this to the municipality’s administrator.',
  'error.organisation_suspended':
    'Your organisation is suspended. Nothing was sent, and your signals are kept. Ask your organisation’s coordinator to contact the municipality.',
  'error.organisation_suspended.signIn':
    'Your organisation’s access to sluis is suspended, so you cannot sign in or register a passkey now. Your signals are kept. Ask your organisation’s coordinator to contact the municipality.',
  'adminfix.mi.allSuppressed':
    'In this month every count is below {threshold}. That can also be 0, for instance in a month before your municipality started with this portal.',
  'adminfix.keys.owner.organisation': '{name} (organisation {id})',
};
