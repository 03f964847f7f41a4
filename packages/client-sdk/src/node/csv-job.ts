// Runs a CSV import (placements) or migration (covenant key rotation) in batches,
// resumably. Request ids are UUIDv5(jobId, line) with a random jobId kept in the
// journal, so a rerun after an interruption repeats exactly the same requests and the
// server replays instead of duplicating. No request id is derived from a row's content
// (an unkeyed hash of a BSN is reversible). Only the input file itself holds BSNs.

import { promises as fs } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import type { SluisClient } from '../client/client.js';
import type { MinimalBatchItemResult } from '../client/types.js';
import { type RandomSource, uuidV4, uuidV5, webCryptoRandom } from '../client/uuid.js';
import { SluisError } from '../errors.js';
import { bytesToHex } from '../protocol/encoding.js';
import { csvLine, parseCsv } from './csv.js';
import {
  IMPORT_COLUMNS,
  IMPORT_REQUIRED,
  MIGRATE_COLUMNS,
  MIGRATE_REQUIRED,
  fieldsToColumns,
  importRow,
  migrateRow,
  readHeader,
} from './csv-rows.js';
import { type Journal, JournalWriter, OK_OUTCOMES, type RowResult, readJournal } from './job-journal.js';

export type CsvJobKind = 'import' | 'migrate';

export interface CsvJobProgress {
  /** Rows handled in this run so far. */
  readonly done: number;
  /** Rows to handle in this run (excludes rows finished in an earlier run). */
  readonly total: number;
  readonly failed: number;
  /** Rows finished in an earlier run and skipped. */
  readonly skipped: number;
}

export interface CsvJobOptions {
  readonly kind: CsvJobKind;
  readonly client: Pick<SluisClient, 'placeSignals' | 'migrateSignals'>;
  readonly csvPath: string;
  /** Default `<csvPath>.results.csv`. */
  readonly resultsPath?: string;
  /** Default `<csvPath>.import-state` (or `.migrate-state`). */
  readonly statePath?: string;
  /** Rows per request, 1–500. Default 500. */
  readonly batchSize?: number;
  /** Ignore an existing journal and start a new job (new request ids). */
  readonly restart?: boolean;
  /** Stops after the batch in flight; rerun to resume. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: CsvJobProgress) => void;
  readonly random?: RandomSource;
  /** Migration only: the epochs to pseudonymise under (default: the newest configured key). */
  readonly epochs?: readonly number[];
  /**
   * Pseudonymise the next batch while the current one is placed (default true): at most one
   * batch ahead, sent only after the current one is answered and journalled. False: one
   * batch at a time, for comparison.
   */
  readonly pipeline?: boolean;
}

export interface CsvJobSummary {
  readonly rows: number;
  readonly skipped: number;
  readonly outcomes: Readonly<Record<RowResult['outcome'] | 'pending', number>>;
  /** Rows not ok (invalid, refused) with line and code, in line order. */
  readonly failures: readonly { line: number; code: string; fields: readonly string[] }[];
  readonly resultsPath: string;
  readonly statePath: string;
  /** True when stopped by the signal before all rows were handled. */
  readonly interrupted: boolean;
  /** The error that stopped the run (network, authentication …); rerun to resume. */
  readonly error?: SluisError;
}

/** Namespace of import request ids: UUIDv5(this, `${jobId}:${line}`). */
export const IMPORT_REQUEST_NAMESPACE = 'a4d3c1b2-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

async function readInput(path: string): Promise<{ text: string; sha: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch {
    throw new SluisError('file_unreadable');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SluisError('csv_malformed');
  }
  return { text, sha: bytesToHex(sha256(bytes)) };
}

function toRowResult(kind: CsvJobKind, line: number, r: MinimalBatchItemResult): RowResult {
  if (r.ok) return { line, outcome: kind === 'migrate' ? 'migrated' : r.outcome, signalId: r.signal.id };
  return {
    line,
    outcome: r.local ? 'invalid' : 'refused',
    code: r.code,
    fields: fieldsToColumns(r.fields),
  };
}

async function writeResults(
  path: string,
  lines: readonly number[],
  rows: Map<number, RowResult>,
): Promise<void> {
  let out = csvLine(['line', 'signal_id', 'outcome', 'error_code', 'fields']);
  for (const line of lines) {
    const r = rows.get(line);
    out += csvLine([
      String(line),
      r?.signalId ?? '',
      r?.outcome ?? 'pending',
      r?.code ?? '',
      (r?.fields ?? []).join(' '),
    ]);
  }
  const tmp = `${path}.tmp`;
  await fs.writeFile(tmp, out, { mode: 0o600 });
  await fs.rename(tmp, path);
}

export async function runCsvJob(options: CsvJobOptions): Promise<CsvJobSummary> {
  const { kind, client } = options;
  const resultsPath = options.resultsPath ?? `${options.csvPath}.results.csv`;
  const statePath = options.statePath ?? `${options.csvPath}.${kind}-state`;
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 500) {
    throw new SluisError('input_invalid', { fields: ['batchSize'] });
  }
  const random = options.random ?? webCryptoRandom;
  const pipeline = options.pipeline ?? true;

  const { text, sha } = await readInput(options.csvPath);
  const records = parseCsv(text);
  const header = records[0];
  if (header === undefined)
    throw new SluisError('csv_malformed', { line: 1, fields: ['header row missing'] });
  const h =
    kind === 'import'
      ? readHeader(header.fields, IMPORT_COLUMNS, IMPORT_REQUIRED)
      : readHeader(header.fields, MIGRATE_COLUMNS, MIGRATE_REQUIRED);
  if (!h.ok) throw new SluisError('csv_malformed', { line: header.line, fields: [h.problem] });
  const dataRows = records.slice(1);

  let journal: Journal | undefined = options.restart === true ? undefined : await readJournal(statePath);
  if (journal !== undefined && (journal.header.kind !== kind || journal.header.fileSha256 !== sha)) {
    throw new SluisError('state_mismatch');
  }
  const fresh = journal === undefined;
  journal ??= { header: { v: 1, kind, jobId: uuidV4(random), fileSha256: sha }, rows: new Map() };
  const rows = journal.rows;
  const jobId = journal.header.jobId;

  const todo = dataRows.filter((r) => !OK_OUTCOMES.has(rows.get(r.line)?.outcome as RowResult['outcome']));
  const skipped = dataRows.length - todo.length;
  let done = 0;
  let failed = 0;
  let interrupted = false;
  let error: SluisError | undefined;

  /** A batch's rows read, and its request started (pseudonymise, then place after `gate`). */
  interface Step {
    readonly size: number;
    readonly batchResults: RowResult[];
    readonly sendable: readonly { line: number; input: unknown }[];
    readonly results: Promise<MinimalBatchItemResult[]>;
  }
  const start = (from: number, gate: Promise<void> | undefined): Step => {
    const batch = todo.slice(from, from + batchSize);
    const batchResults: RowResult[] = [];
    const sendable: { line: number; input: unknown }[] = [];
    for (const rec of batch) {
      try {
        const input =
          kind === 'import'
            ? importRow(rec.fields, h.index, uuidV5(IMPORT_REQUEST_NAMESPACE, `${jobId}:${rec.line}`))
            : migrateRow(rec.fields, h.index);
        sendable.push({ line: rec.line, input });
      } catch (e) {
        if (!(e instanceof SluisError)) throw e;
        batchResults.push({ line: rec.line, outcome: 'invalid', code: e.code, fields: [] });
      }
    }
    // A row's result keeps its outcome and signal id only (job-journal.ts): the minimal answer
    // (docs/api.md "POST /v1/signals/batch") spares the server and this process each signal's view.
    const options_ = {
      chunkSize: batchSize,
      minimal: true as const,
      ...(gate === undefined ? {} : { after: gate }),
    };
    const results =
      sendable.length === 0
        ? Promise.resolve([])
        : kind === 'import'
          ? client.placeSignals(sendable.map((s) => s.input) as never, options_)
          : client.migrateSignals(sendable.map((s) => s.input) as never, {
              ...options_,
              ...(options.epochs === undefined ? {} : { epochs: options.epochs }),
            });
    // Settled when its turn comes (or deliberately dropped): never an unhandled rejection.
    results.catch(() => undefined);
    return { size: batch.length, batchResults, sendable, results };
  };

  const writer = await JournalWriter.open(statePath, journal.header, fresh);
  // Pipelining (docs/sdk.md "CSV import"): while batch n is placed, batch n+1 is already
  // checked and pseudonymised (for an OPRF epoch: blind, evaluate, verify, finalize), but it
  // is sent only once batch n's answers are in the journal — so placements reach the server
  // in file order, and a stop (error, budget, signal) sends nothing of batch n+1.
  let next: { step: Step; release: () => void; cancel: () => void } | undefined;
  try {
    options.onProgress?.({ done, total: todo.length, failed, skipped });
    let current: Step | undefined =
      todo.length === 0 || options.signal?.aborted === true ? undefined : start(0, undefined);
    if (current === undefined && todo.length > 0) interrupted = true;
    for (let b = 0; current !== undefined; b += batchSize) {
      const more = b + batchSize < todo.length;
      if (pipeline && more) {
        let release!: () => void;
        let cancel!: () => void;
        const gate = new Promise<void>((resolve, reject) => {
          release = resolve;
          cancel = () => reject(new Error('batch not sent'));
        });
        gate.catch(() => undefined);
        next = { step: start(b + batchSize, gate), release, cancel };
      }
      const { batchResults, sendable } = current;
      if (sendable.length > 0) {
        let results: MinimalBatchItemResult[];
        try {
          results = await current.results;
        } catch (e) {
          if (!(e instanceof SluisError)) throw e;
          error = e;
          break;
        }
        // The daily budget is spent: every further row would be refused the same way, so
        // stop here with one error; refused rows stay pending and a rerun (tomorrow) resumes.
        const spent = results.some((r) => !r.ok && r.code === 'budget_exceeded');
        results.forEach((r, i) => {
          if (r.ok || r.code !== 'budget_exceeded')
            batchResults.push(toRowResult(kind, sendable[i]!.line, r));
        });
        if (spent) error = new SluisError('server_error', { problemCode: 'budget_exceeded', status: 429 });
      }
      await writer.append(batchResults);
      for (const r of batchResults) {
        rows.set(r.line, r);
        if (!OK_OUTCOMES.has(r.outcome)) failed++;
      }
      done += current.size;
      options.onProgress?.({ done, total: todo.length, failed, skipped });
      if (error !== undefined || !more) break;
      if (options.signal?.aborted === true) {
        interrupted = true;
        break;
      }
      if (next === undefined) current = start(b + batchSize, undefined);
      else {
        next.release();
        current = next.step;
        next = undefined;
      }
    }
  } finally {
    // A batch read ahead but not to be placed: nothing of it is sent (its gate refuses).
    if (next !== undefined) {
      next.cancel();
      await next.step.results.catch(() => undefined);
    }
    await writer.close();
  }

  const lines = dataRows.map((r) => r.line);
  await writeResults(resultsPath, lines, rows);
  const outcomes = { created: 0, replayed: 0, existing: 0, migrated: 0, invalid: 0, refused: 0, pending: 0 };
  const failures: { line: number; code: string; fields: readonly string[] }[] = [];
  for (const line of lines) {
    const r = rows.get(line);
    outcomes[r?.outcome ?? 'pending']++;
    if (r !== undefined && !OK_OUTCOMES.has(r.outcome)) {
      failures.push({ line, code: r.code ?? 'unknown', fields: r.fields ?? [] });
    }
  }
  return {
    rows: dataRows.length,
    skipped,
    outcomes,
    failures,
    resultsPath,
    statePath,
    interrupted,
    ...(error === undefined ? {} : { error }),
  };
}
