// Dutch texts for a match whose processing the GDPR desk restricted (AVG art. 18): no contact
// details are shown to either side until the restriction is lifted (docs/engine.md "What a
// match reveals"). B1 language level.

export const restriction = {
  'match.restricted':
    'De gemeente heeft de verwerking van een signaal van deze match beperkt. Zolang dat zo is, worden geen contactgegevens getoond.',
  'match.restricted.short': 'verwerking beperkt',
} as const;
