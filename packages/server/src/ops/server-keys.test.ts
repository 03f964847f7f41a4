// Webhook keys with several instances whose keys/ directories are copies (docs/operations.md
// "High availability"): an instance takes up a rotation and a retirement another instance
// wrote, when the copy reaches it, without a restart; until the new key file is there it
// signs with the key it holds and warns with codes only; a retired key never signs again on
// any instance, also while its file is still in that instance's copy. A change never writes
// over a state file it cannot read. Real files, the instances as two ServerKeys on two
// directories over one real (SQLite) engine, an injected clock. Changes racing on separate
// processes: test/e2e/two-instances-webhook-keys.test.ts.

import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey, base64url } from '@sluis/client-sdk';
import { createEngine, type Engine, openSqliteStore, ServerSecrets } from '@sluis/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSigningKeyFile, writeSigningKeyFile } from './key-files.js';
import type { LogFields } from './logger.js';
import { ServerKeys, WEBHOOK_KEYS_STATE, WEBHOOK_PUBLIC_FILE } from './server-keys.js';
import { rotateServerSecret } from './server-secret-rotation.js';

const dirs: string[] = [];
const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SYSTEM = { kind: 'system' } as const;

async function instances() {
  const a = mkdtempSync(join(tmpdir(), 'sluis-keys-a-'));
  const b = mkdtempSync(join(tmpdir(), 'sluis-keys-b-'));
  dirs.push(a, b);
  const first = SigningKey.generate();
  writeSigningKeyFile(join(a, 'webhook-signing.key'), first);
  copyFileSync(join(a, 'webhook-signing.key'), join(b, 'webhook-signing.key'));
  let now = 1_000_000;
  // Runs once, at the first reading of the clock after `when` holds (a test's failure seam).
  let armed: { when: () => boolean; run: () => void } | undefined;
  const clock = () => {
    if (armed?.when()) {
      const { run } = armed;
      armed = undefined;
      run();
    }
    return now;
  };
  const engine = await createEngine({
    store: openSqliteStore({ path: join(a, 'sluis.db'), clock }),
    serverSecrets: new ServerSecrets(new Map([[1, randomBytes(32)]])),
    clock,
  });
  engines.push(engine);
  const lines: { event: string; fields: LogFields }[] = [];
  const logger = {
    log: (_level: string, event: string, fields: LogFields = {}) => lines.push({ event, fields }),
  };
  const keysA = new ServerKeys(a, SigningKey.fromSeed(first.exportSeed()), clock, logger);
  const keysB = new ServerKeys(b, SigningKey.fromSeed(first.exportSeed()), clock, logger);
  return {
    a,
    b,
    engine,
    first,
    keysA,
    keysB,
    lines,
    tick: (ms: number) => {
      now += ms;
    },
    copy: (file: string) => copyFileSync(join(a, file), join(b, file)),
    arm: (when: () => boolean, run: () => void) => {
      armed = { when, run };
    },
  };
}

describe('webhook keys across instances with copied keys directories', () => {
  it('B signs with the key it holds until the rotated key file reaches it, then with the new one; warnings carry no key', async () => {
    const t = await instances();
    const rotated = await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    expect(t.keysA.webhookSigningKey().keyId).toBe(rotated.keyId);
    // The state file reaches B before the key file (a copy in the wrong order).
    t.copy(WEBHOOK_KEYS_STATE);
    expect(t.keysB.webhookSigningKey().keyId).toBe(t.first.keyId);
    expect(t.keysB.webhookKeys().map((k) => [k.keyId, k.status])).toEqual([
      [t.first.keyId, 'signing'],
      [rotated.keyId, 'next'],
    ]);
    const missing = t.lines.filter((l) => l.event === 'webhook_key_missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.fields).toMatchObject({ keyId: rotated.keyId, file: 'webhook-signing-2.key' });
    // Retried at most once a second.
    t.keysB.webhookSigningKey();
    expect(t.lines.filter((l) => l.event === 'webhook_key_missing')).toHaveLength(1);

    t.copy('webhook-signing-2.key');
    t.tick(1000);
    expect(t.keysB.webhookSigningKey().keyId).toBe(rotated.keyId);
    expect(t.keysB.webhookKeys().map((k) => [k.keyId, k.status])).toEqual([
      [t.first.keyId, 'previous'],
      [rotated.keyId, 'signing'],
    ]);
    expect(t.lines.some((l) => l.event === 'webhook_key_loaded' && l.fields.keyId === rotated.keyId)).toBe(
      true,
    );
    const logged = JSON.stringify(t.lines);
    expect(logged).not.toContain(base64url.encode(t.first.exportSeed()));
    expect(logged).not.toContain(Buffer.from(t.first.exportSeed()).toString('base64'));
  });

  it('an instance whose published keys were overtaken by another instance’s rotation publishes that rotation', async () => {
    const t = await instances();
    const rotated = await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    // C starts on B's keys/ with no state file there yet. Between its look at the state and its
    // write of webhook-signing.pub.json, another instance's rotation lands: its key file, its
    // state and its published keys (as A wrote them). C's write would put the old list back.
    let landed = false;
    const clock = () => {
      if (!landed) {
        landed = true;
        for (const f of ['webhook-signing-2.key', WEBHOOK_KEYS_STATE, WEBHOOK_PUBLIC_FILE]) t.copy(f);
      }
      return 1_000_000;
    };
    const keysC = new ServerKeys(t.b, SigningKey.fromSeed(t.first.exportSeed()), clock);
    const published = JSON.parse(readFileSync(join(t.b, WEBHOOK_PUBLIC_FILE), 'utf8')) as {
      keyId: string;
      keys: { keyId: string; status: string }[];
    };
    expect(published.keys.map((k) => [k.keyId, k.status])).toEqual([
      [t.first.keyId, 'previous'],
      [rotated.keyId, 'signing'],
    ]);
    expect(published.keyId).toBe(rotated.keyId);
    keysC.destroy();
  });

  it('a key retired on A never signs on B again, although B’s copy still holds its file', async () => {
    const t = await instances();
    const rotated = await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    t.copy('webhook-signing-2.key');
    t.copy(WEBHOOK_KEYS_STATE);
    expect(t.keysB.webhookSigningKey().keyId).toBe(rotated.keyId);
    await t.keysA.retireWebhookKey(t.engine, SYSTEM, t.first.keyId);
    t.copy(WEBHOOK_KEYS_STATE);
    expect(t.keysB.webhookKeys().map((k) => k.keyId)).toEqual([rotated.keyId]);
    expect(t.keysB.webhookSigningKey().keyId).toBe(rotated.keyId);
  });

  it('B with only the retired key left signs nothing (the round is retried) until the new key file arrives', async () => {
    const t = await instances();
    const rotated = await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    await t.keysA.retireWebhookKey(t.engine, SYSTEM, t.first.keyId);
    t.copy(WEBHOOK_KEYS_STATE);
    expect(() => t.keysB.webhookSigningKey()).toThrowError(
      expect.objectContaining({ code: 'key_file_unreadable' }),
    );
    t.copy('webhook-signing-2.key');
    t.tick(1000);
    expect(t.keysB.webhookSigningKey().keyId).toBe(rotated.keyId);
  });

  it('an instance re-reads the state before it writes, so it never overwrites a newer one', async () => {
    const t = await instances();
    // One shared directory: B on A's.
    const keysB = new ServerKeys(t.a, SigningKey.fromSeed(t.first.exportSeed()), () => 1_000_000);
    await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    // B's view was taken before the rotation; a second rotation through B sees two live keys.
    await expect(keysB.rotateWebhookKey(t.engine, SYSTEM, 0)).rejects.toMatchObject({ code: 'conflict' });
    await keysB.retireWebhookKey(t.engine, SYSTEM, t.first.keyId);
    expect(t.keysA.webhookKeys()).toHaveLength(1);
    expect(t.keysA.webhookKeys()[0]!.status).toBe('signing');
  });

  it('a change never writes over a state file it cannot read (a half-copied one): it refuses, the file stays', async () => {
    const t = await instances();
    await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    const state = join(t.a, WEBHOOK_KEYS_STATE);
    const torn = readFileSync(state, 'utf8').slice(0, 40);
    writeFileSync(state, torn);
    await expect(t.keysA.retireWebhookKey(t.engine, SYSTEM, t.first.keyId)).rejects.toMatchObject({
      code: 'unavailable',
    });
    await expect(t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0)).rejects.toMatchObject({
      code: 'unavailable',
    });
    expect(readFileSync(state, 'utf8')).toBe(torn);
    expect(t.lines.filter((l) => l.event === 'webhook_keys_unreadable').length).toBeGreaterThan(0);
  });

  it('changes at once through two instances on one directory run one after the other', async () => {
    const t = await instances();
    const keysB = new ServerKeys(t.a, SigningKey.fromSeed(t.first.exportSeed()), () => 1_000_000);
    const rotations = await Promise.allSettled([
      t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0),
      keysB.rotateWebhookKey(t.engine, SYSTEM, 0),
    ]);
    expect(rotations.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(rotations.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
    const retirements = await Promise.allSettled([
      t.keysA.retireWebhookKey(t.engine, SYSTEM, t.first.keyId),
      keysB.retireWebhookKey(t.engine, SYSTEM, t.first.keyId),
    ]);
    expect(retirements.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(retirements.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'not_found' } });
    const rotated = rotations.find((r) => r.status === 'fulfilled')!.value;
    expect(keysB.webhookKeys().map((k) => [k.keyId, k.status])).toEqual([[rotated.keyId, 'signing']]);
  });
});

describe('a webhook key change and its logbook record agree (docs/keys.md §4.5)', () => {
  const ORGANISATION = { kind: 'organisation', organisationId: 'org-1', keyId: 'k-org' } as const;
  const keyEvents = async (engine: Engine) =>
    (await engine.logbook(1, 1000))
      .filter((e) => e.action.startsWith('webhook_key.'))
      .map((e) => [e.action, e.refs.keyId]);

  it('a rotation whose logbook entry is refused changes no key and leaves no key file', async () => {
    const t = await instances();
    // The logbook refuses an organisation (requireAdmin): the entry fails to be written.
    await expect(t.keysA.rotateWebhookKey(t.engine, ORGANISATION, 0)).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(t.keysA.webhookKeys().map((k) => k.keyId)).toEqual([t.first.keyId]);
    expect(t.keysA.webhookSigningKey().keyId).toBe(t.first.keyId);
    expect(existsSync(join(t.a, 'webhook-signing-2.key'))).toBe(false);
    expect(existsSync(join(t.a, WEBHOOK_KEYS_STATE))).toBe(false);
    expect(await keyEvents(t.engine)).toEqual([]);
    // A repeat by an admin then succeeds under the same file name.
    const rotated = await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    expect(loadSigningKeyFile(join(t.a, 'webhook-signing-2.key')).keyId).toBe(rotated.keyId);
    expect(await keyEvents(t.engine)).toEqual([['webhook_key.added', rotated.keyId]]);
  });

  it('a retirement whose logbook entry is refused leaves the key live and its file in place', async () => {
    const t = await instances();
    const rotated = await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    await expect(t.keysA.retireWebhookKey(t.engine, ORGANISATION, t.first.keyId)).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(t.keysA.webhookKeys().map((k) => [k.keyId, k.status])).toEqual([
      [t.first.keyId, 'previous'],
      [rotated.keyId, 'signing'],
    ]);
    expect(existsSync(join(t.a, 'webhook-signing.key'))).toBe(true);
    await t.keysA.retireWebhookKey(t.engine, SYSTEM, t.first.keyId);
    expect(await keyEvents(t.engine)).toEqual([
      ['webhook_key.added', rotated.keyId],
      ['webhook_key.retired', t.first.keyId],
    ]);
  });

  it('a retired key file is overwritten with zeros before it is unlinked (a descriptor held open reads zeros)', async () => {
    const t = await instances();
    await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    const file = join(t.a, 'webhook-signing.key');
    const size = statSync(file).size;
    const fd = openSync(file, 'r');
    try {
      await t.keysA.retireWebhookKey(t.engine, SYSTEM, t.first.keyId);
      expect(existsSync(file)).toBe(false);
      const after = Buffer.alloc(size);
      expect(readSync(fd, after, 0, size, 0)).toBe(size);
      expect(after.equals(Buffer.alloc(size))).toBe(true);
    } finally {
      closeSync(fd);
    }
  });

  it('a refused server-secret rotation overwrites its new secret file with zeros before it is unlinked', async () => {
    const t = await instances();
    const file = join(t.a, 'server-secret-2.key');
    let fd: number | undefined;
    // The real engine, which refuses an actor that is not the municipality's — after the file
    // was written; a descriptor opened just before holds the file's bytes past the unlink.
    const engine = new Proxy(t.engine, {
      get(target, prop) {
        if (prop === 'beginSecretRotation')
          return (...args: Parameters<Engine['beginSecretRotation']>) => {
            fd = openSync(file, 'r');
            return target.beginSecretRotation(...args);
          };
        const v = Reflect.get(target, prop);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const organisation = { kind: 'organisation', organisationId: 'o', keyId: 'k' } as const;
    await expect(rotateServerSecret(t.keysA.keysDir, engine, organisation)).rejects.toThrow(
      /municipality only/,
    );
    expect(fd).toBeDefined();
    try {
      expect(existsSync(file)).toBe(false);
      const size = 44; // 32 bytes in base64url and a newline
      const after = Buffer.alloc(size);
      expect(readSync(fd!, after, 0, size, 0)).toBe(size);
      expect(after.equals(Buffer.alloc(size))).toBe(true);
    } finally {
      closeSync(fd!);
    }
  });

  it('a rotation whose state write fails keeps signing with the old key, destroys the new one and records it retired', async () => {
    const t = await instances();
    const state = join(t.a, WEBHOOK_KEYS_STATE);
    // Once the new key file is written, the state file's place is taken by a directory: the
    // rename of the new state over it fails.
    t.arm(
      () => existsSync(join(t.a, 'webhook-signing-2.key')),
      () => mkdirSync(join(state, 'blocker'), { recursive: true }),
    );
    await expect(t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0)).rejects.toThrow();
    expect(t.keysA.webhookSigningKey().keyId).toBe(t.first.keyId);
    expect(existsSync(join(t.a, 'webhook-signing-2.key'))).toBe(false);
    const events = await keyEvents(t.engine);
    expect(events.map(([action]) => action)).toEqual(['webhook_key.added', 'webhook_key.retired']);
    expect(events[0]![1]).toBe(events[1]![1]);
    expect(events[0]![1]).not.toBe(t.first.keyId);

    rmSync(state, { recursive: true });
    const rotated = await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    expect(t.keysA.webhookKeys().map((k) => k.keyId)).toEqual([t.first.keyId, rotated.keyId]);
    expect(t.keysA.webhookSigningKey().keyId).toBe(rotated.keyId);
  });

  it('a retirement whose state write fails leaves the key live; the repeat retires it and the logbook has it once', async () => {
    const t = await instances();
    const rotated = await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    const state = join(t.a, WEBHOOK_KEYS_STATE);
    // Once the retirement read the state (its next reading of the clock), the state file's place
    // is taken by a directory: the rename of the new state over it fails after the entry.
    t.arm(
      () => true,
      () => {
        rmSync(state);
        mkdirSync(join(state, 'blocker'), { recursive: true });
      },
    );
    await expect(t.keysA.retireWebhookKey(t.engine, SYSTEM, t.first.keyId)).rejects.toThrow();
    expect(t.keysA.webhookKeys().map((k) => k.keyId)).toEqual([t.first.keyId, rotated.keyId]);
    expect(existsSync(join(t.a, 'webhook-signing.key'))).toBe(true);
    rmSync(state, { recursive: true });
    await t.keysA.retireWebhookKey(t.engine, SYSTEM, t.first.keyId);
    expect(t.keysA.webhookKeys().map((k) => k.keyId)).toEqual([rotated.keyId]);
    expect(await keyEvents(t.engine)).toEqual([
      ['webhook_key.added', rotated.keyId],
      ['webhook_key.retired', t.first.keyId],
    ]);
  });

  it('a start finishes a retirement the logbook has and this copy’s state misses: retired, file destroyed, warned by key id and file', async () => {
    const t = await instances();
    const rotated = await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    t.copy(WEBHOOK_KEYS_STATE);
    t.copy('webhook-signing-2.key');
    await t.keysA.retireWebhookKey(t.engine, SYSTEM, t.first.keyId);
    // B's copy missed the retirement: its state still lists the first key live.
    expect(t.keysB.webhookKeys().map((k) => k.keyId)).toEqual([t.first.keyId, rotated.keyId]);
    await t.keysB.logbook.finishRecordedRetirements(t.engine);
    expect(t.keysB.webhookKeys().map((k) => k.keyId)).toEqual([rotated.keyId]);
    expect(existsSync(join(t.b, 'webhook-signing.key'))).toBe(false);
    expect(t.lines.filter((l) => l.event === 'webhook_key_retirement_finished')).toEqual([
      {
        event: 'webhook_key_retirement_finished',
        fields: { keyId: t.first.keyId, file: 'webhook-signing.key' },
      },
    ]);
    // No second entry; a later start finds nothing to do.
    await t.keysB.logbook.finishRecordedRetirements(t.engine);
    expect(await keyEvents(t.engine)).toEqual([
      ['webhook_key.added', rotated.keyId],
      ['webhook_key.retired', t.first.keyId],
    ]);
  });

  it('a start does not finish a retirement while a key the logbook added is missing from this copy', async () => {
    const t = await instances();
    await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    await t.keysA.retireWebhookKey(t.engine, SYSTEM, t.first.keyId);
    // B's copy missed both changes: neither the state nor the new key file reached it.
    await t.keysB.logbook.finishRecordedRetirements(t.engine);
    expect(existsSync(join(t.b, WEBHOOK_KEYS_STATE))).toBe(false);
    expect(existsSync(join(t.b, 'webhook-signing.key'))).toBe(true);
    expect(t.lines.map((l) => l.event)).not.toContain('webhook_key_retirement_finished');
  });

  it('a start does not finish a retirement that would leave this copy no key it holds to sign with', async () => {
    const t = await instances();
    await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    // The state reached B, the new key's file did not.
    t.copy(WEBHOOK_KEYS_STATE);
    await t.keysA.retireWebhookKey(t.engine, SYSTEM, t.first.keyId);
    const before = readFileSync(join(t.b, WEBHOOK_KEYS_STATE));
    await t.keysB.logbook.finishRecordedRetirements(t.engine);
    expect(readFileSync(join(t.b, WEBHOOK_KEYS_STATE))).toEqual(before);
    expect(existsSync(join(t.b, 'webhook-signing.key'))).toBe(true);
    expect(t.lines.map((l) => l.event)).not.toContain('webhook_key_retirement_finished');
  });

  it('a key file left by a crashed change (not in the state) is destroyed and its name reused, warned by file name only', async () => {
    const t = await instances();
    const orphan = SigningKey.generate();
    writeSigningKeyFile(join(t.a, 'webhook-signing-2.key'), orphan);
    const rotated = await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    expect(loadSigningKeyFile(join(t.a, 'webhook-signing-2.key')).keyId).toBe(rotated.keyId);
    const warned = t.lines.filter((l) => l.event === 'webhook_key_orphan_removed');
    expect(warned.map((l) => l.fields)).toEqual([{ file: 'webhook-signing-2.key' }]);
    const logged = JSON.stringify(t.lines);
    expect(logged).not.toContain(orphan.keyId);
    expect(logged).not.toContain(base64url.encode(orphan.exportSeed()));
  });
});
