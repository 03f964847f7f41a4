// Persists the replay memory (docs/protocol.md §5.4) so a restart does not reopen the
// window: every accepted (key id, nonce) is appended to nonces.log with its expiry; at
// start the unexpired ones are loaded and the file is rewritten without the others.

import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NonceCache } from '@sluis/engine/protocol';
import { NONCES_FILE, mtimeOf, replacePrivateFile } from './data-dir.js';

export function loadNonces(dataDir: string, cache: NonceCache, now: number): void {
  const path = join(dataDir, NONCES_FILE);
  if (mtimeOf(path) === 0) return;
  const rows: { keyId: string; nonce: string; expiresAt: number }[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [exp, keyId, nonce] = line.split(' ');
    const expiresAt = Number(exp);
    if (keyId !== undefined && nonce !== undefined && expiresAt > now) rows.push({ keyId, nonce, expiresAt });
  }
  cache.load(rows);
  replacePrivateFile(path, rows.map((r) => `${r.expiresAt} ${r.keyId} ${r.nonce}\n`).join(''));
}

export function persistNonces(dataDir: string, cache: NonceCache): void {
  const rows = cache.takePending();
  if (rows.length === 0) return;
  appendFileSync(
    join(dataDir, NONCES_FILE),
    rows.map((r) => `${r.expiresAt} ${r.keyId} ${r.nonce}\n`).join(''),
    {
      mode: 0o600,
    },
  );
}
