// The app's router (static-routes-router.ts) answers every method and path exactly as Hono's
// TrieRouter with the same routes: the app's own route table with its middleware, portal and
// 405 routes, asked for every registered path with every method, for paths with ids, for
// unknown and look-alike paths, each twice (the second answer from memory), and again after
// a route is added.

import fc from 'fast-check';
import { TrieRouter } from 'hono/router/trie-router';
import { describe, expect, it } from 'vitest';
import { routeTable } from '../app-options.js';
import { honoPath } from './route.js';
import { StaticRoutesRouter } from './static-routes-router.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'QUERY'];

function both(): { mine: StaticRoutesRouter<number>; trie: TrieRouter<number>; paths: string[] } {
  const mine = new StaticRoutesRouter<number>();
  const trie = new TrieRouter<number>();
  let n = 0;
  const add = (method: string, path: string) => {
    mine.add(method, path, n);
    trie.add(method, path, n++);
  };
  // As app.ts registers them: middleware, the portal, the table, the 405 routes.
  add('ALL', '*');
  add('ALL', '*');
  add('GET', '/portal');
  add('GET', '/portal/*');
  const routes = routeTable({ testClock: { now: () => 0, set: () => undefined } as never });
  for (const r of routes) add(r.method, honoPath(r.path));
  const paths = [...new Set(routes.map((r) => r.path))];
  for (const p of paths) add('ALL', honoPath(p));
  return { mine, trie, paths };
}

function same(mine: StaticRoutesRouter<number>, trie: TrieRouter<number>, method: string, path: string) {
  const want = JSON.stringify(trie.match(method, path));
  expect(JSON.stringify(mine.match(method, path)), `${method} ${path}`).toBe(want);
  expect(JSON.stringify(mine.match(method, path)), `${method} ${path} again`).toBe(want);
}

describe('StaticRoutesRouter', () => {
  it('matches as the TrieRouter does, from memory or not', () => {
    const { mine, trie, paths } = both();
    const concrete = paths.map((p) => p.replace(/\{[A-Za-z]+\}/g, '6f9619ff-8b86-d011-b42d-00cf4fc964ff'));
    const extra = [
      '/',
      '/v1',
      '/v1/',
      '/v1/signals/',
      '/V1/signals',
      '/v1/signals/batch',
      '/portal',
      '/portal/x',
    ];
    for (const path of [...concrete, ...extra]) for (const m of METHODS) same(mine, trie, m, path);
    fc.assert(
      fc.property(
        fc.constantFrom(...METHODS),
        fc.oneof(fc.constantFrom(...concrete, ...extra), fc.webPath()),
        (m, path) => same(mine, trie, m, path),
      ),
      { numRuns: 2000 },
    );
    // A route added after matches were remembered is seen by both.
    mine.add('POST', '/v1/signals', 999);
    trie.add('POST', '/v1/signals', 999);
    for (const m of METHODS) same(mine, trie, m, '/v1/signals');
    expect(JSON.stringify(mine.match('POST', '/v1/signals'))).toContain('999');
  });
});
