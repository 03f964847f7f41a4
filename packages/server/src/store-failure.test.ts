// A failed sync of SQLite's WAL on a real listening server, started through the CLI's main()
// (docs/operations.md "Disk errors"): the request waiting for the sync is answered 503
// `unavailable` (nothing was acknowledged), every later request too, one log line names the code
// and nothing else, and `sluis-server start` stops listening and exits 3.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, canonicaliseIdentifier, PseudonymKey, SigningKey } from '@sluis/client-sdk';
import { afterAll, expect, it } from 'vitest';
import { AdminClient } from './cli/admin-client.js';
import { main } from './cli/main.js';
import { loadSigningKeyFile } from './ops/key-files.js';
import { captureCliIo } from './testing/cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-store-failure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The status and problem code of a refusal (AdminClient throws on one); undefined on success. */
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: { details?: { status?: number; problemCode?: string } }) => ({
      status: e.details?.status,
      code: e.details?.problemCode,
    }),
  );

it('a failed WAL sync: the waiting request gets 503, later ones too, one log line, and start exits 3', async () => {
  let failSync = false;
  let syncs = 0;
  const c = captureCliIo(dir, {
    // Tests only: the sync succeeds (without syncing) until the test makes it fail.
    syncWal: () => {
      syncs++;
      return failSync
        ? Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }))
        : Promise.resolve();
    },
  });
  let exitCode: number | undefined;
  const running = main(
    ['start', '--data-dir', 'data', '--port', '0', '--retention-interval', '0'],
    {},
    c.io,
  ).then((code) => (exitCode = code));
  const url = await c.waitStarted();
  try {
    const admin = new AdminClient({
      baseUrl: url,
      key: loadSigningKeyFile(join(dir, 'data', 'keys', 'admin.key')),
    });
    const orgKey = SigningKey.generate();
    const admitted = await admin.request('POST', '/v1/admin/organisations', {
      body: { name: 'Jeugdzorg', type: 'youth_care', publicKeys: [base64url.encode(orgKey.publicKey)] },
    });
    expect(admitted.status).toBe(201);
    const org = new AdminClient({ baseUrl: url, key: orgKey });
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
    expect(exitCode).toBeUndefined();

    failSync = true;
    // The request that waits for the failing sync, and then, while the command stops, any
    // request it still answers: 503 each, or no answer once it stopped listening.
    expect(await refusal(place())).toEqual({ status: 503, code: 'unavailable' });
    const later = await refusal(org.request('GET', '/v1/signals'));
    if (later?.status !== undefined) expect(later).toEqual({ status: 503, code: 'unavailable' });
    expect(await running).toBe(3);
    const before = syncs;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(syncs).toBe(before);
    const lines = c
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const failures = lines.filter((l) => l.event === 'store_failed');
    expect(failures).toHaveLength(1);
    expect(Object.keys(failures[0]!).sort()).toEqual(['code', 'event', 'level', 'time']);
    expect(failures[0]).toMatchObject({ level: 'error', code: 'wal_sync_failed' });
    expect(c.err()).not.toContain('EIO');
  } finally {
    c.stop();
    await running;
  }
});
