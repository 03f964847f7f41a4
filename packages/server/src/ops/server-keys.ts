// The keys the server holds itself and rotates from the admin CLI (docs/keys.md):
// server-secret generations and the webhook signing keys. Invariants: a new key is
// written 0600 (O_EXCL, fsynced) before it is used, never printed or logged; at most two
// webhook keys are live (the signing one and the next or previous one), and every
// published public key carries its status, so receivers accept both during the overlap.
// Several instances share webhook-keys.json (docs/operations.md "High availability"): each
// re-reads it when it changed, before it signs a delivery or publishes the keys, so a
// rotation or retirement on one instance holds on every instance without a restart, and a
// retired key is dropped from memory and never signs again (docs/keys.md §4.5). A rotation
// or retirement runs in one critical section of the store shared by every instance (the
// store's `exclusive`: a PostgreSQL advisory lock), reads the state file afresh inside it
// and replaces it atomically, so two changes at once, on one instance or two, happen one
// after the other and neither is lost or torn. A copy of keys/ that missed a change is caught
// against the logbook (webhook-key-reconciliation.ts): no key retired elsewhere ever signs here.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SigningKey, base64url } from '@sluis/client-sdk';
import { type Actor, type Engine, EngineError } from '@sluis/engine';
import type { Clock } from '../clock.js';
import { isServerError, ServerError } from '../errors.js';
import { fsyncDir, writeSigningKeyFile } from './key-files.js';
import { errorFields, type Logger } from './logger.js';
import {
  destroyKeyFile,
  type PublishedWebhookKey,
  readWebhookKeyState,
  startingWebhookKeyState,
  stateStamp,
  WEBHOOK_KEYS_STATE,
  type WebhookKeyState,
  writePublishedKeys,
  writeWebhookKeyState,
} from './webhook-key-files.js';
import { WebhookKeyHolder } from './webhook-key-holder.js';
import { WebhookKeyComparison } from './webhook-key-reconciliation.js';
import { WEBHOOK_KEYS_SECTION, whenSectionFree } from './webhook-key-section.js';

export {
  type PublishedWebhookKey,
  WEBHOOK_KEYS_STATE,
  WEBHOOK_PUBLIC_FILE,
  type WebhookKeyStatus,
} from './webhook-key-files.js';

export class ServerKeys {
  readonly #dir: string;
  readonly #clock: Clock;
  readonly #logger: Logger | undefined;
  #state: WebhookKeyState[];
  /** webhook-keys.json's stat when this instance last read or wrote it (`none`: no file). */
  #seen: string;
  /** The private keys of the usable ones (webhook-key-holder.ts). */
  readonly #held: WebhookKeyHolder;
  #announced: string | undefined;
  /** Keys whose retirement this instance recorded in the logbook but could not save yet. */
  readonly #retireRecorded = new Set<string>();
  /** The keys reconciled with the logbook's record of every change (docs/keys.md §4.5). */
  readonly logbook: WebhookKeyComparison;

  /** The keys directory (server-secret-rotation.ts writes the next generation there). */
  get keysDir(): string {
    return this.#dir;
  }

  /** `first` is the bootstrap webhook key (webhook-signing.key), already loaded. */
  constructor(keysDir: string, first: SigningKey, clock: Clock, logger?: Logger) {
    this.#dir = keysDir;
    this.#clock = clock;
    this.#logger = logger;
    this.#held = new WebhookKeyHolder(keysDir, clock, logger);
    this.logbook = new WebhookKeyComparison(
      keysDir,
      {
        state: (afresh) => {
          this.#refresh(afresh);
          return this.#state;
        },
        changed: () => {
          // Drops a key the logbook retired from memory and from webhook-signing.pub.json.
          this.#refresh();
          this.#publish();
        },
      },
      logger,
    );
    this.#seen = stateStamp(keysDir);
    this.#state = startingWebhookKeyState(keysDir, {
      keyId: first.keyId,
      publicKey: base64url.encode(first.publicKey),
    });
    try {
      this.#held.loadAtStart(this.#live(), first);
      this.#announced = this.#signer()?.keyId;
      this.#publish();
    } catch (e) {
      // No caller gets this object to destroy: the keys loaded so far are zeroed here.
      this.#held.destroy();
      throw e;
    }
  }

  #live(): WebhookKeyState[] {
    return this.#state.filter((k) => k.retiredAt === null);
  }

  /** The live keys that may sign and be published: never one the logbook records retired. */
  #usable(): WebhookKeyState[] {
    return this.#live().filter((k) => !this.logbook.retired(k.keyId));
  }

  /** The live key due last among those this instance holds (a listed key not readable yet never signs). */
  #signer(): WebhookKeyState | undefined {
    const now = this.#clock();
    const held = this.#usable().filter((k) => this.#held.has(k.keyId));
    let signer: WebhookKeyState | undefined;
    for (const k of held)
      if (k.signFrom <= now && (signer === undefined || k.signFrom >= signer.signFrom)) signer = k;
    return signer ?? held[0];
  }

  /**
   * Takes up what another instance wrote (docs/keys.md §4.5): when webhook-keys.json changed
   * since this instance last saw it (`afresh`: in any case), re-reads it; drops every key no
   * longer live from memory at once; loads keys newly listed. A stat per call, no read while
   * nothing changed.
   */
  #refresh(afresh = false): void {
    const stamp = stateStamp(this.#dir);
    if ((afresh || stamp !== this.#seen) && stamp !== 'none') {
      let state: WebhookKeyState[];
      try {
        state = readWebhookKeyState(this.#dir);
      } catch (e) {
        // Half-copied or malformed: keep the last good state, read again at the next call;
        // a change never writes over a state it could not read (503: try again once it is whole).
        this.#warn('webhook_keys_unreadable', { file: WEBHOOK_KEYS_STATE, ...errorFields(e) });
        if (afresh) throw new ServerError('unavailable');
        return;
      }
      this.#state = state;
      this.#seen = stamp;
      this.#held.retrySoon();
    }
    this.#held.follow(this.#usable());
  }

  #warn(event: string, fields: Record<string, string | number | boolean | null | undefined>): void {
    this.#logger?.log('warn', event, fields);
  }

  /**
   * The key that signs deliveries now (the newer one once its switch time has passed), after
   * taking up another instance's rotation or retirement; `key_file_unreadable` when this
   * instance holds no live key (the round fails and the delivery is retried).
   */
  webhookSigningKey(): SigningKey {
    this.#refresh();
    const signer = this.#signer();
    if (signer === undefined) {
      // Every key it lists is retired by the logbook: the copy missed a change (docs/keys.md §4.5).
      if (this.#usable().length === 0) this.logbook.refuseIfBehind();
      const newest = this.#usable().at(-1);
      throw new ServerError('key_file_unreadable', {
        path: join(this.#dir, newest?.file ?? WEBHOOK_KEYS_STATE),
      });
    }
    return this.#held.get(signer.keyId)!;
  }

  /** Key id of the signer, for the caller to log the switch once. */
  takeSwitch(): string | undefined {
    this.#refresh();
    const id = this.#signer()?.keyId;
    if (id === undefined || id === this.#announced) return undefined;
    this.#announced = id;
    this.#publish();
    return id;
  }

  webhookKeys(): PublishedWebhookKey[] {
    this.#refresh();
    return this.#published();
  }

  #published(): PublishedWebhookKey[] {
    const signer = this.#signer();
    return this.#usable().map((k) => ({
      keyId: k.keyId,
      publicKey: k.publicKey,
      status:
        k.keyId === signer?.keyId
          ? 'signing'
          : signer === undefined || k.signFrom > signer.signFrom
            ? 'next'
            : 'previous',
      signFrom: k.signFrom,
    }));
  }

  /**
   * Runs a change of the webhook keys in the store's critical section (docs/keys.md §4.5),
   * waiting for another change, on this instance or another, to leave it (`conflict` when it
   * does not: webhook-key-section.ts `whenSectionFree`). Inside, the state file is read afresh:
   * the change starts from what the last one wrote, whatever this instance saw before.
   */
  async #change<T>(engine: Engine, fn: () => Promise<T>): Promise<T> {
    const done = await whenSectionFree(() =>
      engine.exclusive(WEBHOOK_KEYS_SECTION, async () => {
        this.#refresh(true);
        return { value: await fn() };
      }),
    );
    return done.value;
  }

  /**
   * A new webhook key that starts signing `switchAfterMs` from now (logbook
   * `webhook_key.added`); `conflict` while two are live. The logbook records the change before
   * it takes effect (docs/keys.md §4.5): the key file, not yet listed, then the logbook entry,
   * then the state that lists it. A logbook failure leaves no key behind; a state write that
   * fails after the entry destroys the key again and records it `webhook_key.retired`. The
   * instance takes up the new state only once it is saved.
   */
  rotateWebhookKey(engine: Engine, actor: Actor, switchAfterMs: number): Promise<PublishedWebhookKey> {
    return this.#change(engine, async () => {
      if (this.#live().length >= 2) {
        throw new EngineError('conflict', 'retire the previous webhook key before adding another');
      }
      const file = `webhook-signing-${this.#state.length + 1}.key`;
      const path = join(this.#dir, file);
      // A file of that name that the state does not list was left by a change that crashed
      // before its state was written: an orphan no instance signs with.
      if (existsSync(path) && !this.#state.some((k) => k.file === file)) {
        destroyKeyFile(path);
        this.#warn('webhook_key_orphan_removed', { file });
      }
      const key = SigningKey.generate();
      try {
        writeSigningKeyFile(path, key);
        // The key file's name is durable before the state that lists it.
        fsyncDir(this.#dir);
      } catch (e) {
        key.destroy();
        if (isServerError(e, 'key_file_exists')) {
          throw new EngineError('conflict', 'the next webhook key file already exists');
        }
        throw e;
      }
      const now = this.#clock();
      const added: WebhookKeyState = {
        file,
        keyId: key.keyId,
        publicKey: base64url.encode(key.publicKey),
        signFrom: now + switchAfterMs,
        createdAt: now,
        retiredAt: null,
      };
      try {
        await engine.recordKeyEvent(actor, 'webhook_key.added', { keyId: key.keyId });
      } catch (e) {
        key.destroy();
        destroyKeyFile(path);
        throw e;
      }
      try {
        this.#save([...this.#state, added]);
      } catch (e) {
        key.destroy();
        destroyKeyFile(path);
        try {
          await engine.recordKeyEvent(actor, 'webhook_key.retired', { keyId: key.keyId });
        } catch (again) {
          // The logbook then holds an addition that never took effect; it never lacks one that did.
          this.#warn('webhook_key_unrecorded', { keyId: key.keyId, ...errorFields(again) });
        }
        throw e;
      }
      this.#held.add(key.keyId, key);
      this.#publish();
      return this.#published().find((k) => k.keyId === key.keyId)!;
    });
  }

  /**
   * Retires a webhook key that no longer signs: removed from the published list, private file
   * deleted (logbook `webhook_key.retired`); `not_found` when it is not live (also when it was
   * just retired through another instance). The logbook entry comes first (docs/keys.md §4.5):
   * when it fails nothing changes; when the state write then fails the key stays live and a
   * repeat on this instance retires it without a second entry.
   */
  retireWebhookKey(engine: Engine, actor: Actor, keyId: string): Promise<void> {
    return this.#change(engine, async () => {
      const k = this.#live().find((x) => x.keyId === keyId);
      if (k === undefined) {
        this.#retireRecorded.delete(keyId); // retired through another instance meanwhile
        throw new EngineError('not_found', 'not found');
      }
      if (this.#signer()?.keyId === keyId || k.signFrom > this.#clock()) {
        throw new EngineError('conflict', 'only a previous webhook key can be retired');
      }
      if (!this.#retireRecorded.has(keyId)) {
        await engine.recordKeyEvent(actor, 'webhook_key.retired', { keyId });
        this.#retireRecorded.add(keyId);
      }
      this.#retire([k]);
      this.#retireRecorded.delete(keyId);
    });
  }

  /**
   * At start, before `logbook.verifyAtStart`: finishes a retirement whose logbook entry was
   * written but whose state file was not (docs/keys.md §4.5 "The logbook before the change";
   * which: the logbook's `recordedRetirements`), without a second entry. In the change section
   * with the state read afresh; each key logged `webhook_key_retirement_finished`.
   */
  async finishRecordedRetirements(engine: Engine): Promise<void> {
    if (!(await this.logbook.differs(engine, this.#state))) return;
    await this.#change(engine, async () => {
      const keys = await this.logbook.recordedRetirements(engine, this.#state, (id) => this.#held.has(id));
      if (keys.length === 0) return;
      this.#retire(keys);
      for (const k of keys) this.#warn('webhook_key_retirement_finished', { keyId: k.keyId, file: k.file });
    });
  }

  /** Saves `keys` retired, destroys them in memory, publishes the rest, then destroys their files. */
  #retire(keys: readonly WebhookKeyState[]): void {
    const retiredAt = this.#clock();
    const ids = new Set(keys.map((k) => k.keyId));
    this.#save(this.#state.map((x) => (ids.has(x.keyId) ? { ...x, retiredAt } : x)));
    for (const k of keys) this.#held.drop(k.keyId);
    this.#publish();
    // Zeros first, then the name (webhook-key-files.ts; docs/keys.md §4.5): gone already is fine.
    for (const k of keys) destroyKeyFile(join(this.#dir, k.file));
  }

  /** Writes `state` to webhook-keys.json; this instance holds it only once it is there. */
  #save(state: WebhookKeyState[]): void {
    writeWebhookKeyState(this.#dir, state);
    this.#state = state;
    this.#seen = stateStamp(this.#dir);
  }

  /** webhook-signing.pub.json: the signer at the top (as before rotation existed) and every live key. */
  #publish(): void {
    // Every instance publishes (at its start and its switch) without the section: each write is
    // whole, but another instance may replace webhook-keys.json and publish between this one's
    // look at the state and its write, which would then put back what that one replaced. So
    // the state is looked at again after the write; when it changed, it is taken up and
    // published again. Whoever changes the state publishes after it, so the last write is of
    // the newest state (docs/keys.md §4.5).
    for (let round = 0; round < 3; round++) {
      const signer = this.#signer();
      if (signer === undefined) return;
      const seen = this.#seen;
      writePublishedKeys(this.#dir, signer, this.#published());
      if (stateStamp(this.#dir) === seen) return;
      this.#refresh();
    }
    // Still changing after three rounds (or unreadable): the next start, switch or change of
    // any instance publishes again; say so rather than leave a possibly stale list unnoticed.
    this.#logger?.log('warn', 'webhook_keys_publish_unsettled', { rounds: 3 });
  }

  destroy(): void {
    this.#held.destroy();
  }
}
