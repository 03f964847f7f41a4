// Dutch: the municipality's oversight screens: management information (match coordinator,
// administrator) and the auditor's logbook check and key list (docs/portal.md "Screens").

export const oversight = {
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
  'oversight.logbook.reason.hash_mismatch':
    'Oorzaak: die regel past niet bij zijn controlewaarde. Een waarde in de regel, of de controlewaarde zelf, is niet wat er werd geschreven.',
  'oversight.logbook.reason.stored_form':
    'Oorzaak: het veld ‘{column}’ van die regel heeft de juiste inhoud, maar in de verkeerde vorm opgeslagen (met de hand als tekst teruggezet). De beheerder kan dat herstellen; de beheerhandleiding van de server zegt hoe (‘When logbook-verify fails’).',
  'oversight.logbook.reason.stored_form.unnamed':
    'Oorzaak: een veld van die regel heeft de juiste inhoud, maar in de verkeerde vorm opgeslagen (met de hand als tekst teruggezet). De beheerder kan dat herstellen; de beheerhandleiding van de server zegt hoe (‘When logbook-verify fails’).',
  'oversight.logbook.reason.unreadable':
    'Oorzaak: die regel is niet te lezen. Een veld ervan is opgeslagen in een vorm die de server niet kent.',
  'oversight.logbook.reason.missing_entry':
    'Oorzaak: die regel ontbreekt. Vanaf daar zijn regels weggehaald.',
  'oversight.logbook.reason.checkpoint':
    'Oorzaak: de vastlegging van tot waar oudere regels zijn opgeruimd, past niet bij de regel die dat meldde.',
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
} as const;
