// Bytes the in-memory replay cache (packages/engine/src/store/sqlite/nonce-cache.ts) holds per
// nonce, and its CPU per claim (docs/engine.md "Nonces", docs/performance.md "Sixteenth pass").
// Claims `count` nonces as the server does — key ids and nonces sliced out of a Signature-Input
// header as request-signature.ts parses them, four keys, `created` = now, expiry created + 301 s,
// the pending rows taken every 250 ms of the injected clock as the flusher takes them — at `rate`
// claims per second of that clock, then measures the heap after a full collection against the
// heap before, per nonce. With SLUIS_NONCE_CACHE_ROOT=<another checkout, built> the same for its
// cache, the two alternated over `rounds` (in turns first). Needs --expose-gc. Not part of
// `pnpm bench`; nothing asserted.
//   node --expose-gc --conditions=sluis-source --import tsx bench/tools/nonce-cache-memory.ts [count] [rate] [rounds]

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NonceCache } from '@sluis/engine/protocol';

const count = Number(process.argv[2] ?? 100_000);
const rate = Number(process.argv[3] ?? 3_000);
const rounds = Number(process.argv[4] ?? 3);

interface Cache {
  checkAndAdd(keyId: string, nonce: string, expiresAt: number, now: number): boolean;
  takePending(): unknown[];
  prune(now: number): void;
  readonly size: number;
}
type CacheClass = new () => Cache;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const other = process.env.SLUIS_NONCE_CACHE_ROOT;
const classes: [string, CacheClass][] = [['this checkout', NonceCache as unknown as CacheClass]];
if (other !== undefined) {
  const mod = (await import(
    pathToFileURL(join(other, 'packages/engine/dist/store/sqlite/nonce-cache.js')).href
  )) as { NonceCache: CacheClass };
  classes.push([other, mod.NonceCache]);
}

const keyIds = [0, 1, 2, 3].map((i) => Buffer.alloc(16, i + 1).toString('base64url'));
/** The headers the nonces are sliced from, as a request's Signature-Input (docs/protocol.md §5.2). */
const headers = (n: number, created: number): { keyId: string; nonce: string }[] => {
  const out: { keyId: string; nonce: string }[] = [];
  for (let i = 0; i < n; i++) {
    const keyId = keyIds[i % 4]!;
    const nonce = randomBytes(16).toString('base64url');
    const h = `sluis=("@method" "@path" "@query" "content-digest");created=${created};keyid="${keyId}";nonce="${nonce}";tag="sluis-request-v1"`;
    const k = h.indexOf('keyid="') + 7;
    const n0 = h.indexOf('nonce="') + 7;
    out.push({ keyId: h.slice(k, k + keyId.length), nonce: h.slice(n0, n0 + nonce.length) });
  }
  return out;
};

const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const T0 = 1_767_225_600_000;
const run = (Cls: CacheClass) => {
  const before = heap();
  const cache = new Cls();
  let cpu = 0;
  const perBatch = Math.max(1, Math.round(rate / 4)); // one flush interval (250 ms) of claims
  for (let done = 0, t = T0; done < count; t += 250) {
    const batch = headers(Math.min(perBatch, count - done), Math.floor(t / 1000));
    const c0 = process.cpuUsage();
    for (const r of batch) {
      if (cache.checkAndAdd(r.keyId, r.nonce, (Math.floor(t / 1000) + 301) * 1000, t))
        throw new Error('refused');
    }
    cache.prune(t);
    cache.takePending();
    const c = process.cpuUsage(c0);
    cpu += c.user + c.system;
    done += batch.length;
  }
  const held = heap() - before;
  if (cache.size !== count) throw new Error(`size ${cache.size}`);
  return { bytes: held / count, cpuUs: cpu / count };
};

const results = new Map<string, { bytes: number[]; cpu: number[] }>(
  classes.map(([name]) => [name, { bytes: [], cpu: [] }]),
);
run(classes[0]![1]); // warm-up
for (let i = 0; i < rounds; i++) {
  const order = i % 2 === 0 ? classes : [...classes].reverse();
  for (const [name, Cls] of order) {
    const r = run(Cls);
    results.get(name)!.bytes.push(r.bytes);
    results.get(name)!.cpu.push(r.cpuUs);
    console.log(
      `round ${i + 1} ${name}: ${r.bytes.toFixed(1)} bytes per nonce, ${r.cpuUs.toFixed(2)} µs per claim`,
    );
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, r] of results) {
  console.log(
    `${name}: ${median(r.bytes).toFixed(1)} bytes per nonce (${Math.min(...r.bytes).toFixed(1)}–${Math.max(...r.bytes).toFixed(1)}), ` +
      `${median(r.cpu).toFixed(2)} µs per claim (${Math.min(...r.cpu).toFixed(2)}–${Math.max(...r.cpu).toFixed(2)}), ${count} nonces`,
  );
}
