// Webhook keys with several instances whose keys/ directories are copies (docs/operations.md
// "High availability"): an instance takes up a rotation and a retirement another instance
// wrote, when the copy reaches it, without a restart; until the new key file is there it
// signs with the key it holds and warns with codes only; a retired key never signs again on
// any instance, also while its file is still in that instance's copy. A change never writes
// over a state file it cannot read. Real files, the instances as two ServerKeys on two
// directories over one real (SQLite) engine, an injected clock. Changes racing on separate
// processes: test/e2e/two-instances-webhook-keys.test.ts.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey, base64url } from '@sluis/client-sdk';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { writeSigningKeyFile } from './key-files.js';
import { ServerKeys, WEBHOOK_KEYS_STATE, WEBHOOK_PUBLIC_FILE } from './server-keys.js';
import { closeInstances, instances, SYSTEM } from './server-keys.test-util.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

afterEach(closeInstances);

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
    const keysC = new ServerKeys(t.b, caseSigningKey(t.first.exportSeed()), clock);
    // Zeroed on every path, after afterEach closed the engine (destroy() is idempotent).
    onTestFinished(() => keysC.destroy());
    const published = JSON.parse(readFileSync(join(t.b, WEBHOOK_PUBLIC_FILE), 'utf8')) as {
      keyId: string;
      keys: { keyId: string; status: string }[];
    };
    expect(published.keys.map((k) => [k.keyId, k.status])).toEqual([
      [t.first.keyId, 'previous'],
      [rotated.keyId, 'signing'],
    ]);
    expect(published.keyId).toBe(rotated.keyId);
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
    const keysB = new ServerKeys(t.a, caseSigningKey(t.first.exportSeed()), () => 1_000_000);
    onTestFinished(() => keysB.destroy());
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
    const keysB = new ServerKeys(t.a, caseSigningKey(t.first.exportSeed()), () => 1_000_000);
    onTestFinished(() => keysB.destroy());
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

describe('a start whose keys/ lists a key file it cannot read', () => {
  it('throws with every key it loaded so far zeroed (no caller gets the object to destroy)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluis-keys-unreadable-'));
    try {
      const entry = (file: string, key: SigningKey) => ({
        file,
        keyId: key.keyId,
        publicKey: base64url.encode(key.publicKey),
        signFrom: 0,
        createdAt: 0,
        retiredAt: null,
      });
      const [first, second, third] = [caseSigningKey(), caseSigningKey(), caseSigningKey()];
      writeSigningKeyFile(join(dir, 'webhook-signing.key'), first);
      writeSigningKeyFile(join(dir, 'webhook-signing-2.key'), second);
      writeFileSync(join(dir, 'webhook-signing-3.key'), 'not a key\n', { mode: 0o600 });
      const keys = [
        entry('webhook-signing.key', first),
        entry('webhook-signing-2.key', second),
        entry('webhook-signing-3.key', third),
      ];
      writeFileSync(join(dir, WEBHOOK_KEYS_STATE), JSON.stringify({ keys }));
      const loaded = vi.spyOn(SigningKey, 'fromSeed');
      try {
        const held = caseSigningKey(first.exportSeed());
        expect(() => new ServerKeys(dir, held, () => 0)).toThrow(
          expect.objectContaining({ code: 'key_file_invalid' }),
        );
        const made = loaded.mock.results.map((r) => r.value as SigningKey);
        // `held` and the key of webhook-signing-2.key, loaded before the third failed.
        expect(made.map((k) => k.keyId)).toEqual([first.keyId, second.keyId]);
        for (const k of made) expect(k.exportSeed().every((b) => b === 0)).toBe(true);
      } finally {
        loaded.mockRestore();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
