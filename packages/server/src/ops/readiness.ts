// The instance's readiness for `/readyz` (docs/operations.md "Monitor"): not while shutting down or
// in restore mode, else the store's rule (docs/operations.md "Database and role": on PostgreSQL
// the pool and the nonce-claim connections, each ready at the database's connection limit while
// its own connections answer). A not-ready answer is logged as `not_ready` with its reason, once
// per reason (docs/operations.md "Logs"): a load balancer asks every few seconds, so the line
// comes again only when the reason changes or after a ready answer. Codes only, never a message.
// An instance whose keys/ misses a webhook key change the logbook records is not ready either
// (docs/keys.md §4.5 "Several instances"), as one that lacks a server-secret generation.

import type { Engine, Readiness } from '@sluis/engine';
import { type Logger, loggedCode } from './logger.js';
import type { WebhookKeyComparison } from './webhook-key-reconciliation.js';

/** The store's readiness, or the instance's own reason not to take requests. */
export type InstanceReadiness =
  | Readiness
  | {
      readonly ready: false;
      readonly reason: 'shutting_down' | 'restore_mode';
      readonly code?: undefined;
      readonly dbCode?: undefined;
    }
  | {
      readonly ready: false;
      readonly reason: 'webhook_keys';
      readonly code: 'webhook_keys_behind_logbook';
      readonly dbCode?: undefined;
    };

export function readinessCheck(options: {
  readonly engine: Pick<Engine, 'ready' | 'webhookKeyRecord' | 'exclusive'>;
  readonly logger: Logger;
  /** False while shutting down. */
  readonly isAccepting?: () => boolean;
  readonly restoreMode?: boolean;
  readonly webhookKeys?: Pick<WebhookKeyComparison, 'compare' | 'drift'>;
}): () => Promise<boolean> {
  const { engine, logger } = options;
  const readiness = async (): Promise<InstanceReadiness> => {
    if (options.isAccepting !== undefined && !options.isAccepting())
      return { ready: false, reason: 'shutting_down' };
    // Out of the load balancer while restoring (docs/operations.md "Back up and restore").
    if (options.restoreMode === true) return { ready: false, reason: 'restore_mode' };
    const store = await engine.ready();
    if (!store.ready || options.webhookKeys === undefined) return store;
    const keys = options.webhookKeys;
    // A read that fails (the database went away meanwhile) answers the last comparison.
    const behind = await keys.compare(engine).catch(() => keys.drift);
    return behind === undefined
      ? store
      : { ready: false, reason: 'webhook_keys', code: 'webhook_keys_behind_logbook' };
  };
  let logged: string | undefined;
  return async () => {
    const r = await readiness();
    if (r.ready) {
      logged = undefined;
      return true;
    }
    const key = `${r.reason} ${r.code ?? ''} ${r.dbCode ?? ''}`;
    if (key !== logged) {
      logged = key;
      logger.log('warn', 'not_ready', {
        reason: r.reason,
        code: loggedCode(r.code),
        dbCode: loggedCode(r.dbCode),
      });
    }
    return false;
  };
}
