// Dutch: the match coordinator's follow-up overview, its overdue threshold and filters
// (docs/portal.md "Screens").

export const followUp = {
  'followUp.filter.outcome': 'Vastgelegde uitkomst',
  'followUp.filter.days': 'Te laat na (dagen)',
  'followUp.filter.days.help':
    'Een match is te laat als na dit aantal dagen geen van beide organisaties iets heeft vastgelegd.',
  'followUp.filter.days.error': 'Vul een aantal dagen in van 0 tot 3650.',
  'followUp.overdueAfter': 'Te laat (na {days} dagen)',
  'followUp.title': 'Opvolging van matches',
  'followUp.intro':
    'Per match: de organisaties, wat zij vastlegden en of de opvolging te laat is. U ziet geen personen.',
  'followUp.filters': 'Filters',
  'followUp.filter.status': 'Status',
  'followUp.filter.followUp': 'Opvolging',
  'followUp.filter.sort': 'Volgorde',
  'followUp.option.all': 'alle',
  'followUp.option.active': 'actief',
  'followUp.option.ended': 'beëindigd',
  'followUp.option.none': 'nog niets vastgelegd',
  'followUp.option.overdue': 'te laat',
  'followUp.option.recorded': 'vastgelegd',
  'followUp.option.oldest': 'oudste eerst',
  'followUp.option.newest': 'nieuwste eerst',
  'followUp.caption': 'Matches, pagina {page}',
  'followUp.parties': 'Organisaties en opvolging',
  'followUp.regie': 'Regie',
  'followUp.regie.none': 'nog niemand',
  'followUp.regie.gone': 'een organisatie die niet meer deelneemt',
  'followUp.none': 'Geen matches met deze filters.',
  'followUp.paging': 'Paginering',
} as const;
