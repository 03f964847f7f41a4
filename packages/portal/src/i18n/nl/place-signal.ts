// Dutch: placing a signal: the form, its checks, the preview and what was sent (docs/portal.md
// "Placing a signal", "A person without a BSN").

export const placeSignal = {
  'place.title': 'Signaal afgeven',
  'place.intro':
    'Geef aan dat u betrokken bent bij een kind of jongere. U geeft nooit een reden. Het BSN blijft in deze pagina: het wordt hier gecontroleerd en omgezet in een pseudoniem.',
  'place.person': 'Om wie gaat het?',
  'place.bsn': 'BSN',
  'place.bsn.help': '9 cijfers (een BSN van 8 cijfers mag ook). Wordt niet verstuurd.',
  'place.parent1': 'BSN eerste ouder (niet verplicht)',
  'place.parent2': 'BSN tweede ouder (niet verplicht)',
  'place.parents.help': 'Voor een gezinsmatch. Wordt niet verstuurd, alleen een pseudoniem.',
  'place.dateOfBirth': 'Geboortedatum (niet verplicht)',
  'place.dateOfBirth.help':
    'Alleen om de einddatum te berekenen. Het signaal stopt op de 1e van de maand waarin de jongere 23 wordt (bij een verjaardag op de 1e: een maand eerder), en uiterlijk 2 jaar na vandaag. De geboortedatum wordt niet verstuurd.',
  'place.withoutBsn': 'Deze persoon heeft geen BSN',
  'place.withoutBsn.help':
    'Dan meldt u met achternaam, geboortedatum en geslacht (Besluit Jeugdwet art. 7.3.1). Die worden niet verstuurd, alleen een pseudoniem.',
  'place.withoutBsn.unavailable':
    'Iemand zonder BSN melden kan hier nu niet. Dat kan alleen als de pseudoniemen door de pseudoniemdienst worden berekend: achternaam, geboortedatum en geslacht zijn samen veel makkelijker te raden dan een BSN.',
  'place.surname': 'Achternaam',
  'place.surname.help': 'Zoals u hem kent, met voorvoegsels (zoals "van der"). Wordt niet verstuurd.',
  'place.gender': 'Geslacht',
  'place.gender.M': 'Man',
  'place.gender.V': 'Vrouw',
  'place.gender.O': 'Onbekend',
  'place.dateOfBirth.withoutBsn': 'Geboortedatum',
  'place.dateOfBirth.withoutBsn.help':
    'Hoort bij de persoon zonder BSN en geeft ook de einddatum. De geboortedatum wordt niet verstuurd.',
  'place.error.surname_required': 'Vul de achternaam in.',
  'place.error.substitute_surname_invalid': 'Een achternaam bevat letters; controleer de achternaam.',
  'place.error.substitute_date_invalid': 'Vul de geboortedatum in (tussen 1900 en 2099).',
  'place.error.substitute_gender_invalid': 'Kies het geslacht.',
  'place.error.substitute_input_invalid': 'Controleer achternaam, geboortedatum en geslacht.',
  'place.error.scheme_requires_oprf': 'Iemand zonder BSN melden kan hier nu niet.',
  'place.error.field.surname': 'Controleer de achternaam.',
  'place.error.field.gender': 'Kies het geslacht.',
  'place.informed': 'Wie hebt u geïnformeerd over dit signaal?',
  'place.informed.citizen': 'De jongere zelf (12 jaar of ouder)',
  'place.informed.representative': 'De wettelijk vertegenwoordiger',
  'place.informed.both': 'De jongere en de wettelijk vertegenwoordiger',
  'place.informed.not_yet': 'Nog niet',
  'place.informedDate': 'Datum waarop u informeerde',
  'place.contact': 'Uw contactgegevens',
  'place.contact.help':
    'Alleen een professional met een match ziet deze gegevens. Vul telefoon of e-mail in, of allebei.',
  'place.name': 'Naam',
  'place.role': 'Functie',
  'place.phone': 'Telefoon',
  'place.email': 'E-mail',
  'place.reference': 'Uw eigen kenmerk (niet verplicht)',
  'place.reference.help':
    'Bijvoorbeeld uw dossiernummer. Blijft alleen in deze browser, zodat u weet over wie het signaal gaat. Geen naam of BSN invullen.',
  'place.basis.title': 'Grondslag',
  'place.basis.text':
    'U geeft dit signaal af op grond van de Jeugdwet (artikel 7.1.4.1, de verwijsindex risicojongeren) en het convenant van uw organisatie met de gemeente.',
  'place.check': 'Controleren',
  'place.summary.bsn': 'BSN',
  'place.summary.parent1': 'BSN eerste ouder',
  'place.summary.parent2': 'BSN tweede ouder',
  'place.errors.title': 'Controleer de volgende velden',
  'place.error.bsn_required': 'Vul het BSN in.',
  'place.error.bsn_non_digit': 'Het BSN mag alleen cijfers bevatten.',
  'place.error.bsn_wrong_length': 'Het BSN heeft 8 of 9 cijfers.',
  'place.error.bsn_all_zeros': 'Een BSN kan niet alleen uit nullen bestaan.',
  'place.error.bsn_checksum':
    'Dit is geen geldig BSN: het voldoet niet aan de elfproef. Controleer de cijfers.',
  'place.error.identifier_not_a_string': 'Vul het BSN in als cijfers.',
  'place.error.informed': 'Kies wie u hebt geïnformeerd.',
  'place.error.informedDate': 'Vul de datum in waarop u informeerde.',
  'place.error.name': 'Vul uw naam in.',
  'place.error.role': 'Vul uw functie in.',
  'place.error.phoneOrEmail': 'Vul een telefoonnummer of e-mailadres in.',
  'place.error.field.bsn': 'Controleer het BSN.',
  'place.error.field.parent1': 'Het BSN van de eerste ouder is hetzelfde als een ander BSN.',
  'place.error.field.parent2': 'Het BSN van de tweede ouder is hetzelfde als een ander BSN.',
  'place.error.field.dateOfBirth':
    'Deze geboortedatum kan niet: in de toekomst, of de jongere is 23 of ouder.',
  'place.error.field.informed': 'Kies wie u hebt geïnformeerd.',
  'place.error.field.informedDate': 'De datum van informeren mag niet in de toekomst liggen.',
  'place.error.field.name': 'De naam is te lang of bevat tekens die niet mogen.',
  'place.error.field.role': 'De functie is te lang of bevat tekens die niet mogen.',
  'place.error.field.phone': 'Vul een geldig telefoonnummer in (6 tot 20 tekens), of een e-mailadres.',
  'place.error.field.email': 'Vul een geldig e-mailadres in.',
  'place.error.field.reference': 'Controleer uw kenmerk.',
  'place.preview.title': 'Dit wordt verstuurd',
  'place.preview.intro':
    'Controleer wat naar de server gaat. In plaats van een BSN gaat er een code naar de server. Uit die code kan niemand het BSN terughalen. U ziet hieronder alleen het begin van elke code. Het getal voor de dubbele punt is de versie van de sleutel.',
  'place.preview.subject': 'Code in plaats van het BSN van de jongere',
  'place.preview.parents': 'Codes in plaats van de BSN’s van de ouders',
  'place.preview.none': 'geen',
  'place.preview.endDate': 'Einddatum',
  'place.preview.defaultEnd': '(tot en met deze dag actief; nooit langer dan 2 jaar)',
  'place.preview.notSent':
    'Niet verstuurd: het BSN (of de achternaam en het geslacht), de BSN’s van de ouders, de geboortedatum en uw eigen kenmerk.',
  'place.send': 'Versturen',
  'place.change': 'Wijzigen',
  'place.sent.created':
    'Uw signaal is afgegeven. Komt er later een match, dan ziet u die bij Matches. Op elk scherm staat dan ook een melding.',
  'place.sent.existing':
    'U had al een actief signaal voor deze persoon. Er is geen tweede gemaakt. De nieuwe gegevens zijn niet opgeslagen: wie u informeerde, uw contactgegevens en de BSN’s van de ouders blijven zoals bij het eerste signaal.',
  'place.sent.colleague':
    'Uw organisatie heeft al een actief signaal voor deze persoon, van een collega (of van het eigen systeem van uw organisatie). Er is geen tweede gemaakt. U kunt dat signaal en de matches ervan niet inzien. Wilt u het overnemen? Dat kan de coördinator van uw organisatie doen; met de knop hieronder vraagt u het.',
  'place.another': 'Nog een signaal afgeven',
  'place.error.forbidden.name':
    'De naam bevat een nummer dat op een BSN lijkt, of een teken dat niet mag. Zet in uw contactgegevens nooit een BSN.',
  'place.error.forbidden.role':
    'De functie bevat een nummer dat op een BSN lijkt, of een teken dat niet mag. Zet in uw contactgegevens nooit een BSN.',
  'place.error.forbidden.phone':
    'Het telefoonnummer lijkt op een BSN of bevat een teken dat niet mag. Vul uw eigen telefoonnummer in.',
  'place.error.forbidden.email':
    'Het e-mailadres bevat een nummer dat op een BSN lijkt, of een teken dat niet mag. Vul uw eigen e-mailadres in.',
} as const;
