// Loaded into a bench server with `node --import` (bench/tools/promise-hops.ts): counts the
// promises the process creates and the promise reactions it runs (V8's promise hooks: `init`
// per promise, `before` per reaction job — an `await`'s resumption, a `then` callback), and on
// SIGUSR2 writes the counts so far to $SLUIS_HOPS_DIR/hops-<n>.json. With the hooks on, V8
// creates the throwaway promise of every `await` too, so `init` counts awaits as well.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promiseHooks } from 'node:v8';

let inits = 0;
let reactions = 0;
promiseHooks.createHook({
  init() {
    inits++;
  },
  before() {
    reactions++;
  },
});
const dir = process.env.SLUIS_HOPS_DIR;
let n = 0;
process.on('SIGUSR2', () => {
  if (dir === undefined) return;
  n++;
  writeFileSync(join(dir, `hops-${n}.json`), JSON.stringify({ inits, reactions }));
});
