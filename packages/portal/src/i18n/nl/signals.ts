// Dutch: My signals: the list, withdrawing, finding a signal again by BSN, and whom you informed
// (docs/portal.md "Screens", "Whom you informed").

export const signals = {
  'signals.title': 'Mijn signalen',
  'signals.intro': 'Uw actieve signalen. Het kenmerk staat alleen in deze browser.',
  'signals.caption': 'Actieve signalen',
  'signals.reference': 'Kenmerk',
  'signals.noReference': '(geen kenmerk in deze browser)',
  'signals.restricted': 'verwerking beperkt',
  'signals.underObjection': 'bezwaar loopt',
  'signals.placed': 'Afgegeven',
  'signals.expires': 'Loopt af',
  'signals.none': 'U hebt geen actieve signalen.',
  'signals.unnamed': 'een signaal zonder kenmerk in deze browser',
  'signals.unnamedRow': 'signaal in rij {row}, afgegeven {placed}',
  'signals.withdraw.ended': 'Betrokkenheid beëindigen: {reference}',
  'signals.withdraw.error': 'Signaal verwijderen (ten onrechte afgegeven): {reference}',
  'signals.withdrawn.ended': 'Het signaal is beëindigd en gaat naar het archief.',
  'signals.withdrawn.error': 'Het signaal is verwijderd.',
  'signals.lookup.title': 'Mijn signaal voor deze cliënt zoeken',
  'signals.lookup.help':
    'Typ het BSN opnieuw. De pagina maakt er een pseudoniem van en zoekt alleen in uw eigen signalen in deze browser.',
  'signals.lookup.button': 'Zoeken',
  'signals.lookup.none':
    'Geen signaal van u voor deze persoon gevonden in deze browser. Is een signaal aan u overgedragen? Kies dan bij dat signaal ‘Koppelen aan cliënt’.',
  'signals.lookup.found': 'Gevonden: {references}',
  'signals.link.open': 'Koppelen aan cliënt: {reference}',
  'signals.link.title': 'Koppelen aan cliënt: {reference}',
  'signals.link.intro':
    'Typ het BSN van de cliënt en uw eigen kenmerk. De pagina maakt van het BSN een pseudoniem en zoekt daarmee het signaal op. Er wordt geen signaal afgegeven en aan dit signaal verandert niets. Hoort het BSN bij een andere persoon, dan ziet u dat en wordt niets bewaard.',
  'signals.link.reference': 'Eigen kenmerk (niet verplicht)',
  'signals.link.referenceHelp': 'Alleen voor uzelf. Het blijft in deze browser en wordt niet verstuurd.',
  'signals.link.button': 'Koppelen',
  'signals.link.linked': 'Gekoppeld: {reference}. U vindt dit signaal nu ook met het BSN.',
  'signals.link.other':
    'Dit BSN hoort bij een andere persoon dan {name}. Er is niets gekoppeld en niets bewaard.',
  'signals.informed': 'Geïnformeerd',
  'signals.informed.change': 'Geïnformeerd bijwerken: {reference}',
  'informed.title': 'Wie u hebt geïnformeerd: {reference}',
  'informed.intro':
    'Leg vast wie u over dit signaal hebt geïnformeerd, en wanneer. U kunt dit later opnieuw bijwerken.',
  'informed.save': 'Opslaan',
  'informed.saved': 'Vastgelegd voor {reference}: {status}, op {date}.',
  'informed.saved.notYet': 'Vastgelegd voor {reference}: {status}.',
} as const;
