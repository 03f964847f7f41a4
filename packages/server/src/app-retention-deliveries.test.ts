// An administrator's retention run that ends a webhook delivery with its inbox event (docs/api.md
// "Webhooks", 1.12.0): `POST /v1/admin/retention/run` answers how many (`expiredDeliveries`), as
// `sluis-server retention --json` prints and the run's `retention_run` log line counts
// (docs/operations.md "Logs"); the delivery lists as `expired`.

import { afterAll, describe, expect, it } from 'vitest';
import { BSN_A, json, makeHarness } from './testing/harness.js';

const h = await makeHarness();
afterAll(async () => h.close());

const DAY_MS = 86_400_000;

describe('an admin retention run that ends a pending webhook delivery', () => {
  it('answers and logs expiredDeliveries; the delivery lists as expired', async () => {
    const A = await h.admit('Jeugdzorg Rijnmond');
    const B = await h.admit('Wijkteam Noord', {
      type: 'social_services',
      webhookUrl: 'https://b.example/hook',
    });
    const placed = await h.call(A.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'A. Jansen') });
    expect(placed.status).toBe(201);
    await h.call(B.key, 'POST', '/v1/signals', { body: h.placement(BSN_A, 'B. de Vries') });
    const signalId = (await json(placed)).signal.id;
    const withdrawn = await h.call(A.key, 'POST', `/v1/signals/${signalId}/withdraw`, {
      body: { reason: 'error' },
    });
    expect(withdrawn.status).toBe(204);
    const types = async (status: string) =>
      (await json(await h.call(h.admin, 'GET', `/v1/admin/webhooks?status=${status}`))).items.map(
        (d: { payload: { type: string } }) => d.payload.type,
      );
    expect(await types('pending')).toEqual(['match.removed']);
    // Past the match.removed event's 30 days: the run deletes it and ends its delivery.
    h.clock.advance(30 * DAY_MS + 1);
    const run = await h.call(h.admin, 'POST', '/v1/admin/retention/run', { body: {} });
    expect(run.status).toBe(200);
    expect(await json(run)).toMatchObject({
      expired: 0,
      purgedSignals: 0,
      purgedMatches: 0,
      expiredDeliveries: 1,
      deletedPeople: 0,
    });
    const logged = h.logs
      .flatMap((l) => l.split('\n').filter((x) => x !== ''))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.event === 'retention_run');
    expect(logged).toMatchObject([{ by: 'admin', expiredDeliveries: 1 }]);
    expect(await types('expired')).toEqual(['match.removed']);
    expect(await types('pending')).toEqual([]);
  });
});
