// errorFields, the log fields of an unexpected error (docs/leakage.md §3.4): name, code and
// stack frames of the error and of its cause, never a message; a `code` only when it can be
// one (ours, a SQLSTATE, a constant in capitals), anything else as a placeholder; and the
// frames that say where it came from: the first ones and the first of our own code, also when
// the driver's frames come first — on a real PostgreSQL cluster (test/support/postgres.ts).

import { EngineError } from '@sluis/engine';
import { openPostgresStore } from '@sluis/engine/postgres';
import { constants as osConstants } from 'node:os';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { createDatabase, psql } from '../../../../test/support/postgres.js';
import { ServerError } from '../errors.js';
import { errorFields, loggedCode, NOT_A_CODE, NOT_A_NAME } from './logger.js';

/** An error as a library builds it: a message that may quote input, and a `code`. */
function coded(code: unknown, message = 'quoted input 123456782'): Error {
  return Object.assign(new Error(message), { code });
}

/** The error and the same as an `internal` error's cause: the code each logs. */
function logged(code: unknown): [unknown, unknown] {
  const f = errorFields(new EngineError('internal', 'x', { cause: coded(code) }));
  return [errorFields(coded(code)).errorCode, f.causeCode];
}

describe('errorFields: codes', () => {
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

  it('logs every family of real codes as it is', () => {
    const codes = [
      // ours: the engine's, the server's HTTP codes and the CLI's
      'internal',
      'database_unavailable',
      'nonce_reused',
      'rate_limited',
      'webhook_address_refused',
      'key_file_invalid',
      // PostgreSQL SQLSTATEs
      '57P01',
      '23505',
      '40P01',
      'XX001',
      // Node's system errors, nodemailer's
      'ECONNRESET',
      'EAI_AGAIN',
      'EADDRINUSE',
      'ECHARSET', // libuv's, not in os.constants.errno
      'ETLS',
      'EAUTH',
      'EOAUTH2',
      'EMAXRECIPIENTS',
      // Node's and libraries' constants: Node, OpenSSL, undici, SQLite, postgres.js
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'ERR_OSSL_EVP_WRONG_FINAL_BLOCK_LENGTH',
      'ERR_HTTP2_STREAM_ERROR',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'ABORT_ERR',
      'UND_ERR_CONNECT_TIMEOUT',
      'SQLITE_BUSY',
      'SQLITE_CONSTRAINT_PRIMARYKEY',
      'TRANSACTION_ENDED',
      'CONNECTION_CLOSED',
      'CONNECTION_DESTROYED',
      'UNDEFINED_VALUE',
      'RESERVATION_RELEASED', // our postgres.js patch (README.md "Dependencies")
      'ERR_OSSL_X509_CERTIFICATE_VERIFY_FAILED',
      'SSLV3_ALERT_HANDSHAKE_FAILURE',
    ];
    for (const code of codes) expect(logged(code), code).toEqual([code, code]);
    expect(errorFields(new ServerError('webhook_address_refused')).errorCode).toBe('webhook_address_refused');
  });

  it('logs anything else put in `code` as a placeholder, and no code when there is none', () => {
    const values = [
      'secret', // a lower-case word that is no code of ours
      'jansen',
      'internal_but_not_ours',
      'q3Jx9f0LkTnW2bVr7yHcP1sZmA5uE8dG', // a 32-character token (base64url)
      'A3F09C12B44E5D6F7A8B9C0D1E2F3A4B', // a 32-character token (hex, capitals)
      'TOKEN_A3F09C12B44E5D6F7A8B9C0D1E2F3A4B',
      '123456782', // a BSN
      'BSN_123456782',
      'j.devries@example.nl', // an e-mail address
      'ERR@X',
      '2010-04-01', // a birth date
      'q3Jx9f0LkTnW2bVr7yHcP1sZmA5uE8dG4iKoNtBvXwY', // a pseudonym's length (43, base64url)
      'Johanna de Vries', // a name
      'JOHANNA', // a name in capitals (one word, not Node's E… form)
      'JANSEN',
      // five capitals: no SQLSTATE class (docs/leakage.md §3.4)
      'PETER',
      'SARAH',
      'ANOUK',
      'DAVID',
      'FLEUR',
      // E and capitals: no code of Node or nodemailer
      'EMMA',
      'ERIK',
      'ELINE',
      'EDWIN',
      'EVA',
      // a BSN behind a capital, tokens
      'E123456782',
      'ERR_X123456782',
      'E3F09C12B44E5D6F',
      'TOKEN_A3F09C12B44E5D6F7A8B',
      'ERR_',
      '_ERR',
      'a-b',
      '',
      42,
      123456782,
      { toString: () => 'TRANSACTION_ENDED' },
    ];
    for (const code of values) {
      expect(logged(code), String(code)).toEqual([NOT_A_CODE, NOT_A_CODE]);
      expect(
        JSON.stringify(errorFields(new EngineError('internal', 'x', { cause: coded(code) }))),
      ).not.toMatch(/123456782|example\.nl|Vries|JOHANNA|JANSEN|q3Jx9|A3F09C|3F09C|[A-Z]{4,}"/);
    }
    expect(errorFields(new Error('x'))).not.toHaveProperty('errorCode');
    expect(errorFields(coded(undefined))).not.toHaveProperty('errorCode');
    expect(errorFields(new EngineError('internal', 'x', { cause: new Error('y') }))).not.toHaveProperty(
      'causeCode',
    );
  });

  it('takes the E… codes from Node and nodemailer themselves', async () => {
    const { ERROR_CODES } = await import('nodemailer/lib/errors');
    for (const code of Object.keys(ERROR_CODES)) expect(loggedCode(code), code).toBe(code);
    for (const code of Object.keys(osConstants.errno)) expect(loggedCode(code), code).toBe(code);
  });

  it('still logs what it cannot tell from a code (docs/leakage.md §3.4)', () => {
    // Words of capitals joined by `_` pass; a name written so is the known gap.
    for (const code of ['DE_VRIES', 'JAN_JANSEN', '12345', '1ABCD', 'HVABC'])
      expect(loggedCode(code)).toBe(code);
  });

  it('is the rule of every logged code', () => {
    expect(loggedCode('budget_exceeded')).toBe('budget_exceeded');
    expect(loggedCode('budget')).toBe(NOT_A_CODE);
    expect(loggedCode(undefined)).toBeUndefined();
  });
});

describe('errorFields: names and causes', () => {
  it('logs an error name only when it is an identifier', () => {
    const named = (name: unknown) => Object.assign(new Error('x'), { name });
    expect(errorFields(named('TypeError')).errorName).toBe('TypeError');
    for (const name of [{ bsn: '123456782' }, 'Jansen 123456782', 'E123456782', '', 42, 'a'.repeat(65)]) {
      const f = errorFields(new EngineError('internal', 'x', { cause: named(name) }));
      expect(f.causeName, String(name)).toBe(NOT_A_NAME);
      expect(errorFields(named(name)).errorName, String(name)).toBe(NOT_A_NAME);
      expect(JSON.stringify(f)).not.toContain('123456782');
    }
  });

  it('logs a cause one level deep, also when the causes form a cycle', () => {
    const e = coded('ECONNRESET');
    e.cause = e;
    const f = errorFields(e);
    expect(f).toMatchObject({
      errorName: 'Error',
      errorCode: 'ECONNRESET',
      causeName: 'Error',
      causeCode: 'ECONNRESET',
    });
    expect(String(f.causeStack)).toContain('logger.test.ts');
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(() => errorFields(new EngineError('internal', 'x', { cause: a }))).not.toThrow();
  });
});

/** The frames of a logged stack, without the `…` that marks frames left out. */
const framesOf = (stack: unknown) =>
  String(stack)
    .split(' | ')
    .filter((f) => f !== '…');

describe('errorFields: frames', () => {
  it("keeps the first frames and then those of our own code, past a library's frames", () => {
    // A real error thrown through zod's frames (node_modules): a refinement four objects deep.
    // V8 keeps 10 frames by default; more here, so that the stack is as deep as a driver's.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 50;
    let schema: z.ZodType = z.string().refine(() => {
      throw new TypeError('refused 123456782');
    });
    let value: unknown = 'x';
    for (let i = 0; i < 4; i++) {
      schema = z.object({ a: schema });
      value = { a: value };
    }
    let caught: unknown;
    try {
      schema.parse(value); // the caller's own line
    } catch (e) {
      caught = e;
    } finally {
      Error.stackTraceLimit = limit;
    }
    const all = String((caught as Error).stack)
      .split('\n')
      .filter((l) => l.trimStart().startsWith('at '));
    const callerAt = all.findIndex((l, i) => i > 0 && l.includes('logger.test.ts'));
    const caller = all[callerAt]?.trim();
    expect(all.length).toBeGreaterThan(20);
    expect(callerAt).toBeGreaterThan(12); // beyond the 8 frames kept before

    const f = errorFields(caught);
    const frames = framesOf(f.stack);
    expect(frames.length).toBeLessThanOrEqual(12);
    expect(frames.slice(0, 4)).toEqual(all.slice(0, 4).map((l) => l.trim()));
    expect(frames).toContain(caller);
    expect(frames.slice(4).some((x) => x.includes('node_modules'))).toBe(false);
    expect(String(f.stack)).toMatch(/ \| … \| /);
    expect(String(f.stack)).not.toContain('123456782');
  });

  it('never keeps a line of the message, even one shaped like a frame', () => {
    const e = new SyntaxError('Unexpected token in JSON at "123456782"\n    at 123456782 (/x.js:1:1)');
    const f = errorFields(new EngineError('internal', 'x', { cause: e }));
    expect(JSON.stringify(f)).not.toContain('123456782');
    expect(framesOf(f.causeStack)[0]).toContain('logger.test.ts');
  });

  it('keeps no line of a message rewritten after the stack was formatted', () => {
    const e = new Error('v\n    at 123456782 (/x.js:1:1)');
    void e.stack; // V8 formats the stack on first read, with the message of then
    e.message = 'sanitised';
    const f = errorFields(new EngineError('internal', 'x', { cause: e }));
    expect(JSON.stringify(f)).not.toContain('123456782');
    expect(framesOf(f.causeStack)[0]).toContain('logger.test.ts');
    // A stack of anything but frames keeps none of it.
    const odd = Object.assign(new Error('x'), { stack: 'Error: x\n123456782\n    at\n    Jansen' });
    expect(errorFields(odd).stack).toBe('');
  });

  it('keeps every shape of frame V8 writes', () => {
    const frames = [
      'at get bar [as bar] (file:///app/a.js:1:42)',
      'at #p (file:///app/a.js:1:100)',
      'at K.q (/app/a.js:1:125)',
      'at file:///app/a.js:1:145',
      'at async ModuleLoader.eval (node:internal/modules/esm/loader:245:24)',
      'at eval (eval at <anonymous> (file:///app/a.js:1:187), <anonymous>:1:6)',
      'at new Foo (C:\\app\\a.js:3:4)',
      'at Array.forEach (<anonymous>)',
      'at async Promise.all (index 0)',
      'at Object.<anonymous> (/app/a.js:1:1)',
      'at JSON.parse (native)',
    ];
    for (const frame of frames) {
      const e = Object.assign(new Error('x'), { stack: `Error: x\n    ${frame}` });
      expect(errorFields(e).stack, frame).toBe(frame);
    }
  });
});

const url = inject('postgresUrl');

describe.skipIf(url === '')(
  'errorFields: a statement refused inside postgres.js, through the real store',
  () => {
    const name = `sluis_logger${process.pid}`;
    afterAll(() => psql(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

    it("keeps the line of the store that sent the statement, behind a dozen of the driver's frames", async () => {
      const store = await openPostgresStore({ url: createDatabase(url, name) });
      try {
        // A bug's statement: an undefined parameter, refused by the driver as UNDEFINED_VALUE
        // before it is sent; the store wraps it as `internal` with it as the cause (pg-errors.ts).
        const e = await store
          .read((r) => r.getOrganisation(undefined as unknown as string))
          .then(
            () => undefined,
            (x: unknown) => x,
          );
        const f = errorFields(e);
        expect(f).toMatchObject({ errorCode: 'internal', causeName: 'Error', causeCode: 'UNDEFINED_VALUE' });
        const raw = String((e as Error).cause instanceof Error ? ((e as Error).cause as Error).stack : '')
          .split('\n')
          .filter((l) => l.trimStart().startsWith('at '));
        const storeLine = raw.findIndex((l) => /pg-organisations\.[jt]s:\d+:\d+/.test(l));
        expect(storeLine).toBeGreaterThanOrEqual(8); // lost with the first 8 frames
        expect(framesOf(f.causeStack)).toContain(raw[storeLine]?.trim());
        expect(String(f.causeStack)).toMatch(/postgres[\\/]src[\\/]types\.js/); // where it was thrown
        expect(JSON.stringify(f)).not.toContain('Undefined values');
      } finally {
        await store.close();
      }
    });
  },
);
