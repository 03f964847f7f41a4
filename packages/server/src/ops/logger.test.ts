// errorFields, the log fields of an unexpected error (docs/leakage.md §3.4): name, code and
// stack frames of the error and of its cause, never a message, and a `code` only in the shape
// of one, so that no value a third party put in `code` reaches the log.

import { EngineError } from '@sluis/engine';
import { describe, expect, it } from 'vitest';
import { errorFields } from './logger.js';

/** An error as a library builds it: a message that may quote input, and a `code`. */
function coded(code: unknown, message = 'quoted input 123456782'): Error {
  return Object.assign(new Error(message), { code });
}

describe('errorFields', () => {
  it("logs an internal error's cause by name, code and frames: a statement refused as TRANSACTION_ENDED", () => {
    // As the PostgreSQL store wraps a driver error that is no SQLSTATE (pg-errors.ts mapPgError).
    const cause = coded('TRANSACTION_ENDED', 'TRANSACTION_ENDED: the transaction of this statement was …');
    const f = errorFields(new EngineError('internal', 'internal storage error', { cause }));
    expect(f).toMatchObject({
      errorName: 'EngineError',
      errorCode: 'internal',
      causeName: 'Error',
      causeCode: 'TRANSACTION_ENDED',
    });
    expect(f.causeStack).toContain('logger.test.ts');
    expect(JSON.stringify(f)).not.toContain('the transaction of this statement');
  });

  it('logs codes in the shape of a code (identifier, SQLSTATE) and nothing else put in `code`', () => {
    for (const code of ['ECONNRESET', 'internal', '57P01', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
      expect(errorFields(coded(code)).errorCode).toBe(code);
      expect(errorFields(new EngineError('internal', 'x', { cause: coded(code) })).causeCode).toBe(code);
    }
    const values = [
      '123456782', // a BSN
      '2010-04-01', // a birth date
      'q3Jx9f0LkTnW2bVr7yHcP1sZmA5uE8dG4iKoNtBvXwY', // a pseudonym's length (43, base64url)
      'Johanna de Vries', // a name
      'a-b',
      '',
      42,
      { toString: () => 'TRANSACTION_ENDED' },
    ];
    for (const code of values) {
      const f = errorFields(new EngineError('internal', 'x', { cause: coded(code) }));
      expect(f).not.toHaveProperty('causeCode');
      expect(errorFields(coded(code))).not.toHaveProperty('errorCode');
      expect(JSON.stringify(f)).not.toContain('123456782');
    }
  });
});
