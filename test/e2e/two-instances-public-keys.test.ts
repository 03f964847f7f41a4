// The public key files every start publishes (docs/operations.md "High availability"): real
// server processes on one PostgreSQL share one data directory. While two more instances start
// at once beside a running one, credential-issuer.pub.json and webhook-signing.pub.json are
// read all along, as the operator or a third instance would: never torn, always the public
// half of the key file beside them. A file a crash left torn is put right by the next start.
// Skipped with the reason printed when the PostgreSQL binaries are missing.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base64url } from '@sluis/client-sdk';
import { loadSigningKeyFile } from '@sluis/client-sdk/node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ServerProcess, startServer } from '../support/server-process.js';
import { startTwoInstances, stopTwoInstances, type TwoInstances } from '../support/two-instances.js';

const url = inject('postgresUrl');
const name = `sluis_pub_keys_${process.pid}`;
let two: TwoInstances | undefined;
const more: ServerProcess[] = [];

/** The public half of a key file, as the files name it. */
async function publicHalf(path: string): Promise<{ keyId: string; publicKey: string }> {
  const key = await loadSigningKeyFile(path);
  return { keyId: key.keyId, publicKey: base64url.encode(key.publicKey) };
}

describe.skipIf(url === '')('public key files on a shared data directory', () => {
  beforeAll(async () => {
    two = await startTwoInstances(url, name);
  }, 120_000);
  afterAll(async () => stopTwoInstances(url, name, two?.w, two?.b, ...more));

  it('stay whole and correct while instances start beside each other; a torn one is put right', async () => {
    const { w, b, options } = two!;
    const keysDir = join(w.server.dataDir, 'keys');
    const issuerPath = join(keysDir, 'credential-issuer.pub.json');
    const webhookPath = join(keysDir, 'webhook-signing.pub.json');
    const issuer = await publicHalf(join(keysDir, 'credential-issuer.key'));
    const signer = await publicHalf(join(keysDir, 'webhook-signing.key'));
    const issuerText = readFileSync(issuerPath, 'utf8');
    expect(JSON.parse(issuerText)).toEqual(issuer);

    let reads = 0;
    const wrong: string[] = [];
    const reader = setInterval(() => {
      for (const [path, expected] of [
        [issuerPath, issuer],
        [webhookPath, signer],
      ] as const) {
        try {
          const read = JSON.parse(readFileSync(path, 'utf8')) as { keyId: string; publicKey: string };
          if (read.keyId !== expected.keyId || read.publicKey !== expected.publicKey) wrong.push(path);
        } catch {
          wrong.push(`${path} torn or missing`);
        }
      }
      reads++;
    }, 1);
    try {
      await b.stop();
      const start = () => startServer({ ...options, dataDir: w.server.dataDir, sink: w.serverOutput });
      more.push(...(await Promise.all([start(), start()])));
    } finally {
      clearInterval(reader);
    }
    expect(reads).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
    expect(readFileSync(issuerPath, 'utf8')).toBe(issuerText);

    // A crash in the middle of a write, in an older version's start, left half a file.
    for (const s of more.splice(0)) await s.stop();
    writeFileSync(issuerPath, issuerText.slice(0, issuerText.length / 2));
    more.push(await startServer({ ...options, dataDir: w.server.dataDir, sink: w.serverOutput }));
    expect(readFileSync(issuerPath, 'utf8')).toBe(issuerText);
  }, 240_000);
});
