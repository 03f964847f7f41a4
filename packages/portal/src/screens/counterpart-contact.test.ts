import { describe, expect, it } from 'vitest';
import { counterpartContactText } from './counterpart-contact.js';

const t = (key: string) => `[${key}]`;

describe('the matches table contact column', () => {
  it('names the contact, says a pending objection, and shows a dash for an expired counterpart', () => {
    const contact = { name: 'A. de Wit' };
    expect(counterpartContactText(t, { underObjection: false, counterpart: { contact } })).toBe('A. de Wit');
    expect(counterpartContactText(t, { underObjection: true, counterpart: { contact: null } })).toBe(
      '[match.underObjection.short]',
    );
    expect(counterpartContactText(t, { underObjection: false, counterpart: { contact: null } })).toBe('—');
  });
});
