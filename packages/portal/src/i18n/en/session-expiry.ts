// English texts of the warning before the session ends for lack of activity, of the
// enrolment screen opened by someone signed in and of a match list that could not be read to
// its end: every key of the Dutch file (the type makes a missing one an error).
import type { sessionExpiry as nl } from '../nl/session-expiry.js';

export const sessionExpiry: Record<keyof typeof nl, string> = {
  'sessionExpiry.title': 'Do you want to stay signed in?',
  'sessionExpiry.text':
    'You have not done anything in sluis for a while. At {time} sluis signs you out, to protect the data.',
  'sessionExpiry.stay': 'Stay signed in',
  'sessionExpiry.signOut': 'Sign out',
  'sessionExpiry.failed': 'Staying signed in did not work. Check your connection and try again.',
  'sessionExpiry.atLimit':
    'Your session cannot last any longer: you will be signed out at {time}. Save your work and then sign in again.',
  'sessionExpiry.close': 'Close',
  'enrol.signedIn.otherPerson':
    'Does someone else have an invitation code for this device? Then sign out first. After that, they can enter the code.',
  'enrol.signedIn.signOut': 'Sign out and use an invitation code',
  'matches.incomplete':
    'Not all matches could be read. The newest matches in particular may be missing from this list. Reload the page. If that does not help, tell your organisation’s coordinator.',
};
