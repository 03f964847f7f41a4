// The operator's commands for the operator-path tests (operator-path.test.ts on SQLite and as
// other users, operator-path-postgres.test.ts on PostgreSQL): `sluis-server <argv>` in-process
// through main(), a start that is stopped once it serves (as a data directory's first start),
// and the check that no server secret or its check value reached a command's output. Each
// runs in the test file's own directory (`dir()`), where a relative --data-dir lands.

import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { captureCliIo } from '../testing/cli-io.js';
import { main } from './main.js';

/** docs/keys.md §2.2 "Check values": HMAC-SHA-256(secret, lp("sluis/server-secret-check/v1") ‖ u32be(g)). */
function checkValue(secret: Buffer, generation: number): Buffer {
  const label = Buffer.from('sluis/server-secret-check/v1');
  const g = Buffer.alloc(4);
  g.writeUInt32BE(generation);
  return createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from([0, label.length]), label, g]))
    .digest();
}

export function operatorCommands(dir: () => string) {
  async function run(argv: string[], env: Record<string, string> = {}) {
    const c = captureCliIo(dir());
    const code = await main(argv, env, c.io);
    return { code, out: c.out(), err: c.err() };
  }

  /** Starts and stops a server, as the first start of a data directory does. */
  async function startOnce(argv: string[]): Promise<{ code: number; err: string }> {
    const c = captureCliIo(dir());
    const running = main(['start', '--port', '0', ...argv], {}, c.io);
    const started = await Promise.race([c.waitStarted().then(() => true), running.then(() => false)]);
    if (started) c.stop();
    return { code: await running, err: c.err() };
  }

  /** Neither a server secret of `dataDirs` nor its check value, in any encoding, is in `text`. */
  function expectNoKeyMaterial(text: string, dataDirs: readonly string[]): void {
    for (const d of dataDirs) {
      const keys = join(dir(), d, 'keys');
      for (const f of readdirSync(keys).filter((n) => /^server-secret-[0-9]+\.key$/.test(n))) {
        const secret = Buffer.from(readFileSync(join(keys, f), 'utf8').trim(), 'base64url');
        const g = Number(/[0-9]+/.exec(f)![0]);
        for (const v of [secret, checkValue(secret, g)])
          for (const enc of ['base64url', 'base64', 'hex'] as const)
            expect(text).not.toContain(v.toString(enc));
      }
    }
  }

  return { run, startOnce, expectNoKeyMaterial };
}
