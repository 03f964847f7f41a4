// The batch preparation's worker thread (prepare-pool.ts, docs/engine.md "Batch preparation on
// a worker"): a batch request's raw body is parsed and checked by the server's own module (the
// `parser` named in workerData) and every accepted item is prepared by the engine's own
// `preparePlacement`, with the worker's copy of the server secrets. Answers each job in request
// order: a prepared placement (plain data and one transferred buffer, signal-prepare.ts
// `toTransfer`), or a refusal's code and field paths — never a value (refusals hold none).

import { parentPort, workerData } from 'node:worker_threads';
import type { PlaceSignalInput } from '../api.js';
import { isEngineError } from '../errors.js';
import { ServerSecrets } from '../protocol/stored-pseudonym.js';
import { fail } from '../validation.js';
import type { EngineContext } from './context.js';
import { TransferSlab, preparePlacement, toTransfer } from './signal-prepare.js';

/** What the server's parser module answers for a body (its `parseBatchBody` export). */
export type ParsedBatchBody =
  | { readonly refused: { readonly code: string; readonly fields: readonly string[] } }
  | {
      readonly items: readonly (
        | { readonly input: PlaceSignalInput }
        | { readonly code: string; readonly fields: readonly string[] }
      )[];
    };

export interface PrepareJob {
  readonly id: number;
  readonly now: number;
  /** The request body, transferred. */
  readonly body: ArrayBuffer;
  /** Generations begun since the worker started (a rotation), zeroed by the sender after posting. */
  readonly generations?: [number, Uint8Array][];
}

export type PreparedItem =
  | { readonly ok: true; readonly prep: ReturnType<typeof toTransfer> }
  /** `parsed`: refused by the server's item check (its fields are full paths). */
  | {
      readonly ok: false;
      readonly code: string;
      readonly fields: readonly string[];
      readonly parsed: boolean;
    };

export interface PrepareAnswer {
  readonly id: number;
  readonly refused?: { readonly code: string; readonly fields: readonly string[] };
  readonly out: PreparedItem[];
  /** The byte values of the batch's prepared items (signal-prepare.ts `TransferSlab`). */
  readonly bytes: ArrayBuffer;
}

function received(list: [number, Uint8Array][]): Map<number, Uint8Array> {
  const m = new Map(list.map(([g, s]) => [g, Buffer.from(s)] as const));
  for (const [, s] of list) s.fill(0);
  return m;
}

const secrets = new ServerSecrets(received(workerData.secrets as [number, Uint8Array][]));
// preparePlacement reads only the secrets of its context.
const ctx = { secrets } as unknown as EngineContext;
const parser = (await import(workerData.parser as string)) as {
  parseBatchBody(bytes: Uint8Array): ParsedBatchBody;
};

function prepared(input: PlaceSignalInput, now: number, slab: TransferSlab): PreparedItem {
  try {
    // A single placement's look-up; a batch item always places (signal-placement.ts).
    if ((input as { existingOnly?: unknown }).existingOnly !== undefined) fail(['existingOnly']);
    return { ok: true, prep: toTransfer(preparePlacement(ctx, input, now), slab) };
  } catch (e) {
    return isEngineError(e)
      ? { ok: false, code: e.code, fields: e.fields, parsed: false }
      : { ok: false, code: 'internal', fields: [], parsed: false };
  }
}

parentPort!.on('message', (job: PrepareJob) => {
  if (job.generations !== undefined) {
    for (const [g, s] of received(job.generations)) secrets.ensureGeneration(g, s);
  }
  const slab = new TransferSlab();
  const body = parser.parseBatchBody(new Uint8Array(job.body));
  let answer: PrepareAnswer;
  if ('refused' in body) {
    answer = { id: job.id, refused: body.refused, out: [], bytes: slab.done() };
  } else {
    const out = body.items.map(
      (item): PreparedItem =>
        'input' in item
          ? prepared(item.input, job.now, slab)
          : { ok: false, code: item.code, fields: item.fields, parsed: true },
    );
    answer = { id: job.id, out, bytes: slab.done() };
  }
  parentPort!.postMessage(answer, [answer.bytes]);
});
