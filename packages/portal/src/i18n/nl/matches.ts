// Dutch: the matches list, the new-matches notice and one's own reference (docs/portal.md
// "Screens").

export const matches = {
  'matches.title': 'Matches',
  'matches.intro':
    'Andere professionals die bij dezelfde persoon of hetzelfde gezin betrokken zijn. U ziet alleen hun contactgegevens.',
  'matches.caption': 'Uw matches, nieuwste eerst',
  'matches.none': 'U hebt nog geen matches.',
  'matches.new': 'nieuw',
  'notice.newMatch': 'Er is 1 nieuwe match sinds uw laatste bezoek.',
  'notice.newMatches': 'Er zijn {count} nieuwe matches sinds uw laatste bezoek.',
  'mine.reference': 'Mijn kenmerk',
} as const;
