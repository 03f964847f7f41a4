// English: the frame around every screen (name, menu, sign-out), common words, the home page, the
// roles' names and a screen not for one's role (docs/portal.md "Screens").
import type { app as nl } from '../nl/app.js';

export const app: Record<keyof typeof nl, string> = {
  'app.name': 'sluis — working together around a family',
  'app.skip': 'Skip to content',
  'app.otherLanguage': 'Nederlands',
  'app.signOut': 'Sign out',
  'app.signedInAs': 'Signed in as {name}',
  'app.signedInAsOf': 'Signed in as {name} ({organisation})',
  'app.mainNav': 'Main menu',
  'app.footerNav': 'Statements',
  'app.sessionEnded': 'Your session has ended. Please sign in again.',
  'common.actions': 'Actions',
  'common.loading': 'Loading…',
  'common.more': 'Load more',
  'common.next': 'Next page',
  'common.previous': 'Previous page',
  'common.yes': 'yes',
  'common.no': 'no',
  'home.title': 'Welcome to sluis',
  'home.intro':
    'sluis shows you whether other professionals are involved with the same child or family, without saying why, so that you can work together.',
  'home.privacy':
    'The BSN never leaves your browser. This page turns it into a pseudonym; only that goes to the server.',
  'home.signedIn': 'You are signed in. Choose what to do in the menu.',
  'role.professional': 'professional',
  'role.organisation_coordinator': 'coordinator of the organisation',
  'role.match_coordinator': 'match coordinator (municipality)',
  'role.gdpr_desk': 'GDPR desk',
  'role.auditor': 'auditor',
  'role.administrator': 'administrator',
  'home.noScreen': 'This portal has no screen of its own for your role. You can manage your own passkeys.',
  'home.ownDevices': 'You manage your own passkeys here, under "My devices".',
  'notForRole.title': 'Not for your role',
  'notForRole.text': 'This screen is not for your role, so you cannot open it.',
  'notForRole.link': 'Go to your start page',
};
