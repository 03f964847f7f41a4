// bootstrapKeys on its failure paths: whatever it refuses, no copy of a server secret it read is
// left in memory unzeroed (no caller gets them to destroy), and on success the only live copy
// is the one KeyMaterial hands out, zeroed by its destroy().

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { openEngine } from '../open-engine.js';
import { loadSymmetricKeyFile, writeSecretFile } from '../ops/key-files.js';
import { captureCliIo } from '../testing/cli-io.js';
import { type SecretCopies, watchSecretCopies } from '../testing/secret-copies.js';
import { bootstrapKeys, destroyKeyMaterial, type KeyMaterial } from './bootstrap.js';
import { loadConfig } from './config.js';
import { main } from './main.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A data directory as a first start leaves it (the keys destroyed again). */
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sluis-bootstrap-'));
  dirs.push(d);
  destroyKeyMaterial(bootstrapKeys(d, { metricsToken: true }));
  return d;
}

/** Runs bootstrapKeys on `dir` watched; its error and, per generation on disk, the copies it made. */
function watched(dir: string, options: Parameters<typeof bootstrapKeys>[1], generations: number[]) {
  const watch = watchSecretCopies();
  let result: KeyMaterial | undefined;
  let error: unknown;
  try {
    result = bootstrapKeys(dir, options);
  } catch (e) {
    error = e;
  }
  watch.stop();
  return { result, error, ...copiesIn(dir, watch, generations) };
}

/** Per generation on disk, the copies `watch` saw made of it. */
function copiesIn(dir: string, watch: SecretCopies, generations: number[]) {
  const copies = () =>
    generations.map((g) => {
      const secret = loadSymmetricKeyFile(join(dir, 'keys', `server-secret-${g}.key`), 32, 32);
      try {
        return watch.copiesOf(secret);
      } finally {
        secret.fill(0);
      }
    });
  return { copies, restore: () => watch.restore() };
}

/** `sluis-server <argv>` on `dir` watched: its exit code and the copies of generation 1 it made. */
async function command(dir: string, argv: string[]) {
  const io = captureCliIo(dir);
  const watch = watchSecretCopies();
  let code: number;
  try {
    code = await main([...argv, '--data-dir', dir], { NODE_ENV: 'test' }, io.io);
  } finally {
    watch.stop();
  }
  const { copies, restore } = copiesIn(dir, watch, [1]);
  try {
    return { code, err: io.err(), copies: copies() };
  } finally {
    restore();
  }
}

describe('bootstrapKeys zeroes the server secrets it read', () => {
  it('on success one live copy per generation, the one handed out; destroy() zeroes it', () => {
    const dir = dataDir();
    const r = watched(dir, { metricsToken: true }, [1]);
    try {
      expect(r.error).toBeUndefined();
      // The copy read from the file (zeroed) and ServerSecrets' own (live until destroyed).
      expect(r.copies()).toEqual([{ copies: 2, live: 1 }]);
      r.result!.serverSecrets.destroy();
      expect(r.copies()).toEqual([{ copies: 2, live: 0 }]);
    } finally {
      if (r.result !== undefined) destroyKeyMaterial(r.result);
      r.restore();
    }
  });

  it('a later generation’s file refused: the earlier generation read is zeroed', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'keys', 'server-secret-2.key'), 'not a key\n', { mode: 0o600 });
    const r = watched(dir, { metricsToken: true }, [1]);
    try {
      expect(r.error).toMatchObject({ code: 'key_file_invalid' });
      expect(r.copies()).toEqual([{ copies: 1, live: 0 }]);
    } finally {
      r.restore();
    }
  });

  it('a gap in the generations (1 and 3): both read, both zeroed', () => {
    const dir = dataDir();
    const third = randomBytes(32);
    writeSecretFile(join(dir, 'keys', 'server-secret-3.key'), `${third.toString('base64url')}\n`);
    third.fill(0);
    const r = watched(dir, { metricsToken: true }, [1, 3]);
    try {
      expect(r.error).toMatchObject({ code: 'config_invalid' });
      expect(r.copies()).toEqual([
        { copies: 1, live: 0 },
        { copies: 1, live: 0 },
      ]);
    } finally {
      r.restore();
    }
  });

  /** Replaces keys/`name` with `text` (0600). */
  const overwrite = (name: string, text: string) => (k: string) => {
    unlinkSync(join(k, name));
    writeFileSync(join(k, name), text, { mode: 0o600 });
  };
  // Each refusal after ServerSecrets took its copies: the copy it made is zeroed too.
  const later: [string, (keys: string) => void, Parameters<typeof bootstrapKeys>[1], string][] = [
    [
      'the webhook key missing on a shared store',
      (k) => unlinkSync(join(k, 'webhook-signing.key')),
      { sharedStore: true },
      'webhook_key_missing',
    ],
    [
      'the credential issuer’s key missing on a shared store',
      (k) => unlinkSync(join(k, 'credential-issuer.key')),
      { sharedStore: true },
      'credential_issuer_missing',
    ],
    [
      'metrics.token malformed',
      overwrite('metrics.token', 'short\n'),
      { metricsToken: true },
      'key_file_invalid',
    ],
    [
      'the webhook key file malformed',
      overwrite('webhook-signing.key', 'not a key\n'),
      {},
      'key_file_invalid',
    ],
    [
      'the credential issuer’s key file malformed',
      overwrite('credential-issuer.key', 'not a key\n'),
      {},
      'key_file_invalid',
    ],
  ];
  it.each(later)('%s: refused, every copy zeroed', (_name, damage, options, code) => {
    const dir = dataDir();
    damage(join(dir, 'keys'));
    const r = watched(dir, options, [1]);
    try {
      expect(r.error).toMatchObject({ code });
      expect(r.copies()).toEqual([{ copies: 2, live: 0 }]);
    } finally {
      r.restore();
    }
  });
});

// The commands that read the data directory's keys without serving: done or refused, every copy
// of a server secret they read is zeroed (as is every signing key, by the same destroyKeyMaterial).
describe('the commands that read the keys zero the server secrets when done', () => {
  it('retention, on a database and on none', async () => {
    const dir = dataDir();
    const none = await command(dir, ['retention']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('does not exist');
    expect(none.copies).toEqual([{ copies: 2, live: 0 }]);
    const config = loadConfig({ flags: { 'data-dir': dir }, env: { NODE_ENV: 'test' }, cwd: dir });
    const keys = bootstrapKeys(dir, { create: false });
    await (await openEngine(config, keys, systemClock)).close();
    destroyKeyMaterial(keys);
    const ran = await command(dir, ['retention']);
    expect(ran.code).toBe(0);
    expect(ran.copies).toEqual([{ copies: 2, live: 0 }]);
  });

  it('credential-issuer-key, refused (the key exists) and done', async () => {
    const dir = dataDir();
    const refused = await command(dir, ['credential-issuer-key']);
    expect(refused.code).not.toBe(0);
    expect(refused.copies).toEqual([{ copies: 2, live: 0 }]);
    unlinkSync(join(dir, 'keys', 'credential-issuer.key'));
    const made = await command(dir, ['credential-issuer-key']);
    expect(made.code).toBe(0);
    expect(made.copies).toEqual([{ copies: 2, live: 0 }]);
  });
});
