// Two real server processes on one PostgreSQL database with a hooked organisation and a real
// webhook receiver, as the webhook-key tests across instances need them (docs/keys.md §4.5
// "Several instances"): A polls its outbox once an hour, so every delivery comes from B, which
// polls it every 0.1 s. B's keys/ directory is A's own (`shared`, one volume) or a copy made
// before anything is hooked (`copied`, an instance on another host whose copy can fall behind).

import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Org, World } from './e2e-world.js';
import { createDatabase } from './postgres.js';
import { type ServerProcess, type StartOptions, startServer, tempDir } from './server-process.js';
import { stopTwoInstances } from './two-instances.js';

/** One request the receiver got: its string headers and its body. */
export interface Delivery {
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

export interface WebhookInstances {
  /** The World; instance A is `w.server`. */
  readonly w: World;
  /** Instance B; `undefined` while the test has it stopped. */
  b: ServerProcess | undefined;
  /** How B starts (its arguments and data directory), for a restart or a start expected to fail. */
  readonly bOptions: StartOptions;
  /** B's data directory: A's own (`shared`) or the copy (`copied`). */
  readonly bDir: string;
  /** The receiver's address, the hooked organisation's webhook URL. */
  readonly hookUrl: string;
  /** Every request the receiver got, in order. */
  readonly hooks: Delivery[];
  /** The organisation with the webhook, and one without to match with. */
  readonly hooked: Org;
  readonly other: Org;
  /** Starts B again with `bOptions`, its output in the World's, and keeps it as `b`. */
  startB(): Promise<ServerProcess>;
  /** Stops B and A, closes the receiver, drops the database and removes B's copy. */
  close(): Promise<void>;
}

/**
 * Creates database `name` on the cluster at `clusterUrl`, the receiver, A and B, and the two
 * organisations. What started is stopped again when a step fails.
 */
export async function twoInstancesWithWebhook(
  clusterUrl: string,
  name: string,
  { keys }: { readonly keys: 'shared' | 'copied' },
): Promise<WebhookInstances> {
  const hooks: Delivery[] = [];
  const receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      hooks.push({ headers, body: new Uint8Array(Buffer.concat(chunks)) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const db = createDatabase(clusterUrl, name);
  const args = (interval: string) => [
    '--database-url',
    db,
    '--allow-loopback-http-webhooks',
    '--webhook-interval',
    interval,
  ];
  const w = new World();
  let b: ServerProcess | undefined;
  let copy: string | undefined;
  const close = async () => {
    try {
      await stopTwoInstances(clusterUrl, name, w, b);
    } finally {
      await new Promise((r) => receiver.close(r));
      if (copy !== undefined) rmSync(copy, { recursive: true, force: true });
    }
  };
  try {
    await w.start({ args: args('3600') });
    if (keys === 'copied') {
      copy = tempDir();
      execFileSync('cp', ['-a', `${w.server.dataDir}/.`, copy]);
    }
    const bDir = copy ?? w.server.dataDir;
    const bOptions: StartOptions = { args: args('0.1'), dataDir: bDir };
    b = await startServer({ ...bOptions, sink: w.serverOutput });
    const hooked = await w.organisation('Hooked', 'youth_care', ['--webhook-url', hookUrl]);
    const other = await w.organisation('Other');
    return {
      w,
      get b() {
        return b;
      },
      set b(next) {
        b = next;
      },
      bOptions,
      bDir,
      hookUrl,
      hooks,
      hooked,
      other,
      startB: async () => {
        b = await startServer({ ...bOptions, sink: w.serverOutput });
        return b;
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
