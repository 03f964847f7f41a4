// A webhook key change and its logbook record agree (docs/keys.md §4.5 "The logbook before the
// change"): the logbook entry comes before the change takes effect, so a refused entry changes
// no key and a failed state write after the entry is undone (a rotation) or repeated without a
// second entry (a retirement); a start finishes a retirement the logbook has and this copy
// missed, only when that leaves a key to sign with. A retired or refused key file is
// overwritten with zeros before it is unlinked; a key file left by a crashed change is
// destroyed, warned by file name only. The instances of server-keys.test-util.ts.

import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { base64url } from '@sluis/client-sdk';
import type { Engine } from '@sluis/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSigningKeyFile, writeSigningKeyFile } from './key-files.js';
import { WEBHOOK_KEYS_STATE } from './server-keys.js';
import { rotateServerSecret } from './server-secret-rotation.js';
import { closeInstances, instances, SYSTEM } from './server-keys.test-util.js';
import { caseKey, caseSigningKey } from '../../../../test/support/case-keys.js';

afterEach(closeInstances);

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
    expect(caseKey(loadSigningKeyFile(join(t.a, 'webhook-signing-2.key'))).keyId).toBe(rotated.keyId);
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
    await t.keysB.finishRecordedRetirements(t.engine);
    expect(t.keysB.webhookKeys().map((k) => k.keyId)).toEqual([rotated.keyId]);
    expect(existsSync(join(t.b, 'webhook-signing.key'))).toBe(false);
    expect(t.lines.filter((l) => l.event === 'webhook_key_retirement_finished')).toEqual([
      {
        event: 'webhook_key_retirement_finished',
        fields: { keyId: t.first.keyId, file: 'webhook-signing.key' },
      },
    ]);
    // No second entry; a later start finds nothing to do.
    await t.keysB.finishRecordedRetirements(t.engine);
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
    await t.keysB.finishRecordedRetirements(t.engine);
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
    await t.keysB.finishRecordedRetirements(t.engine);
    expect(readFileSync(join(t.b, WEBHOOK_KEYS_STATE))).toEqual(before);
    expect(existsSync(join(t.b, 'webhook-signing.key'))).toBe(true);
    expect(t.lines.map((l) => l.event)).not.toContain('webhook_key_retirement_finished');
  });

  it('a key file left by a crashed change (not in the state) is destroyed and its name reused, warned by file name only', async () => {
    const t = await instances();
    const orphan = caseSigningKey();
    writeSigningKeyFile(join(t.a, 'webhook-signing-2.key'), orphan);
    const rotated = await t.keysA.rotateWebhookKey(t.engine, SYSTEM, 0);
    expect(caseKey(loadSigningKeyFile(join(t.a, 'webhook-signing-2.key'))).keyId).toBe(rotated.keyId);
    const warned = t.lines.filter((l) => l.event === 'webhook_key_orphan_removed');
    expect(warned.map((l) => l.fields)).toEqual([{ file: 'webhook-signing-2.key' }]);
    const logged = JSON.stringify(t.lines);
    expect(logged).not.toContain(orphan.keyId);
    expect(logged).not.toContain(base64url.encode(orphan.exportSeed()));
  });
});
