// An engine in this process on a SQLite file of its own (no HTTP, no server), with organisations
// admitted through it (engine-organisations.ts): for the cases and tools that measure the
// engine's own work (single-size, the statement floor, statement-growth.ts), and case 2's
// placements made through it as the server makes them.

import { randomBytes } from 'node:crypto';
import {
  createEngine,
  type Engine,
  openSqliteStore,
  type PlaceSignalInput,
  ServerSecrets,
  type SqliteStore,
} from '@sluis/engine';
import { admitInEngine, type EngineOrganisation } from './engine-organisations.js';
import type { PlacementMix } from './placement-mix.js';

export interface EngineOnFile {
  readonly store: SqliteStore;
  readonly engine: Engine;
  /** Organisations `${name} 1` … `${name} N`, in that order. */
  readonly actors: readonly EngineOrganisation['actor'][];
  /** The engine's server secrets: the caller destroys them once it has closed the engine or store. */
  readonly serverSecrets: ServerSecrets;
}

/**
 * A new engine on the file at `path`, a day budget and an hourly alert no run reaches, `organisations`
 * admitted; server secrets random unless given (a tool that opens the file again needs them).
 */
export async function engineOnFile(
  path: string,
  organisations: number,
  name: string,
  secrets: ReadonlyMap<number, Uint8Array> = new Map([[1, randomBytes(32)]]),
): Promise<EngineOnFile> {
  const store = openSqliteStore({ path });
  const serverSecrets = new ServerSecrets(secrets);
  const engine = await createEngine({
    store,
    serverSecrets,
    config: { placementAlertPerHour: 1_000_000 },
  });
  const actors: EngineOrganisation['actor'][] = [];
  for (let i = 0; i < organisations; i++)
    actors.push((await admitInEngine(engine, `${name} ${i + 1}`)).actor);
  return { store, engine, actors, serverSecrets };
}

/**
 * Places the mix's next `count` placements over the engine's organisations, `group` at a time
 * (so that group commit gives each batch one BEGIN … COMMIT, as the server's does), with the
 * nonce its request would have carried claimed first (the server flushes claimed nonces in
 * batches); the body goes through JSON as a request's does.
 */
export async function placeInProcess(
  { store, engine, actors }: EngineOnFile,
  mix: PlacementMix,
  count: number,
  group: number,
): Promise<void> {
  for (let done = 0; done < count; ) {
    const size = Math.min(group, count - done);
    const now = Date.now();
    const batch = [];
    for (let i = 0; i < size; i++) {
      const { organisation, body } = mix.next(actors.length);
      const actor = actors[organisation]!;
      await store.claimNonce(actor.keyId, randomBytes(16).toString('base64url'), now + 300_000, now);
      batch.push(engine.placeSignal(actor, JSON.parse(JSON.stringify(body)) as PlaceSignalInput));
    }
    await Promise.all(batch);
    done += size;
  }
}
