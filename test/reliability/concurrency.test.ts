// Concurrency (docs/reliability.md §2): many organisations signal the same person at the same instant
// against the real server process, while others withdraw (ended and in error) in the same
// burst. After each checked round the active matches must equal the pairwise set computed
// from the final state: one match per pair of active signals about the same person from
// different organisations — none missing, none duplicated, none left over.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  summary,
} from './support.js';

const ORGS = 12;
const ROUNDS = scale(60, 600);
const CHECK_EVERY = scale(10, 25);

let deployment: Deployment;
let orgs: Deployment['orgs'];

beforeAll(async () => {
  deployment = await deploy({ organisations: ORGS, args: LOAD_ARGS });
  orgs = deployment.orgs;
});
afterAll(async () => {
  try {
    await deployment?.server.stop();
  } finally {
    destroyKeys();
  }
});

describe('concurrency: the same person from many organisations at once', () => {
  it(
    'matches equal the pairwise set of the final state, with withdrawals interleaved',
    async () => {
      const seed = seedFromEnv();
      const random = prng(seed);
      // Two persons at a time, so same-instant placements collide on the same person.
      const persons = [JSON.stringify(randomPerson()), JSON.stringify(randomPerson())];
      /** (org index, person) → active signal id. */
      const active = new Map<string, string>();
      let requests = 0;
      let placements = 0;
      let withdrawals = 0;
      let checks = 0;
      let maxPairs = 0;

      const check = async () => {
        const final = [...active].map(([k, signalId]) => {
          const [o, person] = k.split('\u0000') as [string, string];
          return { signalId, orgId: orgs[Number(o)]!.id, person };
        });
        const expected = expectedPairs(final);
        const { pairs, problems } = await activeMatchPairs(orgs);
        expect(problems).toEqual([]);
        expect(pairs).toEqual(expected);
        maxPairs = Math.max(maxPairs, pairs.length);
        checks++;
      };

      for (let round = 0; round < ROUNDS; round++) {
        if (round > 0 && round % 8 === 0) persons[Math.floor(random() * 2)] = JSON.stringify(randomPerson());
        const burst: Promise<void>[] = [];
        for (let o = 0; o < ORGS; o++) {
          const person = persons[Math.floor(random() * persons.length)]!;
          const key = `${o}\u0000${person}`;
          const current = active.get(key);
          const client = orgs[o]!.client;
          const r = random();
          if (current === undefined && r < 0.75) {
            placements++;
            burst.push(
              client
                .call('POST', '/v1/signals', placementBody(randomUUID(), JSON.parse(person)))
                .then((a) => {
                  expect(a.status, a.text).toBe(201);
                  active.set(key, a.json<{ signal: { id: string } }>().signal.id);
                }),
            );
          } else if (current !== undefined && r < 0.5) {
            withdrawals++;
            const reason = random() < 0.5 ? 'ended' : 'error';
            burst.push(
              client.call('POST', `/v1/signals/${current}/withdraw`, { reason }).then((a) => {
                expect(a.status, a.text).toBe(reason === 'ended' ? 200 : 204);
                active.delete(key);
              }),
            );
          }
        }
        requests += burst.length;
        await Promise.all(burst);
        if ((round + 1) % CHECK_EVERY === 0 || round === ROUNDS - 1) await check();
      }

      summary('concurrency', {
        seed,
        organisations: ORGS,
        rounds: ROUNDS,
        requests,
        placements,
        withdrawals,
        checks,
        maxActivePairs: maxPairs,
      });
    },
    scale(120_000, 1_800_000),
  );
});
