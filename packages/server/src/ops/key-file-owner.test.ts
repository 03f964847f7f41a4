// Key files must belong to the user who reads them (docs/keys.md §1): a file of another user could be
// replaced by that user. Needs root to create a foreign-owned file; skipped otherwise.

import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPseudonymKeyFile } from '@sluis/client-sdk/node';
import { describe, expect, it } from 'vitest';
import { loadSymmetricKeyFile, readSecretText } from './key-files.js';

const asRoot = process.platform !== 'win32' && process.getuid?.() === 0;

describe.skipIf(!asRoot)('key file owner', () => {
  it('refuses a 0600 key file owned by another user, in the server and in the SDK', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluis-owner-'));
    try {
      const file = join(dir, 'covenant.key');
      writeFileSync(file, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
      const bytes = loadSymmetricKeyFile(file, 32, 64);
      try {
        expect(bytes).toHaveLength(32);
      } finally {
        bytes.fill(0);
      }
      chownSync(file, 65534, 65534);
      expect(() => loadSymmetricKeyFile(file, 32, 64)).toThrowError(
        expect.objectContaining({ code: 'key_file_insecure' }),
      );
      await expect(loadPseudonymKeyFile(file, 1)).rejects.toMatchObject({ code: 'key_file_insecure' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// systemd's LoadCredential= copy (docs/operations.md "Secrets under systemd"): root's, 0400 with
// the service user's ACL entry, which stat shows as 0440. Accepted only directly in
// $CREDENTIALS_DIRECTORY, only root's or ours, never writable or readable by others.
describe.skipIf(!asRoot)('a systemd credential', () => {
  it('is read from $CREDENTIALS_DIRECTORY with the ACL mask showing as group read, nowhere else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluis-cred-'));
    const before = process.env.CREDENTIALS_DIRECTORY;
    try {
      const creds = join(dir, 'credentials');
      const elsewhere = join(dir, 'etc');
      mkdirSync(creds, { mode: 0o500 });
      mkdirSync(elsewhere);
      for (const d of [creds, elsewhere]) writeFileSync(join(d, 'db-password'), 'pw\n', { mode: 0o440 });
      process.env.CREDENTIALS_DIRECTORY = creds;
      expect(readSecretText(join(creds, 'db-password'))).toBe('pw\n');
      expect(() => readSecretText(join(elsewhere, 'db-password'))).toThrowError(
        expect.objectContaining({ code: 'key_file_insecure' }),
      );
      chmodSync(join(creds, 'db-password'), 0o444);
      expect(() => readSecretText(join(creds, 'db-password'))).toThrowError(
        expect.objectContaining({ code: 'key_file_insecure' }),
      );
      chmodSync(join(creds, 'db-password'), 0o440);
      chownSync(join(creds, 'db-password'), 65534, 65534);
      expect(() => readSecretText(join(creds, 'db-password'))).toThrowError(
        expect.objectContaining({ code: 'key_file_insecure' }),
      );
      delete process.env.CREDENTIALS_DIRECTORY;
      chownSync(join(creds, 'db-password'), 0, 0);
      expect(() => readSecretText(join(creds, 'db-password'))).toThrowError(
        expect.objectContaining({ code: 'key_file_insecure' }),
      );
    } finally {
      if (before === undefined) delete process.env.CREDENTIALS_DIRECTORY;
      else process.env.CREDENTIALS_DIRECTORY = before;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
