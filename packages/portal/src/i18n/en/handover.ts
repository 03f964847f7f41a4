// English: handing one signal over (docs/portal.md "Handing one signal over").

import type { handover as nl } from '../nl/handover.js';

export const handover: Record<keyof typeof nl, string> = {
  'handover.ask': 'Ask your coordinator to hand this signal over to you',
  'handover.ask.sent':
    'Your question has been sent to your organisation’s coordinator. If the coordinator hands the signal over to you, it appears under My signals. If the coordinator declines, or the signal has ended meanwhile, you will not be told.',
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
  'handover.declined': 'You declined the request of {name}. {name} will not be told.',
};
