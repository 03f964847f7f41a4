// Who may use the data directory (docs/operations.md "Pseudonym service (OPRF epochs)"): the
// service and every CLI command run as the user who owns it. Invariant: a command run as another
// user — root included — refuses before it writes anything, because what it wrote would be that
// user's, mode 0600, and the service could not read it (root's admission.json made every request
// answer 500); and a file another user owns could be replaced by them. The refusal names the
// owner and the user, and says whom to run as; never a file's contents.

import { userName } from '@sluis/client-sdk/node';

// userName and foreignOwner are shared with the match server (@sluis/client-sdk/node).
export { foreignOwner, userName } from '@sluis/client-sdk/node';

/** The user running this process, by name. */
export const currentUser = (): string => userName(process.getuid?.() ?? 0);

/**
 * What to do about a file of `owner`: run as that user; files root left behind in the service
 * user's directory (the usual case: a command run with sudo) are given back with chown instead.
 */
export function runAs(owner: string, user: string, chownTarget: string): string {
  return owner === 'root'
    ? `run it as root, or, if ${user} runs the service, give root's files back: sudo chown -R ${user} ${chownTarget}`
    : `run it as ${owner} (sudo -u ${owner} sluis-pseudonym-service …)`;
}
