// Test support for pg-connections.test.ts (not part of the build): fresh databases on the
// run's throwaway cluster, a TCP relay that orders, holds back and cuts connections to the
// real server, and the server-side views (pg_stat_activity, pg_terminate_backend, a held table
// lock) that the connection tests wait on and act through.

import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import postgres from 'postgres';
import { inject, onTestFinished } from 'vitest';
import { latch, org } from '../conformance/fixtures.js';
import type { Store } from '../store.js';
import { openPostgresStore, type PostgresStore } from './pg-store.js';

const url = inject('postgresUrl');

export const admin = url === '' ? undefined : postgres(url, { max: 2, onnotice: () => undefined });
const created: string[] = [];
let n = 0;

/** A new, empty database on the cluster; its URL. */
export async function freshDatabase(): Promise<string> {
  const name = `sluis_t${process.pid}_${n++}`;
  await admin!.unsafe(`CREATE DATABASE ${name}`);
  created.push(name);
  return url.replace(/\/postgres$/, `/${name}`);
}

/**
 * A TCP relay in front of the cluster (no mock: every byte goes to and from the real server).
 * Passing, it connects each new client through; holding, it keeps each new client waiting
 * until the test passes it or refuses it (a reset, as from a server going down), so that
 * connection attempts fail and succeed in the order the test chooses.
 */
export async function startRelay(target: string) {
  const to = new URL(target);
  let holding = false;
  const held: Socket[] = [];
  let arrived: (() => void) | undefined;
  const clients = new Set<Socket>();
  const servers = new Map<Socket, Socket>();
  const pass = (client: Socket) => {
    const server = connect(Number(to.port), to.hostname);
    servers.set(client, server);
    for (const [a, b] of [
      [client, server],
      [server, client],
    ] as const) {
      a.pipe(b);
      a.on('error', () => b.destroy());
    }
    client.on('close', () => {
      servers.delete(client);
      server.destroy();
    });
    // After the pipe's own listener: the bytes are on their way to the server when it stalls.
    client.on('data', (d: Buffer) => {
      if (stallMark === undefined || !d.includes(stallMark.bytes)) return;
      const { stalled } = stallMark;
      stallMark = undefined;
      server.unpipe(client);
      stalled();
    });
  };
  /** Bytes whose sending stalls their connection's answers (stallWhenSent). */
  let stallMark: { bytes: Buffer; stalled: () => void } | undefined;
  const relay = createServer((client) => {
    client.on('error', () => undefined);
    clients.add(client);
    client.on('close', () => clients.delete(client));
    if (!holding) return pass(client);
    held.push(client);
    arrived?.();
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', () => r()));
  const { port } = relay.address() as AddressInfo;
  // Closed when the running test ends, after the store that connects through it.
  onTestFinished(() => {
    for (const c of clients) c.destroy();
    return new Promise<void>((r) => relay.close(() => r()));
  });
  return {
    url: `${to.protocol}//${to.username}@127.0.0.1:${port}${to.pathname}`,
    /** Client connections open through the relay (held ones included). */
    open: () => clients.size,
    hold: (on: boolean) => {
      holding = on;
    },
    /** The next client that arrived while holding, in arrival order. */
    async next(): Promise<Socket> {
      while (held.length === 0) await new Promise<void>((r) => (arrived = r));
      return held.shift()!;
    },
    pass,
    refuse: (client: Socket) => void client.resetAndDestroy(),
    /** Holds back the server's answers on every open connection (a network that stopped delivering). */
    stall: () => {
      for (const [client, server] of servers) server.unpipe(client);
    },
    /**
     * Passes the next client message that holds `text` to the server and holds back that
     * connection's answers from then on; resolves once it did.
     */
    stallWhenSent: (text: string) =>
      new Promise<void>((stalled) => {
        stallMark = { bytes: Buffer.from(text), stalled };
      }),
    /** Cuts every open connection, as a network fault does (no answer from the server first); keeps listening. */
    cut: () => {
      for (const c of clients) c.resetAndDestroy();
    },
  };
}

/** A store opened for the running test alone, closed when it ends (after the test's locks are released). */
export async function testStore(storeUrl: string, maxConnections?: number): Promise<PostgresStore> {
  const s = await openPostgresStore(
    maxConnections === undefined ? { url: storeUrl } : { url: storeUrl, maxConnections },
  );
  onTestFinished(() => s.close());
  return s;
}

/** A fresh database (`db`, named `name`) and a store on it with `maxConnections` pooled connections. */
export async function directStore(maxConnections?: number) {
  const db = await freshDatabase();
  return { db, name: db.slice(db.lastIndexOf('/') + 1), s: await testStore(db, maxConnections) };
}

/** directStore, its connections through a relay (startRelay) in front of the cluster. */
export async function relayedStore(maxConnections: number) {
  const db = await freshDatabase();
  const relay = await startRelay(db);
  return {
    db,
    name: db.slice(db.lastIndexOf('/') + 1),
    relay,
    s: await testStore(relay.url, maxConnections),
  };
}

/**
 * relayedStore with its `organisations` table locked (holdTableLock). Through the relay, the
 * server's end of a backend reaches postgres.js as a clean close (on a direct connection the
 * socket often reports an error first), as a proxy or pooler in between does.
 */
export async function lockedStore(maxConnections: number) {
  const store = await relayedStore(maxConnections);
  const lock = await holdTableLock(store.db, 'organisations');
  return {
    ...store,
    lock,
    /** Starts a write of an organisation, which waits for the lock; the write and the pid of its backend. */
    async waitingWrite() {
      const write = store.s.write((tx) => org(tx, 1)).catch((e: unknown) => e);
      return { write, pid: await lockWaiter(store.name) };
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long closing `s` takes, in ms. */
export async function closeMs(s: Store): Promise<number> {
  const t0 = performance.now();
  await s.close();
  return performance.now() - t0;
}

/** Waits (polling, at most `ms`) until `done` answers true. */
export async function until(done: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await done())) {
    if (performance.now() > end) throw new Error('condition not reached in time');
    await sleep(10);
  }
}

/** The sluis connections open to database `name`. */
export async function backends(name: string): Promise<number> {
  const r = (await admin!.unsafe(`SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = '${name}' AND application_name = 'sluis'`)) as unknown as { n: number }[];
  return r[0]!.n;
}

/** Waits for a sluis backend of database `name` (other than `not`) waiting for a lock; its pid. */
export async function lockWaiter(name: string, not = 0): Promise<number> {
  let pid = 0;
  await until(async () => {
    const r = (await admin!.unsafe(`SELECT pid FROM pg_stat_activity
      WHERE datname = '${name}' AND application_name = 'sluis' AND wait_event_type = 'Lock'
        AND pid <> ${not}`)) as unknown as { pid: number }[];
    pid = r[0]?.pid ?? 0;
    return pid !== 0;
  });
  return pid;
}

/**
 * Has the server end the backends of database `name` whose statement is LIKE `query` (all
 * of them without one), as an administrator, a restart or a failover does; how many it ended.
 */
export async function endBackends(name: string, query?: string): Promise<number> {
  const like = query === undefined ? '' : `AND query LIKE '${query}'`;
  const r = (await admin!.unsafe(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
    WHERE datname = '${name}' AND pid <> pg_backend_pid() ${like}`)) as unknown as { n: number }[];
  return r[0]!.n;
}

/** The backends of database `name` whose statement is LIKE `query`. */
export async function running(name: string, query: string): Promise<number> {
  const r = (await admin!.unsafe(`SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = '${name}' AND query LIKE '${query}'`)) as unknown as { n: number }[];
  return r[0]!.n;
}

/**
 * Holds an ACCESS EXCLUSIVE lock on `table` of the database at `db` until released, at the
 * latest when the running test ends (before its store closes: a write waiting for the lock
 * would hold the close up).
 */
export async function holdTableLock(db: string, table: string) {
  const holder = postgres(db, { max: 1, onnotice: () => undefined });
  const [released, release] = latch();
  const [isLocked, locked] = latch();
  const tx = holder.begin(async (t) => {
    await t.unsafe(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    locked();
    await released;
  });
  await isLocked;
  let done: Promise<void> | undefined;
  const releaseOnce = () =>
    (done ??= (async () => {
      release();
      await tx;
      await holder.end({ timeout: 5 });
    })());
  onTestFinished(releaseOnce);
  return { release: releaseOnce };
}

export async function countOrganisations(db: string): Promise<number> {
  const raw = postgres(db, { max: 1, onnotice: () => undefined });
  try {
    const [r] = await raw`SELECT count(*)::int AS n FROM organisations`;
    return r!.n as number;
  } finally {
    await raw.end({ timeout: 5 });
  }
}

/** Drops every database made here and ends the admin connection (the test file's afterAll). */
export async function dropDatabases(): Promise<void> {
  if (admin === undefined) return;
  for (const name of created) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end({ timeout: 5 });
}
