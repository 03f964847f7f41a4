// A change of admissions or epochs with its logbook line, the line first (docs/operations.md
// "Pseudonym service: logs and logbook", The logbook before the change). The CLI's commands and
// the package's exported editAdmissionFile, createEpochKey and retireEpochKey all go through
// logThenChange, so a program that embeds the package leaves the same audit trail as the
// operator's commands. Invariant: a change takes effect only once its line is on disk, so none
// that took effect lacks its line, also after a crash between the two; one that fails after its
// line having changed nothing is marked `change.not_applied`.

import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { isLoggableErrorCode } from '@sluis/engine/protocol';
import {
  type AdmissionFile,
  prepareAdmissionFile,
  readAdmissionFile,
  withAdmissionLock,
} from './admission.js';
import { KEYS_DIR, type KeyFileToDestroy, LOGBOOK_FILE, fsyncDir, openKeyFileToDestroy } from './data-dir.js';
import { isServiceError } from './errors.js';
import { epochKeyFile, writeEpochKey } from './keyring.js';
import { type CommandEntry, Logbook, type LogbookEntry } from './logbook.js';

/** The entries of admission edits (an organisation's or an issuer's). */
export type AdmissionEntry = Extract<CommandEntry, { event: `${'organisation' | 'issuer'}.${string}` }>;

/** A change that failed around its logbook line (logThenChange); its message is the sentence. */
export class ChangeFailed extends Error {}

/**
 * Thrown by an `apply` step that failed but may have left the change in effect (a key file
 * that could not be removed again): reported as a failed `finish`, never as not applied.
 */
export class MayHaveTakenEffect extends Error {
  constructor(readonly reason: unknown) {
    super('the change may have taken effect');
  }
}

/** The steps of a change (logThenChange). */
export interface ChangeSteps {
  /** Makes the change take effect; when it throws, nothing changed (but see MayHaveTakenEffect). */
  readonly apply?: () => void;
  /** Removes what was prepared before the line (a temporary file). */
  readonly discard?: () => void;
  /** Follows `apply` (a directory's fsync); when it throws, the change may have taken effect. */
  readonly finish?: () => void;
}

/** What logThenChange writes its lines with: a Logbook (a test's stub can fail a step). */
export interface LineWriter {
  write(at: number, entry: LogbookEntry): void;
  sync(): void;
  close(): void;
}

const openLogbook = (dataDir: string): LineWriter => new Logbook(dataDir);

/** Appends one line and fsyncs it; `written` is called between the two (logThenChange tells them apart). */
function log(
  open: (dataDir: string) => LineWriter,
  dataDir: string,
  at: number,
  entry: LogbookEntry,
  written: () => void = () => {},
): void {
  const l = open(dataDir);
  try {
    l.write(at, entry);
    written();
    l.sync();
  } finally {
    l.close();
  }
}

/**
 * A change and its logbook line, the line first: the change takes effect only once its line is
 * on disk. `apply` is the step that makes the change take effect and, when it throws, has changed
 * nothing; `finish` follows it (a directory's fsync); `discard` removes what was prepared.
 * Throws ChangeFailed:
 * - the line cannot be written: what was prepared is discarded, nothing changed;
 * - the line is written but its fsync fails (it may reach the disk all the same), or `apply`
 *   fails: nothing changed, and a `change.not_applied` line says so;
 * - `finish` fails, or `apply` throws MayHaveTakenEffect: the line stands and the change may
 *   have taken effect, in part or whole.
 * `open` opens the logbook (a test's stub).
 */
export function logThenChange(
  dataDir: string,
  at: number,
  entry: CommandEntry,
  steps: ChangeSteps,
  open: (dataDir: string) => LineWriter = openLogbook,
): void {
  const discard = () => {
    try {
      steps.discard?.();
    } catch {
      // A temporary file left behind, as after a kill (docs/operations.md): takes no effect.
    }
  };
  const mayHaveTakenEffect = (e: unknown) =>
    new ChangeFailed(
      `${shownCode(e)}: its logbook line is written and the change may have taken effect, in part or whole: check it (public-keys, admission.json) before running the command again`,
    );
  let written = false;
  try {
    log(open, dataDir, at, entry, () => {
      written = true;
    });
  } catch (e) {
    discard();
    if (!written)
      throw new ChangeFailed(
        `${shownCode(e)}: its logbook line could not be written to ${join(dataDir, LOGBOOK_FILE)}, so nothing was changed`,
      );
    notApplied(
      open,
      dataDir,
      entry,
      e,
      'its logbook line was written but could not be made durable, and nothing was changed',
      'may show',
    );
  }
  try {
    steps.apply?.();
  } catch (e) {
    if (e instanceof MayHaveTakenEffect) throw mayHaveTakenEffect(e);
    discard();
    notApplied(open, dataDir, entry, e, 'nothing was changed', 'shows');
  }
  try {
    steps.finish?.();
  } catch (e) {
    throw mayHaveTakenEffect(e);
  }
}

/**
 * Records `change.not_applied` for `entry`, whose line the logbook `shows` (or `may show`: its
 * fsync failed), and throws ChangeFailed saying `what`.
 */
function notApplied(
  open: (dataDir: string) => LineWriter,
  dataDir: string,
  entry: CommandEntry,
  e: unknown,
  what: string,
  shows: 'shows' | 'may show',
): never {
  const { event, ...subject } = entry;
  const shown = shownCode(e);
  try {
    log(open, dataDir, Date.now(), {
      event: 'change.not_applied',
      change: event,
      ...subject,
      ...(shown === 'unknown' ? {} : { code: shown }),
    } as LogbookEntry);
  } catch (second) {
    // Every event begins with a vowel (epoch., issuer., organisation.): "an".
    throw new ChangeFailed(
      `${shown}: ${what}, but the line saying it was not applied could not be written (${shownCode(second)}): the logbook ${shows} an ${event} that did not take effect`,
    );
  }
  throw new ChangeFailed(
    `${shown}: ${what}; the logbook records the attempt and that it was not applied (change.not_applied)`,
  );
}

/**
 * What an error line shows of an error: its code (the service's, or the system's when it cannot
 * be a value), else `unknown`.
 */
export function shownCode(e: unknown): string {
  if (e instanceof MayHaveTakenEffect) return shownCode(e.reason);
  if (isServiceError(e)) return e.code;
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return isLoggableErrorCode(code) ? code : 'unknown';
}

/**
 * Replaces admission.json by `file` with `entry` as its logbook line: the new file is written
 * and fsynced under its temporary name first (a full disk stops the change there, before its
 * line), then the line, then the rename that makes the change take effect. The caller holds
 * the admission lock.
 */
export function changeAdmission(
  dataDir: string,
  at: number,
  file: AdmissionFile,
  entry: AdmissionEntry,
  open?: (dataDir: string) => LineWriter,
): void {
  const prepared = prepareAdmissionFile(dataDir, file);
  logThenChange(
    dataDir,
    at,
    entry,
    { apply: prepared.commit, discard: prepared.discard, finish: () => fsyncDir(dataDir) },
    open,
  );
}

/**
 * Replaces admission.json with `edit` of its current content, under admission.json.lock, with
 * `entry` as its logbook line (logThenChange: the line first, as the CLI's edits). The embedders'
 * way to change admissions. Synchronous: while another process's edit holds the lock it blocks
 * the calling thread, event loop included (Atomics.wait), for up to 10 s, then throws
 * `admission_locked`. Call it from a command or a set-up, never from a thread that serves
 * requests. Throws ChangeFailed as logThenChange does.
 */
export function editAdmissionFile(
  dataDir: string,
  entry: AdmissionEntry,
  edit: (file: AdmissionFile) => AdmissionFile,
): void {
  withAdmissionLock(dataDir, () =>
    changeAdmission(dataDir, Date.now(), edit(readAdmissionFile(dataDir)), entry),
  );
}

/**
 * Creates the key of a new epoch (RFC 9497 GenerateKeyPair) with its `epoch.added` line, the
 * line first, and returns its public key. `key_file_exists` (before the line) when the epoch
 * has a key file; the key file's name is made durable (the directory's fsync), so a crash right
 * after the ceremony cannot lose the epoch whose public key was printed.
 */
export function createEpochKey(dataDir: string, epoch: number, at = Date.now()): Uint8Array {
  const path = epochKeyFile(dataDir, epoch, 'absent');
  let created: Uint8Array | undefined;
  logThenChange(
    dataDir,
    at,
    { event: 'epoch.added', epoch },
    {
      apply: () => {
        created = createFileStep(path, () => writeEpochKey(dataDir, epoch));
      },
      finish: () => fsyncDir(join(dataDir, KEYS_DIR)),
    },
  );
  return created!;
}

/**
 * An `apply` step that creates the file at `path`: when `create` fails and the file is there all
 * the same (its removal failed as well, or cannot be seen), throws MayHaveTakenEffect, as the
 * service would read (and refuse) the file left; `key_file_exists` is another's file, never ours.
 */
export function createFileStep<T>(path: string, create: () => T): T {
  try {
    return create();
  } catch (e) {
    if (isServiceError(e) && e.code === 'key_file_exists') throw e;
    let left: boolean;
    try {
      left = lstatSync(path, { throwIfNoEntry: false }) !== undefined;
    } catch {
      left = true;
    }
    throw left ? new MayHaveTakenEffect(e) : e;
  }
}

/**
 * Retires an epoch with its `epoch.retired` line, the line first: its key file is opened (the
 * step that, when it fails, changed nothing: `change.not_applied`), then overwritten, fsynced and
 * deleted, and the directory fsynced, so the key never evaluates again and a crash cannot bring
 * the name back. `epoch_unknown` (before the line) when the epoch has no key file.
 */
export function retireEpochKey(dataDir: string, epoch: number, at = Date.now()): void {
  const path = epochKeyFile(dataDir, epoch, 'present');
  let file: KeyFileToDestroy | undefined;
  logThenChange(
    dataDir,
    at,
    { event: 'epoch.retired', epoch },
    {
      apply: () => {
        file = openKeyFileToDestroy(path);
      },
      finish: () => {
        file!.destroy();
        fsyncDir(join(dataDir, KEYS_DIR));
      },
    },
  );
}
