// The floor of benchmark 2: a bare node:http server that does only what every signed
// placement server must do before any domain work — read the body, check its SHA-256
// content digest, rebuild the signature base (docs/protocol.md §5, the SDK's own
// function) and verify the Ed25519 signature with node:crypto on libuv's thread pool, as
// the match server does, parse the JSON and answer 201. No nonce cache, no validation,
// no database. Run as its own process by `startFloorServer`; it prints
// "listening on http://127.0.0.1:<port>" and serves until killed. Its rate over the same
// requests and load generator bounds what any Node placement server reaches here.
// With `postgres` (case 8's floor, docs/performance.md "The floor of case 8") it also
// writes one signal-shaped row per request in its own durable commit — the naive loop's
// INSERT (pg-baseline.ts), into a table of its own shaped as the naive loop's — through a
// postgres.js pool of the given size, and answers 201 only once that INSERT returned.
// With `hono` (docs/performance.md "Eighteenth pass") the same work runs as a Hono route
// behind one middleware, served by @hono/node-server as the match server is, the body read
// from node:http's request stream as the match server reads it: the difference to the bare
// floor is what the framework costs a request, the most a placement route without it saves.
// With `durable` (docs/performance.md "Twentieth pass: the durable floor") it replays, after the
// same work, the next recorded placement's statements on a copy of the database, group-committed
// as the store commits (durable-floor-writer.ts), and answers 201 only once its COMMIT returned.

import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { serve as serveHono } from '@hono/node-server';
import { requestSignatureBase } from '@sluis/client-sdk';
import { Hono } from 'hono';
import postgres from 'postgres';
import { noteSpawnedNode } from './machine.js';
import { FLOOR_TABLE, insertBaselineRow } from './pg-baseline.js';

/** The durable floor's counters (durable-floor-writer.ts), unsigned, on loopback only. */
export const STATS_PATH = '/durable-floor/stats';

const INPUT_RE = /;created=(\d+);keyid="([^"]+)";nonce="([^"]+)"/;
const SIGNATURE_RE = /^sluis=:([A-Za-z0-9+/=]+):$/;

type Headers1 = (name: string) => string | undefined;

/** The floor's work on one request: its answer's status and body, after the verification. */
function floorWork(
  keys: ReadonlyMap<string, KeyObject>,
  write: (() => Promise<unknown>) | undefined,
  method: string,
  url: string,
  header: Headers1,
  body: Buffer,
  answer: (status: number, body: string) => void,
): void {
  const refuse = (status: number) => answer(status, '{"error":"refused"}');
  const digest = header('content-digest');
  if (digest !== `sha-256=:${createHash('sha256').update(body).digest('base64')}:`) {
    refuse(401);
    return;
  }
  const input = INPUT_RE.exec(header('signature-input') ?? '');
  const signature = SIGNATURE_RE.exec(header('signature') ?? '');
  const key = input === null ? undefined : keys.get(input[2]!);
  if (input === null || signature === null || key === undefined) {
    refuse(401);
    return;
  }
  const q = url.indexOf('?');
  const base = requestSignatureBase(
    { method, path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1) },
    digest,
    { created: Number(input[1]), keyId: input[2]!, nonce: input[3]! },
  );
  verify(null, Buffer.from(base, 'utf8'), key, Buffer.from(signature[1]!, 'base64'), (err, ok) => {
    if (err !== null || !ok) return refuse(401);
    let parsed: { requestId?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8')) as { requestId?: unknown };
    } catch {
      return refuse(400);
    }
    const created = () => answer(201, JSON.stringify({ outcome: 'created', requestId: parsed.requestId }));
    if (write === undefined) return created();
    write().then(created, () => refuse(503));
  });
}

function announce(server: { address(): ReturnType<ReturnType<typeof createServer>['address']> }): void {
  const address = server.address();
  if (address !== null && typeof address === 'object') {
    process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`);
  }
}

function serve(
  keys: ReadonlyMap<string, KeyObject>,
  write: (() => Promise<unknown>) | undefined,
  stats?: () => unknown,
): void {
  const server = createServer((req, res) => {
    if (stats !== undefined && req.method === 'GET' && req.url === STATS_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(stats()));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const header: Headers1 = (name) => {
        const v = req.headers[name];
        return v === undefined ? undefined : String(v);
      };
      floorWork(
        keys,
        write,
        req.method ?? 'GET',
        req.url ?? '/',
        header,
        Buffer.concat(chunks),
        (status, b) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(b);
        },
      );
    });
  });
  server.listen(0, '127.0.0.1', () => announce(server));
}

type FloorEnv = {
  Variables: { started: number };
  Bindings: { incoming: import('node:http').IncomingMessage };
};

/** The same work as a Hono route behind one middleware, on @hono/node-server. */
function serveThroughHono(keys: ReadonlyMap<string, KeyObject>): void {
  const app = new Hono<FloorEnv>();
  app.use('*', async (c, next) => {
    c.set('started', performance.now());
    await next();
  });
  app.post('/v1/signals', async (c) => {
    const incoming = c.env.incoming;
    const body = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (d: Buffer) => chunks.push(d));
      incoming.on('end', () => resolve(Buffer.concat(chunks)));
    });
    return new Promise<Response>((resolve) => {
      floorWork(
        keys,
        undefined,
        c.req.method,
        incoming.url ?? '/',
        (n) => c.req.header(n),
        body,
        (status, b) => resolve(new Response(b, { status, headers: { 'content-type': 'application/json' } })),
      );
    });
  });
  const server = serveHono({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => announce(server));
}

export interface FloorServer {
  readonly url: string;
  readonly process: ChildProcess;
  /** What the process wrote to stderr so far (also passed on to this process's stderr). */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts the floor server as a child process that trusts these keys (key id → Ed25519 public
 * key); with `postgres`, one INSERT per request into the floor's table (FLOOR_TABLE, made by
 * openPgBaseline with `floorTable` beside the naive loop's) of the database at `url`, through a pool of
 * `poolSize` connections.
 */
export async function startFloorServer(
  publicKeys: ReadonlyMap<string, Uint8Array>,
  options: {
    readonly postgres?: { readonly url: string; readonly poolSize: number };
    /** The same work through Hono and @hono/node-server (SQLite floor only). */
    readonly hono?: boolean;
    /** The durable floor: the recording (durable-floor.ts) replayed on the copy of its database. */
    readonly durable?: { readonly recording: string; readonly database: string };
    /** Node's arguments for the child (default this process's: the bench runs under tsx). */
    readonly nodeArgs?: readonly string[];
  } = {},
): Promise<FloorServer> {
  const keys = Object.fromEntries(
    [...publicKeys].map(([id, k]) => [id, Buffer.from(k).toString('base64url')]),
  );
  const pg = options.postgres;
  const nodeArgs = options.nodeArgs ?? process.execArgv;
  const child = spawn(process.execPath, [...nodeArgs, fileURLToPath(import.meta.url)], {
    env: {
      ...process.env,
      SLUIS_FLOOR_KEYS: JSON.stringify(keys),
      ...(pg === undefined ? {} : { SLUIS_FLOOR_PG_URL: pg.url, SLUIS_FLOOR_PG_POOL: String(pg.poolSize) }),
      SLUIS_FLOOR_HONO: options.hono === true ? '1' : '0',
      ...(options.durable === undefined
        ? {}
        : {
            SLUIS_FLOOR_DURABLE_RECORDING: options.durable.recording,
            SLUIS_FLOOR_DURABLE_DATABASE: options.durable.database,
          }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
    process.stderr.write(d);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    // The durable floor reads its whole recording before it listens (over 20 s for 340,000
    // placements on the quiet machine), so it gets a bound that fits two years of recording.
    const limitS = options.durable === undefined ? 20 : 300;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`floor server did not start within ${limitS} s`));
    }, limitS * 1000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`floor server exited with ${code} before listening`));
    });
  });
  noteSpawnedNode(child.pid);
  return {
    url,
    process: child,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const given = JSON.parse(process.env.SLUIS_FLOOR_KEYS ?? '{}') as Record<string, string>;
  const keys = new Map(
    Object.entries(given).map(([id, x]) => [
      id,
      createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }),
    ]),
  );
  const url = process.env.SLUIS_FLOOR_PG_URL;
  const recording = process.env.SLUIS_FLOOR_DURABLE_RECORDING;
  if (process.env.SLUIS_FLOOR_HONO === '1') serveThroughHono(keys);
  else if (recording !== undefined) {
    const { openDurableWriter } = await import('./durable-floor-writer.js');
    const writer = openDurableWriter(recording, process.env.SLUIS_FLOOR_DURABLE_DATABASE!);
    serve(keys, writer.write, writer.stats);
  } else if (url === undefined) serve(keys, undefined);
  else {
    const poolSize = Number(process.env.SLUIS_FLOOR_PG_POOL);
    const sql = postgres(url, { max: poolSize, onnotice: () => undefined });
    // The pool's connections opened before "listening", as a server's are by its first requests.
    await Promise.all(Array.from({ length: poolSize }, () => sql`SELECT 1`));
    serve(keys, () => insertBaselineRow(sql, FLOOR_TABLE));
  }
}
