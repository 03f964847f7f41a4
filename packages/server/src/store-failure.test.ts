// A failed sync of SQLite's WAL on a real listening server (docs/operations.md "Disk errors"): the
// request waiting for it is answered 503 `unavailable` (nothing was acknowledged), every later
// request too, one log line names the code and nothing else, and `failed` tells the command to
// stop (`sluis-server start` then exits 3 without closing the store).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, canonicaliseIdentifier, PseudonymKey, SigningKey } from '@sluis/client-sdk';
import { afterAll, expect, it } from 'vitest';
import { AdminClient } from './cli/admin-client.js';
import { loadConfig } from './cli/config.js';
import { loadSigningKeyFile } from './ops/key-files.js';
import { createLogger } from './ops/logger.js';
import { startServer } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-store-failure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a failed WAL sync: the waiting request gets 503, later ones too, one log line, and the server is told to stop', async () => {
  const logs: string[] = [];
  let failSync = false;
  let syncs = 0;
  const config = loadConfig({
    flags: { 'data-dir': dir, port: '0', 'retention-interval': '0' },
    env: { NODE_ENV: 'test' },
    cwd: dir,
  });
  const server = await startServer({
    config,
    logger: createLogger({ write: (l: string) => logs.push(l) }, 'debug'),
    // Tests only: the sync succeeds (without syncing) until the test makes it fail.
    syncWal: () => {
      syncs++;
      return failSync
        ? Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }))
        : Promise.resolve();
    },
  });
  let failed = false;
  void server.failed.then(() => (failed = true));
  try {
    const admin = new AdminClient({ baseUrl: server.url, key: loadSigningKeyFile(server.keys.adminKeyFile) });
    const orgKey = SigningKey.generate();
    const admitted = await admin.request('POST', '/v1/admin/organisations', {
      body: { name: 'Jeugdzorg', type: 'youth_care', publicKeys: [base64url.encode(orgKey.publicKey)] },
    });
    expect(admitted.status).toBe(201);
    const org = new AdminClient({ baseUrl: server.url, key: orgKey });
    const pk = PseudonymKey.fromBytes(new Uint8Array(32).fill(1), 1);
    const place = () =>
      org.request('POST', '/v1/signals', {
        body: {
          requestId: crypto.randomUUID(),
          subject: [pk.pseudonymise(canonicaliseIdentifier('bsn', '123456782'))],
          contact: { name: 'A', role: 'consulent', email: 'x@example.nl' },
          informed: { status: 'not_yet' },
        },
      });
    expect((await place()).status).toBe(201);
    expect(syncs).toBeGreaterThan(0);
    expect(failed).toBe(false);

    // The client's refusal: the status and the problem code (AdminClient throws on a refusal).
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: { details?: { status?: number; problemCode?: string } }) => ({
          status: e.details?.status,
          code: e.details?.problemCode,
        }),
      );
    failSync = true;
    expect(await refusal(place())).toEqual({ status: 503, code: 'unavailable' });
    await server.failed;
    // Every later request is refused, reads included, and no further sync is tried.
    const before = syncs;
    expect(await refusal(org.request('GET', '/v1/signals'))).toEqual({ status: 503, code: 'unavailable' });
    expect(await refusal(place())).toEqual({ status: 503, code: 'unavailable' });
    expect(syncs).toBe(before);
    const lines = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.level === 'error');
    const failures = lines.filter((l) => l.event === 'store_failed');
    expect(failures).toHaveLength(1);
    expect(Object.keys(failures[0]!).sort()).toEqual(['code', 'event', 'level', 'time']);
    expect(failures[0]!.code).toBe('wal_sync_failed');
    server.halt();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  } finally {
    server.halt();
    await server.close();
  }
});
