// Fills a server's database with many signals quickly for the scaling benchmarks: the
// engine's own batch API (`placeSignals`, the code behind POST /v1/signals/batch), run
// in-process on the server's database file while the server is stopped, with the
// server's own secrets from its data directory. Everything a placement does happens
// (re-keying, idempotency hash, matching, logbook); only HTTP, signature checks and
// JSON parsing are skipped, which is what makes 5 million signals take minutes.

import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, openSqliteStore, ServerSecrets } from '@sluis/engine';
import { benchContact } from './population.js';

export interface FillOrganisation {
  readonly id: string;
  readonly keyId: string;
}

export interface FillResult {
  readonly signals: number;
  readonly matchingPlacements: number;
  readonly seconds: number;
}

function serverSecrets(dataDir: string): ServerSecrets {
  const dir = join(dataDir, 'keys');
  const secrets = new Map<number, Uint8Array>();
  for (const f of readdirSync(dir)) {
    const m = /^server-secret-(\d+)\.key$/.exec(f);
    if (m) secrets.set(Number(m[1]), Buffer.from(readFileSync(join(dir, f), 'utf8').trim(), 'base64url'));
  }
  const s = new ServerSecrets(secrets);
  for (const v of secrets.values()) v.fill(0);
  return s;
}

/**
 * Places `count` signals spread over the organisations, 500 per batch, 4 batches in
 * flight (so group commit shares commits between them). One placement in
 * `matchEvery` is about a person another organisation placed shortly before, so the
 * database holds matches and inbox events too.
 */
export async function fillDatabase(
  dataDir: string,
  organisations: readonly FillOrganisation[],
  count: number,
  options: { matchEvery?: number; progress?: (done: number) => void } = {},
): Promise<FillResult> {
  const matchEvery = options.matchEvery ?? 10;
  const store = openSqliteStore({ path: join(dataDir, 'sluis.db') });
  // Zeroed once the engine that derives with them is closed (docs/keys.md).
  const secrets = serverSecrets(dataDir);
  const engine = await createEngine({
    store,
    serverSecrets: secrets,
    config: { placementAlertPerHour: 1_000_000 },
  });
  const t0 = performance.now();
  let placed = 0;
  let matching = 0;
  let batchNo = 0;
  let previous: string[] = [];
  const runId = randomBytes(4).toString('hex');
  const nextBatch = () => {
    const org = organisations[batchNo % organisations.length]!;
    const size = Math.min(500, count - placed);
    const items = [];
    const fresh: string[] = [];
    for (let i = 0; i < size; i++) {
      const n = placed + i;
      let person: string;
      if (n % matchEvery === matchEvery - 1 && previous.length > 0) {
        // a person the previous batch placed, i.e. another organisation (round robin)
        person = previous[i % previous.length]!;
        matching++;
      } else {
        person = randomBytes(32).toString('base64url');
        fresh.push(person);
      }
      items.push({
        requestId: `${runId}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
        subject: [{ epoch: 1, value: person }],
        contact: benchContact(n, batchNo % organisations.length),
        informed: { status: 'citizen' as const, date: '2026-01-05' },
      });
    }
    placed += size;
    batchNo++;
    previous = fresh;
    return engine.placeSignals({ kind: 'organisation', organisationId: org.id, keyId: org.keyId }, items);
  };
  try {
    let reported = 0;
    while (placed < count) {
      const inFlight = [];
      for (let k = 0; k < 4 && placed < count; k++) inFlight.push(nextBatch());
      for (const results of await Promise.all(inFlight)) {
        const bad = results.find((r) => !r.ok);
        if (bad !== undefined) throw new Error(`fill: placement refused: ${JSON.stringify(bad)}`);
      }
      if (placed - reported >= 250_000) {
        reported = placed;
        options.progress?.(placed);
      }
    }
  } finally {
    await engine.close();
    secrets.destroy();
  }
  return { signals: placed, matchingPlacements: matching, seconds: (performance.now() - t0) / 1000 };
}
