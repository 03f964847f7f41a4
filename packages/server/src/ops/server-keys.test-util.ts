// Two instances of the server's keys for the server-keys tests (server-keys.test.ts,
// server-keys-logbook.test.ts): two ServerKeys on two keys/ directories, copies of each other
// as an operator's copy makes them (docs/operations.md "High availability"), over one real
// (SQLite) engine, on an injected clock with a seam that runs a test's failure once a condition
// holds. Real files; `closeInstances` (each file's afterEach) closes and removes them, and zeroes
// their keys and the engine's server secret after the engine is closed.

import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningKey } from '@sluis/client-sdk';
import { createEngine, type Engine, openSqliteStore, ServerSecrets } from '@sluis/engine';
import { writeSigningKeyFile } from './key-files.js';
import type { LogFields } from './logger.js';
import { ServerKeys } from './server-keys.js';

const dirs: string[] = [];
const engines: Engine[] = [];
/** The key holders of every `instances()`: the engine's server secrets, both ServerKeys, the first key. */
const held: { destroy(): void }[] = [];

/**
 * Closes the engines, then zeroes the keys (as the server's stop does) and removes the
 * directories of every `instances()` since the last call.
 */
export async function closeInstances(): Promise<void> {
  for (const e of engines.splice(0)) await e.close();
  for (const k of held.splice(0)) k.destroy();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export const SYSTEM = { kind: 'system' } as const;

/** Instances A and B, each holding the same first webhook key. */
export async function instances() {
  const a = mkdtempSync(join(tmpdir(), 'sluis-keys-a-'));
  const b = mkdtempSync(join(tmpdir(), 'sluis-keys-b-'));
  dirs.push(a, b);
  const first = SigningKey.generate();
  held.push(first);
  writeSigningKeyFile(join(a, 'webhook-signing.key'), first);
  copyFileSync(join(a, 'webhook-signing.key'), join(b, 'webhook-signing.key'));
  let now = 1_000_000;
  // Runs once, at the first reading of the clock after `when` holds (a test's failure seam).
  let armed: { when: () => boolean; run: () => void } | undefined;
  const clock = () => {
    if (armed?.when()) {
      const { run } = armed;
      armed = undefined;
      run();
    }
    return now;
  };
  const serverSecrets = new ServerSecrets(new Map([[1, randomBytes(32)]]));
  held.push(serverSecrets);
  const engine = await createEngine({
    store: openSqliteStore({ path: join(a, 'sluis.db'), clock }),
    serverSecrets,
    clock,
  });
  engines.push(engine);
  const lines: { event: string; fields: LogFields }[] = [];
  const logger = {
    log: (_level: string, event: string, fields: LogFields = {}) => lines.push({ event, fields }),
  };
  const keysA = new ServerKeys(a, SigningKey.fromSeed(first.exportSeed()), clock, logger);
  held.push(keysA);
  const keysB = new ServerKeys(b, SigningKey.fromSeed(first.exportSeed()), clock, logger);
  held.push(keysB);
  return {
    a,
    b,
    engine,
    first,
    keysA,
    keysB,
    lines,
    tick: (ms: number) => {
      now += ms;
    },
    copy: (file: string) => copyFileSync(join(a, file), join(b, file)),
    arm: (when: () => boolean, run: () => void) => {
      armed = { when, run };
    },
  };
}
