// An instance's webhook keys compared with the database's record of them (docs/keys.md §4.5
// "Several instances"): every rotation and retirement writes `webhook_key.added` or
// `webhook_key.retired` to the logbook, which every instance shares, before it changes
// webhook-keys.json, which each instance has in its own keys/ when the directories are copies.
// Invariant: a key the logbook records retired never signs and is never published here, also
// when this instance's webhook-keys.json still lists it; a difference is named by key ids
// (public) only, never key material. ServerKeys (server-keys.ts) holds one of these.

import { setTimeout as sleep } from 'node:timers/promises';
import { type Engine, EngineError } from '@sluis/engine';
import { ServerError } from '../errors.js';
import type { Logger } from './logger.js';
import type { WebhookKeyState } from './webhook-key-files.js';

/** How long the start waits for a change in flight to leave the change section. */
const START_WAIT_MS = 10_000;
const START_POLL_MS = 20;

/** Where this instance's keys/ is behind the logbook: key ids, sorted. */
export interface WebhookKeyDrift {
  /** Listed live in webhook-keys.json, retired by the logbook. */
  readonly retired: readonly string[];
  /** Added by the logbook (and not retired), not listed in webhook-keys.json at all. */
  readonly added: readonly string[];
}

export class WebhookKeyRecord {
  /** The logbook's seq up to which the record is read (a cursor: each read covers what came since). */
  #throughSeq = 0;
  /** The last change the logbook records per key id. */
  readonly #last = new Map<string, 'added' | 'retired'>();

  /** Reads the logbook's key changes since the last read. */
  async read(engine: Pick<Engine, 'webhookKeyRecord'>): Promise<void> {
    const r = await engine.webhookKeyRecord(this.#throughSeq);
    for (const e of r.events) this.#last.set(e.keyId, e.action === 'webhook_key.added' ? 'added' : 'retired');
    this.#throughSeq = r.throughSeq;
  }

  /** Whether the logbook records `keyId` retired. */
  retired(keyId: string): boolean {
    return this.#last.get(keyId) === 'retired';
  }

  /** How `state` (webhook-keys.json) differs from the record; undefined when it does not. */
  drift(state: readonly WebhookKeyState[]): WebhookKeyDrift | undefined {
    const retired = state.filter((k) => k.retiredAt === null && this.retired(k.keyId)).map((k) => k.keyId);
    const listed = new Set(state.map((k) => k.keyId));
    const added = [...this.#last].filter(([id, a]) => a === 'added' && !listed.has(id)).map(([id]) => id);
    if (retired.length === 0 && added.length === 0) return undefined;
    return { retired: retired.sort(), added: added.sort() };
  }
}

/** What the comparison needs of ServerKeys (server-keys.ts). */
export interface ComparedKeys {
  /** webhook-keys.json's path, for the start's refusal. */
  readonly path: string;
  /** The store's critical section of webhook key changes (a PostgreSQL advisory lock). */
  readonly section: string;
  /** webhook-keys.json as this instance holds it, taken up first when it changed. */
  state(): readonly WebhookKeyState[];
  /** Reads webhook-keys.json afresh (inside the section); throws when it cannot be read. */
  reread(): void;
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
          path: this.#keys.path,
          keyIds: ids.join(', '),
        });
      }
      if (performance.now() >= deadline) {
        throw new EngineError('conflict', 'another webhook key change is still running');
      }
      await sleep(START_POLL_MS);
    }
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
