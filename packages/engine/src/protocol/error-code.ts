// Which error `code` of Node.js or a library may be logged as it is (docs/leakage.md §3.4), one
// rule for both servers: the match server's logger (ops/logger.ts, which adds its own codes,
// SQLSTATEs and nodemailer's) and the pseudonym service's lines (`close_step_failed`,
// `internal_error`, `logbook_write_failed`, the logbook's `change.not_applied`, a command's
// error). Invariant: what passes cannot be a BSN, a date, a pseudonym, a key or a token — a
// library may put any value in `code`.

import { constants as osConstants } from 'node:os';
import { getSystemErrorMap } from 'node:util';

/** Node's system error codes: errno's names and libuv's (`ECONNRESET`, `EOF`). */
const SYSTEM_CODES: ReadonlySet<string> = new Set([
  ...Object.keys(osConstants.errno),
  ...[...getSystemErrorMap().values()].map(([name]) => name),
]);
/** A word of capitals with at most one run of at most 4 digits (`HTTP2`, `X509`), at most 20 long. */
const WORD = `[A-Z](?=[A-Z0-9]{0,19}(?:_|$))[A-Z]*(?:[0-9]{1,4}[A-Z]*)?`;
/** Two or more words joined by `_`, at most 64 in all (`ERR_TLS_CERT_ALTNAME_INVALID`, `SQLITE_BUSY`). */
const CONSTANT = new RegExp(`^(?=.{1,64}$)${WORD}(?:_${WORD})+$`);

/** A Node.js system error code, or a constant of Node or a library in capitals (above). */
export function isLoggableErrorCode(code: unknown): code is string {
  return typeof code === 'string' && (SYSTEM_CODES.has(code) || CONSTANT.test(code));
}
