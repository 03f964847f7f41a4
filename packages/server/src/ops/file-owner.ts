// Who may use the data directory (docs/operations.md "Install": the admin CLI and the
// maintenance commands run as the service user). Invariant: a command run as another user
// (root, an operator's own account) refuses before it opens anything, because SQLite and the
// key bootstrap would leave files owned by that user — a `sluis.db-shm` of root's makes the
// server's next start fail with `database_read_only` — and because a file another user owns
// could be replaced by them. The refusal names the owner, so the operator knows whom to run as.

import { statSync } from 'node:fs';
import { foreignOwner, userName } from '@sluis/client-sdk/node';
import { ServerError } from '../errors.js';

// userName and foreignOwner are shared with the pseudonym service (@sluis/client-sdk/node).
export { foreignOwner, userName };

/** Throws `file_foreign_owner` when `path` exists and belongs to another user. */
export function assertOwnedByUs(path: string): void {
  let uid: number;
  try {
    uid = statSync(path).uid;
  } catch {
    return;
  }
  const owner = foreignOwner(uid);
  if (owner !== undefined) {
    throw new ServerError('file_foreign_owner', { path, owner, user: userName(process.getuid!()) });
  }
}

/** An SQLite database and the -wal and -shm files beside it: each that exists must be ours. */
export function assertDatabaseOwnedByUs(database: string): void {
  for (const f of [database, `${database}-wal`, `${database}-shm`]) assertOwnedByUs(f);
}
