// `sluis matches --cursor-file` against a real server process with a reader that has gone (its
// stdout pipe closed, as `| head -1` leaves it): the cursor file is never emptied and never
// advanced past events that did not reach stdout; the command keeps its own exit code
// (docs/sdk.md "CLI reference (`sluis`)").

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World } from '../support/e2e-world.js';
import { ORG_CLI } from '../support/server-process.js';

const world = new World();
let A: Org;

beforeAll(async () => {
  await world.start();
  A = await world.organisation('Jeugdzorg Rijnmond', 'youth_care');
  const B = await world.organisation('Basisschool De Horizon', 'school');
  const informed = { status: 'citizen' as const, date: new Date(world.clock()).toISOString().slice(0, 10) };
  for (let i = 0; i < 3; i++) {
    const bsn = world.bsn();
    await A.client.placeSignal({ bsn, contact: world.contact(), informed });
    await B.client.placeSignal({ bsn, contact: world.contact(), informed });
  }
});
afterAll(() => world.close());

function env(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    SLUIS_SERVER_URL: world.server.url,
    SLUIS_SIGNING_KEY_FILE: A.keyFile,
    SLUIS_PSEUDONYM_KEY_FILE: world.pseudonymKeyFile,
    SLUIS_PSEUDONYM_KEY_EPOCH: '1',
  };
}

/** `sluis <args>` as A, the read end of its stdout closed before it writes. */
function withClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ORG_CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: env(),
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('sluis matches with a closed stdout (real server process)', () => {
  it('leaves the cursor file as it was, and the next run shows the events again', async () => {
    const cursorFile = join(world.work, 'matches.cursor');
    const first = await world.orgCli(A, ['matches', '--json', '--limit', '1', '--cursor-file', cursorFile]);
    expect(first.code).toBe(0);
    const saved = readFileSync(cursorFile, 'utf8');
    expect(saved).toBe(`${JSON.parse(first.stdout).cursor}\n`);
    for (let i = 0; i < 5; i++) {
      const r = await withClosedStdout(['matches', '--json', '--cursor-file', cursorFile]);
      expect(r).toEqual({ code: 0, stderr: '' });
      expect(readFileSync(cursorFile, 'utf8')).toBe(saved);
    }
    const rest = await world.orgCli(A, ['matches', '--json', '--cursor-file', cursorFile]);
    const events = rest.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { cursor: string });
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(cursorFile, 'utf8')).toBe(`${events.at(-1)!.cursor}\n`);
  }, 60_000);

  it('a usage error keeps exit 2 and leaves the cursor file alone', async () => {
    const cursorFile = join(world.work, 'usage.cursor');
    writeFileSync(cursorFile, '7\n', { mode: 0o600 });
    const r = await withClosedStdout(['matches', '--json', '--limit', '0', '--cursor-file', cursorFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|node:/);
    expect(readFileSync(cursorFile, 'utf8')).toBe('7\n');
  });
});
