// The data directory and its keys/ directory (docs/operations.md "Start, and the first
// start"). Invariant: a missing directory is created 0700; an existing one is used as the
// operator made it — never chmod'ed — and refused when group or others may write to it,
// since they could then replace the database or a key file, or when another user owns it
// (the command was run as the wrong user: ops/file-owner.ts).

import { chmodSync, mkdirSync, type Stats, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ServerError } from '../errors.js';
import { assertOwnedByUs } from './file-owner.js';

const POSIX = process.platform !== 'win32';

/** Creates `path` (and missing parents) 0700, or checks the existing directory. */
export function ensurePrivateDir(path: string): void {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw new ServerError('data_dir_unusable', { path });
    createPrivateDir(path);
    return;
  }
  if (!st.isDirectory()) throw new ServerError('data_dir_unusable', { path });
  // Run as another user (root), a command would leave files the service user cannot use.
  assertOwnedByUs(path);
  if (POSIX && (st.mode & 0o022) !== 0) throw new ServerError('data_dir_insecure', { path });
}

function createPrivateDir(path: string): void {
  let first: string | undefined;
  try {
    first = mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch {
    throw new ServerError('data_dir_unusable', { path });
  }
  if (!POSIX || first === undefined) return;
  // Exactly 0700 whatever the umask, but only on the directories this call created.
  for (let p = path; ; p = dirname(p)) {
    chmodSync(p, 0o700);
    if (p === first || dirname(p) === p) break;
  }
}
