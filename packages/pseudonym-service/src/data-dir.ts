// The service's data directory (docs/operations.md "Pseudonym service"): keys/ with one
// key file per OPRF epoch, admission.json (organisation public keys), metrics.token,
// logbook.jsonl (and its rotated logbook-<day>.jsonl) and nonces.log. Invariants: the
// directories are 0700 and refused when group or others can enter them; a key file is
// created 0600 with O_EXCL (never overwritten), fsynced with its directory, and not read
// while group or others can read it; every other file is refused likewise; the directory
// and every file of ours in it belong to the user running the command or the service, checked
// before anything is written (file-owner.ts); errors name the path, never contents.

import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ServiceError } from './errors.js';
import { currentUser, foreignOwner, runAs } from './file-owner.js';

export const KEYS_DIR = 'keys';
export const ADMISSION_FILE = 'admission.json';
/** Held by a CLI command while it reads, edits and replaces admission.json (admission.ts). */
export const ADMISSION_LOCK_FILE = 'admission.json.lock';
export const LOGBOOK_FILE = 'logbook.jsonl';
/** A rotated logbook: `logbook-<UTC day>.jsonl` (or `logbook-<day>.<n>.jsonl`), see logbook.ts. */
export const LOGBOOK_ARCHIVE_RE = /^logbook-[0-9]{4}-[0-9]{2}-[0-9]{2}(\.[0-9]+)?\.jsonl$/;
export const NONCES_FILE = 'nonces.log';
/** The running service's lock (service-lock.ts). */
export const LOCK_FILE = 'service.lock';
/** The bearer token of GET /metrics (metrics-token.ts). */
export const METRICS_TOKEN_FILE = 'metrics.token';
const KEY_FILE_RE = /^oprf-epoch-([1-9][0-9]{0,9})\.key$/;

export const keyFileName = (epoch: number) => `oprf-epoch-${epoch}.key`;

function secureDir(dataDir: string, path: string, create: boolean): void {
  if (!existsSync(path)) {
    if (!create)
      throw new ServiceError('usage_invalid', {
        hint: `no data directory at ${path} (run init)`,
        file: path,
      });
    if (path === dataDir && process.getuid?.() === 0) refuseRootCreate(path);
    mkdirSync(path, { recursive: true, mode: 0o700 });
  }
  const st = statSync(path);
  refuseForeign(dataDir, st.uid, path);
  if (!st.isDirectory() || (st.mode & 0o077) !== 0)
    throw new ServiceError('data_dir_insecure', { hint: path, file: path });
}

/**
 * `init` run as root does not make the data directory (docs/operations.md "Install the pseudonym
 * service"): it would be root's, and the service, running as its own user, refuses it
 * (`file_foreign_owner`) only at its start. The directory is made for the user who runs the
 * service, and init runs as that user; a service that runs as root gets one root makes itself.
 */
function refuseRootCreate(path: string): never {
  throw new ServiceError('usage_invalid', {
    hint: `init run as root does not create ${path}: the service's user could not use a directory of root's. Make it for that user, then run init as it: sudo install -d -o sluis-pseudonym -g sluis-pseudonym -m 0700 ${path} && sudo -u sluis-pseudonym sluis-pseudonym-service init --data-dir ${path} (for a service that runs as root: install -d -m 0700 ${path}, then init)`,
    file: path,
  });
}

/** Throws `file_foreign_owner` when `uid` is not the user running this process. */
function refuseForeign(dataDir: string, uid: number, path: string, others = 0): void {
  const owner = foreignOwner(uid);
  if (owner === undefined) return;
  const user = currentUser();
  const more = others === 0 ? '' : ` (and ${others} more of the data directory's files)`;
  throw new ServiceError('file_foreign_owner', {
    hint: `${path}${more} belongs to ${owner}, not to ${user} who runs this command: ${runAs(owner, user, dataDir)}`,
    file: path,
  });
}

/** Whether a file of the data directory is one the service or a command reads or writes. */
const isOurs = (f: string) =>
  f === ADMISSION_FILE ||
  f === METRICS_TOKEN_FILE ||
  f === LOGBOOK_FILE ||
  f === NONCES_FILE ||
  LOGBOOK_ARCHIVE_RE.test(f) ||
  // the locks, and their temporary files and takeover claims (lock-file.ts)
  f.startsWith(LOCK_FILE) ||
  f.startsWith(ADMISSION_LOCK_FILE);

/**
 * Refuses, before anything is written, a data directory whose keys/ or one of whose files of
 * ours (above; every file in keys/) belongs to another user than the one running this process.
 */
function refuseForeignFiles(dataDir: string): void {
  const foreign: { path: string; uid: number }[] = [];
  const look = (path: string) => {
    // A lock's temporary file may vanish between the listing and this look: nothing to refuse.
    const uid = statSync(path, { throwIfNoEntry: false })?.uid;
    if (uid !== undefined && foreignOwner(uid) !== undefined) foreign.push({ path, uid });
  };
  const keys = join(dataDir, KEYS_DIR);
  if (existsSync(keys)) {
    look(keys);
    if (foreign.length === 0) for (const f of readdirSync(keys)) look(join(keys, f));
  }
  for (const f of readdirSync(dataDir)) if (isOurs(f)) look(join(dataDir, f));
  const [first] = foreign;
  if (first !== undefined) refuseForeign(dataDir, first.uid, first.path, foreign.length - 1);
}

/**
 * Opens (or with `create`, makes) the data directory and its keys/ directory, both 0700, and
 * refuses it when group or others may read one of the files the service writes (the logbook
 * names organisations and people's ids; the table of docs/operations.md "Pseudonym service"),
 * or when it or one of its files belongs to another user (refused before keys/ is made). Key
 * files, admission.json and metrics.token are checked where they are read.
 */
export function openDataDir(path: string, create = false): string {
  secureDir(path, path, create);
  refuseForeignFiles(path);
  secureDir(path, join(path, KEYS_DIR), true);
  for (const f of readdirSync(path)) {
    if (f !== LOGBOOK_FILE && f !== NONCES_FILE && !LOGBOOK_ARCHIVE_RE.test(f)) continue;
    const file = join(path, f);
    const st = statSync(file);
    if (!st.isFile()) throw new ServiceError('key_file_invalid', { hint: file, file });
    if ((st.mode & 0o077) !== 0) throw new ServiceError('key_file_insecure', { hint: file, file });
  }
  return path;
}

/**
 * Creates a secret file 0600 with O_EXCL and fsyncs it; one whose write or fsync fails is
 * removed again, so a full disk leaves no empty or partial file under the name. A name taken
 * already is `key_file_exists`; any other failure to create it (EACCES, EROFS, ENOSPC, ENOENT)
 * is thrown as it is, so its code is never mistaken for that one. When the removal fails too
 * (a file system turned read-only), the write's error is thrown and the file stays: a caller
 * that must know looks for it (command-change.ts).
 */
export function writeSecretFile(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'EEXIST')
      throw new ServiceError('key_file_exists', { hint: path, file: path });
    throw e;
  }
  try {
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    try {
      unlinkSync(path);
    } catch {
      // The write's error says why; the file left behind is the caller's to find.
    }
    throw e;
  }
}

/**
 * Reads a secret (or private) file, refusing one that group or others may read or another user
 * owns; one this user may not read is `key_file_unreadable`, naming its owner.
 */
export function readPrivateText(path: string, maxBytes = 1 << 20): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'EACCES' || code === 'EPERM') throw unreadable(path);
    throw new ServiceError('key_file_invalid', { hint: path, file: path });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > maxBytes)
      throw new ServiceError('key_file_invalid', { hint: path, file: path });
    refuseForeign(path, st.uid, path);
    if ((st.mode & 0o077) !== 0) throw new ServiceError('key_file_insecure', { hint: path, file: path });
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** A file this user may not open: whose it is, and whom to run as. */
function unreadable(path: string): ServiceError {
  const user = currentUser();
  let uid: number | undefined;
  try {
    uid = statSync(path).uid;
  } catch {
    // not even its owner can be seen: the message names the path and the user
  }
  const owner = uid === undefined ? undefined : foreignOwner(uid);
  const hint =
    uid === undefined
      ? `${path} cannot be read by ${user}`
      : owner === undefined
        ? `${path} cannot be read by ${user}, its owner: its mode forbids it (chmod 0600)`
        : `${path} cannot be read by ${user}; it belongs to ${owner}: ${runAs(owner, user, path)}`;
  return new ServiceError('key_file_unreadable', { hint, file: path });
}

/** A private file's new content written and fsynced under a temporary name, not yet in place. */
export interface PreparedFile {
  /** Renames it over its path: the one step that makes the new content take effect. */
  commit(): void;
  /** Removes the temporary file (after a failed commit, or when the change is given up). */
  discard(): void;
}

/**
 * Writes `text` to a new temp file `<path>.tmp-<random>` (O_EXCL, 0600, so never one left over
 * with another mode) and fsyncs it; removed again when that fails. Only a process killed before
 * `commit` or `discard` leaves one behind (docs/operations.md).
 */
export function preparePrivateFile(path: string, text: string): PreparedFile {
  const tmp = `${path}.tmp-${randomBytes(8).toString('hex')}`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  return { commit: () => renameSync(tmp, path), discard: () => unlinkSync(tmp) };
}

/** Replaces a private file atomically: prepared (above), renamed over `path`; removed when any step fails. */
export function replacePrivateFile(path: string, text: string): void {
  const prepared = preparePrivateFile(path, text);
  try {
    prepared.commit();
  } catch (e) {
    prepared.discard();
    throw e;
  }
}

/** Epochs with a key file, ascending. */
export function keyFileEpochs(dataDir: string): number[] {
  return readdirSync(join(dataDir, KEYS_DIR))
    .map((f) => KEY_FILE_RE.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .filter((e) => e <= 0xffffffff)
    .sort((a, b) => a - b);
}

/** A key file opened for its destruction (openKeyFileToDestroy). */
export interface KeyFileToDestroy {
  /** Overwrites it with zeros, fsyncs, closes and deletes it (docs/keys.md §4.6). */
  destroy(): void;
  /** Closes it untouched (the destruction given up). */
  close(): void;
}

/**
 * Opens a key file to overwrite it: this step changes nothing, so when it fails (the file gone,
 * EACCES) the key is whole; `destroy` does the rest, whose failure may leave it part overwritten.
 */
export function openKeyFileToDestroy(path: string): KeyFileToDestroy {
  const fd = openSync(path, constants.O_WRONLY);
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    destroy: () => {
      try {
        writeSync(fd, Buffer.alloc(size));
        fsyncSync(fd);
      } finally {
        close();
      }
      unlinkSync(path);
    },
    close,
  };
}

/** Overwrites a key file with zeros, fsyncs, then deletes it (docs/keys.md §4.6). */
export function destroyKeyFile(path: string): void {
  openKeyFileToDestroy(path).destroy();
}

/** fsyncs a directory, so a file created or renamed in it survives a crash. */
export function fsyncDir(path: string): void {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const CHUNK_BYTES = 1 << 20;
/** A line longer than this is no line of ours (a torn or foreign write): skipped whole. */
const MAX_LINE_BYTES = 1 << 20;

/**
 * Calls `fn` with each line of a file, reading 1 MiB at a time: memory stays bounded
 * whatever the file's size (a whole-file string stops at V8's ≈ 512 MiB string limit).
 * A line longer than 1 MiB is skipped.
 */
export function forEachLine(path: string, fn: (line: string) => void): void {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let carry: Buffer[] = [];
    let carried = 0;
    let skipping = false;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      let start = 0;
      for (let nl = buf.indexOf(10, 0); nl >= 0 && nl < n; nl = buf.indexOf(10, start)) {
        if (!skipping) {
          const part = buf.subarray(start, nl);
          fn(carried === 0 ? part.toString('utf8') : Buffer.concat([...carry, part]).toString('utf8'));
        }
        carry = [];
        carried = 0;
        skipping = false;
        start = nl + 1;
      }
      if (start < n && !skipping) {
        carried += n - start;
        if (carried > MAX_LINE_BYTES) {
          skipping = true;
          carry = [];
          carried = 0;
        } else carry.push(Buffer.from(buf.subarray(start, n)));
      }
    }
    if (!skipping && carried > 0) fn(Buffer.concat(carry).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

/** mtime of a path in ms, or 0 when absent: a cheap "did the operator change it". */
export function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
