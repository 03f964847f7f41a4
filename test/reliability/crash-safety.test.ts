// Crash safety (docs/reliability.md §1): the real server process under concurrent signed placements
// from several organisations is killed with SIGKILL at random moments and restarted on
// the same database. Clients behave as the SDK does: a request that fails (connection
// refused or reset, no answer) is retried with the same requestId. Afterwards every
// acknowledged placement is listed, no signal is duplicated, the active matches equal the
// pairwise set computed from the final state, the logbook verifies, and a webhook delivery
// left pending by the crash is delivered after the restart.

import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig, startServer as startInProcess } from '@sluis/server';
import { type Deployment, deploy, LOAD_ARGS } from './deployment.js';
import {
  activeMatchPairs,
  destroyKeys,
  expectedPairs,
  placementBody,
  prng,
  randomPerson,
  scale,
  seedFromEnv,
  sleep,
  summary,
} from './support.js';

const ORGS = 5;
const PLACEMENTS = scale(2_000, 20_000);
const KILLS = scale(4, 25);
const CONCURRENCY = 24;

describe('crash safety: SIGKILL under concurrent placement', () => {
  const deployments: Deployment[] = [];
  afterAll(async () => {
    try {
      for (const p of deployments.flatMap((d) => d.processes))
        if (p.process.exitCode === null && p.process.signalCode === null) await p.kill();
    } finally {
      destroyKeys();
    }
  });

  it(
    'loses no acknowledged placement, duplicates nothing, keeps matches and logbook exact',
    async () => {
      const seed = seedFromEnv();
      const random = prng(seed);
      const deployment = await deploy({
        args: [...LOAD_ARGS, '--webhook-interval', '1', '--allow-loopback-http-webhooks'],
        organisations: ORGS,
        // The first organisation has an (unreachable) https webhook on loopback, admitted only
        // with the test-only flag (docs/operations.md, webhook addresses): its outbox fills up.
        admission: (i) => (i === 0 ? { webhookUrl: 'https://127.0.0.1:9/sluis-hook' } : {}),
      });
      deployments.push(deployment);
      const { admin, orgs, dataDir } = deployment;

      // The work: PLACEMENTS distinct (organisation, person) pairs over a pool of persons
      // small enough that most persons get several signals (and so matches).
      const persons = Array.from({ length: Math.ceil(PLACEMENTS / 3) }, () => JSON.stringify(randomPerson()));
      const used = new Set<string>();
      const work: { org: number; person: string; requestId: string }[] = [];
      while (work.length < PLACEMENTS) {
        const org = Math.floor(random() * ORGS);
        const person = persons[Math.floor(random() * persons.length)]!;
        if (used.has(`${org}|${person}`)) continue;
        used.add(`${org}|${person}`);
        work.push({ org, person, requestId: randomUUID() });
      }

      // Server availability: workers wait here while the server is down.
      let up: Promise<void> = Promise.resolve();
      let sent = 0;
      let failedAttempts = 0;
      let retriedAcks = 0;
      const acked = new Map<number, { signalId: string; outcome: string }>();
      let next = 0;
      const worker = async () => {
        for (;;) {
          const i = next++;
          if (i >= work.length) return;
          const w = work[i]!;
          for (let attempt = 0; ; attempt++) {
            await up;
            sent++;
            try {
              const a = await orgs[w.org]!.client.call(
                'POST',
                '/v1/signals',
                placementBody(w.requestId, JSON.parse(w.person)),
              );
              if (a.status === 201 || a.status === 200) {
                const b = a.json<{ outcome: string; signal: { id: string } }>();
                acked.set(i, { signalId: b.signal.id, outcome: b.outcome });
                if (attempt > 0) retriedAcks++;
                break;
              }
              // 503 while shutting down is not expected here (SIGKILL); anything else is a bug.
              throw new Error(`placement answered ${a.status}: ${a.text}`);
            } catch (e) {
              if (e instanceof Error && e.message.startsWith('placement answered')) throw e;
              failedAttempts++;
              await sleep(20);
            }
          }
        }
      };

      const killer = async () => {
        for (let k = 0; k < KILLS; k++) {
          await sleep(150 + Math.floor(random() * 600));
          if (next >= work.length) break;
          let reopen!: () => void;
          up = new Promise((r) => {
            reopen = r;
          });
          await deployment.crashAndRestart();
          reopen();
          kills++;
        }
      };
      let kills = 0;
      await Promise.all([...Array.from({ length: CONCURRENCY }, worker), killer()]);
      expect(acked.size).toBe(work.length);

      // 1. Every acknowledged placement is present, and nothing else is (no duplicates).
      let present = 0;
      for (let o = 0; o < ORGS; o++) {
        const listed = await orgs[o]!.client.all<{ id: string }>('/v1/signals?status=active&limit=500');
        const ids = listed.map((s) => s.id);
        const mine = [...acked].filter(([i]) => work[i]!.org === o).map(([, a]) => a.signalId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.sort()).toEqual(mine.sort());
        present += ids.length;
      }
      const outcomes = [...acked.values()].reduce<Record<string, number>>((m, a) => {
        m[a.outcome] = (m[a.outcome] ?? 0) + 1;
        return m;
      }, {});
      // A placement is created exactly once; a retry answers "replayed", never a second signal.
      expect(outcomes.existing ?? 0).toBe(0);

      // 2. Matches: exactly the pairwise set of the final state, each seen by both sides.
      const active = [...acked].map(([i, a]) => ({
        signalId: a.signalId,
        orgId: orgs[work[i]!.org]!.id,
        person: work[i]!.person,
      }));
      const expected = expectedPairs(active);
      const { pairs, problems } = await activeMatchPairs(orgs);
      expect(problems).toEqual([]);
      expect(pairs.length).toBe(expected.length);
      expect(pairs).toEqual(expected);

      // 3. The logbook verifies.
      const verify = (await admin.call('GET', '/v1/admin/logbook/verify')).json<{
        ok: boolean;
        entries: number;
      }>();
      expect(verify.ok).toBe(true);

      // 4. The outbox survived: deliveries for organisation 0 are pending (its receiver is
      // unreachable). Crash once more, then restart (in process, so the receiver can be
      // injected) and watch every pending delivery arrive.
      const pending = (await admin.call('GET', '/v1/admin/webhooks?status=pending&limit=500')).json<{
        items: unknown[];
      }>().items.length;
      expect(pending).toBeGreaterThan(0);
      await deployment.server.kill();
      kills++;

      const delivered: string[] = [];
      const config = loadConfig({
        flags: {
          'data-dir': dataDir,
          port: '0',
          'test-clock': true,
          'retention-interval': '0',
          'webhook-interval': '1',
          'allow-loopback-http-webhooks': true,
        },
        env: { NODE_ENV: 'test' },
        cwd: process.cwd(),
      });
      const restarted = await startInProcess({
        config,
        logger: createLogger({ write: () => {} }),
        fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
          delivered.push(String(init?.body ?? ''));
          void input;
          return new Response(null, { status: 204 });
        }) as typeof fetch,
      });
      try {
        // Failed attempts were scheduled with backoff; move the clock past the longest (1 h).
        restarted.testClock!.advance(2 * 3_600_000);
        restarted.webhooks.wake();
        const deadline = Date.now() + 20_000;
        let left = pending;
        while (Date.now() < deadline) {
          left = (await restarted.engine.listDeliveries({ status: 'pending', limit: 500 })).length;
          if (left === 0) break;
          await sleep(100);
        }
        expect(left).toBe(0);
        expect(delivered.length).toBeGreaterThanOrEqual(pending);
        expect((await restarted.engine.verifyLogbook()).ok).toBe(true);
      } finally {
        await restarted.close();
      }

      summary('crash-safety', {
        seed,
        organisations: ORGS,
        placements: work.length,
        requestsSent: sent,
        failedAttempts,
        retriedThenAcknowledged: retriedAcks,
        kills,
        acknowledged: acked.size,
        present,
        created: outcomes.created ?? 0,
        replayed: outcomes.replayed ?? 0,
        matchesExpected: expected.length,
        matchesFound: pairs.length,
        logbookEntries: verify.entries,
        webhooksPendingAtCrash: pending,
        webhooksDeliveredAfterRestart: delivered.length,
      });
    },
    scale(150_000, 1_800_000),
  );
});
