// English: the municipality's oversight screens: management information (match coordinator,
// administrator) and the auditor's logbook check and key list (docs/portal.md "Screens").
import type { oversight as nl } from '../nl/oversight.js';

export const oversight: Record<keyof typeof nl, string> = {
  'oversight.mi.title': 'Management information',
  'oversight.mi.intro':
    'Counts per month and per type of organisation. They hold no people or organisations, and no totals. You only see closed months: a month is closed from the second day of the month after it.',
  'oversight.mi.period': 'Period',
  'oversight.mi.from': 'From month',
  'oversight.mi.to': 'Up to and including month',
  'oversight.mi.month.help': 'Year and month, like this: {example}. The last closed month is {last}.',
  'oversight.mi.show': 'Show',
  'oversight.mi.error.month': 'Enter a month like {example}.',
  'oversight.mi.error.closed': 'This month is not closed yet. Choose {last} or earlier.',
  'oversight.mi.error.order': 'This month is after the last month. Choose a month before it.',
  'oversight.mi.error.span': 'Choose a period of at most 120 months.',
  'oversight.mi.errors': 'Check the period',
  'oversight.mi.threshold':
    'Small counts are not shown, so that nobody can be recognised from the figures. Is a count smaller than {threshold}? Then it reads "fewer than {threshold}". The median is only shown when contact was made at least {threshold} times.',
  'oversight.mi.caption': 'Management information {month}',
  'oversight.mi.type': 'Type of organisation',
  'oversight.mi.signalsPlaced': 'Signals placed',
  'oversight.mi.signalsWithdrawn': 'Signals withdrawn',
  'oversight.mi.matches': 'Matches',
  'oversight.mi.median': 'Median: days from match to contact',
  'oversight.mi.fewer': 'fewer than {threshold}',
  'oversight.mi.median.none': 'no median (contact made fewer than {threshold} times)',
  'oversight.mi.days': '{count} days',
  'oversight.mi.days.one': '1 day',
  'oversight.mi.csv': 'A file with these figures (CSV) is made on the server with the admin program:',
  'oversight.type.youth_care': 'youth care',
  'oversight.type.general_practice': 'general practice',
  'oversight.type.school': 'school',
  'oversight.type.debt_counselling': 'debt counselling',
  'oversight.type.housing': 'housing',
  'oversight.type.police': 'police',
  'oversight.type.social_services': 'social services',
  'oversight.type.municipality': 'municipality',
  'oversight.type.other': 'other',
  'oversight.logbook.title': 'Logbook and keys',
  'oversight.logbook.intro':
    'The logbook records who did what, and when. Every line holds a check value (hash) of the line before it, so a line that is changed or removed stands out. Here you check that chain. You see no lines of the logbook here and no personal data.',
  'oversight.logbook.verify.title': 'Check the logbook',
  'oversight.logbook.verify': 'Check the logbook',
  'oversight.logbook.verifying': 'The logbook is being checked. This may take a while.',
  'oversight.logbook.ok': 'The logbook is intact: the chain of all {count} lines is correct.',
  'oversight.logbook.ok.one': 'The logbook is intact: the chain of 1 line is correct.',
  'oversight.logbook.broken':
    'The logbook is not intact: the chain breaks from line {seq}. {count} lines were checked.',
  'oversight.logbook.reason.hash_mismatch':
    'Cause: that line does not match its check value. A value in the line, or its check value, is not what was written.',
  'oversight.logbook.reason.stored_form':
    'Cause: the field “{column}” of that line holds the right content, but stored in the wrong form (written back by hand as text). The administrator can put it back; the server’s operations manual says how (“When logbook-verify fails”).',
  'oversight.logbook.reason.stored_form.unnamed':
    'Cause: a field of that line holds the right content, but stored in the wrong form (written back by hand as text). The administrator can put it back; the server’s operations manual says how (“When logbook-verify fails”).',
  'oversight.logbook.reason.unreadable':
    'Cause: that line cannot be read. A field of it is stored in a form the server does not recognise.',
  'oversight.logbook.reason.missing_entry': 'Cause: that line is missing. Lines were removed from there on.',
  'oversight.logbook.reason.checkpoint':
    'Cause: the record of where older lines were cleared away does not match the line that announced it.',
  'oversight.logbook.broken.what':
    'Report this to the municipality’s administrator at once. The administrator stops the server and keeps a copy of the database. Compare the check value with the last one you kept.',
  'oversight.logbook.checked': 'Checked at',
  'oversight.logbook.entries': 'Number of lines',
  'oversight.logbook.head': 'Check value of the last line',
  'oversight.logbook.head.help':
    'Keep this check value. At a next check or export it shows whether earlier lines were changed.',
  'oversight.logbook.export.title': 'Fetching the logbook (export)',
  'oversight.logbook.export.text':
    'The logbook cannot be fetched in this portal. Its lines name people and organisations, so they do not go into the browser or your downloads folder. You fetch them on the server with the admin program. It writes a file that only the service’s user can read, and never overwrites a file that is already there:',
  'oversight.logbook.export.host':
    'On the municipality’s server, put sudo -u sluis before it and --data-dir /var/lib/sluis after it:',
  'oversight.keys.title': 'Keys',
  'oversight.keys.intro':
    'All keys with which organisations and the municipality’s administrators sign their requests. Only the public parts. You cannot change anything here.',
  'oversight.keys.caption': 'Keys',
  'oversight.keys.id': 'Key',
  'oversight.keys.owner': 'Of',
  'oversight.keys.owner.admin': 'administration (municipality)',
  'oversight.keys.owner.organisation': 'organisation {id}',
  'oversight.keys.status': 'Status',
  'oversight.keys.status.active': 'active',
  'oversight.keys.status.revoked': 'revoked',
  'oversight.keys.added': 'Added',
  'oversight.keys.revokedAt': 'Revoked at',
  'oversight.keys.none': 'There are no keys.',
};
