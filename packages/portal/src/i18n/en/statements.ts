// English: the accessibility and privacy statements (docs/portal.md "Accessibility statement",
// "What stays in the browser").
import type { statements as nl } from '../nl/statements.js';

export const statements: Record<keyof typeof nl, string> = {
  'a11y.title': 'Accessibility statement',
  'a11y.intro':
    'The municipality wants everyone to be able to use this portal. It must meet WCAG 2.2 level AA (EN 301 549).',
  'a11y.status.title': 'Compliance status',
  'a11y.status.text':
    'The portal is built with NL Design System components. Every screen is tested automatically with axe-core in Dutch and English, and placing a signal is tested with the keyboard only.',
  'a11y.tested.title': 'How it was tested',
  'a11y.tested.text':
    'Automated tests on every change; an audit by an independent expert follows when the municipality introduces the portal.',
  'a11y.limits.title': 'Known limitations',
  'a11y.limits.text':
    'Signing in needs a passkey. If that does not work with your assistive technology, contact your organisation’s coordinator. Do you work at the municipality? Then contact the municipality’s administrator.',
  'a11y.contact.title': 'Contact',
  'privacy.title': 'Privacy statement',
  'privacy.intro': 'This portal processes as little personal data as possible.',
  'privacy.browser.title': 'What stays in your browser',
  'privacy.browser.text':
    'The BSN, the parents’ BSNs and the date of birth are used only in this page. They are never sent themselves. The same goes for the surname, gender and date of birth of a person without a BSN. The server receives only a pseudonym, the pseudonym service only a blinded form (see below). In this browser the portal keeps: your session (a key nobody can read out, your user number and your roles), until you sign out or the session ends. And per signal your own reference with a lookup code (made from the pseudonym with a key that only this browser holds and nobody can read out, not from the BSN), and when you last looked at the matches and which ones you saw then. Signing out leaves these; they go when the server no longer shows you the signal, or when you remove them on My signals. Your choice of language is kept too.',
  'privacy.server.title': 'What the server receives',
  'privacy.server.text':
    'A pseudonym (no BSN), your contact details, whom you informed and an end date. The server stores the pseudonym only re-keyed.',
  'privacy.service.title': 'What the pseudonym service receives',
  'privacy.service.text':
    'Of the BSN (or for a person without a BSN: surname, gender and date of birth) the pseudonym service receives only a blinded form: a number from which the service cannot recover the BSN. The BSN itself does not go there. The service also receives your user number and the number of your organisation, to count the requests. The service sees no name and no contact details.',
  'privacy.storage.title': 'Retention',
  'privacy.storage.text':
    'A signal is active for at most 2 years and then kept in the archive for at most 5 more years.',
  'privacy.rights.title': 'Your rights',
  'privacy.rights.text':
    'Citizens exercise their rights (access, rectification, erasure, objection) through the professional or the municipality.',
  'a11y.contact.report':
    'Did you run into a problem with the accessibility of this portal? Report it to the municipality.',
  'a11y.contact.email': 'E-mail address',
  'a11y.contact.phone': 'Phone number',
  'a11y.contact.web': 'Web page',
  'a11y.contact.answer': 'You will get an answer within 5 working days.',
  'a11y.contact.none':
    'The operator of this portal has not yet set an address for reporting an accessibility problem. Please report a problem to your organisation’s coordinator, who can pass it on to the municipality. Do you work at the municipality? Then report it to the municipality’s administrator.',
  'a11y.contact.unreadable':
    'The address for reporting an accessibility problem could not be loaded. Reload the page, or report the problem to your organisation’s coordinator. Do you work at the municipality? Then report it to the municipality’s administrator.',
};
