// Key files of the server and the municipality. Invariant: a secret file is created
// with mode 0600 in a 0700 directory, never overwritten, and not read while group or
// others can read it. Contents are never logged or printed; errors name the file and a
// reason only. Formats match @sluis/client-sdk's key files: signing keys as a PKCS#8
// PEM (RFC 8410) or a 32-byte seed in hex/base64url; symmetric keys as hex/base64url.

import { createPrivateKey, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  constants,
} from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { SigningKey } from '@sluis/client-sdk';
import { ServerError } from '../errors.js';
import { foreignOwner, userName } from './file-owner.js';

type KeyFileCode = 'key_file_unreadable' | 'key_file_insecure' | 'key_file_invalid' | 'key_file_exists';

/** The error names the file (the operator's own path) and a fixed reason, never the contents. */
function keyFileError(code: KeyFileCode, path: string): ServerError {
  return new ServerError(code, { path });
}

const MAX_KEY_FILE_BYTES = 4096;

/** Creates a secret file 0600 with O_EXCL (never overwrites) and fsyncs it. */
export function writeSecretFile(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (e) {
    throw keyFileError(
      (e as { code?: string }).code === 'EEXIST' ? 'key_file_exists' : 'key_file_unreadable',
      path,
    );
  }
  try {
    chmodSync(path, 0o600);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
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

/**
 * Replaces a (public) file atomically and durably: a temporary file beside it, under a random
 * name no other process uses — also one on another host sharing the directory, where process
 * ids repeat — written, fsynced, renamed over `path`, then the directory fsynced. A reader
 * sees the old file or the new one, never a part of either.
 */
export function replaceFile(path: string, text: string, mode: number): void {
  const tmp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // renamed already, or never made: nothing to remove
    }
    throw e;
  }
  fsyncDir(dirname(path));
}

/**
 * Publishes a public file: replaced whole (`replaceFile`) whenever it is not `text` — missing,
 * torn by a crash, or a stale copy — and left alone when it is, so a start that changes
 * nothing renames nothing on a data directory other instances share (docs/operations.md
 * "Start, and the first start").
 */
export function publishFile(path: string, text: string): void {
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== text) replaceFile(path, text, 0o644);
}

/**
 * Whether `path` is a credential systemd handed this service (`LoadCredential=`,
 * docs/operations.md "Secrets under systemd"): a file directly in `$CREDENTIALS_DIRECTORY`.
 * systemd writes it 0400 and root's, and gives the service user read access by an ACL entry,
 * which `stat` shows as the mask in the group bits (0440) although no group can read it
 * (systemd's exec-credential.c, `write_credential`); where the file system has no ACLs it
 * chowns the file to the service user instead. The directory is private to the service.
 */
function isSystemdCredential(path: string): boolean {
  const dir = process.env.CREDENTIALS_DIRECTORY;
  if (dir === undefined || !isAbsolute(dir)) return false;
  return dirname(resolve(path)) === resolve(dir);
}

/**
 * Why a secret file cannot be opened, as the operator can act on it: a missing file (with the
 * caller's hint on where the path came from); one this user may not read names its owner, or
 * — when a folder on its path is closed to this user, e.g. the data directory (0700) — that
 * folder's owner: usually the command was run as another user than the service user
 * (docs/operations.md "Install").
 */
function openError(e: unknown, path: string, missingHint: string | undefined): ServerError {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT')
    return new ServerError('key_file_missing', {
      path,
      ...(missingHint === undefined ? {} : { hint: missingHint }),
    });
  if (code === 'EACCES') {
    const user = userName(process.getuid!());
    for (let p = resolve(path); p !== dirname(p); p = dirname(p)) {
      let uid: number;
      try {
        uid = lstatSync(p).uid;
      } catch {
        continue;
      }
      const owner = foreignOwner(uid);
      if (owner === undefined) break;
      return p === resolve(path)
        ? new ServerError('key_file_insecure', { path, owner, user })
        : new ServerError('file_foreign_owner', { path: p, owner, user });
    }
  }
  return keyFileError('key_file_unreadable', path);
}

/**
 * Reads a secret file, refusing one that group or others may read or another user owns; a
 * systemd credential (above) may be root's and show the ACL mask as group read, never more.
 * `missingHint` says where the path came from, for a file that does not exist.
 */
export function readSecretText(path: string, missingHint?: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch (e) {
    throw openError(e, path, missingHint);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_KEY_FILE_BYTES) throw keyFileError('key_file_invalid', path);
    // A key file owned by someone else could be replaced by them: only our own (POSIX). The
    // refusal names the owner: usually the command was run as root instead of the service user.
    const credential = isSystemdCredential(path);
    const owner = credential && st.uid === 0 ? undefined : foreignOwner(st.uid);
    if (owner !== undefined)
      throw new ServerError('key_file_insecure', { path, owner, user: userName(process.getuid!()) });
    if (process.platform !== 'win32' && (st.mode & (credential ? 0o237 : 0o077)) !== 0)
      throw keyFileError('key_file_insecure', path);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Hex or unpadded base64url → bytes; undefined when neither. */
export function decodeKeyText(text: string): Uint8Array | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0) return Buffer.from(t, 'hex');
  if (!/^[A-Za-z0-9_-]+$/.test(t)) return undefined;
  const bytes = Buffer.from(t, 'base64url');
  return bytes.toString('base64url') === t ? bytes : undefined;
}

export function signingKeyToPem(key: SigningKey): string {
  const seed = key.exportSeed();
  const pem = createPrivateKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      d: Buffer.from(seed).toString('base64url'),
      x: Buffer.from(key.publicKey).toString('base64url'),
    },
    format: 'jwk',
  }).export({ type: 'pkcs8', format: 'pem' });
  seed.fill(0);
  return String(pem);
}

function seedFromPem(text: string): Uint8Array | undefined {
  try {
    const jwk = createPrivateKey({ key: text, format: 'pem' }).export({ format: 'jwk' });
    if (jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') return undefined;
    return Buffer.from(jwk.d, 'base64url');
  } catch {
    return undefined;
  }
}

export function parseSigningKeyText(text: string, file: string): SigningKey {
  const seed = text.includes('-----BEGIN') ? seedFromPem(text) : decodeKeyText(text);
  if (seed === undefined || seed.length !== 32) throw keyFileError('key_file_invalid', file);
  try {
    return SigningKey.fromSeed(seed);
  } finally {
    seed.fill(0);
  }
}

export function loadSigningKeyFile(path: string, missingHint?: string): SigningKey {
  return parseSigningKeyText(readSecretText(path, missingHint), path);
}

export function writeSigningKeyFile(path: string, key: SigningKey): void {
  writeSecretFile(path, signingKeyToPem(key));
}

/** A 32–64 byte symmetric key (server secret, covenant pseudonym key) from a key file. */
export function loadSymmetricKeyFile(path: string, minBytes: number, maxBytes: number): Uint8Array {
  const bytes = decodeKeyText(readSecretText(path));
  if (bytes === undefined || bytes.length < minBytes || bytes.length > maxBytes) {
    bytes?.fill(0);
    throw keyFileError('key_file_invalid', path);
  }
  return bytes;
}
