// Dutch: what the administrator's walk-through added — an invitation code's expiry and where to
// use it, an admitted organisation's id and next step, closing an organisation's people, the
// refusals for an organisation the pseudonym service does not know or that is suspended, and a
// month of management information in which every count is suppressed (docs/portal.md "The
// municipality's administrator", "Signing in").

export const adminFixes = {
  'adminfix.code.validUntil': 'De code werkt tot',
  'adminfix.code.where': 'De persoon maakt er een passkey mee op deze pagina:',
  'adminfix.admit.id': 'Het id van {name}:',
  'adminfix.admit.next':
    'Eerst moet de pseudoniemdienst {name} kennen. Geef dit id, de publieke sleutel en de naam aan wie de pseudoniemdienst beheert: die laat {name} daar toe. Tot dan kunnen de mensen van {name} geen signaal afgeven. Geef {name} ook dit id en het adres van de server.',
  'adminfix.org.close': 'Mensen van {name} sluiten',
  'error.organisation_unknown':
    'De pseudoniemdienst kent uw organisatie nog niet. Daarom kunt u nog geen signaal afgeven of opzoeken. Er is niets verstuurd. Vraag de coördinator van uw organisatie om dit te melden aan de beheerder van de gemeente.',
  'error.organisation_suspended':
    'Uw organisatie is geschorst. Er is niets verstuurd, en uw signalen blijven bewaard. Vraag de coördinator van uw organisatie om contact op te nemen met de gemeente.',
  'error.organisation_suspended.signIn':
    'De toegang van uw organisatie tot sluis is geschorst. Daarom kunt u nu niet inloggen en geen passkey registreren. Uw signalen blijven bewaard. Vraag de coördinator van uw organisatie om contact op te nemen met de gemeente.',
  'adminfix.mi.allSuppressed':
    'In deze maand is elk aantal kleiner dan {threshold}. Dat kan ook 0 zijn, bijvoorbeeld in een maand voordat uw gemeente met dit portaal begon.',
  'adminfix.keys.owner.organisation': '{name} (organisatie {id})',
} as const;
