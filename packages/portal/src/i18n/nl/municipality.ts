// Dutch: the municipality's administrator: the municipality's people and the organisations
// (docs/portal.md "The municipality's administrator").

export const municipality = {
  'municipality.title': 'Gemeente: mensen en organisaties',
  'municipality.intro':
    'Hier beheert u de mensen van de gemeente en de organisaties die meedoen. Een uitnodigingscode maken en een organisatie toelaten bevestigt u eerst met uw eigen passkey.',
  'municipality.people.title': 'Mensen van de gemeente',
  'municipality.people.caption': 'Mensen van de gemeente en hun rollen',
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
  'municipality.org.caption': 'Toegelaten organisaties en hun status',
  'municipality.org.none': 'Er zijn nog geen organisaties.',
  'municipality.org.type': 'Soort organisatie',
  'municipality.org.status': 'Status',
  'municipality.org.status.active': 'actief',
  'municipality.org.status.suspended': 'geschorst',
  'municipality.org.people': 'Mensen van {name}',
  'municipality.org.peopleOf': 'Mensen van {name}',
  'municipality.org.peopleCaption': 'Mensen van {name} en hun rollen',
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
} as const;
