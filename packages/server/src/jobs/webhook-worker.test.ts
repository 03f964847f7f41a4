// A webhook delivery deleted while it is being sent (docs/privacy.md §4 "Retention": a
// match's deliveries go in the transaction that deletes it). The receiver, a real HTTP
// server, erases the person of the match before it answers, so the worker finds no
// delivery to record the attempt on: the attempt is dropped with one
// `webhook_delivery_dropped` line, the round does not fail, and the deleted delivery is
// never sent again. The real worker and its guarded transport (loopback allowed), on
// SQLite and on PostgreSQL.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EngineOptions } from '@sluis/engine';
import { openPostgresStore } from '@sluis/engine/postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, psql } from '../../../../test/support/postgres.js';
import { createLogger } from '../ops/logger.js';
import { BSN_A, type Harness, makeHarness } from '../testing/harness.js';
import { WebhookWorker } from './webhook-worker.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

type OpenStore = (clock: () => number) => Promise<EngineOptions['store']>;
type Received = { type: string; matchId: string };

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function deletedWhileSent(openStore: OpenStore | undefined): Promise<void> {
  const received: Received[] = [];
  let h: Harness | undefined;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received);
      // The match is erased while its delivery waits for this answer.
      const erased = await h!.call(h!.admin, 'POST', '/v1/admin/gdpr/erase', {
        body: { subject: [h!.pseudonym(BSN_A)] },
      });
      res.writeHead(erased.status === 200 ? 204 : 500).end();
    });
  });
  const port = await listen(receiver);
  h = await makeHarness({
    engineConfig: { allowLoopbackHttpWebhooks: true },
    ...(openStore === undefined ? {} : { openStore }),
  });
  const lines: string[] = [];
  const worker = new WebhookWorker({
    engine: h.engine,
    signingKey: caseSigningKey(),
    logger: createLogger({ write: (l: string) => lines.push(l) }, 'debug', h.clock.now),
    metrics: h.metrics,
    intervalMs: 60_000,
    timeoutMs: 5_000,
    allowLoopback: true,
  });
  try {
    const A = await h.admit('Jeugdzorg met webhook', { webhookUrl: `http://127.0.0.1:${port}/hook` });
    const B = await h.admit('Basisschool De Regenboog');
    for (const org of [A, B]) {
      const placed = await h.call(org.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'J. Smit') });
      expect(placed.status).toBe(201);
    }
    const [created, ...none] = await h.engine.listDeliveries({});
    expect(none).toEqual([]);
    expect(created).toMatchObject({ status: 'pending', payload: { type: 'match.created' } });

    expect(await worker.runOnce()).toBe(1);
    expect(received).toMatchObject([{ type: 'match.created', matchId: created!.payload.matchId }]);
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.filter((e) => e.event === 'webhook_delivery_dropped')).toEqual([
      expect.objectContaining({
        level: 'info',
        deliveryId: created!.id,
        organisationId: A.id,
        code: 'delivery_deleted',
      }),
    ]);
    expect(events.filter((e) => e.level === 'error')).toEqual([]);
    expect((await h.engine.listDeliveries({})).map((d) => d.id)).not.toContain(created!.id);

    // Never again: later rounds, past any backoff, send only what the erasure itself told.
    for (let round = 0; round < 3; round++) {
      h.clock.advance(24 * 3_600_000);
      await worker.runOnce();
    }
    expect(received.filter((r) => r.type === 'match.created')).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(h.pseudonym(BSN_A).value);
  } finally {
    await worker.stop();
    await h.close();
    await new Promise((r) => receiver.close(r));
  }
}

describe('a webhook delivery deleted while it is being sent', () => {
  it('on SQLite: dropped with one log line, the round goes on, never sent again', async () => {
    await deletedWhileSent(undefined);
  });
});

const url = inject('postgresUrl');

describe.skipIf(url === '')('a webhook delivery deleted while it is being sent, on PostgreSQL', () => {
  const name = `sluis_hook${process.pid}`;
  afterAll(() => psql(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  it('dropped with one log line, the round goes on, never sent again', async () => {
    await deletedWhileSent((clock) => openPostgresStore({ url: createDatabase(url, name), clock }));
  });
});
