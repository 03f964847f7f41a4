// The resume journal of a CSV import or migration: `<file>.import-state` (NDJSON). The
// first line names the job (a random job id from which request ids are derived, and the
// input file's SHA-256 to detect edits); each further line records one row's outcome.
// Invariant: it holds line numbers, signal ids and codes only, never a row's content.

import { promises as fs } from 'node:fs';
import { SluisError } from '../errors.js';

export interface JournalHeader {
  readonly v: 1;
  readonly kind: 'import' | 'migrate';
  readonly jobId: string;
  readonly fileSha256: string;
}

export type RowOutcome = 'created' | 'replayed' | 'existing' | 'migrated' | 'invalid' | 'refused';

export interface RowResult {
  readonly line: number;
  readonly outcome: RowOutcome;
  readonly signalId?: string;
  readonly code?: string;
  readonly fields?: readonly string[];
}

export const OK_OUTCOMES: ReadonlySet<RowOutcome> = new Set(['created', 'replayed', 'existing', 'migrated']);

export interface Journal {
  readonly header: JournalHeader;
  /** Latest result per line. */
  readonly rows: Map<number, RowResult>;
}

/** Reads a journal; a torn last line (crash during append) is ignored. Undefined when absent. */
export async function readJournal(path: string): Promise<Journal | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw new SluisError('file_unreadable');
  }
  const lines = text.split('\n');
  let header: JournalHeader | undefined;
  const rows = new Map<number, RowResult>();
  for (const [i, l] of lines.entries()) {
    if (l === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch {
      if (i >= lines.length - 2) break; // torn tail
      throw new SluisError('file_unreadable');
    }
    if (header === undefined) {
      const h = v as JournalHeader;
      if (h?.v !== 1 || typeof h.jobId !== 'string' || typeof h.fileSha256 !== 'string') {
        throw new SluisError('file_unreadable');
      }
      header = h;
    } else {
      const r = v as RowResult;
      if (typeof r?.line === 'number' && typeof r.outcome === 'string') rows.set(r.line, r);
    }
  }
  return header === undefined ? undefined : { header, rows };
}

export class JournalWriter {
  readonly #handle: fs.FileHandle;

  private constructor(handle: fs.FileHandle) {
    this.#handle = handle;
  }

  /** Opens for appending; writes the header when the journal is new. */
  static async open(path: string, header: JournalHeader, fresh: boolean): Promise<JournalWriter> {
    const handle = await fs.open(path, fresh ? 'w' : 'a', 0o600);
    const w = new JournalWriter(handle);
    // After a crash the file may end in a torn line: start on a fresh line (blank lines are skipped).
    await w.#write(fresh ? `${JSON.stringify(header)}\n` : '\n');
    return w;
  }

  async #write(text: string): Promise<void> {
    await this.#handle.write(text);
    await this.#handle.datasync();
  }

  /** Appends one batch's results durably before the next batch is sent. */
  async append(results: readonly RowResult[]): Promise<void> {
    if (results.length === 0) return;
    await this.#write(results.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}
