// Dutch: handing one signal over (docs/portal.md "Handing one signal over"): the
// professional's question after a placement that a colleague's signal answered, and the
// coordinator's list of such questions in Mijn organisatie, and on Mijn signalen the asker's
// questions the coordinator declined (30 days).

export const handover = {
  'handover.ask': 'Vraag uw coördinator om dit signaal aan u over te dragen',
  'handover.ask.sent':
    'Uw vraag is naar de coördinator van uw organisatie gestuurd. Draagt de coördinator het signaal aan u over, dan staat het bij Mijn signalen. Wijst de coördinator de vraag af, dan ziet u dat ook bij Mijn signalen. Is het signaal intussen beëindigd, dan krijgt u geen bericht.',
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
  'handover.declined':
    'U hebt het verzoek van {name} afgewezen. {name} ziet dat bij Mijn signalen, zonder het signaal.',
  'handover.declines.title': 'Afgewezen vragen om een signaal',
  'handover.declines.intro':
    'U vroeg de coördinator van uw organisatie om een signaal van een collega aan u over te dragen. De coördinator heeft die vraag afgewezen. U ziet dit 30 dagen. Voor welke persoon het was, staat hier niet: dat bewaart het portaal niet.',
  'handover.declines.item':
    'Uw vraag van {asked} is afgewezen op {declined} door de coördinator van uw organisatie.',
  'handover.declines.next':
    'Wat kunt u doen? Wilt u weten waarom, of hebt u het signaal toch nodig? Bel of mail de coördinator van uw organisatie. Het signaal van uw organisatie voor deze persoon blijft bestaan. Een eigen signaal voor deze persoon kunt u niet afgeven: uw organisatie heeft er al een.',
} as const;
