// A real listening server (startServer on 127.0.0.1, port 0, SQLite in a temporary folder): the
// /metrics gauges are refreshed on the server's own timer, so the first scrape after a quiet
// while shows the counts of that moment, not those of the start; and
// sluis_metrics_refreshed_timestamp_seconds says when they were read — it moves with each
// refresh, and stops while refreshes fail (the store closed under the server), when the gauges
// keep their last value (docs/operations.md "Monitor").

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from './cli/admin-client.js';
import { loadConfig } from './cli/config.js';
import { loadSigningKeyFile } from './ops/key-files.js';
import { createLogger } from './ops/logger.js';
import { type RunningServer, startServer } from './server.js';
import { caseKey, caseSigningKey } from '../../../test/support/case-keys.js';

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-metrics-fresh-'));
  const config = loadConfig({
    flags: { 'data-dir': dir, port: '0', 'metrics-refresh': '1', 'portal-dir': 'off' },
    env: {},
    cwd: dir,
  });
  server = await startServer({ config, logger: createLogger({ write: () => {} }, 'warn') });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const scrape = async () => {
  const token = readFileSync(join(dir, 'keys', 'metrics.token'), 'utf8').trim();
  const r = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  return r.text();
};

describe('the /metrics gauges of a running server', () => {
  it('the first scrape after a quiet while shows the counts of the last interval, not of the start', async () => {
    const admin = new AdminClient({
      baseUrl: server.url,
      key: caseKey(loadSigningKeyFile(server.keys.adminKeyFile)),
    });
    for (const name of ['Jeugdzorg', 'School']) {
      const r = await admin.request('POST', '/v1/admin/organisations', {
        body: { name, type: 'youth_care', publicKeys: [base64url.encode(caseSigningKey().publicKey)] },
      });
      expect(r.status).toBe(201);
    }
    // Nobody scrapes for more than the interval (1 s): the timer refreshes meanwhile.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await scrape()).toContain('sluis_organisations{status="active"} 2\n');
  });

  it('sluis_metrics_refreshed_timestamp_seconds moves with each refresh, and stops while a refresh fails', async () => {
    const refreshed = (text: string) =>
      Number(/^sluis_metrics_refreshed_timestamp_seconds (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
    const first = refreshed(await scrape());
    expect(first).toBeGreaterThan(Date.now() / 1000 - 3);
    expect(first).toBeLessThanOrEqual(Date.now() / 1000);
    await new Promise((r) => setTimeout(r, 2500));
    const second = refreshed(await scrape());
    expect(second).toBeGreaterThan(first);

    // Every refresh from now on fails (store_closed): the gauges and their timestamp stay.
    await server.engine.close();
    const closedAt = Date.now() / 1000;
    await new Promise((r) => setTimeout(r, 2500));
    const text = await scrape();
    expect(text).toContain('sluis_organisations{status="active"} 2\n');
    const last = refreshed(text);
    expect(last).toBeGreaterThanOrEqual(second);
    expect(last).toBeLessThanOrEqual(closedAt);
    expect(Date.now() / 1000 - last).toBeGreaterThan(2);
  });
});
