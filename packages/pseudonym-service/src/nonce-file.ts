// Persists the replay memory (docs/protocol.md §5.4) so a restart does not reopen the
// window: every accepted (key id, nonce) is appended to nonces.log with its expiry and is on
// disk (fdatasync) before its request is evaluated, so a request that was answered cannot be
// answered — and charged — again after a crash or a power cut. One fdatasync serves every
// request that waits while it runs (group commit, group-sync.ts), on libuv's thread pool, so the event loop
// goes on meanwhile. At start the unexpired nonces are loaded (the file read line by line, so
// its size cannot stop a start) and the file is rewritten without the others; while running
// it is rewritten the same way whenever 4 MiB were appended since, so it stays as small as the
// nonces that can still be replayed (those of the last ≈ 10 minutes). A rewrite is durable on
// its own: the new file fsynced, renamed, and the directory fsynced.

import { appendFileSync, constants, openSync } from 'node:fs';
import { join } from 'node:path';
import type { NonceCache } from '@sluis/engine/protocol';
import { NONCES_FILE, forEachLine, fsyncDir, mtimeOf, replacePrivateFile } from './data-dir.js';
import { GroupSync } from './group-sync.js';

interface Row {
  readonly keyId: string;
  readonly nonce: string;
  readonly expiresAt: number;
}

const COMPACT_AFTER_BYTES = 4 << 20;
const line = (r: Row) => `${r.expiresAt} ${r.keyId} ${r.nonce}\n`;

export class NonceFile {
  readonly #dir: string;
  readonly #path: string;
  readonly #cache: NonceCache;
  /**
   * nonces.log opened for appending, and its appends made and made durable (by an fdatasync or a
   * rewrite). No descriptor before load and after a failed append or fdatasync: the next persist
   * then writes the file anew (a retried fdatasync can report success for pages the failed one
   * dropped).
   */
  readonly #group = new GroupSync(undefined, { name: NONCES_FILE, dropAfterFailedSync: true });
  /** The rows in the file that have not expired (at the last persist), oldest first. */
  #live: Row[] = [];
  #appended = 0;

  constructor(dataDir: string, cache: NonceCache) {
    this.#dir = dataDir;
    this.#path = join(dataDir, NONCES_FILE);
    this.#cache = cache;
  }

  /** Loads the unexpired nonces into the cache and rewrites the file with them only. Call first. */
  load(now: number): void {
    const rows: Row[] = [];
    if (mtimeOf(this.#path) !== 0)
      forEachLine(this.#path, (text) => {
        const [exp, keyId, nonce] = text.split(' ');
        const expiresAt = Number(exp);
        if (keyId !== undefined && nonce !== undefined && expiresAt > now)
          rows.push({ keyId, nonce, expiresAt });
      });
    this.#cache.load(rows);
    this.#rewrite(rows);
  }

  /**
   * Appends the nonces accepted since the last call (compacting past 4 MiB appended) and
   * resolves once every nonce appended so far is on disk. Rejects when it could not write
   * them (the rows go back to the cache for the next call) or when the fdatasync failed.
   */
  async persist(now: number): Promise<void> {
    const rows = this.#cache.takePending();
    try {
      if (this.#group.fd === undefined) {
        if (rows.length > 0 || this.#group.pending)
          this.#rewrite([...this.#live.filter((r) => r.expiresAt > now), ...rows]);
      } else if (rows.length > 0) {
        const text = rows.map(line).join('');
        this.#append(text);
        this.#live.push(...rows);
        this.#appended += text.length;
        this.#group.wrote();
      }
    } catch (e) {
      // Not written: the rows go back to the cache, so the next call writes them. Dropped, a
      // nonce held only in memory would be accepted again after a restart inside its window.
      if (rows.length > 0) this.#cache.requeue(rows, now);
      throw e;
    }
    if (this.#appended > COMPACT_AFTER_BYTES) this.#rewrite(this.#live.filter((r) => r.expiresAt > now));
    await this.#group.durable();
  }

  /** Waits for the fdatasync under way, then closes the file. */
  async close(): Promise<void> {
    await this.#group.idle();
    this.#group.replace(undefined);
  }

  #append(text: string): void {
    try {
      appendFileSync(this.#group.fd!, text);
    } catch (e) {
      // What part of the text reached the file is unknown: the next persist writes it anew.
      this.#group.replace(undefined);
      throw e;
    }
  }

  /** Replaces the file with `rows` (fsynced, renamed, directory fsynced) and appends to the new one. */
  #rewrite(rows: Row[]): void {
    replacePrivateFile(this.#path, rows.map(line).join(''));
    fsyncDir(this.#dir);
    this.#group.replace(openSync(this.#path, constants.O_WRONLY | constants.O_APPEND));
    this.#live = rows;
    this.#appended = 0;
    // Everything appended so far is in the new file, on disk.
    this.#group.synced();
  }
}
