// Dutch texts of the warning before the session ends for lack of activity (docs/portal.md
// "Signing in"), of the enrolment screen opened by someone signed in and of a match list that
// could not be read to its end; B1, placeholders in {braces}.

export const sessionExpiry = {
  'sessionExpiry.title': 'Wilt u ingelogd blijven?',
  'sessionExpiry.text':
    'U hebt een tijd niets gedaan in sluis. Om {time} logt sluis u uit, om de gegevens te beschermen.',
  'sessionExpiry.stay': 'Ingelogd blijven',
  'sessionExpiry.signOut': 'Uitloggen',
  'sessionExpiry.failed': 'Ingelogd blijven is niet gelukt. Controleer uw verbinding en probeer het opnieuw.',
  'sessionExpiry.atLimit':
    'Uw sessie kan niet langer duren: om {time} wordt u uitgelogd. Sla uw werk op en log daarna opnieuw in.',
  'sessionExpiry.close': 'Sluiten',
  // The enrolment screen opened by someone signed in (docs/portal.md "Screens").
  'enrol.signedIn.otherPerson':
    'Heeft iemand anders een uitnodigingscode voor dit apparaat? Log dan eerst uit. Daarna kan die persoon de code invullen.',
  'enrol.signedIn.signOut': 'Uitloggen en een uitnodigingscode gebruiken',
  // The match list when the server's list did not come to its end (../../api/inbox.ts).
  'matches.incomplete':
    'Niet alle matches konden worden gelezen. Juist de nieuwste matches kunnen in deze lijst ontbreken. Laad de pagina opnieuw. Lukt het dan nog niet, meld het dan aan de coördinator van uw organisatie.',
} as const;
