// The invitation's text output: the code, its expiry, and that it replaces an unused earlier
// code of the person (docs/operations.md "Sign-in") — nothing else about the person.

import { describe, expect, it } from 'vitest';
import { ServerError } from '../errors.js';
import { inviteText, rolesArg } from './admin-people-commands.js';

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

describe('add-person --role', () => {
  it('a wrong role names every valid role before anything is sent, without echoing the value', () => {
    let message = '';
    try {
      rolesArg(['professional', 'coordinator']);
    } catch (e) {
      message = String((e as ServerError).details.hint);
    }
    expect(message).toBe(
      '--role must be one of: professional, organisation_coordinator (a person of an organisation, ' +
        'with --organisation-id); match_coordinator, gdpr_desk, auditor, administrator (a person of the municipality)',
    );
    expect(rolesArg(['organisation_coordinator', 'professional'])).toEqual([
      'organisation_coordinator',
      'professional',
    ]);
    expect(() => rolesArg(undefined)).toThrow(ServerError);
  });
});
