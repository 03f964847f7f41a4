// Two real server processes on one PostgreSQL database (docs/operations.md "High
// availability"), as the two-instance end-to-end tests start them: a database of its own
// on a cluster, the World's server as instance A, and instance B on A's data directory —
// the same server secret and admin key, as on the shared volume of a deployment. Also a
// client of an organisation through any one instance, signed with the World's clock.

import { createClient, type SluisClient } from '@sluis/client-sdk';
import { type Org, World } from './e2e-world.js';
import { createDatabase, psql } from './postgres.js';
import { type ServerProcess, type StartOptions, startServer } from './server-process.js';

export interface TwoInstances {
  /** The World; instance A is `w.server`. */
  readonly w: World;
  readonly b: ServerProcess;
  /** The database's URL. */
  readonly db: string;
  /** What every instance on this database starts with (a restart, a third instance). */
  readonly options: Pick<StartOptions, 'args' | 'env'>;
}

/**
 * Creates database `name` on the cluster at `clusterUrl` and starts A and B on it, each with
 * `--database-url` and `extra`. What started is stopped again when a start fails.
 */
export async function startTwoInstances(
  clusterUrl: string,
  name: string,
  extra: { readonly args?: readonly string[]; readonly env?: Readonly<Record<string, string>> } = {},
): Promise<TwoInstances> {
  const db = createDatabase(clusterUrl, name);
  const options = {
    args: ['--database-url', db, ...(extra.args ?? [])],
    ...(extra.env === undefined ? {} : { env: extra.env }),
  };
  const w = new World();
  try {
    await w.start(options);
    const b = await startServer({ ...options, dataDir: w.server.dataDir, sink: w.serverOutput });
    return { w, b, db, options };
  } catch (e) {
    await w.close();
    throw e;
  }
}

/**
 * Stops `servers` (B, and any other started beside it) in order, then the World, then drops
 * the database — each step only for what started.
 */
export async function stopTwoInstances(
  clusterUrl: string,
  name: string,
  w: World | undefined,
  ...servers: (ServerProcess | undefined)[]
): Promise<void> {
  for (const s of servers) await s?.stop();
  await w?.close();
  psql(clusterUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** A client of organisation `o` on `server`, with the World's pseudonym key and clock. */
export function clientVia(
  w: World,
  server: ServerProcess,
  o: Org,
  options: { readonly retries?: number; readonly timeoutMs?: number } = {},
): SluisClient {
  return createClient({
    serverUrl: server.url,
    signingKey: o.signingKey,
    pseudonymKeys: [w.pseudonymKey],
    clock: w.clock,
    ...options,
  });
}
