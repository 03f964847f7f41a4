// Dutch: the GDPR desk's screen (docs/portal.md "Screens", "The GDPR desk"): identifying the
// citizen, access (art. 15), restriction (art. 18), objection (art. 21) and erasure (art. 17),
// and the refusals of these routes and of the credential the page asks for.

export const gdprDesk = {
  'gdpr.title': 'AVG-verzoeken',
  'gdpr.intro':
    'Hier handelt u verzoeken van burgers af: inzage, beperking, bezwaar en wissen. Het BSN (of de achternaam, geboortedatum en het geslacht) blijft in deze pagina. De pagina maakt er via de pseudoniemdienst pseudoniemen van en stuurt alleen die naar de server.',
  'gdpr.person': 'Om wie gaat het verzoek?',
  'gdpr.bsn.help': '9 cijfers (een BSN van 8 cijfers mag ook). Wordt niet verstuurd.',
  'gdpr.dateOfBirth.help': 'Wordt niet verstuurd.',
  'gdpr.identify': 'Zoek de burger op',
  'gdpr.errors.title': 'Controleer de gegevens van de burger',
  'gdpr.identified': 'De burger is omgezet in pseudoniemen: {pseudonyms}. Kies hieronder wat u wilt doen.',
  'gdpr.identified.withoutBsn': 'Dit is iemand zonder BSN (achternaam, geboortedatum en geslacht).',
  'gdpr.newRequest': 'Nieuw verzoek',
  'gdpr.newRequest.help':
    'Wist alles van dit verzoek uit deze pagina. Daarna kunt u een andere burger opzoeken.',
  'gdpr.access.title': 'Inzage (artikel 15)',
  'gdpr.access.show': 'Toon wat er is opgeslagen',
  'gdpr.access.result':
    'Gevonden: {signals}, {parents} waarin de burger als ouder staat, {matches}, en {access} dat iemand een signaal ontving of bekeek.',
  'gdpr.count.signals.one': '{count} signaal',
  'gdpr.count.signals': '{count} signalen',
  'gdpr.count.matches.one': '{count} match',
  'gdpr.count.matches': '{count} matches',
  'gdpr.count.links.one': '{count} koppeling als ouder',
  'gdpr.count.links': '{count} koppelingen als ouder',
  'gdpr.count.times': '{count} keer',
  'gdpr.signals.caption': 'Signalen over deze burger',
  'gdpr.signals.none': 'Er zijn geen signalen over deze burger.',
  'gdpr.parents.caption': 'Signalen over een kind waarin deze burger als ouder staat',
  'gdpr.parents.none': 'Deze burger staat in geen enkel signaal als ouder.',
  'gdpr.matches.caption': 'Matches',
  'gdpr.matches.none': 'Er zijn geen matches.',
  'gdpr.seen.caption': 'Wie het signaal ontving of bekeek',
  'gdpr.seen.none': 'Niemand ontving of bekeek een signaal van deze burger.',
  'gdpr.col.organisation': 'Organisatie',
  'gdpr.col.status': 'Status',
  'gdpr.col.placed': 'Afgegeven',
  'gdpr.col.expires': 'Loopt tot',
  'gdpr.col.ended': 'Beëindigd',
  'gdpr.col.purge': 'Wordt gewist op',
  'gdpr.col.informed': 'Geïnformeerd',
  'gdpr.col.restricted': 'Beperkt',
  'gdpr.col.objection': 'Bezwaar',
  'gdpr.col.kind': 'Soort',
  'gdpr.col.created': 'Gemaakt',
  'gdpr.col.organisations': 'Organisaties',
  'gdpr.col.via': 'Via',
  'gdpr.col.at': 'Wanneer',
  'gdpr.col.what': 'Wat',
  'gdpr.col.role': 'Rol',
  'gdpr.col.person': 'Persoon',
  'gdpr.status.active': 'actief',
  'gdpr.status.inactive': 'niet meer actief',
  'gdpr.status.ended': 'beëindigd',
  'gdpr.yes': 'ja',
  'gdpr.no': 'nee',
  'gdpr.none': '—',
  'gdpr.objection.pending': 'loopt',
  'gdpr.objection.upheld': 'toegewezen',
  'gdpr.objection.rejected': 'afgewezen',
  'gdpr.kind.person': 'persoon',
  'gdpr.kind.family': 'gezin',
  'gdpr.via.signal': 'eigen signaal',
  'gdpr.via.parent': 'als ouder',
  'gdpr.seen.received': 'kreeg bericht van een match',
  'gdpr.seen.viewed': 'bekeek de match',
  'gdpr.seen.municipality': 'de gemeente',
  'gdpr.informed.citizen': 'de jongere zelf, op {date}',
  'gdpr.informed.representative': 'de wettelijk vertegenwoordiger, op {date}',
  'gdpr.informed.both': 'de jongere en de wettelijk vertegenwoordiger, op {date}',
  'gdpr.informed.not_yet': 'nog niet',
  'gdpr.report.title': 'Overzicht voor de burger',
  'gdpr.report.help':
    'Dit overzicht kunt u afdrukken of als pdf bewaren en aan de burger geven. Er staan geen nummers in.',
  'gdpr.report.lang': 'Taal van het overzicht',
  'gdpr.report.nl': 'Nederlands',
  'gdpr.report.en': 'Engels',
  'gdpr.report.print': 'Afdrukken',
  'gdpr.restrict.title': 'Beperking van de verwerking (artikel 18)',
  'gdpr.restrict.help':
    'Bij een beperking vinden de signalen van de burger geen nieuwe matches, en bestaande matches tonen geen contactgegevens ("verwerking beperkt"). Er wordt niets gewist.',
  'gdpr.restrict.on': 'Verwerking beperken',
  'gdpr.restrict.off': 'Beperking opheffen',
  'gdpr.restrict.done':
    'De verwerking is beperkt. De beperking geldt voor {signals} over deze burger: alle signalen, ook die al beperkt waren. Nieuw beperkt: {links} op signalen van kinderen (koppelingen die al beperkt waren, zijn niet meegeteld).',
  'gdpr.unrestrict.done':
    'De beperking is opgeheven voor {signals} over deze burger: alle signalen. Nieuw vrijgegeven: {links} op signalen van kinderen (koppelingen die al vrij waren, zijn niet meegeteld).',
  'gdpr.object.title': 'Bezwaar (artikel 21)',
  'gdpr.object.help':
    'Registreer eerst het bezwaar met de datum waarop het binnenkwam. Zolang het bezwaar loopt, vinden de signalen geen matches en tonen matches geen contactgegevens. Beslis daarna: bij toewijzen worden de signalen gewist, bij afwijzen gaat alles weer door.',
  'gdpr.object.receivedOn': 'Ontvangen op',
  'gdpr.object.receivedOn.help': 'De dag waarop het bezwaar binnenkwam. Niet in de toekomst.',
  'gdpr.object.late': 'Te laat, maar verschoonbaar',
  'gdpr.object.late.help':
    'Kies dit alleen als het bezwaar na de bezwaartermijn binnenkwam en de gemeente de termijnoverschrijding verschoonbaar vindt. Kwam het bezwaar op tijd binnen? Dan verandert dit vinkje niets: de server registreert het bezwaar als op tijd en slaat het vinkje niet op.',
  'gdpr.object.register': 'Bezwaar registreren',
  'gdpr.object.uphold': 'Bezwaar toewijzen (wist de signalen)',
  'gdpr.object.reject': 'Bezwaar afwijzen',
  'gdpr.object.error.receivedOn': 'Vul een datum in die niet in de toekomst ligt.',
  'gdpr.object.errors': 'Controleer het bezwaar',
  'gdpr.object.pending.done':
    'Het bezwaar is geregistreerd en beperkt de verwerking nu. Dit geldt voor {signals} over deze burger: alle signalen. Nieuw beperkt: {links} op signalen van kinderen (koppelingen die al beperkt waren, zijn niet meegeteld).',
  'gdpr.object.term.onTime': 'Het bezwaar kwam op tijd binnen.',
  'gdpr.object.term.onTimeTicked':
    'Het bezwaar kwam op tijd binnen. Het vinkje "Te laat, maar verschoonbaar" is daarom niet gebruikt en niet opgeslagen.',
  'gdpr.object.term.lateExcused':
    'Het bezwaar kwam na de termijn binnen en is als verschoonbaar geregistreerd.',
  'gdpr.object.upheld.done':
    'Het bezwaar is toegewezen. Gewist: {signals} over deze burger en {links} op signalen van kinderen.',
  'gdpr.object.rejected.done':
    'Het bezwaar is afgewezen. De beperking is opgeheven voor {signals} over deze burger: alle signalen. Nieuw vrijgegeven: {links} op signalen van kinderen (koppelingen die al vrij waren, zijn niet meegeteld).',
  'gdpr.object.uphold.confirm.title': 'Bezwaar toewijzen?',
  'gdpr.object.uphold.confirm.text':
    'Toewijzen wist alle signalen en matches van deze burger. Dit kan niet ongedaan worden gemaakt.',
  'gdpr.object.uphold.confirm.yes': 'Ja, toewijzen en wissen',
  'gdpr.erase.title': 'Wissen (artikel 17)',
  'gdpr.erase.help': 'Wist alle signalen en matches van deze burger bij alle organisaties.',
  'gdpr.erase.button': 'Alles van deze burger wissen',
  'gdpr.erase.confirm.title': 'Alles van deze burger wissen?',
  'gdpr.erase.confirm.text':
    'Alle signalen en matches van deze burger worden gewist. Dit kan niet ongedaan worden gemaakt.',
  'gdpr.erase.confirm.yes': 'Ja, wissen',
  'gdpr.erase.done': 'Gewist: {signals}, {matches} en {links} op signalen van kinderen.',
  'gdpr.cancel': 'Annuleren',
  'gdpr.leftToCli':
    'Een verzoek voor iemand wiens gegevens nog onder een oudere sleutel (HMAC) staan, doet u met het beheerprogramma op de server:',
  'error.gdpr_desk_unconfigured':
    'Het AVG-loket kan nog geen pseudoniemen maken. Er is niets verstuurd. Meld dit aan degene die de server beheert: die stelt het nummer van de gemeente bij de pseudoniemdienst in (zie operations.md).',
  'error.pseudonym_invalid':
    'De server herkent de pseudoniemen niet. Er is niets veranderd. Kies "Nieuw verzoek" en zoek de burger opnieuw op.',
  'error.epoch_unknown':
    'De server kent de sleutel van deze pseudoniemen niet (meer). Er is niets veranderd. Laad de pagina opnieuw en zoek de burger opnieuw op. Lukt het niet? Meld het aan de beheerder van de gemeente.',
  'error.objection_out_of_term':
    'Het bezwaar kwam na de termijn binnen. Er is niets veranderd. Vindt de gemeente dat verschoonbaar? Kies dan "Te laat, maar verschoonbaar" en registreer opnieuw.',
  'error.unavailable':
    'De server kan dit nu niet doen. Er is niets veranderd. Probeer het later opnieuw. Blijft het zo? Meld het aan degene die de server beheert.',
  'error.internal':
    'Er ging op de server iets mis. Er is misschien niets veranderd: kijk dat na voor u het opnieuw probeert. Blijft het zo? Meld het aan degene die de server beheert.',
  'gdpr.error.subject':
    'De server wil de burger onder elke actieve sleutel. Dit portaal gebruikt alleen de sleutels van de pseudoniemdienst. Er is niets veranderd. Doe dit verzoek met het beheerprogramma op de server (zie hieronder).',
} as const;
