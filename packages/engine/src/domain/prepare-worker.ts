// The batch preparation's worker thread (prepare-pool.ts, docs/engine.md "Batch
// preparation on a worker"): the engine's own `preparePlacement` over a batch's items, with
// its own copy of the server secrets. Answers each job with the items in request order:
// a prepared placement (plain data, signal-prepare.ts `toTransfer`) or the refusal's code
// and field paths (never a value: EngineError messages hold none).

import { parentPort, workerData } from 'node:worker_threads';
import type { PlaceSignalInput } from '../api.js';
import { isEngineError } from '../errors.js';
import { ServerSecrets } from '../protocol/stored-pseudonym.js';
import type { EngineContext } from './context.js';
import { TransferSlab, preparePlacement, toTransfer } from './signal-prepare.js';

export interface PrepareJob {
  readonly id: number;
  readonly now: number;
  readonly inputs: readonly PlaceSignalInput[];
  /** Generations begun since the worker started (a rotation), zeroed by the sender after posting. */
  readonly generations?: [number, Uint8Array][];
}

export type PreparedItem =
  | { readonly ok: true; readonly prep: ReturnType<typeof toTransfer> }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly fields: readonly string[];
      readonly engineError: boolean;
    };

function received(list: [number, Uint8Array][]): Map<number, Uint8Array> {
  const m = new Map(list.map(([g, s]) => [g, Buffer.from(s)] as const));
  for (const [, s] of list) s.fill(0);
  return m;
}

const secrets = new ServerSecrets(received(workerData.secrets as [number, Uint8Array][]));
// preparePlacement reads only the secrets of its context.
const ctx = { secrets } as unknown as EngineContext;

parentPort!.on('message', (job: PrepareJob) => {
  if (job.generations !== undefined) {
    for (const [g, s] of received(job.generations)) secrets.ensureGeneration(g, s);
  }
  const slab = new TransferSlab();
  const out: PreparedItem[] = job.inputs.map((input) => {
    try {
      return { ok: true, prep: toTransfer(preparePlacement(ctx, input, job.now), slab) };
    } catch (e) {
      return isEngineError(e)
        ? { ok: false, code: e.code, message: e.message, fields: e.fields, engineError: true }
        : { ok: false, code: 'internal', message: 'internal', fields: [], engineError: false };
    }
  });
  const bytes = slab.done();
  parentPort!.postMessage({ id: job.id, out, bytes }, [bytes]);
});
