// Who may use the data directory (docs/operations.md "Pseudonym service (OPRF epochs)"): the
// service and every CLI command run as the user who owns it. Invariant: a command run as another
// user — root included — refuses before it writes anything, because what it wrote would be that
// user's, mode 0600, and the service could not read it (root's admission.json made every request
// answer 500); and a file another user owns could be replaced by them. The refusal names the
// owner and the user, and says whom to run as; never a file's contents.

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

/** The user running this process, by name. */
export const currentUser = (): string => userName(process.getuid?.() ?? 0);

/** The owner of `uid` when it is not the user running this process; undefined when it is (or off POSIX). */
export function foreignOwner(uid: number): string | undefined {
  if (!POSIX || uid === process.getuid?.()) return undefined;
  return userName(uid);
}

/**
 * What to do about a file of `owner`: run as that user; files root left behind in the service
 * user's directory (the usual case: a command run with sudo) are given back with chown instead.
 */
export function runAs(owner: string, user: string, chownTarget: string): string {
  return owner === 'root'
    ? `run it as root, or, if ${user} runs the service, give root's files back: sudo chown -R ${user} ${chownTarget}`
    : `run it as ${owner} (sudo -u ${owner} sluis-pseudonym-service …)`;
}
