// An instance's webhook keys reconciled with the logbook's record of them (docs/keys.md §4.5
// "Several instances", webhook-key-record.ts): compared when a delivery is signed, the keys
// published or /readyz asked, and at start, where a retirement the logbook records and this
// keys/ missed is finished first, then a copy still behind is refused. Invariant: a key the
// logbook records retired never signs and is never published here, also when this instance's
// webhook-keys.json still lists it; a difference is named by key ids (public) only, never key
// material. ServerKeys (server-keys.ts) holds one of these as its `logbook`.

import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Engine, EngineError } from '@sluis/engine';
import type { Clock } from '../clock.js';
import { ServerError } from '../errors.js';
import type { Logger } from './logger.js';
import { destroyKeyFile, WEBHOOK_KEYS_STATE, type WebhookKeyState } from './webhook-key-files.js';
import { type WebhookKeyDrift, WebhookKeyRecord } from './webhook-key-record.js';

/** How long the start waits for a change in flight to leave the change section. */
const START_WAIT_MS = 10_000;
const START_POLL_MS = 20;

/** What the reconciliation needs of ServerKeys (server-keys.ts). */
export interface ComparedKeys {
  /** The keys directory: webhook-keys.json and the key files. */
  readonly dir: string;
  readonly clock: Clock;
  /** The store's critical section of webhook key changes (a PostgreSQL advisory lock). */
  readonly section: string;
  /** webhook-keys.json as this instance holds it, taken up first when it changed. */
  state(): readonly WebhookKeyState[];
  /** webhook-keys.json as this instance last read or wrote it, not looked at again. */
  held(): readonly WebhookKeyState[];
  /** Reads webhook-keys.json afresh (inside the section); throws when it cannot be read. */
  reread(): void;
  /** The difference changed: drop the keys the logbook retired, publish again. */
  changed(): void;
  /** Whether this instance holds the private key of `keyId`. */
  holds(keyId: string): boolean;
  /** Runs `fn` in the change section, webhook-keys.json read afresh first (waits, then `conflict`). */
  change(engine: Engine, fn: () => Promise<void>): Promise<void>;
  /** Writes webhook-keys.json; this instance holds `state` once it is there. */
  save(state: WebhookKeyState[]): void;
  /** Destroys the private key of `keyId` in memory. */
  drop(keyId: string): void;
  /** Writes webhook-signing.pub.json for the live keys. */
  publish(): void;
}

type Engines = Pick<Engine, 'webhookKeyRecord' | 'exclusive'>;

/**
 * Compares the keys with the logbook (docs/keys.md §4.5 "Copies that miss a change"). A
 * difference is confirmed in the change section with webhook-keys.json read afresh — another
 * instance's change writes its entry before its state file, inside that section — so a change
 * in flight is not taken for one missed. Each new difference is logged once
 * (`webhook_keys_behind_logbook`, warn, key ids only). Concurrent calls share one read.
 */
export class WebhookKeyComparison {
  readonly record = new WebhookKeyRecord();
  readonly #keys: ComparedKeys;
  readonly #logger: Logger | undefined;
  #drift: WebhookKeyDrift | undefined;
  #comparing: Promise<WebhookKeyDrift | undefined | 'busy'> | undefined;

  constructor(keys: ComparedKeys, logger?: Logger) {
    this.#keys = keys;
    this.#logger = logger;
  }

  /** The difference the last comparison confirmed (for /readyz and the signer's refusal). */
  get drift(): WebhookKeyDrift | undefined {
    return this.#drift;
  }

  /** Compares now; while the change section is busy, answers the last confirmed difference. */
  async compare(engine: Engines): Promise<WebhookKeyDrift | undefined> {
    const r = await this.#once(engine);
    return r === 'busy' ? this.#drift : r;
  }

  /** The start's comparison: refused (`webhook_keys_behind_logbook`, exit 2) on a difference. */
  async verifyAtStart(engine: Engines): Promise<void> {
    const deadline = performance.now() + START_WAIT_MS;
    for (;;) {
      const r = await this.#once(engine);
      if (r === undefined) return;
      if (r !== 'busy') {
        const ids = [...r.retired.map((id) => `${id} retired`), ...r.added.map((id) => `${id} added`)];
        throw new ServerError('webhook_keys_behind_logbook', {
          path: join(this.#keys.dir, WEBHOOK_KEYS_STATE),
          keyIds: ids.join(', '),
        });
      }
      if (performance.now() >= deadline) {
        throw new EngineError('conflict', 'another webhook key change is still running');
      }
      await sleep(START_POLL_MS);
    }
  }

  /**
   * No key this instance holds may sign: `webhook_keys_behind_logbook` when that is because the
   * last comparison found the logbook retired the keys this copy lists (docs/keys.md §4.5), the
   * retired key ids named; else returns, for the caller's own refusal.
   */
  refuseIfBehind(): void {
    if (this.#drift === undefined) return;
    throw new ServerError('webhook_keys_behind_logbook', {
      path: join(this.#keys.dir, WEBHOOK_KEYS_STATE),
      keyIds: driftFields(this.#drift).retired,
    });
  }

  /**
   * At start, before verifyAtStart: finishes a retirement whose logbook entry was written but
   * whose state file was not (docs/keys.md §4.5 "The logbook before the change") — the repeat
   * the entry already records, without a second entry. Only when this keys/ lacks no key the
   * logbook added and a key this instance holds stays live, so the instance signs on; else the
   * start is refused as before. In the change section with the state read afresh; each key
   * logged `webhook_key_retirement_finished`.
   */
  async finishRecordedRetirements(engine: Engine): Promise<void> {
    await this.record.read(engine);
    if (this.record.drift(this.#keys.held()) === undefined) return;
    await this.#keys.change(engine, async () => {
      await this.record.read(engine);
      const state = this.#keys.held();
      const drift = this.record.drift(state);
      if (drift === undefined || drift.added.length > 0 || drift.retired.length === 0) return;
      const retired = new Set(drift.retired);
      const live = state.filter((k) => k.retiredAt === null);
      const keys = live.filter((k) => retired.has(k.keyId));
      if (!live.some((k) => !retired.has(k.keyId) && this.#keys.holds(k.keyId))) return;
      const retiredAt = this.#keys.clock();
      this.#keys.save(state.map((x) => (retired.has(x.keyId) ? { ...x, retiredAt } : x)));
      for (const k of keys) {
        this.#keys.drop(k.keyId);
        destroyKeyFile(join(this.#keys.dir, k.file));
        this.#logger?.log('warn', 'webhook_key_retirement_finished', { keyId: k.keyId, file: k.file });
      }
      this.#keys.publish();
    });
  }

  #once(engine: Engines) {
    this.#comparing ??= this.#compare(engine).finally(() => {
      this.#comparing = undefined;
    });
    return this.#comparing;
  }

  async #compare(engine: Engines): Promise<WebhookKeyDrift | undefined | 'busy'> {
    await this.record.read(engine);
    let drift = this.record.drift(this.#keys.state());
    if (drift !== undefined) {
      const confirmed = await engine.exclusive(this.#keys.section, async () => {
        try {
          this.#keys.reread();
        } catch {
          // Unreadable (logged as webhook_keys_unreadable): the last state read whole counts.
        }
        await this.record.read(engine);
        return { drift: this.record.drift(this.#keys.state()) };
      });
      if (confirmed === undefined) return 'busy';
      drift = confirmed.drift;
    }
    if (!sameDrift(drift, this.#drift)) {
      if (drift !== undefined) {
        this.#logger?.log('warn', 'webhook_keys_behind_logbook', {
          file: 'webhook-keys.json',
          ...driftFields(drift),
        });
      } else this.#logger?.log('info', 'webhook_keys_match_logbook', {});
      this.#drift = drift;
      this.#keys.changed();
    }
    return drift;
  }
}

export function sameDrift(a: WebhookKeyDrift | undefined, b: WebhookKeyDrift | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && driftText(a) === driftText(b));
}

/** The key ids of a drift as log fields (comma-separated, '' for none). */
export function driftFields(d: WebhookKeyDrift): { retired: string; added: string } {
  return { retired: d.retired.join(','), added: d.added.join(',') };
}

function driftText(d: WebhookKeyDrift): string {
  return `${d.retired.join(',')}|${d.added.join(',')}`;
}
