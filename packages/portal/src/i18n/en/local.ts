// English: what this browser keeps (own references, the lookup key) and removing it (docs/portal.md
// "What stays in the browser").
import type { local as nl } from '../nl/local.js';

export const local: Record<keyof typeof nl, string> = {
  'local.reference.forbidden':
    'The reference contains a number that looks like a BSN, or a character that is not allowed. Never put a BSN in your reference.',
  'local.reference.invalid':
    'The reference is too long (more than 100 characters) or contains characters that are not allowed.',
  'local.forget.title': 'What this browser keeps for you',
  'local.forget.text':
    'This browser keeps your own references, a key to find your signals again by BSN, and when you last looked at your matches. Signing out leaves these, so you find them after signing in. On a shared computer, or if you no longer use this computer, remove them.',
  'local.forget.button': 'Remove what this browser keeps for me',
  'local.forget.confirm.title': 'Remove what this browser keeps for you?',
  'local.forget.confirm.text':
    'Your own references and the key to find signals again are removed from this browser. Your signals and matches stay.',
  'local.forget.confirm.button': 'Yes, remove',
  'local.forget.done': 'This browser no longer keeps anything for you.',
};
