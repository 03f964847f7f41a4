// Persists the replay memory (docs/protocol.md §5.4) so a restart does not reopen the
// window: every accepted (key id, nonce) is appended to nonces.log with its expiry; at
// start the unexpired ones are loaded (the file read line by line, so its size cannot stop
// a start) and the file is rewritten without the others. While running, the file is
// rewritten the same way whenever 4 MiB were appended since, so it stays as small as the
// nonces that can still be replayed (those of the last ≈ 10 minutes).

import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NonceCache } from '@sluis/engine/protocol';
import { NONCES_FILE, forEachLine, mtimeOf, replacePrivateFile } from './data-dir.js';

interface Row {
  readonly keyId: string;
  readonly nonce: string;
  readonly expiresAt: number;
}

const COMPACT_AFTER_BYTES = 4 << 20;
const line = (r: Row) => `${r.expiresAt} ${r.keyId} ${r.nonce}\n`;

export class NonceFile {
  readonly #path: string;
  readonly #cache: NonceCache;
  /** The rows in the file that have not expired (at the last persist), oldest first. */
  #live: Row[] = [];
  #appended = 0;

  constructor(dataDir: string, cache: NonceCache) {
    this.#path = join(dataDir, NONCES_FILE);
    this.#cache = cache;
  }

  /** Loads the unexpired nonces into the cache and rewrites the file with them only. */
  load(now: number): void {
    if (mtimeOf(this.#path) === 0) return;
    const rows: Row[] = [];
    forEachLine(this.#path, (text) => {
      const [exp, keyId, nonce] = text.split(' ');
      const expiresAt = Number(exp);
      if (keyId !== undefined && nonce !== undefined && expiresAt > now)
        rows.push({ keyId, nonce, expiresAt });
    });
    this.#cache.load(rows);
    this.#rewrite(rows);
  }

  /** Appends the nonces accepted since the last call; compacts the file past 4 MiB appended. */
  persist(now: number): void {
    const rows = this.#cache.takePending();
    if (rows.length === 0) return;
    const text = rows.map(line).join('');
    appendFileSync(this.#path, text, { mode: 0o600 });
    this.#live.push(...rows);
    this.#appended += text.length;
    if (this.#appended > COMPACT_AFTER_BYTES) this.#rewrite(this.#live.filter((r) => r.expiresAt > now));
  }

  #rewrite(rows: Row[]): void {
    replacePrivateFile(this.#path, rows.map(line).join(''));
    this.#live = rows;
    this.#appended = 0;
  }
}
