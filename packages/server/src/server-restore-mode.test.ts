// Restore mode (docs/operations.md "Back up and restore"): a server started on a restored
// database with --restore-mode sends none of the webhooks its outbox brought back, serves no
// organisation, person or portal request (503) and no admin request through a proxy (any
// Forwarded, Via, X-Forwarded-* or X-Real-IP header, or a Host that is not loopback), and is
// out of the load balancer (/readyz 503), while admin requests on this host work; a start
// without it then delivers what was waiting. Real listening servers, a real SQLite file and a
// real webhook receiver; the match and its pending deliveries are written through the engine
// with no worker running, as a restored backup holds them.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, canonicaliseIdentifier } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from './cli/admin-client.js';
import { bootstrapKeys } from './cli/bootstrap.js';
import { loadConfig } from './cli/config.js';
import { systemClock } from './clock.js';
import { loadSigningKeyFile } from './ops/key-files.js';
import { createLogger } from './ops/logger.js';
import { openEngine } from './open-engine.js';
import { startServer } from './server.js';
import { caseKey, casePseudonymKey, caseSigningKey } from '../../../test/support/case-keys.js';

let dir: string;
const received: string[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    received.push(Buffer.concat(chunks).toString('utf8'));
    res.statusCode = 204;
    res.end();
  });
});
let receiverBase: string;

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'sluis-restore-mode-'));
});
afterAll(() => {
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

const configOf = (restore: boolean) =>
  loadConfig({
    flags: {
      'data-dir': dir,
      port: '0',
      'webhook-interval': '0.05',
      'portal-dir': 'off',
      ...(restore ? { 'restore-mode': true } : {}),
    },
    env: { NODE_ENV: 'test' },
    cwd: dir,
  });

/** The status of an unsigned GET /v1/admin/statistics on loopback, with `headers` (Host included). */
function statusOf(port: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/admin/statistics', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const start = (restore: boolean) =>
  startServer({
    config: configOf(restore),
    logger: createLogger({ write: () => {} }, 'error'),
    fetch: (input, init) => fetch(String(input).replace('https://receiver.test', receiverBase), init),
  });

describe('restore mode', () => {
  it('sends nothing the restored outbox holds and serves only local admin requests until a normal start', async () => {
    // What a restored backup holds: a match whose webhooks were still pending.
    const keys = bootstrapKeys(dir);
    const engine = await openEngine(configOf(false), keys, systemClock);
    const orgKeys = [caseSigningKey(), caseSigningKey()];
    const actors = [];
    for (const [i, k] of orgKeys.entries()) {
      const org = await engine.admitOrganisation(
        { kind: 'system' },
        {
          name: `Org ${i}`,
          type: 'youth_care',
          publicKeys: [base64url.encode(k.publicKey)],
          webhookUrl: 'https://receiver.test/hook',
        },
      );
      actors.push({
        kind: 'organisation' as const,
        organisationId: org.id,
        keyId: (await engine.listKeys(org.id))[0]!.keyId,
      });
    }
    const pk = casePseudonymKey(new Uint8Array(32).fill(1), 1);
    for (const actor of actors)
      await engine.placeSignal(actor, {
        requestId: crypto.randomUUID(),
        subject: [pk.pseudonymise(canonicaliseIdentifier('bsn', '123456782'))],
        contact: { name: 'J. de Vries', role: 'consulent', email: 'j@example.nl' },
        informed: { status: 'not_yet' },
      });
    const pending = (await engine.listDeliveries({ status: 'pending' })).length;
    expect(pending).toBeGreaterThanOrEqual(2);
    await engine.close();
    keys.webhookKey.destroy();

    const restoring = await start(true);
    try {
      await new Promise((r) => setTimeout(r, 1000));
      expect(received).toEqual([]);
      expect(await restoring.engine.listDeliveries({ status: 'pending' })).toHaveLength(pending);
      expect((await fetch(`${restoring.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${restoring.url}/readyz`)).status).toBe(503);
      const admin = new AdminClient({
        baseUrl: restoring.url,
        key: caseKey(loadSigningKeyFile(restoring.keys.adminKeyFile)),
      });
      expect((await admin.request('GET', '/v1/admin/statistics')).status).toBe(200);
      // An organisation's request, signed and valid, and an admin request through a proxy: 503.
      const org = new AdminClient({ baseUrl: restoring.url, key: orgKeys[0]! });
      await expect(org.request('GET', '/v1/matches')).rejects.toMatchObject({
        details: { status: 503, problemCode: 'unavailable' },
      });
      const proxied = await fetch(`${restoring.url}/v1/admin/statistics`, {
        headers: { 'X-Forwarded-For': '203.0.113.9' },
      });
      expect(proxied.status).toBe(503);
      expect(((await proxied.json()) as { code: string }).code).toBe('unavailable');
      // A proxy on this host that sets no X-Forwarded-For still gives itself away: any header
      // a proxy adds, or a Host that is not loopback. Unsigned, so a request restore mode lets
      // through is refused by authentication (401) instead of restore mode (503).
      const port = new URL(restoring.url).port;
      expect(await statusOf(port, {})).toBe(401);
      expect(await statusOf(port, { host: `localhost:${port}` })).toBe(401);
      for (const headers of [
        { forwarded: 'for=203.0.113.9;proto=https' },
        { via: '1.1 proxy.example.nl' },
        { 'x-forwarded-host': 'sluis.example.nl' },
        { 'x-forwarded-proto': 'https' },
        { 'x-real-ip': '203.0.113.9' },
        { host: 'sluis.example.nl' },
        { host: `sluis.example.nl:${port}` },
      ]) {
        expect({ headers, status: await statusOf(port, headers) }).toEqual({ headers, status: 503 });
      }
      expect((await fetch(`${restoring.url}/portal/`)).status).toBe(404);
    } finally {
      await restoring.close();
    }
    expect(received).toEqual([]);

    const normal = await start(false);
    try {
      const end = Date.now() + 8000;
      while (received.length < pending && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(received).toHaveLength(pending);
      expect((await fetch(`${normal.url}/readyz`)).status).toBe(200);
    } finally {
      await normal.close();
    }
  });
});
