// Key files: written 0600, never overwritten, refused (or warned about) when group or
// others may read them.

import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../protocol/encoding.js';
import { loadPseudonymKeyFile, loadSigningKeyFile, writeSigningKeyFile } from './key-files.js';
import { caseKey, caseSigningKey } from '../../../../test/support/case-keys.js';

const posix = process.platform !== 'win32';

describe('key files', () => {
  it('writes a 0600 PEM, refuses to overwrite, loads it back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluis-keys-'));
    const path = join(dir, 'signing.pem');
    const key = caseSigningKey();
    await writeSigningKeyFile(path, key);
    if (posix) expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    await expect(writeSigningKeyFile(path, key)).rejects.toMatchObject({ code: 'file_exists' });
    expect(caseKey(await loadSigningKeyFile(path)).keyId).toBe(key.keyId);
  });

  it.runIf(posix)('refuses a group/other-readable key file unless told to warn', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluis-keys-'));
    const path = join(dir, 'pseudonym.key');
    await writeFile(path, `${bytesToHex(new Uint8Array(32).fill(9))}\n`, { mode: 0o644 });
    await chmod(path, 0o644);
    await expect(loadPseudonymKeyFile(path, 1)).rejects.toMatchObject({ code: 'key_file_insecure' });
    const warnings: string[] = [];
    const k = caseKey(
      await loadPseudonymKeyFile(path, 1, { insecure: 'warn', warn: (m) => warnings.push(m) }),
    );
    expect(k.epoch).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toContain('09090909');
    await chmod(path, 0o600);
    expect(caseKey(await loadPseudonymKeyFile(path, 3)).epoch).toBe(3);
  });

  it('reports a missing file and a malformed key by code only', async () => {
    await expect(loadSigningKeyFile('/nonexistent/sluis.pem')).rejects.toMatchObject({
      code: 'file_unreadable',
    });
    const dir = await mkdtemp(join(tmpdir(), 'sluis-keys-'));
    const path = join(dir, 'bad.key');
    await writeFile(path, 'secret-but-wrong', { mode: 0o600 });
    const e = await loadSigningKeyFile(path).catch((x: Error) => x);
    expect(e).toMatchObject({ code: 'key_invalid' });
    expect(JSON.stringify(e) + String(e)).not.toContain('secret-but-wrong');
  });
});
