// Key files must belong to the user who reads them (docs/keys.md §1): a file of another user could be
// replaced by that user. Needs root to create a foreign-owned file; skipped otherwise.

import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPseudonymKeyFile } from '@sluis/client-sdk/node';
import { describe, expect, it } from 'vitest';
import { loadSymmetricKeyFile } from './key-files.js';

const asRoot = process.platform !== 'win32' && process.getuid?.() === 0;

describe.skipIf(!asRoot)('key file owner', () => {
  it('refuses a 0600 key file owned by another user, in the server and in the SDK', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluis-owner-'));
    try {
      const file = join(dir, 'covenant.key');
      writeFileSync(file, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
      expect(loadSymmetricKeyFile(file, 32, 64)).toHaveLength(32);
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
