// Dutch: what this browser keeps (own references, the lookup key) and removing it (docs/portal.md
// "What stays in the browser").

export const local = {
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
} as const;
