// The keys the server holds itself and rotates from the admin CLI (docs/keys.md):
// server-secret generations and the webhook signing keys. Invariants: a new key is
// written 0600 (O_EXCL, fsynced) before it is used, never printed or logged; at most two
// webhook keys are live (the signing one and the next or previous one), and every
// published public key carries its status, so receivers accept both during the overlap.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SigningKey, base64url } from '@sluis/client-sdk';
import { type Actor, type Engine, EngineError, type SecretRotationStatus } from '@sluis/engine';
import type { Clock } from '../clock.js';
import { loadSigningKeyFile, writeSecretFile, writeSigningKeyFile } from './key-files.js';

export const WEBHOOK_KEYS_STATE = 'webhook-keys.json';
export const WEBHOOK_PUBLIC_FILE = 'webhook-signing.pub.json';
const FIRST_WEBHOOK_KEY_FILE = 'webhook-signing.key';

interface WebhookKeyState {
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

export class ServerKeys {
  readonly #dir: string;
  readonly #clock: Clock;
  readonly #state: WebhookKeyState[];
  readonly #loaded = new Map<string, SigningKey>();
  #announced: string | undefined;

  /** `first` is the bootstrap webhook key (webhook-signing.key), already loaded. */
  constructor(keysDir: string, first: SigningKey, clock: Clock) {
    this.#dir = keysDir;
    this.#clock = clock;
    const path = join(keysDir, WEBHOOK_KEYS_STATE);
    if (existsSync(path)) {
      this.#state = (JSON.parse(readFileSync(path, 'utf8')) as { keys: WebhookKeyState[] }).keys;
    } else {
      this.#state = [
        {
          file: FIRST_WEBHOOK_KEY_FILE,
          keyId: first.keyId,
          publicKey: base64url.encode(first.publicKey),
          signFrom: 0,
          createdAt: 0,
          retiredAt: null,
        },
      ];
    }
    for (const k of this.#live()) {
      this.#loaded.set(
        k.keyId,
        k.file === FIRST_WEBHOOK_KEY_FILE && k.keyId === first.keyId
          ? first
          : loadSigningKeyFile(join(keysDir, k.file)),
      );
    }
    this.#announced = this.#signer().keyId;
    this.#publish();
  }

  #live(): WebhookKeyState[] {
    return this.#state.filter((k) => k.retiredAt === null);
  }

  #signer(): WebhookKeyState {
    const now = this.#clock();
    const due = this.#live().filter((k) => k.signFrom <= now);
    return due.reduce((a, b) => (b.signFrom >= a.signFrom ? b : a), due[0] ?? this.#live()[0]!);
  }

  /** The key that signs deliveries now (the newer one once its switch time has passed). */
  webhookSigningKey(): SigningKey {
    return this.#loaded.get(this.#signer().keyId)!;
  }

  /** Key id of the signer, for the caller to log the switch once. */
  takeSwitch(): string | undefined {
    const id = this.#signer().keyId;
    if (id === this.#announced) return undefined;
    this.#announced = id;
    this.#publish();
    return id;
  }

  webhookKeys(): PublishedWebhookKey[] {
    const signer = this.#signer();
    return this.#live().map((k) => ({
      keyId: k.keyId,
      publicKey: k.publicKey,
      status: k.keyId === signer.keyId ? 'signing' : k.signFrom > signer.signFrom ? 'next' : 'previous',
      signFrom: k.signFrom,
    }));
  }

  /** A new webhook key that starts signing `switchAfterMs` from now; `conflict` while two are live. */
  rotateWebhookKey(switchAfterMs: number): PublishedWebhookKey {
    if (this.#live().length >= 2) {
      throw new EngineError('conflict', 'retire the previous webhook key before adding another');
    }
    const key = SigningKey.generate();
    const file = `webhook-signing-${this.#state.length + 1}.key`;
    writeSigningKeyFile(join(this.#dir, file), key);
    const now = this.#clock();
    this.#state.push({
      file,
      keyId: key.keyId,
      publicKey: base64url.encode(key.publicKey),
      signFrom: now + switchAfterMs,
      createdAt: now,
      retiredAt: null,
    });
    this.#loaded.set(key.keyId, key);
    this.#save();
    return this.webhookKeys().find((k) => k.keyId === key.keyId)!;
  }

  /** Retires a webhook key that no longer signs: removed from the published list, private file deleted. */
  retireWebhookKey(keyId: string): void {
    const k = this.#live().find((x) => x.keyId === keyId);
    if (k === undefined) throw new EngineError('not_found', 'not found');
    if (this.#signer().keyId === keyId || k.signFrom > this.#clock()) {
      throw new EngineError('conflict', 'only a previous webhook key can be retired');
    }
    k.retiredAt = this.#clock();
    this.#save();
    this.#loaded.get(keyId)?.destroy();
    this.#loaded.delete(keyId);
    try {
      unlinkSync(join(this.#dir, k.file));
    } catch {
      // already gone: nothing to delete
    }
  }

  /**
   * Server-secret rotation: writes generation current+1 (32 random bytes, 0600) and starts
   * the rotation in the engine, which from then on writes rows at it; the background job
   * re-keys the rest. A refusal after the file was written removes the file again.
   */
  async rotateServerSecret(engine: Engine, actor: Actor): Promise<SecretRotationStatus> {
    const status = await engine.secretRotationStatus();
    if (status.rotation?.status === 'running') {
      throw new EngineError('rotation_in_progress', 'a server-secret rotation is still running');
    }
    const file = join(this.#dir, `server-secret-${status.generation + 1}.key`);
    const secret = randomBytes(32);
    try {
      try {
        writeSecretFile(file, `${secret.toString('base64url')}\n`);
      } catch {
        throw new EngineError('conflict', 'the next server secret file already exists');
      }
      try {
        return await engine.beginSecretRotation(actor, secret);
      } catch (e) {
        if ((await engine.secretRotationStatus()).generation === status.generation) unlinkSync(file);
        throw e;
      }
    } finally {
      secret.fill(0);
    }
  }

  #save(): void {
    const path = join(this.#dir, WEBHOOK_KEYS_STATE);
    writeFileSync(`${path}.tmp`, `${JSON.stringify({ keys: this.#state }, null, 2)}\n`, { mode: 0o644 });
    renameSync(`${path}.tmp`, path);
    this.#publish();
  }

  /** webhook-signing.pub.json: the signer at the top (as before rotation existed) and every live key. */
  #publish(): void {
    const signer = this.#signer();
    const path = join(this.#dir, WEBHOOK_PUBLIC_FILE);
    const text = `${JSON.stringify(
      {
        keyId: signer.keyId,
        publicKey: signer.publicKey,
        keys: this.webhookKeys().map((k) => ({ ...k, signFrom: new Date(k.signFrom).toISOString() })),
      },
      null,
      2,
    )}\n`;
    writeFileSync(`${path}.tmp`, text, { mode: 0o644 });
    renameSync(`${path}.tmp`, path);
  }

  destroy(): void {
    for (const k of this.#loaded.values()) k.destroy();
    this.#loaded.clear();
  }
}
