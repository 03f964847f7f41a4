// The test clock routes (TEST ONLY). Invariant: they are added to the route table only
// when the server was started with the test clock, which is refused outside
// NODE_ENV=test (cli/config-validation.ts), so in production they do not exist at all.

import type { TestClock } from '../clock.js';
import { type AnyRoute, defineRoute, ok } from '../http/route.js';
import * as S from '../http/schemas.js';
import { iso } from '../http/wire.js';

const DAY_MS = 86_400_000;

/**
 * The test clock routes. Only added to the table when the server was started with the
 * test clock (never in production, cli/config-validation.ts), so otherwise they do not exist at all.
 */
export function testClockRoutes(testClock: TestClock): readonly AnyRoute[] {
  const view = () => ({ now: iso(testClock.now()), offsetMs: testClock.offsetMs });
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/admin/test/clock',
      role: 'admin',
      roles: ['administrator'],
      operationId: 'getTestClock',
      summary: 'TEST ONLY: the server’s current (test) time',
      tag: 'test',
      responses: { 200: ok('The time', S.TestClockOut) },
      handler: async () => ({ status: 200, body: view() }),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/admin/test/clock',
      role: 'admin',
      roles: ['administrator'],
      operationId: 'advanceTestClock',
      summary: 'TEST ONLY: move the server’s clock forward',
      tag: 'test',
      body: S.TestClockBody,
      responses: { 200: ok('The new time', S.TestClockOut) },
      handler: async ({ body }) => {
        testClock.advance((body.advanceDays ?? 0) * DAY_MS + (body.advanceSeconds ?? 0) * 1000);
        return { status: 200, body: view() };
      },
    }),
  ];
}
