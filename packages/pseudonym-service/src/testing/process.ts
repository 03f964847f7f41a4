// What the process tests of the pseudonym service share (process-lifecycle.test.ts,
// process-durability.test.ts): the built `sluis-pseudonym-service` (dist/, built by the test
// setup) run as a command or started as a service on a free port, a data directory made as
// the install makes it, and an admitted organisation's signed evaluate request. Every
// service started is stopped after each test.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { base64url, signRequest } from '@sluis/client-sdk';
import { afterEach, expect } from 'vitest';
import { untilListening } from './listening.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'sluis-pseudonym-service.js');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGTERM');
});

/**
 * Every process this suite starts is killed (SIGKILL) after a time limit, so a wrong behaviour
 * (a second start that runs instead of exiting 4, a service that never answers) fails the test
 * instead of hanging it: spawnSync blocks the event loop, so vitest's own timeout cannot fire.
 * A command gets 20 s; a service the test's own 30 s, so it outlives no test.
 */
export const limits = { timeout: 20_000, killSignal: 'SIGKILL' } as const;
export const serviceLimits = { timeout: 30_000, killSignal: 'SIGKILL' } as const;

export const run = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', ...limits });

export function dataDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sluis-ps-proc-')), 'data');
  mkdirSync(dir, { mode: 0o700 }); // as the install makes it: init as root does not
  expect(run(['init', '--data-dir', dir]).status).toBe(0);
  expect(run(['add-epoch', '--epoch', '7', '--data-dir', dir]).status).toBe(0);
  return dir;
}

/**
 * Starts the service (the command as `wrap` makes it, e.g. under strace); resolves with its
 * URL, its process and readers of its stderr and stdout.
 */
export async function start(dir: string, wrap: (command: string[]) => string[] = (c) => c) {
  const [command, ...args] = wrap([process.execPath, BIN, 'start', '--port', '0', '--data-dir', dir]);
  const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'pipe'], ...serviceLimits });
  children.push(child);
  const { url, stderr, stdout } = await untilListening(child);
  return { url, child, stderr, stdout };
}

/** A mount namespace of our own can be made (root, unshare): for a small, really full disk. */
export const canMount = spawnSync('unshare', ['-m', 'true'], limits).status === 0;

/** An admitted organisation's key, and one signed evaluate request of it (its nonce fixed). */
export function admitted(dir: string) {
  const org = caseSigningKey();
  expect(
    run(['admit', '--name', 'Org A', `--public-key=${base64url.encode(org.publicKey)}`, '--data-dir', dir])
      .status,
  ).toBe(0);
  const element = base64url.encode(ristretto255_oprf.voprf.blind(new Uint8Array([1, 2, 3])).blinded);
  const body = new TextEncoder().encode(JSON.stringify({ epoch: 7, blindedElements: [element] }));
  const headers = signRequest(org, { method: 'POST', path: '/v1/evaluate', query: '' }, body);
  const send = async (url: string) => {
    const res = await fetch(`${url}/v1/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as { code?: string } };
  };
  return { send };
}
