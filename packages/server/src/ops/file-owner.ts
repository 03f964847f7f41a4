// Who may use the data directory (docs/operations.md "Install": the admin CLI and the
// maintenance commands run as the service user). Invariant: a command run as another user
// (root, an operator's own account) refuses before it opens anything, because SQLite and the
// key bootstrap would leave files owned by that user — a `sluis.db-shm` of root's makes the
// server's next start fail with `database_read_only` — and because a file another user owns
// could be replaced by them. The refusal names the owner, so the operator knows whom to run as.

import { readFileSync, statSync } from 'node:fs';
import { ServerError } from '../errors.js';

const POSIX = process.platform !== 'win32';

/** A uid's user name from /etc/passwd, else `uid N` (a container may have no entry). */
export function userName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name !== undefined && name !== '' && id === String(uid)) return name;
    }
  } catch {
    // no /etc/passwd: the number names the user well enough
  }
  return `uid ${uid}`;
}

/** The owner of `uid` when it is not the user running this process; undefined when it is (or off POSIX). */
export function foreignOwner(uid: number): string | undefined {
  if (!POSIX || uid === process.getuid?.()) return undefined;
  return userName(uid);
}

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
