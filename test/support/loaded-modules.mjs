// Loaded with `node --import` into a process under test: appends the URL of every module
// the process resolves (ESM `import`, static or dynamic) to the file named by
// SLUIS_LOADED_MODULES, one a line, from the module hooks' thread as each is resolved.
// test/e2e/start-loads.test.ts reads it to see what a server loads at start-up.

import { register } from 'node:module';

register('./loaded-modules-hooks.mjs', import.meta.url, { data: { file: process.env.SLUIS_LOADED_MODULES } });
