// The accessibility statement's contact (docs/portal.md "Accessibility statement"): only a
// mailto:, tel: or https: address becomes a link; none set is "none", never an address of ours.
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.js';
import { accessibilityContact } from './accessibility-contact.js';

describe('accessibilityContact', () => {
  it('makes a link of an e-mail address, a phone number or an https page', () => {
    expect(accessibilityContact('mailto:digitoegankelijk@gemeente.example.nl')).toEqual({
      state: 'set',
      link: {
        kind: 'email',
        href: 'mailto:digitoegankelijk@gemeente.example.nl',
        text: 'digitoegankelijk@gemeente.example.nl',
      },
    });
    expect(accessibilityContact('tel:+31-10-555-0100')).toEqual({
      state: 'set',
      link: { kind: 'phone', href: 'tel:+31-10-555-0100', text: '+31-10-555-0100' },
    });
    expect(accessibilityContact('https://gemeente.example.nl/toegankelijkheid')).toEqual({
      state: 'set',
      link: {
        kind: 'web',
        href: 'https://gemeente.example.nl/toegankelijkheid',
        text: 'gemeente.example.nl/toegankelijkheid',
      },
    });
  });

  it('reads an address as the server does (test/vectors), and shows its parsed form (an IDN host as punycode)', () => {
    for (const [v, text] of CONTACTS.accepted)
      expect(accessibilityContact(v), v).toMatchObject({ state: 'set', link: { text } });
    for (const v of CONTACTS.refused) expect(accessibilityContact(v), v).toEqual({ state: 'unreadable' });
  });

  it('says none for null or a missing field', () => {
    expect(accessibilityContact(null)).toEqual({ state: 'none' });
    expect(accessibilityContact(undefined)).toEqual({ state: 'none' });
  });

  it('makes no link of another scheme or a malformed value', () => {
    for (const v of [
      'javascript:alert(1)',
      'data:text/html,x',
      'http://gemeente.example.nl/',
      'https://user:pw@gemeente.example.nl/',
      'mailto:a@b.nl?subject=x',
      'mailto:nobody',
      'tel:+31 10 555 0100',
      'digitoegankelijk@gemeente.example.nl',
      '',
      42,
      { href: 'mailto:a@b.nl' },
      `https://gemeente.example.nl/${'a'.repeat(500)}`,
    ])
      expect(accessibilityContact(v), String(v)).toEqual({ state: 'unreadable' });
  });
});

// One table with the server's test (packages/server/src/cli/config.test.ts "contact addresses"):
// the server and the portal accept and refuse the same addresses.
const CONTACTS = loadVectors<{ accepted: [string, string][]; refused: string[] }>(
  'accessibility-contacts.json',
);
