// English: the match coordinator's follow-up overview, its overdue threshold and filters
// (docs/portal.md "Screens").
import type { followUp as nl } from '../nl/follow-up.js';

export const followUp: Record<keyof typeof nl, string> = {
  'followUp.filter.outcome': 'Recorded outcome',
  'followUp.filter.days': 'Overdue after (days)',
  'followUp.filter.days.help':
    'A match is overdue when neither organisation has recorded anything after this number of days.',
  'followUp.filter.days.error': 'Enter a number of days from 0 to 3650.',
  'followUp.overdueAfter': 'Overdue (after {days} days)',
  'followUp.title': 'Follow-up of matches',
  'followUp.intro':
    'Per match: the organisations, what they recorded and whether follow-up is overdue. You see no persons.',
  'followUp.filters': 'Filters',
  'followUp.filter.status': 'Status',
  'followUp.filter.followUp': 'Follow-up',
  'followUp.filter.sort': 'Order',
  'followUp.option.all': 'all',
  'followUp.option.active': 'active',
  'followUp.option.ended': 'ended',
  'followUp.option.none': 'nothing recorded yet',
  'followUp.option.overdue': 'overdue',
  'followUp.option.recorded': 'recorded',
  'followUp.option.oldest': 'oldest first',
  'followUp.option.newest': 'newest first',
  'followUp.caption': 'Matches, page {page}',
  'followUp.parties': 'Organisations and follow-up',
  'followUp.regie': 'Lead (regie)',
  'followUp.regie.none': 'nobody yet',
  'followUp.regie.gone': 'an organisation no longer taking part',
  'followUp.none': 'No matches with these filters.',
  'followUp.paging': 'Pages',
};
