// How long a test waits for what another process (the server, its SMTP server, strace) or a
// timer has to do first: an HTTP answer shown in the page, a match made, a mail delivered, a
// screen's data read, the line strace writes for a system call whose result the traced process
// already sent, the SQLite store's scheduled WAL scrub (privacy-scan), a PostgreSQL reload.

/**
 * The timeout of an `expect.poll` that waits on the server, SMTP or a page load. Vitest's default
 * (1 s) is ample on an idle machine, but on a crowded CI machine a signed request, a match and the
 * page's next read can take longer, and such a poll then fails for no fault of the code. A poll
 * on state that only the page itself changes (a focus, a language, a scroll offset) keeps the
 * default: there a slow answer is the failure.
 */
export const SERVER_WAIT = 10_000;

/**
 * What `outcome` settles to, or `late` when it has not settled within SERVER_WAIT: a test whose
 * bug would leave a promise pending for ever fails with `late` instead of hanging, and a crowded
 * machine's slowness is not taken for that bug (a bound of a few seconds was). The timer is
 * cleared when `outcome` settles first.
 */
export async function withinServerWait<T, L extends string>(outcome: Promise<T>, late: L): Promise<T | L> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<L>((r) => {
    timer = setTimeout(() => r(late), SERVER_WAIT);
  });
  try {
    return await Promise.race([outcome, bound]);
  } finally {
    clearTimeout(timer);
  }
}
