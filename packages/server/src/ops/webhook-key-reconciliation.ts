// An instance's webhook keys reconciled with the logbook's record of them (docs/keys.md §4.5
// "Several instances", webhook-key-record.ts): compared when a delivery is signed, the keys
// published or /readyz asked, and at start, where a retirement the logbook records and this
// keys/ missed is finished first, then a copy still behind is refused. Invariant: a key the
// logbook records retired never signs and is never published here, also when this instance's
// webhook-keys.json still lists it; a difference is named by key ids (public) only, never key
// material. ServerKeys (server-keys.ts) holds one of these as its `logbook`, and finishes a
// retirement at start itself: this compares and tells, it changes no key.

import { join } from 'node:path';
import type { Engine } from '@sluis/engine';
import { ServerError } from '../errors.js';
import type { Logger } from './logger.js';
import { WEBHOOK_KEYS_STATE, type WebhookKeyState } from './webhook-key-files.js';
import { type WebhookKeyDrift, WebhookKeyRecord } from './webhook-key-record.js';
import { WEBHOOK_KEYS_SECTION, whenSectionFree } from './webhook-key-section.js';

/** What the comparison reads of this instance's keys, and tells it (ServerKeys, server-keys.ts). */
export interface ComparedKeys {
  /**
   * webhook-keys.json as this instance holds it, taken up first when it changed; `afresh` (in
   * the change section): read again whatever its stat, throwing when it cannot be read.
   */
  state(afresh?: boolean): readonly WebhookKeyState[];
  /** The difference changed: drop the keys the logbook retired, publish again. */
  changed(): void;
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
  readonly #record = new WebhookKeyRecord();
  /** The keys directory, named in a refusal. */
  readonly #dir: string;
  readonly #keys: ComparedKeys;
  readonly #logger: Logger | undefined;
  #drift: WebhookKeyDrift | undefined;
  #comparing: Promise<WebhookKeyDrift | undefined | 'busy'> | undefined;

  constructor(keysDir: string, keys: ComparedKeys, logger?: Logger) {
    this.#dir = keysDir;
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

  /**
   * The start's comparison, after ServerKeys' finishRecordedRetirements: refused
   * (`webhook_keys_behind_logbook`, exit 2) on a difference.
   */
  async verifyAtStart(engine: Engines): Promise<void> {
    const { drift } = await whenSectionFree(async () => {
      const r = await this.#once(engine);
      return r === 'busy' ? undefined : { drift: r };
    });
    if (drift === undefined) return;
    const ids = [...drift.retired.map((id) => `${id} retired`), ...drift.added.map((id) => `${id} added`)];
    throw new ServerError('webhook_keys_behind_logbook', {
      path: join(this.#dir, WEBHOOK_KEYS_STATE),
      keyIds: ids.join(', '),
    });
  }

  /**
   * No key this instance holds may sign: `webhook_keys_behind_logbook` when that is because the
   * last comparison found the logbook retired the keys this copy lists (docs/keys.md §4.5), the
   * retired key ids named; else returns, for the caller's own refusal.
   */
  refuseIfBehind(): void {
    if (this.#drift === undefined) return;
    throw new ServerError('webhook_keys_behind_logbook', {
      path: join(this.#dir, WEBHOOK_KEYS_STATE),
      keyIds: driftFields(this.#drift).retired,
    });
  }

  /** Whether the logbook records `keyId` retired, as last read: such a key never signs. */
  retired(keyId: string): boolean {
    return this.#record.retired(keyId);
  }

  /**
   * Whether `state` differs from the logbook's record, read up to now: ServerKeys'
   * finishRecordedRetirements enters the change section only then.
   */
  async differs(
    engine: Pick<Engine, 'webhookKeyRecord'>,
    state: readonly WebhookKeyState[],
  ): Promise<boolean> {
    await this.#record.read(engine);
    return this.#record.drift(state) !== undefined;
  }

  /**
   * The keys whose retirement the logbook records and `state` (webhook-keys.json, read afresh
   * in the change section) misses, for ServerKeys' finishRecordedRetirements at start: none
   * unless this keys/ lacks no key the logbook added and a key this instance `holds` stays
   * live, so the instance signs on (else the start is refused, verifyAtStart).
   */
  async recordedRetirements(
    engine: Pick<Engine, 'webhookKeyRecord'>,
    state: readonly WebhookKeyState[],
    holds: (keyId: string) => boolean,
  ): Promise<WebhookKeyState[]> {
    await this.#record.read(engine);
    const drift = this.#record.drift(state);
    if (drift === undefined || drift.added.length > 0 || drift.retired.length === 0) return [];
    const retired = new Set(drift.retired);
    const live = state.filter((k) => k.retiredAt === null);
    if (!live.some((k) => !retired.has(k.keyId) && holds(k.keyId))) return [];
    return live.filter((k) => retired.has(k.keyId));
  }

  #once(engine: Engines) {
    this.#comparing ??= this.#compare(engine).finally(() => {
      this.#comparing = undefined;
    });
    return this.#comparing;
  }

  async #compare(engine: Engines): Promise<WebhookKeyDrift | undefined | 'busy'> {
    await this.#record.read(engine);
    let drift = this.#record.drift(this.#keys.state());
    if (drift !== undefined) {
      const confirmed = await engine.exclusive(WEBHOOK_KEYS_SECTION, async () => {
        try {
          this.#keys.state(true);
        } catch {
          // Unreadable (logged as webhook_keys_unreadable): the last state read whole counts.
        }
        await this.#record.read(engine);
        return { drift: this.#record.drift(this.#keys.state()) };
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
