// createEngine: validates the configuration and opens the Engine facade (engine-facade.ts:
// the domain functions of engine-operations.ts bound to one context). Webhook deliveries are announced
// (announce-outbox.ts) only after their write has committed.

import type { Clock, Engine, EngineConfig, RandomSource } from './api.js';
import { DEFAULT_ENGINE_CONFIG, resolveConfig } from './config.js';
import type { EngineContext } from './domain/context.js';
import { webAuthnLibrary } from './domain/webauthn-library.js';
import { openEngine } from './engine-facade.js';
import type { ServerSecrets } from './protocol/stored-pseudonym.js';
import { announceOutbox } from './store/announce-outbox.js';
import type { Store } from './store/store.js';
import { pooledRandom } from './ids.js';

export { DEFAULT_ENGINE_CONFIG };

export interface EngineOptions {
  readonly store: Store;
  readonly serverSecrets: ServerSecrets;
  readonly config?: Partial<EngineConfig>;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  /**
   * Called after a write that added webhook deliveries has committed (never for a
   * rolled-back one), so a webhook worker can send them at once instead of polling.
   */
  readonly onOutbox?: () => void;
  /** Reads server-secret generation g from the keys directory, undefined when absent (docs/keys.md §4.2). */
  readonly loadServerSecret?: (generation: number) => Uint8Array | undefined;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const config = resolveConfig(options.config);
  // With sign-in configured the WebAuthn library is loaded here, so no ceremony waits for its
  // import; without, never (domain/webauthn-library.ts).
  if (config.webauthn !== null) await webAuthnLibrary();
  const ctx: EngineContext = {
    store: options.onOutbox === undefined ? options.store : announceOutbox(options.store, options.onOutbox),
    secrets: options.serverSecrets,
    config,
    clock: options.clock ?? Date.now,
    random: options.random ?? pooledRandom(),
    ...(options.loadServerSecret === undefined ? {} : { loadServerSecret: options.loadServerSecret }),
  };
  return openEngine(ctx);
}
