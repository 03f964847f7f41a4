// Hono's router for the app, with the answer for a registered static path remembered
// (docs/performance.md "Eighth pass"). The route table has paths that Hono's RegExpRouter
// refuses, so its default SmartRouter settles on the TrieRouter, whose search walks the tree
// on every request (≈ 5 µs for POST /v1/signals with this table). The same TrieRouter answers
// here; a path the app registered without parameters or wildcards (`/v1/signals`) is
// answered from memory after its first match per method. Exact: a match depends only on the
// method, the path and the routes added, and any add forgets what was remembered; Hono
// reads a match, never changes it. Other paths (with ids, unknown ones) are searched every
// time, so what is remembered is bounded by the route table.

import type { Result, Router } from 'hono/router';
import { TrieRouter } from 'hono/router/trie-router';

const DYNAMIC = /[:*{?]/;
const MAX_METHODS = 16;

export class StaticRoutesRouter<T> implements Router<T> {
  readonly name = 'StaticRoutesRouter + TrieRouter';
  readonly #trie = new TrieRouter<T>();
  /** Registered static path → method → the trie's match. */
  readonly #matches = new Map<string, Map<string, Result<T>>>();

  add(method: string, path: string, handler: T): void {
    this.#trie.add(method, path, handler);
    for (const byMethod of this.#matches.values()) byMethod.clear();
    if (!DYNAMIC.test(path) && !this.#matches.has(path)) this.#matches.set(path, new Map());
  }

  match(method: string, path: string): Result<T> {
    const byMethod = this.#matches.get(path);
    if (byMethod === undefined) return this.#trie.match(method, path);
    let result = byMethod.get(method);
    if (result === undefined) {
      result = this.#trie.match(method, path);
      // node:http admits a few dozen method names; anything past these is searched each time.
      if (byMethod.size < MAX_METHODS) byMethod.set(method, result);
    }
    return result;
  }
}
