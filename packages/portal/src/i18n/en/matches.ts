// English: the matches list, the new-matches notice and one's own reference (docs/portal.md
// "Screens").
import type { matches as nl } from '../nl/matches.js';

export const matches: Record<keyof typeof nl, string> = {
  'matches.title': 'Matches',
  'matches.intro':
    'Other professionals involved with the same person or family. You see only their contact details.',
  'matches.caption': 'Your matches, newest first',
  'matches.none': 'You have no matches yet.',
  'matches.new': 'new',
  'notice.newMatch': 'There is 1 new match since your last visit.',
  'notice.newMatches': 'There are {count} new matches since your last visit.',
  'mine.reference': 'My reference',
};
