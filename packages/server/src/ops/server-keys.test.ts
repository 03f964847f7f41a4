// Webhook keys with several instances whose keys/ directories are copies (docs/operations.md
// "High availability"): an instance takes up a rotation and a retirement another instance
// wrote, when the copy reaches it, without a restart; until the new key file is there it
// signs with the key it holds and warns with codes only; a retired key never signs again on
// any instance, also while its file is still in that instance's copy. Real files, the
// instances as two ServerKeys on two directories, an injected clock.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey, base64url } from '@sluis/client-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSigningKeyFile } from './key-files.js';
import type { LogFields } from './logger.js';
import { ServerKeys, WEBHOOK_KEYS_STATE } from './server-keys.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function instances() {
  const a = mkdtempSync(join(tmpdir(), 'sluis-keys-a-'));
  const b = mkdtempSync(join(tmpdir(), 'sluis-keys-b-'));
  dirs.push(a, b);
  const first = SigningKey.generate();
  writeSigningKeyFile(join(a, 'webhook-signing.key'), first);
  copyFileSync(join(a, 'webhook-signing.key'), join(b, 'webhook-signing.key'));
  let now = 1_000_000;
  const clock = () => now;
  const lines: { event: string; fields: LogFields }[] = [];
  const logger = {
    log: (_level: string, event: string, fields: LogFields = {}) => lines.push({ event, fields }),
  };
  const keysA = new ServerKeys(a, SigningKey.fromSeed(first.exportSeed()), clock, logger);
  const keysB = new ServerKeys(b, SigningKey.fromSeed(first.exportSeed()), clock, logger);
  return {
    a,
    b,
    first,
    keysA,
    keysB,
    lines,
    tick: (ms: number) => {
      now += ms;
    },
    copy: (file: string) => copyFileSync(join(a, file), join(b, file)),
  };
}

describe('webhook keys across instances with copied keys directories', () => {
  it('B signs with the key it holds until the rotated key file reaches it, then with the new one; warnings carry no key', () => {
    const t = instances();
    const rotated = t.keysA.rotateWebhookKey(0);
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

  it('a key retired on A never signs on B again, although B’s copy still holds its file', () => {
    const t = instances();
    const rotated = t.keysA.rotateWebhookKey(0);
    t.copy('webhook-signing-2.key');
    t.copy(WEBHOOK_KEYS_STATE);
    expect(t.keysB.webhookSigningKey().keyId).toBe(rotated.keyId);
    t.keysA.retireWebhookKey(t.first.keyId);
    t.copy(WEBHOOK_KEYS_STATE);
    expect(t.keysB.webhookKeys().map((k) => k.keyId)).toEqual([rotated.keyId]);
    expect(t.keysB.webhookSigningKey().keyId).toBe(rotated.keyId);
  });

  it('B with only the retired key left signs nothing (the round is retried) until the new key file arrives', () => {
    const t = instances();
    const rotated = t.keysA.rotateWebhookKey(0);
    t.keysA.retireWebhookKey(t.first.keyId);
    t.copy(WEBHOOK_KEYS_STATE);
    expect(() => t.keysB.webhookSigningKey()).toThrowError(
      expect.objectContaining({ code: 'key_file_unreadable' }),
    );
    t.copy('webhook-signing-2.key');
    t.tick(1000);
    expect(t.keysB.webhookSigningKey().keyId).toBe(rotated.keyId);
  });

  it('an instance re-reads the state before it writes, so it never overwrites a newer one', () => {
    const t = instances();
    // One shared directory: B on A's.
    const keysB = new ServerKeys(t.a, SigningKey.fromSeed(t.first.exportSeed()), () => 1_000_000);
    t.keysA.rotateWebhookKey(0);
    // B's view was taken before the rotation; a second rotation through B sees two live keys.
    expect(() => keysB.rotateWebhookKey(0)).toThrowError(expect.objectContaining({ code: 'conflict' }));
    keysB.retireWebhookKey(t.first.keyId);
    expect(t.keysA.webhookKeys()).toHaveLength(1);
    expect(t.keysA.webhookKeys()[0]!.status).toBe('signing');
  });
});
