// English texts for a match whose processing the GDPR desk restricted (GDPR art. 18): every
// key of the Dutch file (the type makes a missing one an error).
import type { restriction as nl } from '../nl/restriction.js';

export const restriction: Record<keyof typeof nl, string> = {
  'match.restricted':
    'The municipality has restricted the processing of a signal of this match. While it is restricted, no contact details are shown.',
  'match.restricted.short': 'processing restricted',
};
