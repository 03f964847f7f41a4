// The public key files every start publishes (docs/operations.md "High availability"): real
// server processes on one PostgreSQL share one data directory. While two more instances start
// at once beside a running one, credential-issuer.pub.json and webhook-signing.pub.json are
// read all along, as the operator or a third instance would: never torn, always the public
// half of the key file beside them. A file a crash left torn is put right by the next start;
// webhook-signing.pub.json, when missing, appears only as the whole list of live keys.
// Skipped with the reason printed when the PostgreSQL binaries are missing.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  try {
    return { keyId: key.keyId, publicKey: base64url.encode(key.publicKey) };
  } finally {
    key.destroy();
  }
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

  it('webhook-signing.pub.json: missing, two starts at once publish only the whole list; torn or stale, put right', async () => {
    const { w, options } = two!;
    const keysDir = join(w.server.dataDir, 'keys');
    const webhookPath = join(keysDir, 'webhook-signing.pub.json');
    const published = readFileSync(webhookPath, 'utf8');
    // The whole list: the signer at the top and every live key with its status (docs/keys.md §4.5).
    expect(JSON.parse(published)).toMatchObject({
      ...(await publicHalf(join(keysDir, 'webhook-signing.key'))),
      keys: [{ status: 'signing' }],
    });
    for (const s of more.splice(0)) await s.stop();
    await w.server.stop();
    const start = () => startServer({ ...options, dataDir: w.server.dataDir, sink: w.serverOutput });

    // Missing (deleted, or never copied to this data directory): whatever a reader sees while
    // two instances start at once is the whole list, never a part of it or a shorter one.
    rmSync(webhookPath);
    const seen = new Set<string>();
    const reader = setInterval(() => {
      try {
        seen.add(readFileSync(webhookPath, 'utf8'));
      } catch {
        // not published yet
      }
    }, 1);
    try {
      more.push(...(await Promise.all([start(), start()])));
    } finally {
      clearInterval(reader);
    }
    expect([...seen]).toEqual([published]);

    // Torn by a crash, or a stale copy (another installation's file): the next start puts it right.
    for (const wrong of [
      published.slice(0, published.length / 2),
      readFileSync(join(keysDir, 'credential-issuer.pub.json'), 'utf8'),
    ]) {
      for (const s of more.splice(0)) await s.stop();
      writeFileSync(webhookPath, wrong);
      more.push(await start());
      expect(readFileSync(webhookPath, 'utf8')).toBe(published);
    }
  }, 240_000);
});
