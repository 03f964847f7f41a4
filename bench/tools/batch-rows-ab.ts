// Micro A/B of the SQLite store's batch methods in two BUILT checkouts (docs/performance.md
// "Eighth pass"): per round, each build's store (its own durable file) reads 500 stored
// values and 500 request ids (`signalsByStoredValues`, `signalsByRequestIds`, half of them
// found) and inserts 500 signal-shaped rows (`insertPlacements`) in one write, alternated,
// and the CPU time of the calls alone (not the commit) is printed per row. Not part of
// `pnpm bench`; nothing asserted.
//   SLUIS_AB_ROOT=<other checkout, built> node --import tsx bench/tools/batch-rows-ab.ts [rounds]

import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type EngineModule = typeof import('@sluis/engine');
type Placement = Parameters<import('@sluis/engine').SqliteStore['write']>[0] extends (tx: infer W) => unknown
  ? W extends { insertPlacements(rows: infer R): unknown }
    ? R extends readonly (infer P)[]
      ? P
      : never
    : never
  : never;

const rounds = Number(process.argv[2] ?? 20);
const here = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const roots = [here, process.env.SLUIS_AB_ROOT ?? here];
const ROWS = 500;

function rows(org: number): Placement[] {
  return Array.from({ length: ROWS }, (_, i) => ({
    signal: {
      id: randomUUID(),
      organisationRid: org,
      status: 'active' as const,
      endReason: null,
      contact: { name: `Contact ${i % 20}`, role: 'jeugdconsulent', email: `c${i % 20}@example.nl` },
      informed: { status: 'citizen' as const, date: '2026-01-05' },
      placedAt: Date.now(),
      expiresAt: Date.now() + 1e10,
      endedAt: null,
      purgeAt: null,
      restricted: false,
      objection: null,
      objectionInherited: false,
      restrictionRegistered: false,
      hasParents: false,
      parentsAtPlacement: 0,
      legalBasis: 'jeugdwet' as const,
      requestId: randomUUID(),
      requestHash: randomBytes(32),
      personRid: null,
    },
    pseudonyms: [{ stored: randomBytes(32), epoch: 1, generation: 1, role: 'subject' as const }],
  })) as Placement[];
}

const stores = [];
for (const root of roots) {
  const m = (await import(pathToFileURL(join(root, 'packages/engine/dist/index.js')).href)) as EngineModule;
  const dir = mkdtempSync(join(tmpdir(), 'sluis-rows-ab-'));
  const store = m.openSqliteStore({ path: join(dir, 'sluis.db') });
  const engine = await m.createEngine({
    store,
    serverSecrets: new m.ServerSecrets(new Map([[1, randomBytes(32)]])),
  });
  const org = await engine.admitOrganisation(
    { kind: 'admin', keyId: 'admin-key' },
    {
      name: 'Organisation',
      type: 'youth_care',
      publicKeys: [(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string }).x],
    },
  );
  const orgRid = (await store.read((tx) => tx.getOrganisation(org.id)))!.rid;
  let previous: Placement[] = rows(orgRid);
  await store.write((tx) => tx.insertPlacements(previous));
  stores.push({
    store,
    engine,
    dir,
    orgRid,
    previous: () => previous,
    next: (p: Placement[]) => (previous = p),
  });
}
const times = stores.map(() => ({ read: [] as number[], insert: [] as number[] }));
try {
  for (let round = 0; round < rounds + 2; round++) {
    for (const k of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const s = stores[k]!;
      const fresh = rows(s.orgRid);
      const old = s.previous();
      // Half the values and ids stored before, half new (as a batch with matches and replays).
      const values = [...old.slice(0, ROWS / 2), ...fresh.slice(ROWS / 2)].map(
        (p) => p.pseudonyms[0]!.stored,
      );
      const ids = [...old.slice(0, ROWS / 2), ...fresh.slice(ROWS / 2)].map((p) => p.signal.requestId);
      let read = 0;
      let insert = 0;
      await s.store.write(async (tx) => {
        let c = process.cpuUsage();
        await tx.signalsByStoredValues(values, 'subject');
        await tx.signalsByRequestIds(s.orgRid, ids);
        read = cpuUs(c);
        c = process.cpuUsage();
        await tx.insertPlacements(fresh);
        insert = cpuUs(c);
      });
      s.next(fresh);
      if (round >= 2) {
        times[k]!.read.push(read / ROWS);
        times[k]!.insert.push(insert / ROWS);
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [k, name] of ['this', 'other'].entries()) {
    console.log(
      `${name}: read ${median(times[k]!.read).toFixed(2)} µs/row, insertPlacements ${median(times[k]!.insert).toFixed(2)} µs/row (medians of ${rounds})`,
    );
  }
} finally {
  for (const s of stores) {
    await s.engine.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
}

function cpuUs(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return c.user + c.system;
}
