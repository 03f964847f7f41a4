// The service's logbook (docs/leakage.md §2.4): one JSON line per
// evaluate request with the organisation's name, the key id, the epoch and the NUMBER
// of elements — and, for a request with a credential (§9.7), the person's and the
// credential's ids, so counts per person can be read from it — never an element, a proof
// or anything derived from one — plus refusals by code (a key's `rate_limited` refusals
// after the first of a minute as one count, http/evaluate.ts) and the hourly alerts.
// Appended and on disk before the answer is sent, so the budget rebuilt from it at start
// never undercounts an answered request: the service's requests write their lines and wait
// for one fdatasync on libuv's thread pool that covers every line written while it was asked
// for (group commit, group-sync.ts, as nonce-file.ts), so the event loop goes on meanwhile; CLI
// commands and the service's timer append and fsync at once. A line is written whole or fails (a
// short write is continued); one after a fragment a full disk left begins with `~` and a newline,
// so the fragment never parses (not even one that lacks only its newline), and the start reads a
// line written straight onto a fragment (by a process that did not see it) from where the line
// begins, so neither loses a charged request. The running service rotates it at the UTC day
// change and the start reads back only the window it needs (REPLAY_WINDOW_MS), line by
// line, so neither the file's size nor its age can stop a start
// (docs/operations.md "Pseudonym service").

import {
  type Stats,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  readdirSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { LOGBOOK_ARCHIVE_RE, LOGBOOK_FILE, forEachLine, fsyncDir, mtimeOf } from './data-dir.js';
import type { CredentialCaps } from './abuse/credential-caps.js';
import type { EvaluationBudget } from './abuse/evaluation-budget.js';
import { GroupSync } from './group-sync.js';

/** With a credential (§9.7): the person's id at the match server and the credential's id. */
interface Who {
  personId?: string;
  credentialId?: string;
}

export type LogbookEntry =
  | ({
      event: 'evaluated';
      organisation: string;
      keyId: string;
      epoch: number;
      elements: number;
      credentialExpiresAt?: string;
    } & Who)
  | ({ event: 'refused'; code: string; organisation?: string; keyId?: string; elements?: number } & Who)
  | {
      /** The `rate_limited` refusals of one key in one clock minute after the first (which has its own line). */
      event: 'refused.repeated';
      code: 'rate_limited';
      organisation: string;
      keyId: string;
      minute: string;
      further: number;
    }
  | { event: 'alert.evaluation_rate'; organisation: string; elementsThisHour: number; threshold: number }
  | {
      event: 'alert.person_evaluation_rate';
      organisation: string;
      personId: string;
      elementsThisHour: number;
      threshold: number;
    }
  | { event: 'issuer.admitted' | 'issuer.removed'; issuer: string }
  | { event: 'epoch.added' | 'epoch.retired'; epoch: number }
  | {
      event:
        | 'organisation.admitted'
        | 'organisation.suspended'
        | 'organisation.reinstated'
        | 'organisation.linked'
        | 'organisation.removed';
      organisation: string;
    }
  | ({
      /**
       * A command's change whose line was written (above) but which then failed having changed
       * nothing (command-change.ts): the line's event, its subject, the failure's code.
       */
      event: 'change.not_applied';
      change: CommandEntry['event'];
      code?: string;
    } & CommandSubject);

/** The commands' entries (command-change.ts): each written, and on disk, before its change takes effect. */
export type CommandEntry = Extract<
  LogbookEntry,
  { event: `${'epoch' | 'issuer' | 'organisation'}.${string}` }
>;
type CommandSubject = { issuer: string } | { epoch: number } | { organisation: string };

/** Options of the running service's logbook; the CLI's appends never rotate. */
export interface LogbookOptions {
  /** Rotate at the first append of a new UTC day (docs/operations.md "Pseudonym service"). */
  readonly rotate?: boolean;
}

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

export class Logbook {
  readonly #dir: string;
  readonly #path: string;
  readonly #rotate: boolean;
  /** The open file and its lines written and made durable (one line, one write). */
  readonly #group: GroupSync;
  /** The UTC day (ms since the epoch / day) whose lines the open file takes. */
  #day: number;
  /**
   * The file ends inside a line: a write the disk had room for only in part left its start. The
   * next line then begins with TORN_END, so the fragment stays one line no reader parses and the
   * next line is whole. Set at open (the file's last byte) and by this object's own failed write.
   */
  #torn: boolean;

  constructor(dataDir: string, options: LogbookOptions = {}) {
    this.#dir = dataDir;
    this.#path = join(dataDir, LOGBOOK_FILE);
    this.#rotate = options.rotate === true;
    this.#group = new GroupSync(this.#openNew(), { name: LOGBOOK_FILE, dropAfterFailedSync: false });
    // A file left from an earlier day is rotated at the first append of a later one: its day
    // is its last line's (the service's clock), else its mtime's.
    this.#day = Math.floor(lastLineAt(this.#path) / DAY_MS);
    this.#torn = endsInsideLine(this.#path);
  }

  #open(): number {
    return openSync(this.#path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
  }

  /**
   * Opens the file; one this open creates has its name made durable (the data directory's
   * fsync) before any line goes in, so a crash that keeps a change (a key file) cannot lose
   * the new file, and with it the change's line. (The rotation fsyncs the directory itself.)
   */
  #openNew(): number {
    const flags = constants.O_WRONLY | constants.O_APPEND;
    let fd: number;
    try {
      fd = openSync(this.#path, flags | constants.O_CREAT | constants.O_EXCL, 0o600);
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'EEXIST') throw e;
      return this.#open();
    }
    try {
      fsyncDir(this.#dir);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    return fd;
  }

  /** The open file (-1 once closed: a write then fails with EBADF). */
  get #fd(): number {
    return this.#group.fd ?? -1;
  }

  /** Writes the line and fsyncs it before returning. */
  append(at: number, entry: LogbookEntry): void {
    this.write(at, entry);
    this.sync();
  }

  /** fsyncs every line written so far (append's second half, for a caller that tells the two failures apart). */
  sync(): void {
    fsyncSync(this.#fd);
    this.#group.synced();
  }

  /**
   * Writes the line without waiting for the disk: `durable()` then waits for it. Returns only
   * once the whole line is written: a short write (a disk with room for part of it) is followed
   * by one for the rest, whose error (ENOSPC, EFBIG) is thrown — never a line taken as written
   * whose end is missing.
   */
  write(at: number, entry: LogbookEntry): void {
    if (this.#rotate) this.#rotateIfNewDay(at);
    const line = Buffer.from(
      `${this.#torn ? TORN_END : ''}${JSON.stringify({ at: new Date(at).toISOString(), ...entry })}\n`,
    );
    let done = 0;
    try {
      while (done < line.length) {
        const n = writeSync(this.#fd, line, done);
        if (n === 0) throw new Error('a logbook write wrote nothing');
        done += n;
      }
    } catch (e) {
      if (done > 0) this.#torn = true;
      throw e;
    }
    this.#torn = false;
    this.#group.wrote();
  }

  /**
   * Resolves once every line written so far is on disk; rejects when the fdatasync that
   * covers them failed (those lines may be lost).
   */
  durable(): Promise<void> {
    return this.#group.durable();
  }

  /**
   * At the first append of a later UTC day, renames logbook.jsonl to logbook-<its day>.jsonl
   * (never over an existing file) and continues in a new logbook.jsonl. Only the running
   * service rotates, and only the file it has open (same inode), so a CLI command appending
   * meanwhile writes to one of the two files and no line is lost.
   */
  #rotateIfNewDay(at: number): void {
    const day = Math.floor(at / DAY_MS);
    if (day <= this.#day) return;
    const open = fstatSync(this.#fd);
    if (open.size > 0 && sameFile(open, this.#path)) {
      let target = join(this.#dir, `logbook-${utcDay(this.#day * DAY_MS)}.jsonl`);
      for (let n = 1; existsSync(target); n++)
        target = join(this.#dir, `logbook-${utcDay(this.#day * DAY_MS)}.${n}.jsonl`);
      renameSync(this.#path, target);
    }
    // The lines written to the old file are made durable before it is left.
    fsyncSync(this.#fd);
    this.#group.synced();
    this.#group.replace(this.#open());
    this.#torn = endsInsideLine(this.#path);
    fsyncDir(this.#dir);
    this.#day = day;
  }

  /** Closes the file (an fdatasync under way on it closes it when it ends and settles its callers). */
  close(): void {
    this.#group.replace(undefined);
  }
}

/**
 * Ends a fragment before the next line: no JSON text ends with `~` (JSON.parse allows only
 * whitespace after it), so even a fragment that lacks only its newline never parses as a line
 * for a change that was not made, or a request that was not answered.
 */
export const TORN_END = '~\n';

/** Every line begins so (Logbook.write): `at` first, and nowhere else in a line (JSON escapes `"`). */
const LINE_START = '{"at":"';

/**
 * Parses a line; one that does not parse but holds a line's start after its own is a line written
 * straight onto a fragment by a process that did not see the fragment (a running service after a
 * command's, or a command after another's): parsed from that start. A fragment is a prefix of a
 * line of ours, and LINE_START occurs only at a line's beginning, so this finds exactly the whole
 * line after it; the fragment itself is never counted. Undefined when nothing parses.
 */
export function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    const start = line.lastIndexOf(LINE_START);
    if (start <= 0) return undefined;
    try {
      return JSON.parse(line.slice(start));
    } catch {
      return undefined;
    }
  }
}

/** The `at` of a file's last complete line (read from its last 4 KiB), else its mtime (now when empty). */
function lastLineAt(path: string): number {
  const st = statSync(path);
  if (st.size === 0) return Date.now();
  const fd = openSync(path, constants.O_RDONLY);
  try {
    const length = Math.min(4096, st.size);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, st.size - length);
    const text = buf.toString('utf8');
    const last = text.slice(text.lastIndexOf('\n', text.length - 2) + 1);
    const at = Date.parse(/\{"at":"([^"]{24})"(?!.*\{"at":")/s.exec(last)?.[1] ?? '');
    return Number.isFinite(at) ? at : st.mtimeMs;
  } finally {
    closeSync(fd);
  }
}

/** Whether a non-empty file's last byte is not a newline. */
function endsInsideLine(path: string): boolean {
  const st = statSync(path);
  if (st.size === 0) return false;
  const fd = openSync(path, constants.O_RDONLY);
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, st.size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

function sameFile(open: Stats, path: string): boolean {
  try {
    const st = statSync(path);
    return st.ino === open.ino && st.dev === open.dev;
  } catch {
    return false;
  }
}

/**
 * What the start reads back: the budget counts the current UTC day (begun less than 24 h
 * ago), the alerts the current hour, and a credential still valid now was issued at most
 * `--credential-max-lifetime` (≤ 86,400 s) plus the 300 s clock skew ago. 25 hours covers
 * all three; older lines are skipped without being parsed, and a rotated file last written
 * before the window is not opened at all.
 */
export const REPLAY_WINDOW_MS = 25 * 3_600_000;

/** The logbook files that may hold lines of the replay window: rotated ones, then the current. */
export function logbookFiles(dataDir: string, since: number): string[] {
  const archives = readdirSync(dataDir)
    .filter((f) => LOGBOOK_ARCHIVE_RE.test(f))
    .filter((f) => mtimeOf(join(dataDir, f)) >= since)
    .sort();
  return [...archives, LOGBOOK_FILE].map((f) => join(dataDir, f)).filter((p) => mtimeOf(p) !== 0);
}

/** Rebuilds today's and this hour's counts (and alerts), and the credentials' use, from the logbook. */
export function replayLogbook(
  dataDir: string,
  budget: EvaluationBudget,
  caps: CredentialCaps,
  now: number,
): void {
  const since = now - REPLAY_WINDOW_MS;
  // Lines begin {"at":"<ISO time>", (Logbook.append): older ones are skipped unparsed.
  const sinceIso = new Date(since).toISOString();
  for (const path of logbookFiles(dataDir, since)) {
    forEachLine(path, (line) => {
      if (line === '') return;
      // A line written onto a fragment is judged by its own `at` (parseLine).
      const start = Math.max(0, line.lastIndexOf(LINE_START));
      const atIso = line.slice(start + LINE_START.length, start + LINE_START.length + 24);
      if (line.startsWith(LINE_START, start) && atIso < sinceIso) return;
      const e = parseLine(line) as
        | {
            at?: string;
            event?: string;
            organisation?: string;
            elements?: number;
            personId?: string;
            credentialId?: string;
            credentialExpiresAt?: string;
          }
        | null
        | undefined;
      if (typeof e !== 'object' || e === null) return; // a fragment, or a torn last line after a crash
      const at = Date.parse(e.at ?? '');
      if (!(at >= since) || typeof e.organisation !== 'string') return;
      if (e.event === 'evaluated' && typeof e.elements === 'number') {
        budget.count(e.organisation, e.elements, at);
        const expiresAt = Date.parse(e.credentialExpiresAt ?? '');
        if (typeof e.personId === 'string' && typeof e.credentialId === 'string' && expiresAt > now)
          caps.count(e.personId, e.credentialId, expiresAt, e.elements, at);
      }
      if (e.event === 'alert.evaluation_rate') budget.markAlerted(e.organisation, at);
      if (e.event === 'alert.person_evaluation_rate' && typeof e.personId === 'string')
        caps.markAlerted(e.personId, at);
    });
  }
}
