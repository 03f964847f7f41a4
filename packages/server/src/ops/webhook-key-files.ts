// The files of the webhook signing keys in keys/ (docs/keys.md §4.5): webhook-keys.json, the
// state every instance shares (which keys exist, from when each signs, which are retired),
// webhook-signing.pub.json, the published public keys, and the private key files. Invariants:
// both JSON files are replaced whole (a temporary file, fsynced, renamed, the directory
// fsynced), so a reader sees the old file or the new one, never a part; a retired or orphaned
// private key file is overwritten with zeros and fsynced before it is unlinked. ServerKeys
// (server-keys.ts) decides what is written and when, inside the store's critical section of
// webhook key changes (webhook-key-section.ts), where the logbook comparison also confirms a
// difference.

import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { publishFile, replaceFile } from './key-files.js';

export const WEBHOOK_KEYS_STATE = 'webhook-keys.json';
export const WEBHOOK_PUBLIC_FILE = 'webhook-signing.pub.json';
/** The bootstrap webhook key, listed first while there is no state file. */
export const FIRST_WEBHOOK_KEY_FILE = 'webhook-signing.key';

export interface WebhookKeyState {
  readonly file: string;
  readonly keyId: string;
  readonly publicKey: string;
  /** When the server starts signing with it (ms). */
  readonly signFrom: number;
  readonly createdAt: number;
  retiredAt: number | null;
}

export type WebhookKeyStatus = 'signing' | 'next' | 'previous';

export interface PublishedWebhookKey {
  readonly keyId: string;
  readonly publicKey: string;
  readonly status: WebhookKeyStatus;
  readonly signFrom: number;
}

/** webhook-keys.json's identity: a rename (every write) changes the inode, a copy the size or times. */
export function stateStamp(keysDir: string): string {
  const st = statSync(join(keysDir, WEBHOOK_KEYS_STATE), { throwIfNoEntry: false });
  return st === undefined ? 'none' : `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

/** The keys webhook-keys.json lists; throws when it cannot be read or is not a list. */
export function readWebhookKeyState(keysDir: string): WebhookKeyState[] {
  const state = (
    JSON.parse(readFileSync(join(keysDir, WEBHOOK_KEYS_STATE), 'utf8')) as { keys: WebhookKeyState[] }
  ).keys;
  if (!Array.isArray(state)) throw new TypeError('keys is not a list');
  return state;
}

/** webhook-keys.json's keys at start; while there is none, the bootstrap key (webhook-signing.key) alone. */
export function startingWebhookKeyState(
  keysDir: string,
  first: Pick<WebhookKeyState, 'keyId' | 'publicKey'>,
): WebhookKeyState[] {
  if (existsSync(join(keysDir, WEBHOOK_KEYS_STATE))) return readWebhookKeyState(keysDir);
  return [{ file: FIRST_WEBHOOK_KEY_FILE, ...first, signFrom: 0, createdAt: 0, retiredAt: null }];
}

/** Replaces webhook-keys.json with `state`, whole. */
export function writeWebhookKeyState(keysDir: string, state: readonly WebhookKeyState[]): void {
  replaceFile(join(keysDir, WEBHOOK_KEYS_STATE), `${JSON.stringify({ keys: state }, null, 2)}\n`, 0o644);
}

/**
 * Publishes webhook-signing.pub.json, replaced whole when it is not this list (missing, torn or
 * stale; key-files.ts `publishFile`): the signer at the top (as before rotation existed) and
 * every live key.
 */
export function writePublishedKeys(
  keysDir: string,
  signer: Pick<WebhookKeyState, 'keyId' | 'publicKey'>,
  keys: readonly PublishedWebhookKey[],
): void {
  const text = `${JSON.stringify(
    {
      keyId: signer.keyId,
      publicKey: signer.publicKey,
      keys: keys.map((k) => ({ ...k, signFrom: new Date(k.signFrom).toISOString() })),
    },
    null,
    2,
  )}\n`;
  publishFile(join(keysDir, WEBHOOK_PUBLIC_FILE), text);
}

/** Overwrites a private key file with zeros, fsyncs it and unlinks it; gone already is fine. */
export function destroyKeyFile(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY);
  } catch {
    return;
  }
  try {
    writeSync(fd, Buffer.alloc(fstatSync(fd).size));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  unlinkSync(path);
}
