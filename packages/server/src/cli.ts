#!/usr/bin/env node
// Process entry of `sluis-server` (bin/sluis-server.js imports this file). All logic is
// in cli/main.ts; this file only binds it to argv, the environment and the std streams.

import { endQuietlyWhenStdoutCloses } from '@sluis/client-sdk/node';
import { main } from './cli/main.js';
import { processIo } from './cli/process-io.js';

// Files the server creates (the database, its WAL and SHM, key files, backups) hold
// contact details, stored pseudonyms or secrets: owner-only, whatever the login umask.
process.umask(0o077);

const argv = process.argv.slice(2);
// A reader that stops early (`sluis-server admin … | head -1`) ends a one-shot command quietly
// with exit 0, as `sluis` does (docs/operations.md "The admin CLI"). Not the server itself, whose
// log lines go to stdout: a running server must not stop, and never with 0, for a lost reader.
if (['admin', 'help', 'version'].includes(argv[0] ?? '')) endQuietlyWhenStdoutCloses(process.stdout);

const code = await main(argv, process.env, processIo());
process.exitCode = code;
// Anything still holding the event loop (a stray keep-alive socket) must not keep a
// stopped server alive.
setTimeout(() => process.exit(code), 5000).unref();
