// English: texts a professional's walk-through found: a restored form after the session's end,
// consent and regie on a match, parents' checks (docs/portal.md "Placing a signal", "Signing in").
import type { professional as nl } from '../nl/professional.js';

export const professional: Record<keyof typeof nl, string> = {
  'pro.place.restored':
    'Your session had ended. Nothing was sent. Whom you informed, your contact details and your reference are still filled in. Type the BSN, the parents’ BSNs and the date of birth again (or for a person without a BSN: surname, date of birth and gender).',
  'pro.place.existing.newReference': 'Your new reference is now kept with this signal, in this browser only.',
  'pro.place.existing.keptReference': 'Your reference in this browser has not changed.',
  'pro.place.existing.link': 'Update whom you informed on My signals (Update whom you informed)',
  'pro.match.followUp.counterpart': 'The other professional recorded: {outcome}.',
  'pro.match.followUp.counterpartNone': 'The other professional has recorded nothing yet.',
  'pro.match.coordination': 'Working together with consent',
  'pro.match.coordination.anonymous': 'not yet: neither side has recorded consent',
  'pro.match.coordination.consented': 'yes: at least one side has recorded the client’s consent',
  'pro.match.consent.mine': 'Your client’s consent',
  'pro.match.consent.none': 'not recorded',
  'pro.match.consent.counterpart': 'Consent on the other professional’s side',
  'pro.match.consent.recorded': 'Consent recorded, given on {date}, for: {scopes}.',
  'pro.regie.handover.title': 'Hand over regie?',
  'pro.regie.handover.text':
    'The other professional then holds regie. You cannot undo this yourself: you can only propose to take regie back, and the other must accept.',
  'pro.regie.handover.button': 'Yes, hand over regie',
  'pro.place.error.parent1.child': 'The first parent’s BSN is the same as the young person’s BSN.',
  'pro.place.error.parent2.child': 'The second parent’s BSN is the same as the young person’s BSN.',
  'pro.place.error.parent2.parent1': 'The second parent’s BSN is the same as the first parent’s.',
  'pro.place.error.citizenUnder12':
    'By the date of birth, the young person is under 12. Choose the legal representative, or check the date of birth.',
  'pro.privacy.cookies.title': 'Cookies and other websites',
  'pro.privacy.cookies.text':
    'The portal uses no cookies and no analytics, and loads nothing from other websites.',
  'pro.enrol.signedIn':
    'You are signed in already. You add an extra passkey for yourself on My devices. An invitation code is for someone who has no passkey yet.',
  'pro.place.sent.matched': 'Your signal has been placed. There is a match already:',
  'pro.place.sent.matchWith': 'Match with {organisation}',
};
