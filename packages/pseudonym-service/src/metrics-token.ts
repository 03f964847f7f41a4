// The bearer token GET /metrics requires (docs/operations.md "Pseudonym service"): the
// metrics name every admitted organisation and how much each evaluated, which is the
// covenant's operational information, not for anyone who can reach the port. Kept in
// <data-dir>/metrics.token (0600, 32 random bytes base64url), made by `init` and, on a data
// directory of an older version, by the first `start`. Compared in constant time.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { METRICS_TOKEN_FILE, mtimeOf, readPrivateText, writeSecretFile } from './data-dir.js';
import { ServiceError } from './errors.js';

const TOKEN_RE = /^[\x21-\x7e]{16,256}$/;

/** Creates the token file when missing and returns the token. */
export function ensureMetricsToken(dataDir: string): string {
  const path = join(dataDir, METRICS_TOKEN_FILE);
  if (mtimeOf(path) === 0) writeSecretFile(path, `${randomBytes(32).toString('base64url')}\n`);
  const token = readPrivateText(path, 1024).trim();
  if (!TOKEN_RE.test(token)) throw new ServiceError('key_file_invalid', { hint: path, file: path });
  return token;
}

/** The constant-time check of `Authorization: Bearer <token>`, the match server's own. */
export { bearerCheck } from '@sluis/engine/protocol';
