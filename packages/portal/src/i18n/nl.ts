// Dutch: the portal's default language and the source catalogue (its keys are the type of
// every catalogue). B1 language level where possible; placeholders in {braces}.

import { engineRules } from './nl/engine-rules.js';

export const nl = {
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
  'signIn.title': 'Inloggen',
  'signIn.intro':
    'U logt in met uw passkey: uw telefoon, beveiligingssleutel of de vingerafdruk van deze computer.',
  'signIn.button': 'Inloggen met passkey',
  'signIn.noPasskey': 'Nog geen passkey?',
  'enrol.title': 'Passkey aanmaken met uitnodigingscode',
  'enrol.intro':
    'U hebt een uitnodigingscode gekregen van de coördinator van uw organisatie, of van de gemeente als u daar werkt. Daarmee maakt u een passkey op dit apparaat.',
  'enrol.code': 'Uitnodigingscode',
  'enrol.device': 'Naam van dit apparaat',
  'enrol.device.help': 'Bijvoorbeeld "laptop werk". Zo herkent u het later in uw lijst met apparaten.',
  'enrol.button': 'Passkey aanmaken',
  'enrol.done': 'Uw passkey is aangemaakt. U kunt nu inloggen.',
  'enrol.errors.title': 'Controleer de volgende velden',
  'enrol.error.code': 'Vul de uitnodigingscode in.',
  'enrol.error.device': 'Vul een naam voor dit apparaat in.',
  'devices.title': 'Mijn apparaten',
  'devices.intro':
    'Met deze passkeys kunt u inloggen. Verwijder een apparaat dat u kwijt bent of niet meer gebruikt. Voor toevoegen en verwijderen bevestigt u eerst met een passkey die u al hebt.',
  'devices.caption': 'Uw passkeys',
  'devices.name': 'Apparaat',
  'devices.created': 'Aangemaakt',
  'devices.remove': '{name} verwijderen',
  'devices.removed': 'Apparaat {name} is verwijderd.',
  'devices.add': 'Nog een passkey toevoegen',
  'devices.addIntro':
    'Stap 1: bevestig met een passkey die u al hebt. Stap 2: maak de nieuwe passkey aan op het apparaat dat u toevoegt.',
  'devices.confirm': 'Bevestigen met mijn passkey',
  'devices.confirmed': 'Bevestigd. Maak nu binnen 5 minuten de nieuwe passkey aan.',
  'devices.create': 'Nieuwe passkey aanmaken',
  'devices.added': 'Apparaat {name} is toegevoegd.',
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
  'place.preview.intro': 'Controleer wat naar de server gaat. Pseudoniemen zijn ingekort weergegeven.',
  'place.preview.subject': 'Pseudoniem van de jongere',
  'place.preview.parents': 'Pseudoniemen van de ouders',
  'place.preview.none': 'geen',
  'place.preview.endDate': 'Einddatum',
  'place.preview.defaultEnd': '(tot en met deze dag actief; nooit langer dan 2 jaar)',
  'place.preview.notSent':
    'Niet verstuurd: het BSN (of de achternaam en het geslacht), de BSN’s van de ouders, de geboortedatum en uw eigen kenmerk.',
  'place.send': 'Versturen',
  'place.change': 'Wijzigen',
  'place.sent.created': 'Uw signaal is afgegeven. Bij een match krijgt u bericht.',
  'place.sent.existing':
    'U had al een actief signaal voor deze persoon. Er is geen tweede gemaakt. De nieuwe gegevens zijn niet opgeslagen: wie u informeerde, uw contactgegevens en de BSN’s van de ouders blijven zoals bij het eerste signaal.',
  'place.sent.colleague':
    'Uw organisatie heeft al een actief signaal voor deze persoon, van een collega (of van het eigen systeem van uw organisatie). Er is geen tweede gemaakt. U kunt dat signaal en de matches ervan niet inzien. Wilt u het overnemen? Vraag de coördinator van uw organisatie het aan u over te dragen.',
  'place.another': 'Nog een signaal afgeven',
  'signals.title': 'Mijn signalen',
  'signals.intro': 'Uw actieve signalen. Het kenmerk staat alleen in deze browser.',
  'signals.caption': 'Actieve signalen',
  'signals.reference': 'Kenmerk',
  'signals.noReference': '(geen kenmerk in deze browser)',
  'signals.placed': 'Afgegeven',
  'signals.expires': 'Loopt af',
  'signals.none': 'U hebt geen actieve signalen.',
  'signals.unnamed': 'een signaal zonder kenmerk in deze browser',
  'signals.unnamedRow': 'signaal in rij {row}, afgegeven {placed}',
  'signals.withdraw.ended': 'Betrokkenheid beëindigd: {reference}',
  'signals.withdraw.error': 'Ten onrechte afgegeven: {reference}',
  'signals.withdrawn.ended': 'Het signaal is beëindigd en gaat naar het archief.',
  'signals.withdrawn.error': 'Het signaal is verwijderd.',
  'signals.lookup.title': 'Mijn signaal voor deze cliënt zoeken',
  'signals.lookup.help':
    'Typ het BSN opnieuw. De pagina maakt er een pseudoniem van en zoekt alleen in uw eigen signalen in deze browser.',
  'signals.lookup.button': 'Zoeken',
  'signals.lookup.none': 'Geen signaal van u voor deze persoon gevonden in deze browser.',
  'signals.lookup.found': 'Gevonden: {references}',
  'matches.title': 'Matches',
  'matches.intro':
    'Andere professionals die bij dezelfde persoon of hetzelfde gezin betrokken zijn. U ziet alleen hun contactgegevens.',
  'matches.caption': 'Uw matches, nieuwste eerst',
  'matches.none': 'U hebt nog geen matches.',
  'matches.new': 'nieuw',
  'notice.newMatch': 'Er is 1 nieuwe match sinds uw laatste bezoek.',
  'notice.newMatches': 'Er zijn {count} nieuwe matches sinds uw laatste bezoek.',
  'match.title': 'Match',
  'match.counterpart': 'Contactgegevens van de andere professional',
  'match.organisation': 'Organisatie',
  'match.underObjection':
    'Tegen een signaal van deze match loopt een bezwaar. Tot het besluit worden geen contactgegevens getoond.',
  'match.underObjection.short': 'bezwaar loopt',
  'match.contact': 'Contactpersoon',
  'match.kind': 'Soort',
  'match.kind.person': 'Dezelfde persoon',
  'match.kind.family': 'Gezinsmatch',
  'match.status': 'Status',
  'match.status.active': 'actief',
  'match.status.ended': 'beëindigd',
  'match.created': 'Ontstaan',
  'match.followUp': 'Contact',
  'match.followUp.none': 'nog niets vastgelegd',
  'match.followUp.mine': 'U hebt vastgelegd: {outcome}.',
  'match.outcome.contact_made': 'Contact gelegd',
  'match.outcome.already_in_contact': 'Al in contact',
  'match.outcome.no_contact_needed': 'Geen contact nodig',
  'match.outcome.client_refused': 'Cliënt weigert',
  'match.party.me': 'u',
  'match.party.counterpart': 'de andere professional',
  'match.regie': 'Regie',
  'match.regie.holder': 'Regie ligt bij: {holder}.',
  'match.regie.none': 'nog niemand',
  'match.regie.proposeMe': 'Voorstellen dat ik de regie neem',
  'match.regie.proposeThem': 'Voorstellen dat de ander de regie neemt',
  'match.regie.proposal.me.me':
    'U hebt voorgesteld zelf de regie te nemen. Het voorstel wacht op het antwoord van de andere professional.',
  'match.regie.proposal.me.counterpart':
    'U hebt voorgesteld dat de andere professional de regie neemt. Het voorstel wacht op diens antwoord.',
  'match.regie.proposal.counterpart.counterpart':
    'De andere professional stelt voor zelf de regie te nemen. Neemt u het voorstel aan, dan ligt de regie bij de andere professional.',
  'match.regie.proposal.counterpart.me':
    'De andere professional stelt voor dat u de regie neemt. Neemt u het voorstel aan, dan ligt de regie bij u.',
  'match.regie.proposed':
    'Uw voorstel is verstuurd. De regie verandert pas als de andere professional het aanneemt.',
  'match.regie.accepted': 'U hebt het voorstel aangenomen.',
  'match.regie.declined': 'U hebt het voorstel afgewezen. De regie blijft waar die was.',
  'match.regie.handedOver': 'U hebt de regie overgedragen aan de andere professional.',
  'match.regie.accept': 'Voorstel aannemen',
  'match.regie.decline': 'Voorstel afwijzen',
  'match.regie.handover': 'Regie overdragen',
  'match.consent': 'Toestemming van de cliënt',
  'match.consent.scopes': 'Waarvoor gaf de cliënt toestemming?',
  'match.consent.team_meeting': 'Overleg met de betrokken professionals',
  'match.consent.share_with_matched': 'Informatie delen met de professionals van deze match',
  'match.consent.date': 'Datum van de toestemming',
  'match.consent.save': 'Toestemming vastleggen',
  'match.consent.error': 'Kies minstens één onderdeel en vul de datum in.',
  'match.agreements': 'Procesafspraken',
  'match.agreements.none': 'Nog geen afspraken.',
  'match.agreements.owner': 'Wie doet het?',
  'match.agreements.actionKind': 'Soort actie',
  'match.agreements.informationCategory': 'Soort informatie',
  'match.agreements.purpose': 'Doel',
  'match.agreements.dueDate': 'Uiterlijk op',
  'match.agreements.add': 'Afspraak toevoegen',
  'match.saved': 'Vastgelegd.',
  'match.withdraw': 'Mijn signaal beëindigen',
  'match.withdraw.intro':
    'Beëindigd: u bent niet meer betrokken (het signaal gaat naar het archief). Ten onrechte: het signaal wordt meteen verwijderd.',
  'match.withdraw.ended': 'Betrokkenheid beëindigd',
  'match.withdraw.error': 'Ten onrechte afgegeven',
  'org.title': 'Mijn organisatie',
  'org.intro':
    'Mensen van uw organisatie, hun apparaten, en het overdragen van signalen van iemand die vertrekt.',
  'org.people': 'Mensen',
  'org.roles': 'Rollen',
  'org.invite': 'Uitnodigingscode voor {name}',
  'org.invite.confirm':
    'Bevestig met uw eigen passkey dat u een uitnodigingscode voor {name} aanmaakt. Met de code kan iemand een passkey toevoegen; daarom is uw bevestiging nodig.',
  'org.devices': 'Apparaten van {name}',
  'org.devicesOf': 'Apparaten van {name}',
  'org.remove': '{name} verwijderen',
  'org.removed': '{name} is verwijderd. Lopende sessies van deze persoon zijn beëindigd.',
  'org.transfer': 'Signalen overdragen',
  'org.transfer.intro':
    'De actieve signalen van een vertrekkende collega gaan naar een andere collega, met diens contactgegevens.',
  'org.transfer.from': 'Van (vertrekkende collega)',
  'org.transfer.to': 'Naar (collega)',
  'org.transfer.button': 'Overdragen',
  'org.transfer.none': '{name} heeft geen actieve signalen.',
  'org.transfer.done.one': '1 signaal is overgedragen aan {name}.',
  'org.transfer.done': '{count} signalen zijn overgedragen aan {name}.',
  // My organisation: the people's e-mail, adding a person, the invitation code under its row,
  // one's own code, and the transfer's fields, checks and confirm step (docs/portal.md
  // "Screens").
  'org.email': 'E-mailadres',
  'org.none': 'geen',
  'org.ownCode':
    'Een nieuwe uitnodigingscode voor uzelf maakt u niet zelf. U krijgt die van een andere coördinator van uw organisatie of van de gemeente.',
  'org.code.title': 'Uitnodigingscode voor {name}:',
  'org.code.note':
    'Geef deze code persoonlijk door. U ziet de code maar één keer: schrijf hem nu over of kopieer hem.',
  'org.add': 'Iemand toevoegen',
  'org.add.intro':
    'Voeg een collega toe. Maak daarna in de tabel een uitnodigingscode voor deze persoon. Met die code maakt de persoon een passkey om in te loggen.',
  'org.add.name': 'Naam',
  'org.add.name.description':
    'Voornaam en achternaam. Neemt deze persoon later signalen over, dan zien andere professionals deze naam.',
  'org.add.email': 'E-mailadres (niet verplicht)',
  'org.add.email.description':
    'Hierheen gaan berichten over nieuwe matches. Neemt deze persoon later signalen over, dan zien andere professionals dit adres.',
  'org.add.roles': 'Rollen',
  'org.add.role.professional': 'Professional: geeft signalen af en ziet matches',
  'org.add.role.organisation_coordinator':
    'Coördinator: beheert de mensen van uw organisatie en draagt signalen over',
  'org.add.button': 'Toevoegen',
  'org.add.done': '{name} is toegevoegd. Maak nu in de tabel een uitnodigingscode voor {name}.',
  'org.add.error.name': 'Vul de naam in.',
  'org.add.error.name.invalid': 'De naam is te lang. Gebruik hoogstens 100 tekens.',
  'org.add.error.name.forbidden':
    'De naam bevat een nummer dat op een BSN lijkt, of een teken dat niet mag. Vul alleen de naam in.',
  'org.add.error.email.invalid': 'Vul een geldig e-mailadres in, zoals naam@organisatie.nl.',
  'org.add.error.email.forbidden':
    'Het e-mailadres bevat een nummer dat op een BSN lijkt, of een teken dat niet mag.',
  'org.add.error.roles': 'Kies minstens één rol.',
  'org.transfer.removed': '{name} (verwijderd)',
  'org.transfer.role': 'Functie van de collega',
  'org.transfer.role.description': 'Bijvoorbeeld: jeugdconsulent. Andere professionals zien deze functie.',
  'org.transfer.phone': 'Telefoonnummer van de collega',
  'org.transfer.phone.description':
    'Verplicht als de collega geen e-mailadres heeft. Andere professionals zien dit nummer.',
  'org.transfer.contact': 'Deze contactgegevens zien de andere professionals voortaan:',
  'org.transfer.error.from': 'Kies de collega die vertrekt.',
  'org.transfer.error.to': 'Kies de collega die de signalen krijgt.',
  'org.transfer.error.to.refused':
    'Deze collega kan de signalen niet krijgen. Misschien is deze persoon net verwijderd. Laad de pagina opnieuw en kies een collega.',
  'org.transfer.error.to.contact':
    'De naam of het e-mailadres van deze collega kan niet als contactgegeven dienen. Kies een andere collega.',
  'org.transfer.error.role': 'Vul de functie van de collega in.',
  'org.transfer.error.role.invalid': 'De functie is te lang. Gebruik hoogstens 100 tekens.',
  'org.transfer.error.role.forbidden':
    'De functie bevat een nummer dat op een BSN lijkt, of een teken dat niet mag. Zet nooit een BSN in contactgegevens.',
  'org.transfer.error.phone.required':
    'Deze collega heeft geen e-mailadres. Vul daarom een telefoonnummer in.',
  'org.transfer.error.phone.invalid':
    'Vul een geldig telefoonnummer in: 6 tot 20 tekens, alleen cijfers, spaties en + - ( ).',
  'org.transfer.error.phone.forbidden':
    'Het telefoonnummer lijkt op een BSN of bevat een teken dat niet mag. Vul het telefoonnummer van de collega in.',
  'role.professional': 'professional',
  'role.organisation_coordinator': 'coördinator van de organisatie',
  'role.match_coordinator': 'matchcoördinator (gemeente)',
  'role.gdpr_desk': 'AVG-loket',
  'role.auditor': 'auditor',
  'role.administrator': 'beheerder',
  // Roles without a screen of their own, a screen not for one's role, the follow-up's overdue
  // threshold and filters, a person without devices (docs/portal.md "Screens").
  'home.noScreen':
    'Voor uw rol heeft dit portaal geen eigen scherm. Hieronder staat wat u wel kunt doen, en waar.',
  'home.role.gdpr_desk':
    'AVG-loket: u handelt verzoeken van burgers af (inzage, verwijdering, beperking, bezwaar). Dat doet u op de server met het beheerprogramma (sluis-server admin gdpr …) of via de API.',
  'home.ownDevices': 'Uw eigen passkeys beheert u hier, bij "Mijn apparaten".',
  'notForRole.title': 'Niet voor uw rol',
  'notForRole.text': 'Dit scherm is niet voor uw rol. U kunt het daarom niet openen.',
  'notForRole.link': 'Naar uw startpagina',
  'followUp.filter.outcome': 'Vastgelegde uitkomst',
  'followUp.filter.days': 'Te laat na (dagen)',
  'followUp.filter.days.help':
    'Een match is te laat als na dit aantal dagen geen van beide organisaties iets heeft vastgelegd.',
  'followUp.filter.days.error': 'Vul een aantal dagen in van 0 tot 3650.',
  'followUp.overdueAfter': 'Te laat (na {days} dagen)',
  'devices.none': 'Nog geen apparaten.',
  'devices.removeAt': '{name} in rij {row} (aangemaakt {created}) verwijderen',
  'followUp.title': 'Opvolging van matches',
  'followUp.intro':
    'Per match: de organisaties, wat zij vastlegden en of de opvolging te laat is. U ziet geen personen.',
  'followUp.filters': 'Filters',
  'followUp.filter.status': 'Status',
  'followUp.filter.followUp': 'Opvolging',
  'followUp.filter.sort': 'Volgorde',
  'followUp.option.all': 'alle',
  'followUp.option.active': 'actief',
  'followUp.option.ended': 'beëindigd',
  'followUp.option.none': 'nog niets vastgelegd',
  'followUp.option.overdue': 'te laat',
  'followUp.option.recorded': 'vastgelegd',
  'followUp.option.oldest': 'oudste eerst',
  'followUp.option.newest': 'nieuwste eerst',
  'followUp.caption': 'Matches, pagina {page}',
  'followUp.parties': 'Organisaties en opvolging',
  'followUp.regie': 'Regie',
  'followUp.regie.none': 'nog niemand',
  'followUp.regie.gone': 'een organisatie die niet meer deelneemt',
  'followUp.none': 'Geen matches met deze filters.',
  'followUp.paging': 'Paginering',
  'error.session_expired': 'Uw sessie is beëindigd. Log opnieuw in.',
  'error.network_error': 'De server is niet bereikbaar. Probeer het later opnieuw.',
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
    'Deze uitnodigingscode is ongeldig, al gebruikt, of vervangen door een nieuwere code. Controleer de code, of vraag de coördinator van uw organisatie om een nieuwe uitnodigingscode. Werkt u bij de gemeente? Vraag het dan de beheerder van de gemeente.',
  'error.enrolment_code_expired':
    'Deze uitnodigingscode is verlopen. Vraag de coördinator van uw organisatie om een nieuwe. Werkt u bij de gemeente? Vraag het dan de beheerder van de gemeente.',
  'error.challenge_invalid':
    'De controle met uw passkey is mislukt (verlopen, al gebruikt of voor iets anders bedoeld). Probeer het opnieuw.',
  'error.step_up_required': 'Hiervoor is eerst een bevestiging met uw passkey nodig. Probeer het opnieuw.',
  'error.passkey_invalid':
    'Deze passkey wordt niet herkend; misschien is hij verwijderd. Vraag de coördinator van uw organisatie om een nieuwe uitnodigingscode. Werkt u bij de gemeente? Vraag het dan de beheerder van de gemeente.',
  'error.sign_in_disabled': 'Inloggen met een passkey is op deze server niet ingesteld.',
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
  // The accessibility statement's contact address, set by the operator, and what a new
  // invitation code does to an earlier one (docs/portal.md "Accessibility statement", "Signing in").
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
  'org.invite.replaces':
    'Had {name} al een uitnodigingscode die nog niet is gebruikt? Die werkt daarna niet meer.',
  'org.code.replaces':
    'Alleen deze code werkt: een eerdere, nog niet gebruikte uitnodigingscode voor {name} is vanaf nu ongeldig. Passkeys die {name} al heeft, blijven werken.',
  // Own reference on matches, confirm steps, process agreements in words, ended matches and
  // errors that say what to do (docs/portal.md "Screens", "Confirming").
  'mine.reference': 'Mijn kenmerk',
  'confirm.cancel': 'Annuleren',
  'confirm.withdrawError.title': 'Signaal verwijderen?',
  'confirm.withdrawError.text':
    'U geeft aan dat dit signaal ({reference}) ten onrechte is afgegeven. Het wordt meteen en voorgoed verwijderd, met de matches ervan. Dit kunt u niet ongedaan maken.',
  'confirm.withdrawError.button': 'Ja, signaal verwijderen',
  'confirm.removePerson.title': '{name} verwijderen?',
  'confirm.removePerson.text':
    '{name} kan daarna niet meer inloggen: de passkeys van {name} worden verwijderd en lopende sessies stoppen meteen. Dit kunt u niet ongedaan maken. De signalen van {name} blijven; draag ze daarna over aan een collega.',
  'confirm.removePerson.button': 'Ja, {name} verwijderen',
  'confirm.removeDevice.title': 'Apparaat {name} (aangemaakt {created}) verwijderen?',
  'confirm.removeDevice.text':
    'Met de passkey op dit apparaat kan niemand meer inloggen. Sessies die ermee zijn geopend, stoppen meteen.',
  'confirm.removeOwnDevice.text':
    'Met deze passkey kunt u daarna niet meer inloggen. Bent u nu met deze passkey ingelogd, dan stopt uw sessie meteen.',
  'confirm.removeLastDevice.text':
    'Dit is uw enige passkey. Daarna kunt u niet meer inloggen, ook niet op dit apparaat. U hebt dan een nieuwe uitnodigingscode nodig van de coördinator van uw organisatie, of van de beheerder van de gemeente als u daar werkt. Voeg eerst een andere passkey toe als u dat wilt voorkomen.',
  'confirm.removeDevice.button': 'Ja, {name} verwijderen',
  'confirm.transfer.title': 'Signalen overdragen?',
  'confirm.transfer.text':
    '{count} actieve signalen van {from} gaan naar {to}. Daarna ziet {to} de matches van deze signalen en {from} niet meer. De andere professionals van die matches zien voortaan de contactgegevens van {to}.',
  'confirm.transfer.text.one':
    '1 actief signaal van {from} gaat naar {to}. Daarna ziet {to} de matches van dit signaal en {from} niet meer. De andere professionals van die matches zien voortaan de contactgegevens van {to}.',
  'confirm.transfer.button': 'Ja, overdragen',
  'org.ownDevices':
    'Uw eigen passkeys verwijdert u bij "Mijn apparaten", met een bevestiging met uw passkey.',
  'devices.error.name': 'Vul een naam voor het nieuwe apparaat in.',
  'match.ended':
    'Deze match is beëindigd: een van de signalen is niet meer actief. Regie, toestemming en afspraken kunt u niet meer wijzigen. Of er contact is geweest, kunt u nog wel vastleggen.',
  'match.conflict':
    'Dit kan nu niet bij deze match. De pagina toont nu de actuele stand: bekijk die en probeer het dan opnieuw als het nog nodig is.',
  'match.consent.error.scopes': 'Kies minstens één onderdeel.',
  'match.consent.error.date': 'Vul de datum van de toestemming in.',
  'match.consent.error.future': 'De datum van de toestemming mag niet in de toekomst liggen.',
  'match.agreements.item': '{action} · {info} · {purpose} · uiterlijk {due} · door {owner} · {status}',
  'match.agreements.markDone': 'Gedaan: {action}, uiterlijk {due}',
  'match.agreements.markCancelled': 'Laten vervallen: {action}, uiterlijk {due}',
  'match.agreements.errors.title': 'Controleer de volgende velden',
  'match.agreements.error.actionKind': 'Kies de soort actie.',
  'match.agreements.error.informationCategory': 'Kies de soort informatie.',
  'match.agreements.error.purpose': 'Kies het doel.',
  'match.agreements.error.dueDate': 'Vul de datum in waarop het uiterlijk gedaan moet zijn.',
  'agreement.status.open': 'open',
  'agreement.status.done': 'gedaan',
  'agreement.status.cancelled': 'vervallen',
  'agreement.action.contact_citizen': 'Contact opnemen met de cliënt',
  'agreement.action.home_visit': 'Huisbezoek',
  'agreement.action.case_meeting': 'Casusoverleg',
  'agreement.action.refer': 'Doorverwijzen',
  'agreement.action.apply_for_provision': 'Voorziening aanvragen',
  'agreement.action.share_information': 'Informatie delen',
  'agreement.action.request_information': 'Informatie opvragen',
  'agreement.action.evaluate': 'Evalueren',
  'agreement.info.none': 'Geen informatie',
  'agreement.info.contact_details': 'Contactgegevens',
  'agreement.info.involvement': 'Betrokkenheid',
  'agreement.info.care_and_support': 'Zorg en ondersteuning',
  'agreement.info.school_and_education': 'School en onderwijs',
  'agreement.info.income_and_debts': 'Inkomen en schulden',
  'agreement.info.housing': 'Wonen',
  'agreement.info.health': 'Gezondheid',
  'agreement.info.safety': 'Veiligheid',
  'agreement.purpose.coordinate_support': 'Hulp op elkaar afstemmen',
  'agreement.purpose.assess_need': 'Hulpvraag in kaart brengen',
  'agreement.purpose.arrange_provision': 'Voorziening regelen',
  'agreement.purpose.prevent_eviction': 'Huisuitzetting voorkomen',
  'agreement.purpose.resolve_debts': 'Schulden oplossen',
  'agreement.purpose.school_attendance': 'Schoolbezoek',
  'agreement.purpose.safety_plan': 'Veiligheidsplan',
  'agreement.purpose.inform_citizen': 'Cliënt informeren',
  'error.forbidden':
    'Dit mag u hier niet doen. Denkt u dat het wel moet kunnen? Vraag het de coördinator van uw organisatie, of de beheerder van de gemeente als u daar werkt.',
  'place.error.forbidden.name':
    'De naam bevat een nummer dat op een BSN lijkt, of een teken dat niet mag. Zet in uw contactgegevens nooit een BSN.',
  'place.error.forbidden.role':
    'De functie bevat een nummer dat op een BSN lijkt, of een teken dat niet mag. Zet in uw contactgegevens nooit een BSN.',
  'place.error.forbidden.phone':
    'Het telefoonnummer lijkt op een BSN of bevat een teken dat niet mag. Vul uw eigen telefoonnummer in.',
  'place.error.forbidden.email':
    'Het e-mailadres bevat een nummer dat op een BSN lijkt, of een teken dat niet mag. Vul uw eigen e-mailadres in.',
  // Whom you informed, recorded again on My signals (docs/portal.md "Whom you informed").
  'signals.informed': 'Geïnformeerd',
  'signals.informed.change': 'Geïnformeerd bijwerken: {reference}',
  'informed.title': 'Wie u hebt geïnformeerd: {reference}',
  'informed.intro':
    'Leg vast wie u over dit signaal hebt geïnformeerd, en wanneer. U kunt dit later opnieuw bijwerken.',
  'informed.save': 'Opslaan',
  'informed.saved': 'Vastgelegd voor {reference}: {status}, op {date}.',
  'informed.saved.notYet': 'Vastgelegd voor {reference}: {status}.',
  'error.signal_inactive':
    'Dit signaal is niet meer actief (beëindigd of verlopen) en kan niet meer worden gewijzigd.',
  // The municipality's oversight screens: management information (match coordinator,
  // administrator) and the auditor's logbook check and key list (docs/portal.md "Screens").
  'oversight.mi.title': 'Managementinformatie',
  'oversight.mi.intro':
    'Aantallen per maand en per soort organisatie. Er staan geen personen of organisaties in, en geen totalen. U ziet alleen afgesloten maanden: een maand is afgesloten vanaf de tweede dag van de maand erna.',
  'oversight.mi.period': 'Periode',
  'oversight.mi.from': 'Van maand',
  'oversight.mi.to': 'Tot en met maand',
  'oversight.mi.month.help': 'Jaar en maand, zo: {example}. De laatste afgesloten maand is {last}.',
  'oversight.mi.show': 'Tonen',
  'oversight.mi.error.month': 'Vul een maand in zoals {example}.',
  'oversight.mi.error.closed': 'Deze maand is nog niet afgesloten. Kies {last} of eerder.',
  'oversight.mi.error.order': 'Deze maand ligt na de laatste maand. Kies een maand die ervoor ligt.',
  'oversight.mi.error.span': 'Kies een periode van hooguit 120 maanden.',
  'oversight.mi.errors': 'Controleer de periode',
  'oversight.mi.threshold':
    'Kleine aantallen tonen we niet, zodat niemand uit de cijfers te herkennen is. Is een aantal kleiner dan {threshold}? Dan staat er "minder dan {threshold}". De mediaan staat er alleen als er minstens {threshold} keer contact is gelegd.',
  'oversight.mi.caption': 'Managementinformatie {month}',
  'oversight.mi.type': 'Soort organisatie',
  'oversight.mi.signalsPlaced': 'Signalen afgegeven',
  'oversight.mi.signalsWithdrawn': 'Signalen ingetrokken',
  'oversight.mi.matches': 'Matches',
  'oversight.mi.median': 'Mediaan: dagen van match tot contact',
  'oversight.mi.fewer': 'minder dan {threshold}',
  'oversight.mi.median.none': 'geen mediaan (minder dan {threshold} keer contact)',
  'oversight.mi.days': '{count} dagen',
  'oversight.mi.days.one': '1 dag',
  'oversight.mi.csv': 'Een bestand met deze cijfers (CSV) maakt u op de server met het beheerprogramma:',
  'oversight.type.youth_care': 'jeugdzorg',
  'oversight.type.general_practice': 'huisartsenpraktijk',
  'oversight.type.school': 'school',
  'oversight.type.debt_counselling': 'schuldhulpverlening',
  'oversight.type.housing': 'wonen',
  'oversight.type.police': 'politie',
  'oversight.type.social_services': 'sociaal wijkteam',
  'oversight.type.municipality': 'gemeente',
  'oversight.type.other': 'overig',
  'oversight.logbook.title': 'Logboek en sleutels',
  'oversight.logbook.intro':
    'In het logboek staat wie wat deed, en wanneer. Elke regel bevat een controlewaarde (hash) van de regel ervoor. Zo valt op als iemand een regel verandert of weghaalt. Hier controleert u die keten. U ziet hier geen regels uit het logboek en geen persoonsgegevens.',
  'oversight.logbook.verify.title': 'Logboek controleren',
  'oversight.logbook.verify': 'Logboek controleren',
  'oversight.logbook.verifying': 'Het logboek wordt gecontroleerd. Dit kan even duren.',
  'oversight.logbook.ok': 'Het logboek is in orde: de keten van alle {count} regels klopt.',
  'oversight.logbook.ok.one': 'Het logboek is in orde: de keten van 1 regel klopt.',
  'oversight.logbook.broken':
    'Het logboek is niet in orde: de keten klopt niet vanaf regel {seq}. Er zijn {count} regels gecontroleerd.',
  'oversight.logbook.broken.what':
    'Meld dit meteen aan de beheerder van de gemeente. De beheerder stopt de server en bewaart een kopie van de database. Vergelijk de controlewaarde met de laatste die u hebt bewaard.',
  'oversight.logbook.checked': 'Gecontroleerd op',
  'oversight.logbook.entries': 'Aantal regels',
  'oversight.logbook.head': 'Controlewaarde van de laatste regel',
  'oversight.logbook.head.help':
    'Bewaar deze controlewaarde. Zo ziet u bij een volgende controle of export of eerdere regels zijn veranderd.',
  'oversight.logbook.export.title': 'Logboek ophalen (exporteren)',
  'oversight.logbook.export.text':
    'Het logboek ophalen kan niet in dit portaal. De regels noemen mensen en organisaties. Daarom komen ze niet in de browser of in uw map met downloads. U haalt ze op de server op met het beheerprogramma. Dat schrijft een bestand dat alleen de gebruiker van de dienst kan lezen, en overschrijft nooit een bestand dat er al is:',
  'oversight.logbook.export.host':
    'Op de server van de gemeente zet u er sudo -u sluis voor en --data-dir /var/lib/sluis achter:',
  'oversight.keys.title': 'Sleutels',
  'oversight.keys.intro':
    'Alle sleutels waarmee organisaties en de beheerders van de gemeente hun verzoeken ondertekenen. Alleen de publieke delen. U kunt hier niets veranderen.',
  'oversight.keys.caption': 'Sleutels',
  'oversight.keys.id': 'Sleutel',
  'oversight.keys.owner': 'Van',
  'oversight.keys.owner.admin': 'beheer (gemeente)',
  'oversight.keys.owner.organisation': 'organisatie {id}',
  'oversight.keys.status': 'Status',
  'oversight.keys.status.active': 'actief',
  'oversight.keys.status.revoked': 'ingetrokken',
  'oversight.keys.added': 'Toegevoegd',
  'oversight.keys.revokedAt': 'Ingetrokken op',
  'oversight.keys.none': 'Er zijn geen sleutels.',
  // The municipality's administrator: the municipality's people and the organisations
  // (docs/portal.md "The municipality's administrator").
  'municipality.title': 'Gemeente: mensen en organisaties',
  'municipality.intro':
    'Hier beheert u de mensen van de gemeente en de organisaties die meedoen. Een uitnodigingscode maken en een organisatie toelaten bevestigt u eerst met uw eigen passkey.',
  'municipality.people.title': 'Mensen van de gemeente',
  'municipality.people.caption': 'Mensen van de gemeente',
  'municipality.people.none': 'Er zijn nog geen mensen.',
  'municipality.people.self':
    'Dit bent u. Een nieuwe uitnodigingscode voor uzelf, of uw verwijdering, regelt een andere beheerder of het beheerprogramma op de server.',
  'municipality.add.title': 'Iemand van de gemeente toevoegen',
  'municipality.add.intro':
    'Voeg een collega van de gemeente toe en kies de rollen. Maak daarna in de tabel een uitnodigingscode voor deze persoon.',
  'municipality.role.match_coordinator': 'Matchcoördinator: volgt de matches op',
  'municipality.role.gdpr_desk': 'AVG-loket: handelt verzoeken van burgers af',
  'municipality.role.auditor': 'Auditor: controleert het logboek',
  'municipality.role.administrator': 'Beheerder: beheert mensen, organisaties en sleutels',
  'municipality.remove.text':
    '{name} kan daarna niet meer inloggen: de passkeys van {name} worden verwijderd en lopende sessies stoppen meteen. Dit kunt u niet ongedaan maken.',
  'municipality.remove.text.organisation':
    '{name} kan daarna niet meer inloggen: de passkeys van {name} worden verwijderd en lopende sessies stoppen meteen. Dit kunt u niet ongedaan maken. Signalen van {name} blijven; de coördinator van de organisatie kan ze overdragen aan een collega.',
  'municipality.org.title': 'Organisaties',
  'municipality.org.intro':
    'De organisaties met een convenant. Een geschorste organisatie kan niets meer doen tot u haar weer toelaat.',
  'municipality.org.caption': 'Organisaties',
  'municipality.org.none': 'Er zijn nog geen organisaties.',
  'municipality.org.type': 'Soort organisatie',
  'municipality.org.status': 'Status',
  'municipality.org.status.active': 'actief',
  'municipality.org.status.suspended': 'geschorst',
  'municipality.org.people': 'Mensen van {name}',
  'municipality.org.peopleOf': 'Mensen van {name}',
  'municipality.org.peopleIntro':
    'Een nieuwe organisatie begint met een coördinator: voeg die hier toe en maak een uitnodigingscode. Daarna voegt de coördinator zelf de andere mensen toe.',
  'municipality.org.add': 'Iemand toevoegen aan {name}',
  'municipality.org.add.intro':
    'Meestal de eerste coördinator van de organisatie. Maak daarna in de tabel een uitnodigingscode voor deze persoon.',
  'municipality.org.suspend': '{name} schorsen',
  'municipality.org.reinstate': '{name} weer toelaten',
  'municipality.org.suspended': '{name} is geschorst.',
  'municipality.org.reinstated': '{name} is weer toegelaten.',
  'municipality.confirm.suspend.title': '{name} schorsen?',
  'municipality.confirm.suspend.text':
    'Vanaf het volgende verzoek kan {name} niets meer: geen signalen afgeven, intrekken of matches zien. Ook de mensen van {name} kunnen niets meer doen. Signalen blijven bewaard. U kunt {name} later weer toelaten.',
  'municipality.confirm.suspend.button': 'Ja, {name} schorsen',
  'municipality.confirm.reinstate.title': '{name} weer toelaten?',
  'municipality.confirm.reinstate.text':
    '{name} en haar mensen kunnen daarna weer werken. Actieve signalen van {name} worden meteen opnieuw vergeleken; daar kunnen nieuwe matches uit komen.',
  'municipality.confirm.reinstate.button': 'Ja, {name} weer toelaten',
  'municipality.admit.title': 'Een organisatie toelaten',
  'municipality.admit.intro':
    'Laat een organisatie toe als het convenant is getekend. De organisatie maakt zelf een sleutel (sluis keygen) en geeft u alleen de publieke sleutel. Daarna bevestigt u met uw eigen passkey.',
  'municipality.admit.name': 'Naam van de organisatie',
  'municipality.admit.key': 'Publieke sleutel van de organisatie',
  'municipality.admit.key.description':
    'De 43 tekens die sluis keygen toont, bijvoorbeeld 0vW2…. Nooit de geheime sleutel.',
  'municipality.admit.button': 'Toelaten',
  'municipality.admit.confirm':
    'Bevestig met uw eigen passkey dat u {name} toelaat. Met deze sleutel kan de organisatie daarna zelf verzoeken doen; daarom is uw bevestiging nodig.',
  'municipality.admit.done':
    '{name} is toegelaten. Voeg nu via "Mensen van {name}" de eerste coördinator toe en maak een uitnodigingscode.',
  'municipality.admit.error.name': 'Vul de naam van de organisatie in.',
  'municipality.admit.error.name.invalid': 'De naam is te lang. Gebruik hoogstens 200 tekens.',
  'municipality.admit.error.name.forbidden':
    'De naam bevat een nummer dat op een BSN lijkt, of een teken dat niet mag. Vul alleen de naam van de organisatie in.',
  'municipality.admit.error.type': 'Kies de soort organisatie.',
  'municipality.admit.error.type.unknown':
    'Deze server kent deze soort organisatie niet. Kies een andere soort, of vraag wie de server beheert.',
  'municipality.admit.error.key': 'Vul de publieke sleutel van de organisatie in.',
  'municipality.admit.error.key.invalid':
    'Dit is geen geldige publieke sleutel. Vul de 43 tekens in die sluis keygen toont, zonder spaties.',
  'municipality.admit.error.key.taken':
    'Deze sleutel is al in gebruik. Vraag de organisatie om een nieuwe sleutel te maken.',
  'municipality.type.youth_care': 'Jeugdzorg',
  'municipality.type.general_practice': 'Huisartsenpraktijk',
  'municipality.type.school': 'School',
  'municipality.type.debt_counselling': 'Schuldhulpverlening',
  'municipality.type.housing': 'Wonen (woningcorporatie)',
  'municipality.type.police': 'Politie',
  'municipality.type.social_services': 'Sociaal wijkteam of sociale dienst',
  'municipality.type.municipality': 'Gemeente',
  'municipality.type.other': 'Anders',
  'municipality.error.passkey_counter_invalid':
    'Uw passkey gaf een teller die niet klopt. Misschien is er een kopie van in gebruik. Probeer het opnieuw; gebeurt het weer, verwijder dan deze passkey bij "Mijn apparaten".',
  'municipality.error.public_key_invalid':
    'Dit is geen geldige publieke sleutel. Vraag de organisatie om de sleutel opnieuw te sturen.',
  'municipality.error.text_forbidden':
    'Een veld bevat een nummer dat op een BSN lijkt, of een teken dat niet mag. Er is niets opgeslagen.',
  'municipality.error.forbidden':
    'Dit mag u niet doen. Een uitnodigingscode voor uzelf krijgt u van een andere beheerder.',
  'municipality.orgRole.professional': 'Professional: geeft signalen af en ziet matches',
  'municipality.orgRole.organisation_coordinator':
    'Coördinator: beheert de mensen van de organisatie en draagt signalen over',
  'municipality.cli':
    'Sleutels en sleutelperiodes (epochs), organisatiegegevens zoals de webhook en het dagbudget, en de apparaten van mensen beheert u op de server met het beheerprogramma (sluis-server admin …).',
  // Placing a signal, the session's end, regie and the texts a professional's walk-through
  // found (docs/portal.md "Placing a signal", "Signing in").
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
  'local.reference.forbidden':
    'Het kenmerk bevat een nummer dat op een BSN lijkt, of een teken dat niet mag. Zet in uw kenmerk nooit een BSN.',
  'local.reference.invalid': 'Het kenmerk is te lang (meer dan 100 tekens) of bevat tekens die niet mogen.',
  'local.forget.title': 'Wat deze browser voor u bewaart',
  'local.forget.text':
    'Deze browser bewaart voor u uw eigen kenmerken, een sleutel om uw signalen terug te vinden met het BSN, en wanneer u de matches het laatst bekeek. Uitloggen laat dit staan, zodat u het na inloggen terugvindt. Werkt u op een gedeelde computer, of niet meer op deze computer? Verwijder het dan.',
  'local.forget.button': 'Verwijder wat deze browser voor mij bewaart',
  'local.forget.confirm.title': 'Verwijderen wat deze browser voor u bewaart?',
  'local.forget.confirm.text':
    'Uw eigen kenmerken en de sleutel om signalen terug te vinden worden uit deze browser verwijderd. Uw signalen en matches blijven bestaan.',
  'local.forget.confirm.button': 'Ja, verwijderen',
  'local.forget.done': 'Deze browser bewaart niets meer voor u.',
  ...engineRules,
} as const;

export type MessageKey = keyof typeof nl;
