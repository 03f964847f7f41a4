// Who owns a file, by name (Node only): the one rule the match server and the pseudonym
// service use to refuse a data directory or file of another user (docs/operations.md
// "Install" and "Pseudonym service (OPRF epochs)"). Each names the owner in its own refusal;
// a user is named from /etc/passwd, never from a file's contents.

import { readFileSync } from 'node:fs';

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
