// Dutch: My organisation: the people, adding a person, invitation codes and the transfer of a
// leaver's signals (docs/portal.md "Screens").

export const organisation = {
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
  'org.invite.replaces':
    'Had {name} al een uitnodigingscode die nog niet is gebruikt? Die werkt daarna niet meer.',
  'org.code.replaces':
    'Alleen deze code werkt: een eerdere, nog niet gebruikte uitnodigingscode voor {name} is vanaf nu ongeldig. Passkeys die {name} al heeft, blijven werken.',
  'org.ownDevices':
    'Uw eigen passkeys verwijdert u bij "Mijn apparaten", met een bevestiging met uw passkey.',
} as const;
