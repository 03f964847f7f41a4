// Dutch: the frame around every screen (name, menu, sign-out), common words, the home page, the
// roles' names and a screen not for one's role (docs/portal.md "Screens").

export const app = {
  'app.name': 'sluis — samenwerken rond een gezin',
  'app.skip': 'Naar de inhoud',
  'app.otherLanguage': 'English',
  'app.signOut': 'Uitloggen',
  'app.signedInAs': 'Ingelogd als {name}',
  'app.signedInAsOf': 'Ingelogd als {name} ({organisation})',
  'app.mainNav': 'Hoofdmenu',
  'app.footerNav': 'Verklaringen',
  'app.sessionEnded': 'Uw sessie is beëindigd. Log opnieuw in.',
  'common.actions': 'Acties',
  'common.loading': 'Bezig met laden…',
  'common.more': 'Meer laden',
  'common.next': 'Volgende pagina',
  'common.previous': 'Vorige pagina',
  'common.yes': 'ja',
  'common.no': 'nee',
  'home.title': 'Welkom bij sluis',
  'home.intro':
    'Met sluis ziet u of andere professionals bij hetzelfde kind of gezin betrokken zijn, zonder te zeggen waarom. Zo kunt u samenwerken.',
  'home.privacy':
    'Het BSN verlaat uw browser nooit. Deze pagina maakt er een pseudoniem van; alleen dat gaat naar de server.',
  'home.signedIn': 'U bent ingelogd. Kies in het menu wat u wilt doen.',
  'role.professional': 'professional',
  'role.organisation_coordinator': 'coördinator van de organisatie',
  'role.match_coordinator': 'matchcoördinator (gemeente)',
  'role.gdpr_desk': 'AVG-loket',
  'role.auditor': 'auditor',
  'role.administrator': 'beheerder',
  'home.noScreen': 'Voor uw rol heeft dit portaal geen eigen scherm. Uw eigen passkeys kunt u wel beheren.',
  'home.ownDevices': 'Uw eigen passkeys beheert u hier, bij "Mijn apparaten".',
  'notForRole.title': 'Niet voor uw rol',
  'notForRole.text': 'Dit scherm is niet voor uw rol. U kunt het daarom niet openen.',
  'notForRole.link': 'Naar uw startpagina',
} as const;
