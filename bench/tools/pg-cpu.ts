// What a placement costs this Node process on SQLite and on PostgreSQL (docs/performance.md "Ninth pass: what
// a PostgreSQL placement costs Node"): the same placements — case 8's mix (four organisations in turn, a
// third of them for the person placed just before, so by another organisation: a match) — each authenticated
// (a signed request: key read, nonce claim, Ed25519) and placed through the engine, 64 in flight, on a
// durable SQLite file (the server's default: no coalescer, the group commit) and on a throwaway PostgreSQL
// with the bench's durability (fsync, synchronous_commit on; the server's default there: the coalescer). No
// HTTP, no JSON: the CPU time of this process per placement (process.cpuUsage, all threads) is the engine's
// and the store's own work. Rounds alternate between the sides; with SLUIS_AB_ROOT=<another checkout> the
// same sides of that checkout's engine (its sources, through tsx) run alternated with this one's. Requests
// are signed before a round starts, not measured. Not part of `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/pg-cpu.ts [rounds] [placements per round]
//   SLUIS_PGCPU_STORES=sqlite,sqlite-c,pg,pg2 (sqlite-c: SQLite with the coalescer; pg2: two
//   engines on one database, requests alternated, as case 8's two instances)
//   SLUIS_PGCPU_PROFILE=<dir>: CPU profiles of the measured rounds, for cpuprofile-groups.ts

import { type KeyObject, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createDatabase } from '../../test/support/postgres.js';
import { contentDigest, randomNonce, requestSignatureBase } from '@sluis/client-sdk';
import { admitInEngine, type EngineOrganisation } from '../lib/engine-organisations.js';
import { startBenchPostgres } from '../lib/pg-cluster.js';
import { placementBody, pseudonyms } from '../lib/population.js';

type EngineModule = typeof import('../../packages/engine/src/index.js');
type PostgresModule = typeof import('../../packages/engine/src/postgres.js');

/** A POST /v1/signals as the engine receives it, signed as docs/protocol.md §5 says. */
function signedPlacement(keyId: string, privateKey: KeyObject, body: string, created: number) {
  const bytes = Buffer.from(body, 'utf8');
  const digest = contentDigest(bytes);
  const target = { method: 'POST', path: '/v1/signals', query: '' };
  const params = { created, keyId, nonce: randomNonce() };
  const signature = sign(null, Buffer.from(requestSignatureBase(target, digest, params), 'utf8'), privateKey);
  return {
    ...target,
    body: bytes,
    contentDigest: digest,
    signatureInput: `sluis=("@method" "@path" "@query" "content-digest");created=${created};keyid="${keyId}";nonce="${params.nonce}";tag="sluis-request-v1"`,
    signature: `sluis=:${signature.toString('base64')}:`,
  };
}

const rounds = Number(process.argv[2] ?? 3);
const perRound = Number(process.argv[3] ?? 2_000);
const CONCURRENCY = 64;
const ORGS = 4;
const stores = (process.env.SLUIS_PGCPU_STORES ?? 'sqlite,pg').split(',');
const here = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const roots = [{ name: 'this', root: here }];
if (process.env.SLUIS_AB_ROOT !== undefined) roots.push({ name: 'other', root: process.env.SLUIS_AB_ROOT });

const cluster = await startBenchPostgres();
if (cluster === undefined) throw new Error('no PostgreSQL server binaries');
const clusterUrl = cluster.url;
const people = pseudonyms(Math.ceil((rounds + 1) * perRound * 0.7 * roots.length * stores.length) + 10);
let personIndex = 0;
const dirs: string[] = [];

interface Side {
  readonly name: string;
  run(
    count: number,
    profile?: string,
  ): Promise<{ cpuUs: number; sysUs: number; rate: number; perGroup: number }>;
  close(): Promise<void>;
}

async function open(name: string, root: string, kind: string): Promise<Side> {
  const m = (await import(pathToFileURL(join(root, 'packages/engine/src/index.ts')).href)) as EngineModule;
  // The PostgreSQL store's own entry (`@sluis/engine/postgres`); a checkout before it has the store in its index.
  const pgEntry = join(root, 'packages/engine/src/postgres.ts');
  const pg = (existsSync(pgEntry) ? await import(pathToFileURL(pgEntry).href) : m) as PostgresModule;
  const dir = mkdtempSync(join(tmpdir(), 'sluis-pgcpu-'));
  dirs.push(dir);
  let store: import('../../packages/engine/src/store/store.js').Store;
  // pg2: two engines on one database (two stores, two coalescers), requests alternated
  // between them, as case 8's two instances: smaller groups per engine.
  let second: { engine: Awaited<ReturnType<EngineModule['createEngine']>>; store: typeof store } | undefined;
  const secrets = new m.ServerSecrets(new Map([[1, randomBytes(32)]]));
  const config = { placementAlertPerHour: 1_000_000, coalescePlacements: kind !== 'sqlite' };
  if (kind === 'pg' || kind === 'pg2') {
    const db = createDatabase(clusterUrl, `pgcpu_${name}_${kind}`);
    store = await pg.openPostgresStore({ url: db });
    if (kind === 'pg2') {
      const s2 = await pg.openPostgresStore({ url: db });
      second = { store: s2, engine: await m.createEngine({ store: s2, serverSecrets: secrets, config }) };
    }
  } else {
    store = m.openSqliteStore({ path: join(dir, 'sluis.db') });
  }
  const engine = await m.createEngine({ store, serverSecrets: secrets, config });
  const orgs: EngineOrganisation[] = [];
  for (let i = 0; i < ORGS; i++) orgs.push(await admitInEngine(engine, `Organisation ${i}`));
  let n = 0;
  const prepare = (count: number) => {
    const created = Math.floor(Date.now() / 1000);
    const out = [];
    for (let i = 0; i < count; i++, n++) {
      const o = n % ORGS;
      const person = n % 3 === 2 ? people[Math.max(0, personIndex - 1)]! : people[personIndex++]!;
      const body = placementBody(person, n, o, Math.floor(n / ORGS));
      const org = orgs[o]!;
      const request = signedPlacement(org.actor.keyId, org.privateKey, JSON.stringify(body), created);
      out.push({ request, body, org });
    }
    return out;
  };
  return {
    name: `${name} ${kind}`,
    async run(count, profile) {
      const work = prepare(count);
      if (profile !== undefined) await startProfile();
      const commitsNow = () => store.stats().commits + (second?.store.stats().commits ?? 0);
      const commits0 = commitsNow();
      let next = 0;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const worker = async () => {
        while (next < work.length) {
          const at = next++;
          const w = work[at]!;
          const e = second !== undefined && at % 2 === 1 ? second.engine : engine;
          const auth = await e.authenticate(w.request);
          if (auth.kind !== 'organisation') throw new Error('not an organisation');
          // biome-ignore lint/suspicious/noExplicitAny: the body is the bench's placement shape
          await e.placeSignal(auth, w.body as any);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const cpu = process.cpuUsage(cpu0);
      const ms = performance.now() - t0;
      if (profile !== undefined) await stopProfile(profile);
      const commits = commitsNow() - commits0;
      return {
        cpuUs: (cpu.user + cpu.system) / count,
        sysUs: cpu.system / count,
        rate: (count / ms) * 1000,
        perGroup: count / commits,
      };
    },
    close: async () => {
      await second?.engine.close();
      await engine.close();
    },
  };
}

// SLUIS_PGCPU_PROFILE=<dir>: a V8 CPU profile of every measured round (signing left out),
// one file per side and round, for cpuprofile-groups.ts.
const profileDir = process.env.SLUIS_PGCPU_PROFILE;
const session = new Session();
if (profileDir !== undefined) {
  mkdirSync(profileDir, { recursive: true });
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
}
const startProfile = () => session.post('Profiler.start');
async function stopProfile(file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
}

const sides: Side[] = [];
try {
  for (const r of roots) for (const kind of stores) sides.push(await open(r.name, r.root, kind));
  for (const s of sides) await s.run(Math.min(perRound, 1_000)); // warm-up
  const all = sides.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    const order = sides.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    const parts: string[] = [];
    for (const i of order) {
      global.gc?.();
      const file =
        profileDir && join(profileDir, `${sides[i]!.name.replace(' ', '-')}-${round + 1}.cpuprofile`);
      const r = await sides[i]!.run(perRound, file || undefined);
      all[i]!.push(r.cpuUs);
      parts.push(
        `${sides[i]!.name} ${(r.cpuUs / 1000).toFixed(3)} ms/placement, kernel ${(r.sysUs / 1000).toFixed(3)} (${r.rate.toFixed(0)}/s, ${r.perGroup.toFixed(1)} per commit)`,
      );
    }
    console.log(`round ${round + 1}: ${parts.join(' | ')}`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(sides.map((s, i) => `${s.name} median ${(median(all[i]!) / 1000).toFixed(3)} ms`).join(' | '));
} finally {
  for (const s of sides) await s.close().catch(() => undefined);
  cluster.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
