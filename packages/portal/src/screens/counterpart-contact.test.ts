import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/i18n.js';
import { counterpartContactText } from './counterpart-contact.js';

const t = (key: string) => `[${key}]`;

describe('the matches table contact column', () => {
  it('names the contact, says a pending objection, and shows a dash for an expired counterpart', () => {
    const contact = { name: 'A. de Wit' };
    const plain = { underObjection: false, restricted: false };
    expect(counterpartContactText(t, { ...plain, counterpart: { contact } })).toBe('A. de Wit');
    expect(
      counterpartContactText(t, { ...plain, underObjection: true, counterpart: { contact: null } }),
    ).toBe('[match.underObjection.short]');
    expect(counterpartContactText(t, { ...plain, counterpart: { contact: null } })).toBe('—');
  });

  // docs/engine.md "What a match reveals": a restriction (GDPR art. 18) withholds the contact
  // and is told apart from an objection and from an ended counterpart.
  it('says a restriction in Dutch and English, and an objection first when both apply', () => {
    const restricted = { underObjection: false, restricted: true, counterpart: { contact: null } };
    expect(counterpartContactText(translator('nl'), restricted)).toBe('verwerking beperkt');
    expect(counterpartContactText(translator('en'), restricted)).toBe('processing restricted');
    expect(counterpartContactText(translator('en'), { ...restricted, underObjection: true })).toBe(
      'under objection',
    );
  });
});
