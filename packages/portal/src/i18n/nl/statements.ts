// Dutch: the accessibility and privacy statements (docs/portal.md "Accessibility statement", "What
// stays in the browser").

export const statements = {
  'a11y.title': 'Toegankelijkheidsverklaring',
  'a11y.intro':
    'De gemeente wil dat iedereen dit portaal kan gebruiken. Het portaal moet voldoen aan WCAG 2.2 niveau AA (EN 301 549).',
  'a11y.status.title': 'Nalevingsstatus',
  'a11y.status.text':
    'Het portaal is gebouwd met de componenten van NL Design System. Elk scherm wordt automatisch getest met axe-core in het Nederlands en het Engels, en het afgeven van een signaal is getest met alleen het toetsenbord.',
  'a11y.tested.title': 'Hoe is getest',
  'a11y.tested.text':
    'Automatische tests bij elke wijziging; een onderzoek door een onafhankelijke deskundige volgt bij de invoering door de gemeente.',
  'a11y.limits.title': 'Bekende beperkingen',
  'a11y.limits.text':
    'Inloggen vraagt een passkey. Lukt dat niet met uw hulpmiddel? Neem dan contact op met de coördinator van uw organisatie. Werkt u bij de gemeente? Neem dan contact op met de beheerder van de gemeente.',
  'a11y.contact.title': 'Contact',
  'privacy.title': 'Privacyverklaring',
  'privacy.intro': 'Dit portaal verwerkt zo weinig mogelijk persoonsgegevens.',
  'privacy.browser.title': 'Wat in uw browser blijft',
  'privacy.browser.text':
    'Het BSN, de BSN’s van de ouders en de geboortedatum gebruikt alleen deze pagina. Ze worden zelf nooit verstuurd. Dat geldt ook voor de achternaam, het geslacht en de geboortedatum van iemand zonder BSN. De server krijgt alleen een pseudoniem, de pseudoniemdienst alleen een onleesbaar gemaakte vorm (zie hieronder). In deze browser bewaart het portaal: uw sessie (een sleutel die niemand kan uitlezen, uw nummer als gebruiker en uw rollen), tot u uitlogt of de sessie afloopt. En per signaal uw eigen kenmerk met een zoekcode (gemaakt van het pseudoniem met een sleutel die alleen deze browser heeft en niemand kan uitlezen, niet van het BSN), en wanneer u voor het laatst de matches bekeek en welke u toen zag. Uitloggen laat dit staan; het verdwijnt als de server het signaal niet meer voor u toont, of als u het verwijdert bij Mijn signalen. Uw taalkeuze staat er ook.',
  'privacy.server.title': 'Wat de server ontvangt',
  'privacy.server.text':
    'Een pseudoniem (geen BSN), uw contactgegevens, wie u informeerde en een einddatum. De server slaat het pseudoniem alleen opnieuw versleuteld op.',
  'privacy.service.title': 'Wat de pseudoniemdienst ontvangt',
  'privacy.service.text':
    'Van het BSN (of bij iemand zonder BSN: achternaam, geslacht en geboortedatum) krijgt de pseudoniemdienst alleen een onleesbaar gemaakte vorm: een getal waaruit de dienst het BSN niet kan terughalen. Het BSN zelf gaat er niet heen. De dienst ontvangt ook uw nummer als gebruiker en het nummer van uw organisatie, om de verzoeken te tellen. De dienst ziet geen naam en geen contactgegevens.',
  'privacy.storage.title': 'Bewaartermijnen',
  'privacy.storage.text':
    'Een signaal is hooguit 2 jaar actief en wordt daarna hooguit 5 jaar bewaard in het archief.',
  'privacy.rights.title': 'Uw rechten',
  'privacy.rights.text':
    'Burgers oefenen hun rechten (inzage, correctie, verwijdering, bezwaar) uit via de professional of de gemeente.',
  'a11y.contact.report':
    'Loopt u tegen een probleem aan met de toegankelijkheid van dit portaal? Meld het bij de gemeente.',
  'a11y.contact.email': 'E-mailadres',
  'a11y.contact.phone': 'Telefoonnummer',
  'a11y.contact.web': 'Webpagina',
  'a11y.contact.answer': 'U krijgt binnen 5 werkdagen antwoord.',
  'a11y.contact.none':
    'De beheerder van dit portaal heeft nog geen adres ingesteld om een toegankelijkheidsprobleem te melden. Meld een probleem daarom bij de coördinator van uw organisatie; die kan het doorgeven aan de gemeente. Werkt u bij de gemeente? Meld het dan bij de beheerder van de gemeente.',
  'a11y.contact.unreadable':
    'Het adres om een toegankelijkheidsprobleem te melden kon niet worden opgehaald. Laad de pagina opnieuw, of meld het probleem bij de coördinator van uw organisatie. Werkt u bij de gemeente? Meld het dan bij de beheerder van de gemeente.',
} as const;
