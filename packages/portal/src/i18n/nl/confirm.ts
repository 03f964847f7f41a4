// Dutch: the confirm steps before an action that cannot be undone (docs/portal.md "Confirming").

export const confirm = {
  'confirm.cancel': 'Annuleren',
  'confirm.withdrawError.title': 'Signaal verwijderen?',
  'confirm.withdrawError.text':
    'U geeft aan dat dit signaal ({reference}) ten onrechte is afgegeven. Het wordt meteen en voorgoed verwijderd, met de matches ervan. Dit kunt u niet ongedaan maken.',
  'confirm.withdrawError.button': 'Ja, signaal verwijderen',
  'confirm.withdrawEnded.title': 'Betrokkenheid beëindigen?',
  'confirm.withdrawEnded.text':
    'U geeft aan dat u niet meer betrokken bent bij de persoon van dit signaal ({reference}). Het signaal stopt meteen en gaat naar het archief. De matches ervan stoppen ook. Dit kunt u niet ongedaan maken.',
  'confirm.withdrawEnded.button': 'Ja, betrokkenheid beëindigen',
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
} as const;
