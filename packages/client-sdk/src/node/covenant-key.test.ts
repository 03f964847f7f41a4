// `sluis covenant-key generate|check` (docs/keys.md §2.1): the key file is 0600, never
// overwritten and never printed; the key check value is the pseudonym of test BSN
// 999900006 under the key and epoch, the same value the documented SDK calls give.

import { createHmac } from 'node:crypto';
import { chmod, copyFile, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicaliseIdentifier } from '../protocol/identifier.js';
import { base64url } from '../protocol/encoding.js';
import { PseudonymKey } from '../protocol/pseudonym.js';
import { EXIT, main } from './cli.js';
import { KEY_CHECK_BSN } from './covenant-key.js';
import { loadPseudonymKeyFile } from './key-files.js';
import { caseKey } from '../../../../test/support/case-keys.js';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    {},
    {
      stdout: { write: (t) => (stdout += t) },
      stderr: { write: (t) => (stderr += t) },
    },
  );
  return { code, stdout, stderr };
}

describe('sluis covenant-key', () => {
  it('generate writes 32 random bytes as hex, 0600, refuses to overwrite and never prints the key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluis-covenant-'));
    const file = join(dir, 'covenant-epoch-3.key');
    const r = await run(['covenant-key', 'generate', '--out', file]);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^[0-9a-f]{64}\n$/);
    expect(r.stdout + r.stderr).not.toContain(text.trim());
    expect(r.stdout + r.stderr).not.toContain(text.trim().slice(0, 16));

    const again = await run(['covenant-key', 'generate', '--out', file, '--json']);
    expect(again.code).toBe(EXIT.usage);
    expect(JSON.parse(again.stdout).error.code).toBe('file_exists');
    expect(await readFile(file, 'utf8')).toBe(text);

    const other = join(dir, 'other.key');
    expect((await run(['covenant-key', 'generate', '--out', other])).code).toBe(EXIT.ok);
    expect(await readFile(other, 'utf8')).not.toBe(text);
    expect((await run(['covenant-key', 'generate'])).code).toBe(EXIT.usage);
    expect((await run(['covenant-key'])).code).toBe(EXIT.usage);
  });

  it('check prints the pseudonym of test BSN 999900006 under the key and epoch, never the key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluis-covenant-'));
    const file = join(dir, 'covenant.key');
    expect((await run(['covenant-key', 'generate', '--out', file])).code).toBe(EXIT.ok);
    const hex = (await readFile(file, 'utf8')).trim();

    const r = await run(['covenant-key', 'check', '--key-file', file, '--epoch', '3', '--json']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const { epoch, keyCheckValue } = JSON.parse(r.stdout) as { epoch: number; keyCheckValue: string };
    expect(epoch).toBe(3);
    expect(r.stdout + r.stderr).not.toContain(hex);

    // Independently: HMAC-SHA-256 (node:crypto) over the protocol's message (docs/protocol.md §3).
    expect(KEY_CHECK_BSN).toBe('999900006');
    const message = PseudonymKey.message(3, canonicaliseIdentifier('bsn', '999900006'));
    const mac = createHmac('sha256', Buffer.from(hex, 'hex')).update(message).digest();
    expect(keyCheckValue).toBe(base64url.encode(new Uint8Array(mac)));
    // And the SDK calls keys.md used before this command existed.
    const key = caseKey(await loadPseudonymKeyFile(file, 3));
    expect(key.pseudonymise(canonicaliseIdentifier('bsn', '999900006')).value).toBe(keyCheckValue);

    // Human output; a copy of the key (another custodian) gives the same value, another epoch not.
    const human = await run(['covenant-key', 'check', '--key-file', file, '--epoch', '3']);
    expect(human.stdout).toBe(`key check value (epoch 3): ${keyCheckValue}\n`);
    const copy = join(dir, 'copy.key');
    await copyFile(file, copy);
    await chmod(copy, 0o600);
    const same = await run(['covenant-key', 'check', '--key-file', copy, '--epoch', '3']);
    expect(same.stdout).toBe(human.stdout);
    const epoch4 = await run(['covenant-key', 'check', '--key-file', file, '--epoch', '4']);
    expect(epoch4.stdout).not.toContain(keyCheckValue);
  });

  it('check refuses a group-readable key file, a bad key and missing flags (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluis-covenant-'));
    const open = join(dir, 'open.key');
    await writeFile(open, `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    await chmod(open, 0o644);
    const bad = join(dir, 'bad.key');
    await writeFile(bad, 'not-a-key-Sekr3t\n', { mode: 0o600 });
    const cases: [string[], string][] = [
      [['covenant-key', 'check', '--key-file', open, '--epoch', '1'], 'key_file_insecure'],
      [['covenant-key', 'check', '--key-file', bad, '--epoch', '1'], 'key_invalid'],
      [['covenant-key', 'check', '--key-file', join(dir, 'none.key'), '--epoch', '1'], 'file_unreadable'],
      [['covenant-key', 'check', '--key-file', bad], 'needs one --epoch'],
      [['covenant-key', 'check', '--key-file', bad, '--epoch', '0'], '--epoch must be'],
      [['covenant-key', 'check', '--epoch', '1'], 'needs --key-file'],
    ];
    for (const [argv, text] of cases) {
      const r = await run(argv);
      if (process.platform === 'win32' && text === 'key_file_insecure') continue;
      expect(r.code, argv.join(' ')).toBe(EXIT.usage);
      expect(r.stderr).toContain(text);
      expect(r.stdout + r.stderr).not.toContain('abababab');
      expect(r.stdout + r.stderr).not.toContain('Sekr3t');
    }
  });
});
