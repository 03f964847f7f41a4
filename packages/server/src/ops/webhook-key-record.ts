// The database's record of the webhook keys (docs/keys.md §4.5 "Several instances"): every
// rotation and retirement writes `webhook_key.added` or `webhook_key.retired` to the logbook,
// which every instance shares, before it changes webhook-keys.json, which each instance has in
// its own keys/ when the directories are copies. This reads that record and names how a
// webhook-keys.json differs from it; webhook-key-reconciliation.ts acts on the difference.
// Invariant: a difference is named by key ids (public) only, never key material.

import type { Engine } from '@sluis/engine';
import type { WebhookKeyState } from './webhook-key-files.js';

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
