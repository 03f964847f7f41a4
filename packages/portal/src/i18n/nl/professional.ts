// Dutch: texts a professional's walk-through found: a restored form after the session's end,
// consent and regie on a match, parents' checks (docs/portal.md "Placing a signal", "Signing in").

export const professional = {
  'pro.place.restored':
    'Uw sessie was beëindigd. Er is niets verstuurd. Wie u informeerde, uw contactgegevens en uw kenmerk staan er nog. Vul het BSN, de BSN’s van de ouders en de geboortedatum opnieuw in (of bij iemand zonder BSN: achternaam, geboortedatum en geslacht).',
  'pro.place.existing.newReference': 'Uw nieuwe kenmerk staat nu bij dit signaal, alleen in deze browser.',
  'pro.place.existing.keptReference': 'Uw kenmerk in deze browser is niet veranderd.',
  'pro.place.existing.link': 'Wie u informeerde, bijwerken bij Mijn signalen (Geïnformeerd bijwerken)',
  'pro.match.followUp.counterpart': 'De andere professional heeft vastgelegd: {outcome}.',
  'pro.match.followUp.counterpartNone': 'De andere professional heeft nog niets vastgelegd.',
  'pro.match.coordination': 'Samenwerken met toestemming',
  'pro.match.coordination.anonymous': 'nog niet: geen van beide kanten heeft toestemming vastgelegd',
  'pro.match.coordination.consented': 'ja: minstens één kant heeft toestemming van de cliënt vastgelegd',
  'pro.match.consent.mine': 'Toestemming van uw cliënt',
  'pro.match.consent.none': 'niet vastgelegd',
  'pro.match.consent.counterpart': 'Toestemming bij de andere professional',
  'pro.match.consent.recorded': 'Toestemming vastgelegd, gegeven op {date}, voor: {scopes}.',
  'pro.regie.handover.title': 'Regie overdragen?',
  'pro.regie.handover.text':
    'De andere professional krijgt dan de regie. U kunt dit niet zelf terugdraaien: u kunt alleen voorstellen de regie terug te nemen, en de ander moet dat aannemen.',
  'pro.regie.handover.button': 'Ja, regie overdragen',
  'pro.place.error.parent1.child': 'Het BSN van de eerste ouder is hetzelfde als het BSN van de jongere.',
  'pro.place.error.parent2.child': 'Het BSN van de tweede ouder is hetzelfde als het BSN van de jongere.',
  'pro.place.error.parent2.parent1': 'Het BSN van de tweede ouder is hetzelfde als dat van de eerste ouder.',
  'pro.place.error.citizenUnder12':
    'Volgens de geboortedatum is de jongere jonger dan 12 jaar. Kies de wettelijk vertegenwoordiger, of controleer de geboortedatum.',
  'pro.privacy.cookies.title': 'Cookies en andere websites',
  'pro.privacy.cookies.text':
    'Het portaal gebruikt geen cookies en geen analyse, en laadt niets van andere websites.',
  'pro.enrol.signedIn':
    'U bent al ingelogd. Een extra passkey voor uzelf voegt u toe bij Mijn apparaten. Een uitnodigingscode is voor iemand die nog geen passkey heeft.',
  'pro.place.sent.matched': 'Uw signaal is afgegeven. Er is al een match:',
  'pro.place.sent.matchWith': 'Match met {organisation}',
} as const;
