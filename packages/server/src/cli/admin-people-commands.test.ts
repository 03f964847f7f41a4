// The invitation's text output: the code, its expiry, and that it replaces an unused earlier
// code of the person (docs/operations.md "Sign-in") — nothing else about the person.

import { describe, expect, it } from 'vitest';
import { inviteText } from './admin-people-commands.js';

describe('admin invite output', () => {
  it('prints the code and its expiry and says that an earlier unused code no longer works', () => {
    const text = inviteText({ code: 'ABCD-EFGH', expiresAt: '2026-12-07T12:00:00.000Z', displayName: 'X' });
    expect(text).toBe(
      'enrolment code (single use, give it to the person only): ABCD-EFGH\n' +
        'valid until 2026-12-07T12:00:00.000Z\n' +
        'if this person had an unused code, it no longer works\n',
    );
  });
});
