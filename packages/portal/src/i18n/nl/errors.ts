// Dutch: errors that say what to do, one per code the portal expects (docs/portal.md "Screens").

export const errors = {
  'error.session_expired': 'Uw sessie is beëindigd. Log opnieuw in.',
  'error.network_error': 'De server is niet bereikbaar. Probeer het later opnieuw.',
  'error.timestamp_out_of_window':
    'De klok van deze computer (of van de server) loopt meer dan 5 minuten voor of achter, en daardoor weigert de server uw verzoek. Er is niets gewijzigd. Zet de klok van deze computer goed (datum, tijd en tijdzone) en probeer het opnieuw; klopt die, meld het dan aan de beheerder van de server.',
  'error.role_not_permitted':
    'U hebt geen rechten voor deze handeling. Denkt u dat dit niet klopt? Vraag de coördinator van uw organisatie (of de beheerder van de gemeente) om de juiste rol.',
  'error.not_found':
    'Niet gevonden. Het is misschien verwijderd of overgedragen. Ga terug naar het overzicht en laad het opnieuw.',
  'error.rate_limited': 'Te veel verzoeken. Wacht even en probeer het opnieuw.',
  'error.budget_exceeded':
    'Uw organisatie heeft vandaag het maximale aantal signalen afgegeven of opzoekingen gedaan. Er is niets verstuurd. Probeer het morgen opnieuw, of vraag de coördinator van uw organisatie om hulp.',
  'error.pseudonym_service_unavailable': 'De pseudoniemdienst is niet bereikbaar. Er is niets verstuurd.',
  'error.webauthn_unsupported': 'Deze browser ondersteunt geen passkeys. Gebruik een recente browser.',
  'error.webauthn_cancelled':
    'Het gebruik van de passkey is afgebroken of niet gelukt. Probeer het opnieuw. Lukt het steeds niet? Vraag de coördinator van uw organisatie om hulp, of de beheerder van de gemeente als u daar werkt.',
  'error.enrolment_code_invalid':
    'Deze uitnodigingscode is ongeldig, al gebruikt, of vervangen door een nieuwere code. Controleer de code, of vraag de coördinator van uw organisatie om een nieuwe uitnodigingscode. Werkt u bij de gemeente? Vraag het dan de beheerder van de gemeente. Bent u zelf de eerste beheerder van de gemeente? Vraag het dan degene die de server beheert.',
  'error.enrolment_code_expired':
    'Deze uitnodigingscode is verlopen. Vraag de coördinator van uw organisatie om een nieuwe. Werkt u bij de gemeente? Vraag het dan de beheerder van de gemeente. Bent u zelf de eerste beheerder van de gemeente? Vraag het dan degene die de server beheert.',
  'error.challenge_invalid':
    'De controle met uw passkey is mislukt (verlopen, al gebruikt of voor iets anders bedoeld). Probeer het opnieuw.',
  'error.step_up_required': 'Hiervoor is eerst een bevestiging met uw passkey nodig. Probeer het opnieuw.',
  'error.passkey_invalid':
    'Deze passkey wordt niet herkend; misschien is hij verwijderd. Vraag de coördinator van uw organisatie om een nieuwe uitnodigingscode. Werkt u bij de gemeente? Vraag het dan de beheerder van de gemeente. Bent u zelf de eerste beheerder van de gemeente? Vraag het dan degene die de server beheert.',
  'error.sign_in_disabled':
    'Inloggen met een passkey is op deze server niet ingesteld. Meld dit aan degene die de server beheert: die start de server met --webauthn-rp-id en --webauthn-origin.',
  'error.credential_expired': 'De toegang tot de pseudoniemdienst is verlopen. Probeer het opnieuw.',
  'error.person_required': 'Alleen een ingelogde professional mag pseudoniemen maken.',
  'error.conflict': 'Dit kan nu niet: de gegevens zijn intussen veranderd.',
  'error.last_coordinator':
    'Dit is de laatste coördinator van uw organisatie. Voeg eerst een andere coördinator toe en verwijder deze persoon daarna.',
  'error.validation_failed': 'Dit is niet opgeslagen. Controleer de gemarkeerde velden.',
  'error.recipient_not_professional':
    'Alleen een professional kan signalen overnemen. Kies een professional van uw organisatie.',
  'error.portal_not_pinned':
    'Dit portaal is gebouwd zonder de sleutels van de pseudoniemdienst. Er is niets verstuurd. Meld dit aan de beheerder (code portal_not_pinned).',
  'error.pseudonym_service_not_pinned':
    'De server wijst een pseudoniemdienst aan die dit portaal niet kent. Er is niets verstuurd. Meld dit aan de beheerder (code pseudonym_service_not_pinned).',
  'error.oprf_epoch_not_pinned':
    'De server geeft een sleutel voor pseudoniemen die dit portaal niet kent. Er is niets verstuurd. Meld dit aan de beheerder (code oprf_epoch_not_pinned).',
  'error.other': 'Er ging iets mis (code {code}).',
  'error.forbidden':
    'Dit mag u hier niet doen. Denkt u dat het wel moet kunnen? Vraag het de coördinator van uw organisatie, of de beheerder van de gemeente als u daar werkt.',
  'error.signal_inactive':
    'Dit signaal is niet meer actief (beëindigd of verlopen) en kan niet meer worden gewijzigd.',
} as const;
