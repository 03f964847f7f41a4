// The translator's plural forms (docs/portal.md "Languages"): a text with a numeric `count`
// takes the catalogue's `<key>.one` form when the language's plural rule says "one".

import { describe, expect, it } from 'vitest';
import { translator } from './i18n.js';

describe('translator', () => {
  it('uses the singular form for one, in Dutch and English', () => {
    expect(translator('nl')('org.transfer.done', { count: 1, name: 'Anna Jansen' })).toBe(
      '1 signaal is overgedragen aan Anna Jansen.',
    );
    expect(translator('en')('org.transfer.done', { count: 1, name: 'Anna Jansen' })).toBe(
      '1 signal has been handed over to Anna Jansen.',
    );
  });

  it('keeps the plural form for other counts, and texts without a count as they are', () => {
    expect(translator('nl')('org.transfer.done', { count: 2, name: 'Anna Jansen' })).toBe(
      '2 signalen zijn overgedragen aan Anna Jansen.',
    );
    expect(translator('nl')('org.transfer.done', { count: 0, name: 'Anna Jansen' })).toBe(
      '0 signalen zijn overgedragen aan Anna Jansen.',
    );
    expect(translator('nl')('app.signOut')).toBe('Uitloggen');
  });
});
