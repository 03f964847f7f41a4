// A signal's id as the engine draws one, for the raw baselines' rows (sqlite-baseline.ts,
// pg-baseline.ts): the rows keep their id as the stores keep a signal's (docs/performance.md
// "Since: the raw rows keep the server's id"), so they draw it as the engine does. The engine's
// `newUuidBytes` (packages/engine/src/ids.ts) is not a public export and the bench imports the
// engine through its public exports only, hence this copy; test/bench-baselines.test.ts checks
// every baseline row's id for the v4 shape.

import { randomBytes } from 'node:crypto';

/**
 * A new signal id, as the engine's `newUuidBytes`: a UUID v4's 16 bytes (random but for the
 * version nibble 4 and the variant 10). With `more`, the same draw carries `more` further random
 * bytes after the id (the SQLite rows draw their id and their 32-byte value at once); the id is
 * then the first 16 bytes.
 */
export function newSignalIdBytes(more = 0): Buffer {
  const b = randomBytes(16 + more);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return b;
}
