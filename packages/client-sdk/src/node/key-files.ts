// Key files on disk (Node only). A key file holds one key as text (see keys/key-text.ts).
// Invariant: a private key file is created 0600, never overwritten, and not read when
// group or others may read it (unless the caller explicitly chooses to only warn).

import { constants, promises as fs } from 'node:fs';
import { SluisError } from '../errors.js';
import { parsePseudonymKey, parseSigningKey, signingKeyToPem } from '../keys/key-text.js';
import type { PseudonymKey } from '../protocol/pseudonym.js';
import type { SigningKey } from '../protocol/signing-key.js';

export interface KeyFileOptions {
  /** What to do when group/other can read the file: 'refuse' (default) or 'warn'. */
  readonly insecure?: 'refuse' | 'warn';
  /** Receives the warning text when insecure is 'warn'. Default console.warn. */
  readonly warn?: (message: string) => void;
}

const MAX_KEY_FILE_BYTES = 4096;

async function readKeyText(path: string, options: KeyFileOptions): Promise<string> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, constants.O_RDONLY);
  } catch {
    throw new SluisError('file_unreadable');
  }
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > MAX_KEY_FILE_BYTES) throw new SluisError('key_invalid');
    // POSIX modes only; Windows has no group/other bits to check.
    // A key file owned by another user could be swapped by that user: refuse it (POSIX).
    if (process.platform !== 'win32' && st.uid !== process.getuid?.())
      throw new SluisError('key_file_insecure');
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      if ((options.insecure ?? 'refuse') === 'refuse') throw new SluisError('key_file_insecure');
      (options.warn ?? console.warn)('warning: key file is readable by group or others; run chmod 600 on it');
    }
    const buf = await handle.readFile();
    try {
      return buf.toString('utf8');
    } finally {
      buf.fill(0);
    }
  } finally {
    await handle.close();
  }
}

export async function loadPseudonymKeyFile(
  path: string,
  epoch: number,
  options: KeyFileOptions = {},
): Promise<PseudonymKey> {
  return parsePseudonymKey(await readKeyText(path, options), epoch);
}

export async function loadSigningKeyFile(path: string, options: KeyFileOptions = {}): Promise<SigningKey> {
  return parseSigningKey(await readKeyText(path, options));
}

/** Writes the signing key as a PKCS#8 PEM, mode 0600; refuses to overwrite an existing file. */
export async function writeSigningKeyFile(path: string, key: SigningKey): Promise<void> {
  await writeSecretTextFile(path, signingKeyToPem(key));
}

/** Writes a secret as text to a new file, mode 0600, fsynced; refuses to overwrite. */
export async function writeSecretTextFile(path: string, text: string): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') throw new SluisError('file_exists');
    throw new SluisError('file_unreadable');
  }
  try {
    // The umask cannot widen 0600, but an inherited ACL or odd umask could: set it explicitly.
    await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}
