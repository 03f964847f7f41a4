// English: handing one signal over (docs/portal.md "Handing one signal over").

import type { handover as nl } from '../nl/handover.js';

export const handover: Record<keyof typeof nl, string> = {
  'handover.ask': 'Ask your coordinator to hand this signal over to you',
  'handover.ask.sent':
    'Your question has been sent to your organisation’s coordinator. If the coordinator hands the signal over to you, it appears under My signals. If the coordinator declines, you see that under My signals too. If the signal has ended meanwhile, you will not be told.',
  'handover.title': 'Requests to take over a signal',
  'handover.intro':
    'A professional wanted to place a signal for someone your organisation already has a signal for. They ask you to hand that signal over to them.',
  'handover.none': 'There are no requests.',
  'handover.item': '{asker} asks for a signal held by {holder} (placed on {date}).',
  'handover.item.noHolder': '{asker} asks for a signal that no one holds (placed on {date}).',
  'handover.noHolder': 'no one',
  'handover.transfer': 'Hand over to {name}',
  'handover.decline': 'Decline',
  'handover.form': 'Details of {name} for this signal',
  'handover.form.button': 'Next',
  'handover.done': 'The signal has been handed over to {name}.',
  'handover.declined':
    'You declined the request of {name}. {name} sees that under My signals, without the signal.',
  'handover.declines.title': 'Declined requests for a signal',
  'handover.declines.intro':
    'You asked your organisation’s coordinator to hand a colleague’s signal over to you. The coordinator declined. You see this for 30 days. Which person it was about is not shown: the portal does not keep that.',
  'handover.declines.item':
    'Your request of {asked} was declined on {declined} by your organisation’s coordinator.',
  'handover.declines.next':
    'What can you do? Do you want to know why, or do you still need the signal? Call or e-mail your organisation’s coordinator. Your organisation’s signal for this person stays. You cannot place a signal of your own for this person: your organisation already has one.',
};
