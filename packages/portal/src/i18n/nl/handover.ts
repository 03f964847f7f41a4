// Dutch: handing one signal over (docs/portal.md "Handing one signal over"): the
// professional's question after a placement that a colleague's signal answered, and the
// coordinator's list of such questions in Mijn organisatie.

export const handover = {
  'handover.ask': 'Vraag uw coördinator om dit signaal aan u over te dragen',
  'handover.ask.sent':
    'Uw vraag is naar de coördinator van uw organisatie gestuurd. Draagt de coördinator het signaal aan u over, dan staat het bij Mijn signalen. Wijst de coördinator de vraag af, of is het signaal intussen beëindigd, dan krijgt u geen bericht.',
  'handover.title': 'Verzoeken om een signaal over te nemen',
  'handover.intro':
    'Een professional wilde een signaal afgeven voor iemand voor wie uw organisatie al een signaal heeft. Hij of zij vraagt u dat signaal over te dragen.',
  'handover.none': 'Er zijn geen verzoeken.',
  'handover.item': '{asker} vraagt om een signaal van {holder} (afgegeven op {date}).',
  'handover.item.noHolder': '{asker} vraagt om een signaal dat bij niemand hoort (afgegeven op {date}).',
  'handover.noHolder': 'niemand',
  'handover.transfer': 'Overdragen aan {name}',
  'handover.decline': 'Afwijzen',
  'handover.form': 'Gegevens van {name} voor dit signaal',
  'handover.form.button': 'Verder',
  'handover.done': 'Het signaal is overgedragen aan {name}.',
  'handover.declined': 'U hebt het verzoek van {name} afgewezen. {name} krijgt daarover geen bericht.',
} as const;
