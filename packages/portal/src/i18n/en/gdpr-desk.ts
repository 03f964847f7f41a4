// English: the GDPR desk's screen (docs/portal.md "Screens", "The GDPR desk"): identifying the
// citizen, access (art. 15), restriction (art. 18), objection (art. 21) and erasure (art. 17),
// and the refusals of these routes and of the credential the page asks for.
import type { gdprDesk as nl } from '../nl/gdpr-desk.js';

export const gdprDesk: Record<keyof typeof nl, string> = {
  'gdpr.title': 'GDPR requests',
  'gdpr.intro':
    "Here you handle citizens' requests: access, restriction, objection and erasure. The BSN (or the surname, date of birth and gender) stays in this page. The page turns it into pseudonyms through the pseudonym service and sends only those to the server.",
  'gdpr.person': 'Whom is the request about?',
  'gdpr.bsn.help': '9 digits (a BSN of 8 digits is also accepted). Not sent.',
  'gdpr.dateOfBirth.help': 'Not sent.',
  'gdpr.identify': 'Look up the citizen',
  'gdpr.errors.title': "Check the citizen's details",
  'gdpr.identified': 'The citizen was turned into pseudonyms: {pseudonyms}. Choose below what to do.',
  'gdpr.identified.withoutBsn': 'This is a person without a BSN (surname, date of birth and gender).',
  'gdpr.newRequest': 'New request',
  'gdpr.newRequest.help':
    'Clears everything of this request from this page. Then you can look up another citizen.',
  'gdpr.access.title': 'Access (article 15)',
  'gdpr.access.show': 'Show what is stored',
  'gdpr.access.result':
    'Found: {signals}, {parents} that name the citizen as a parent, {matches}, and {access} that someone received or viewed a signal.',
  'gdpr.count.signals.one': '{count} signal',
  'gdpr.count.signals': '{count} signals',
  'gdpr.count.matches.one': '{count} match',
  'gdpr.count.matches': '{count} matches',
  'gdpr.count.links.one': '{count} link as a parent',
  'gdpr.count.links': '{count} links as a parent',
  'gdpr.count.times': '{count} times',
  'gdpr.signals.caption': 'Signals about this citizen',
  'gdpr.signals.none': 'There are no signals about this citizen.',
  'gdpr.parents.caption': 'Signals about a child that name this citizen as a parent',
  'gdpr.parents.none': 'No signal names this citizen as a parent.',
  'gdpr.matches.caption': 'Matches',
  'gdpr.matches.none': 'There are no matches.',
  'gdpr.seen.caption': 'Who received or viewed the signal',
  'gdpr.seen.none': 'No one received or viewed a signal of this citizen.',
  'gdpr.col.organisation': 'Organisation',
  'gdpr.col.status': 'Status',
  'gdpr.col.placed': 'Placed',
  'gdpr.col.expires': 'Runs until',
  'gdpr.col.ended': 'Ended',
  'gdpr.col.purge': 'Erased on',
  'gdpr.col.informed': 'Informed',
  'gdpr.col.restricted': 'Restricted',
  'gdpr.col.objection': 'Objection',
  'gdpr.col.kind': 'Kind',
  'gdpr.col.created': 'Made',
  'gdpr.col.organisations': 'Organisations',
  'gdpr.col.via': 'Via',
  'gdpr.col.at': 'When',
  'gdpr.col.what': 'What',
  'gdpr.col.role': 'Role',
  'gdpr.col.person': 'Person',
  'gdpr.status.active': 'active',
  'gdpr.status.inactive': 'no longer active',
  'gdpr.status.ended': 'ended',
  'gdpr.yes': 'yes',
  'gdpr.no': 'no',
  'gdpr.none': '—',
  'gdpr.objection.pending': 'pending',
  'gdpr.objection.upheld': 'upheld',
  'gdpr.objection.rejected': 'rejected',
  'gdpr.kind.person': 'person',
  'gdpr.kind.family': 'family',
  'gdpr.via.signal': 'own signal',
  'gdpr.via.parent': 'as a parent',
  'gdpr.seen.received': 'was notified of a match',
  'gdpr.seen.viewed': 'viewed the match',
  'gdpr.seen.municipality': 'the municipality',
  'gdpr.informed.citizen': 'the young person, on {date}',
  'gdpr.informed.representative': 'the legal representative, on {date}',
  'gdpr.informed.both': 'the young person and the legal representative, on {date}',
  'gdpr.informed.not_yet': 'not yet',
  'gdpr.report.title': 'Report for the citizen',
  'gdpr.report.help':
    'You can print this report or save it as a PDF and give it to the citizen. It holds no numbers.',
  'gdpr.report.lang': 'Language of the report',
  'gdpr.report.nl': 'Dutch',
  'gdpr.report.en': 'English',
  'gdpr.report.print': 'Print',
  'gdpr.restrict.title': 'Restriction of processing (article 18)',
  'gdpr.restrict.help':
    'Under a restriction the citizen\'s signals find no new matches, and existing matches show no contact details ("processing restricted"). Nothing is erased.',
  'gdpr.restrict.on': 'Restrict processing',
  'gdpr.restrict.off': 'Lift the restriction',
  'gdpr.restrict.done':
    "Processing is restricted. The restriction covers {signals} about this citizen: all of them, also any that were restricted already. Newly restricted: {links} on children's signals (links that were restricted already are not counted).",
  'gdpr.unrestrict.done':
    'The restriction is lifted from {signals} about this citizen: all of them. Newly freed: {links} on children’s signals (links that were free already are not counted).',
  'gdpr.object.title': 'Objection (article 21)',
  'gdpr.object.help':
    'First register the objection with the day it was received. While the objection is pending, the signals find no matches and matches show no contact details. Then decide: upholding erases the signals, rejecting lets everything continue.',
  'gdpr.object.receivedOn': 'Received on',
  'gdpr.object.receivedOn.help': 'The day the objection came in. Not in the future.',
  'gdpr.object.late': 'Late, but excused',
  'gdpr.object.late.help':
    'Choose this only when the objection came in after the objection term and the municipality excuses the delay. Did the objection come in on time? Then this box changes nothing: the server registers the objection as on time and does not record the box.',
  'gdpr.object.register': 'Register objection',
  'gdpr.object.uphold': 'Uphold objection (erases the signals)',
  'gdpr.object.reject': 'Reject objection',
  'gdpr.object.error.receivedOn': 'Enter a date that is not in the future.',
  'gdpr.object.errors': 'Check the objection',
  'gdpr.object.pending.done':
    'The objection is registered and restricts processing now. This covers {signals} about this citizen: all of them. Newly restricted: {links} on children’s signals (links that were restricted already are not counted).',
  'gdpr.object.term.onTime': 'The objection came in on time.',
  'gdpr.object.term.onTimeTicked':
    'The objection came in on time. The "Late, but excused" box was therefore not used and not recorded.',
  'gdpr.object.term.lateExcused': 'The objection came in after the term and is registered as excused.',
  'gdpr.object.upheld.done':
    'The objection is upheld. Erased: {signals} about this citizen and {links} on children’s signals.',
  'gdpr.object.rejected.done':
    'The objection is rejected. The restriction is lifted from {signals} about this citizen: all of them. Newly freed: {links} on children’s signals (links that were free already are not counted).',
  'gdpr.object.uphold.confirm.title': 'Uphold the objection?',
  'gdpr.object.uphold.confirm.text':
    "Upholding erases all of this citizen's signals and matches. This cannot be undone.",
  'gdpr.object.uphold.confirm.yes': 'Yes, uphold and erase',
  'gdpr.erase.title': 'Erasure (article 17)',
  'gdpr.erase.help': "Erases all of this citizen's signals and matches at every organisation.",
  'gdpr.erase.button': 'Erase everything of this citizen',
  'gdpr.erase.confirm.title': 'Erase everything of this citizen?',
  'gdpr.erase.confirm.text': "All of this citizen's signals and matches are erased. This cannot be undone.",
  'gdpr.erase.confirm.yes': 'Yes, erase',
  'gdpr.erase.done': 'Erased: {signals}, {matches} and {links} on children’s signals.',
  'gdpr.cancel': 'Cancel',
  'gdpr.leftToCli':
    'A request for someone whose data is still under an older key (HMAC) is done with the admin program on the server:',
  'error.gdpr_desk_unconfigured':
    "The GDPR desk cannot make pseudonyms yet. Nothing was sent. Tell the server's operator: they set the municipality's id at the pseudonym service (see operations.md).",
  'error.pseudonym_invalid':
    'The server does not recognise the pseudonyms. Nothing changed. Choose "New request" and look up the citizen again.',
  'error.epoch_unknown':
    "The server does not know (or no longer knows) the key of these pseudonyms. Nothing changed. Reload the page and look up the citizen again. If that fails, tell the municipality's administrator.",
  'error.objection_out_of_term':
    'The objection came in after the term. Nothing changed. Does the municipality excuse this? Then choose "Late, but excused" and register again.',
  'error.unavailable':
    "The server cannot do this now. Nothing changed. Try again later. If it stays so, tell the server's operator.",
  'error.internal':
    "Something went wrong at the server. Perhaps nothing changed: check that before you try again. If it stays so, tell the server's operator.",
  'gdpr.error.subject':
    'The server needs the citizen under every active key. This portal uses only the keys of the pseudonym service. Nothing changed. Do this request with the admin program on the server (see below).',
};
