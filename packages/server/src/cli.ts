#!/usr/bin/env node
// Process entry of `sluis-server` (bin/sluis-server.js imports this file). All logic is
// in cli/main.ts; this file only binds it to argv, the environment and the std streams.

import { main } from './cli/main.js';
import { processIo } from './cli/process-io.js';

// Files the server creates (the database, its WAL and SHM, key files, backups) hold
// contact details, stored pseudonyms or secrets: owner-only, whatever the login umask.
process.umask(0o077);

const code = await main(process.argv.slice(2), process.env, processIo());
process.exitCode = code;
// Anything still holding the event loop (a stray keep-alive socket) must not keep a
// stopped server alive.
setTimeout(() => process.exit(code), 5000).unref();
