// OPRF epochs (docs/protocol.md §9), each against bare @noble/curves in the same run:
//  oprf-1: the pseudonym service answering signed batches of 1000 over HTTP (a real
//          service on 127.0.0.1, real files) vs a bare blindEvaluateBatch loop — elements/s.
//  oprf-2: SDK OPRF pseudonymisation per identifier with batching — the client's side only
//          (input encoding, blind, proof check, finalize, derivation) — vs the bare noble
//          blind + finalizeBatch over the same inputs. Both need an evaluation in between
//          (blindEvaluateBatch, in process); its time is measured and left out of both rates,
//          so the service's work does not dilute the client's overhead.
// Reported, not asserted (issue targets: ≥ 0.8× each).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import {
  OprfPseudonymiser,
  type PseudonymService,
  SigningKey,
  base64url,
  canonicaliseIdentifier,
  createPseudonymServiceClient,
} from '@sluis/client-sdk';
import {
  createEpochKey,
  editAdmissionFile,
  openDataDir,
  startPseudonymService,
} from '@sluis/pseudonym-service';
import { bsnList } from '../lib/population.js';
import type { Figure } from '../lib/result.js';
import { spread } from '../lib/stats.js';

const voprf = ristretto255_oprf.voprf;
const BATCH = 1000;

/** One round: how many items it did and how many ms of it are left out of the rate. */
type Round = { readonly n: number; readonly excludedMs: number };

async function interleavedAsync(
  candidate: () => Promise<Round>,
  baseline: () => Promise<Round>,
  runs: number,
  minMs: number,
) {
  const rateOf = async (fn: () => Promise<Round>) => {
    let n = 0;
    let excluded = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < minMs) {
      const r = await fn();
      n += r.n;
      excluded += r.excludedMs;
    }
    return n / ((performance.now() - t0 - excluded) / 1000);
  };
  await candidate();
  await baseline();
  const c: number[] = [];
  const b: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < runs; i++) {
    const x = await rateOf(candidate);
    const y = await rateOf(baseline);
    c.push(x);
    b.push(y);
    r.push(x / y);
  }
  return { candidate: spread(c), baseline: spread(b), ratio: spread(r) };
}

export async function oprfBench(quick: boolean): Promise<Figure[]> {
  const runs = quick ? 1 : 5;
  const minMs = quick ? 300 : 3000;
  const batch = quick ? 20 : BATCH;
  const dataDir = openDataDir(mkdtempSync(join(tmpdir(), 'sluis-bench-oprf-')), true); // mkdtemp made it (0700): run as root, init creates none
  const publicKey = createEpochKey(dataDir, 1);
  const signingKey = SigningKey.generate();
  editAdmissionFile(dataDir, { event: 'organisation.admitted', organisation: 'bench' }, () => ({
    organisations: [
      { name: 'bench', status: 'active', publicKeys: [base64url.encode(signingKey.publicKey)] },
    ],
  }));
  const service = await startPseudonymService({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    evaluationBudgetPerDay: 1e12,
    evaluationAlertPerHour: 1e12,
    requestsPerMinute: 1e9,
  }).catch((e: unknown) => {
    signingKey.destroy();
    throw e;
  });
  try {
    const client = createPseudonymServiceClient({ serviceUrl: service.url, signingKey, retries: 0 });
    const blinded = bsnList(batch, 999_900_000).map((b) => voprf.blind(new TextEncoder().encode(b)).blinded);
    const keys = voprf.generateKeyPair();
    const r1 = await interleavedAsync(
      async () => ({ n: (await client.evaluate(1, blinded)).evaluated.length, excludedMs: 0 }),
      async () => ({
        n: voprf.blindEvaluateBatch(keys.secretKey, keys.publicKey, blinded).evaluated.length,
        excludedMs: 0,
      }),
      runs,
      minMs,
    );

    let evaluationMs = 0;
    const evaluate = (b: readonly Uint8Array[]) => {
      const t0 = performance.now();
      const r = voprf.blindEvaluateBatch(keys.secretKey, keys.publicKey, [...b]);
      evaluationMs += performance.now() - t0;
      return r;
    };
    const local: PseudonymService = {
      async evaluate(_epoch, b) {
        const r = evaluate(b);
        return { evaluated: r.evaluated, proof: r.proof };
      },
    };
    const excluding = async (fn: () => Promise<number>): Promise<Round> => {
      evaluationMs = 0;
      const n = await fn();
      return { n, excludedMs: evaluationMs };
    };
    const p = OprfPseudonymiser.create({ epoch: 1, publicKey: keys.publicKey, service: local });
    const ids = bsnList(batch, 999_900_000).map((b) => canonicaliseIdentifier('bsn', b));
    const inputs = bsnList(batch, 999_900_000).map((b) => new TextEncoder().encode(b));
    const r2 = await interleavedAsync(
      () => excluding(async () => (await p.pseudonymiseBatch(ids)).length),
      () =>
        excluding(async () => {
          const bl = inputs.map((x) => voprf.blind(x));
          const ev = evaluate(bl.map((x) => x.blinded));
          return voprf.finalizeBatch(
            bl.map((x, i) => ({
              input: inputs[i]!,
              blind: x.blind,
              blinded: x.blinded,
              evaluated: ev.evaluated[i]!,
            })),
            keys.publicKey,
            ev.proof,
          ).length;
        }),
      runs,
      minMs,
    );
    void publicKey;
    return [
      {
        id: 'oprf-1',
        title: `pseudonym service: signed batches of ${batch} over HTTP vs bare blindEvaluateBatch`,
        unit: 'elements/s',
        candidate: r1.candidate,
        baseline: r1.baseline,
        baselineName: 'voprf.blindEvaluateBatch',
        ratio: r1.ratio,
        target: { op: '>=', value: 0.8, of: 'ratio' },
      },
      {
        id: 'oprf-2',
        title: `SDK OPRF pseudonymisation, batches of ${batch}, client side (evaluation left out) vs bare blind + finalize`,
        unit: 'identifiers/s',
        candidate: r2.candidate,
        baseline: r2.baseline,
        baselineName: 'voprf.blind + finalizeBatch',
        ratio: r2.ratio,
        target: { op: '>=', value: 0.8, of: 'ratio' },
      },
    ];
  } finally {
    await service.close();
    signingKey.destroy();
  }
}
