// Dutch texts for refusals by the engine's rules (docs/api.md "Errors (RFC 9457)"): what
// happened and what the person can do. Spread into the Dutch catalogue (nl.ts).

export const engineRules = {
  'error.last_administrator':
    'Dit is de laatste beheerder van de gemeente. Voeg eerst een andere beheerder toe en verwijder deze persoon daarna.',
  'error.passkey_counter_invalid':
    'Deze passkey is misschien gekopieerd. Daarom kunt u er niet mee verder. Gebruik een andere passkey van u, of vraag de coördinator van uw organisatie om deze passkey te verwijderen en u een nieuwe uitnodigingscode te geven. Werkt u bij de gemeente? Vraag het dan de beheerder van de gemeente. Vertel er ook bij dat iemand een kopie van uw passkey kan hebben.',
} as const;
