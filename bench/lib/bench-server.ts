// Starts the built match server as a separate process for a benchmark (temporary data
// directory, random loopback port) and admits organisations through the signed admin
// API, exactly as a municipality would. Budgets and per-key rate limits are lifted so
// the benchmark measures throughput, not the abuse defences. The admin key and the
// organisations' keys it made are zeroed by stop() once the server has stopped, or at once when
// the start fails (docs/keys.md); the node:crypto copies FastSigner keeps live in OpenSSL memory,
// out of JavaScript's reach, as SoftAuthenticator's do (test/support/soft-authenticator.ts).

import { readFileSync, rmSync } from 'node:fs';
import { parseSigningKey, SigningKey } from '@sluis/client-sdk';
import { type ServerProcess, startServer } from '../../test/support/server-process.js';
import { noteSpawnedNode } from './machine.js';
import { FastSigner } from './signed-requests.js';

export interface BenchOrganisation {
  readonly id: string;
  readonly key: SigningKey;
  readonly signer: FastSigner;
}

export interface BenchServer {
  readonly server: ServerProcess;
  readonly admin: FastSigner;
  readonly organisations: readonly BenchOrganisation[];
  /** Milliseconds from spawning the server process to its "listening" line. */
  readonly startMs: number;
  /** Stops the server, then zeroes the admin and organisation keys (also when the stop fails). */
  stop(): Promise<void>;
}

export async function startBenchServer(
  organisations: number,
  options: {
    dataDir?: string;
    args?: readonly string[];
    budget?: number;
    /** Another checkout's startServer (bench/tools/placement-vs-floor.ts: A/B of two builds). */
    start?: typeof startServer;
  } = {},
): Promise<BenchServer> {
  const t0 = performance.now();
  const server = await (options.start ?? startServer)({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    args: [
      '--rate-limit',
      '0',
      '--placement-alert-per-hour',
      '1000000',
      '--log-level',
      'warn',
      ...(options.args ?? []),
    ],
  });
  const startMs = performance.now() - t0;
  noteSpawnedNode(server.process.pid);
  const keys: SigningKey[] = [];
  const destroyKeys = () => {
    for (const key of keys.splice(0)) key.destroy();
  };
  try {
    const adminKey = parseSigningKey(readFileSync(server.adminKeyFile, 'utf8'));
    keys.push(adminKey);
    const admin = new FastSigner(adminKey);
    const orgs: BenchOrganisation[] = [];
    const existing = await call(server.url, admin, 'GET', '/v1/admin/organisations');
    const known = (existing as { items: { id: string; name: string }[] }).items;
    for (let i = 0; i < organisations; i++) {
      const key = SigningKey.fromSeed(new Uint8Array(32).fill(i + 1));
      keys.push(key);
      const name = `Bench organisation ${i + 1}`;
      let id = known.find((o) => o.name === name)?.id;
      if (id === undefined) {
        const admitted = (await call(server.url, admin, 'POST', '/v1/admin/organisations', {
          name,
          type: 'youth_care',
          publicKeys: [Buffer.from(key.publicKey).toString('base64url')],
          placementBudgetPerDay: options.budget ?? 1_000_000,
        })) as { organisation: { id: string } };
        id = admitted.organisation.id;
      }
      orgs.push({ id, key, signer: new FastSigner(key) });
    }
    return {
      server,
      admin,
      organisations: orgs,
      startMs,
      stop: async () => {
        try {
          await server.stop();
          // a temporary data directory of our own goes with the server
          if (options.dataDir === undefined) rmSync(server.dataDir, { recursive: true, force: true });
        } finally {
          destroyKeys();
        }
      },
    };
  } catch (e) {
    destroyKeys();
    await server.kill();
    throw e;
  }
}

export async function call(
  url: string,
  signer: FastSigner,
  method: string,
  path: string,
  json?: unknown,
): Promise<unknown> {
  const r = signer.prepare(method, path, json, Math.floor(Date.now() / 1000));
  const res = await fetch(`${url}${r.path}`, {
    method,
    headers: r.headers,
    ...(r.body.length > 0 ? { body: new Uint8Array(r.body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
  return text === '' ? undefined : JSON.parse(text);
}
