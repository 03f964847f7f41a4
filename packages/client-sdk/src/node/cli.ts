// The organisation CLI `sluis` (docs/sdk.md, "CLI"): parses the flags and dispatches to
// the command groups (cli-*-commands.ts). `main(argv, env, io)` is pure with respect to
// its inputs so tests run it in-process; runCli wires it to the real process.
// Invariant: no BSN, key or row content is ever printed; errors show codes, field
// names, statuses and correlation ids only.

import { SluisError } from '../errors.js';
import { describeArgvError, isArgvError } from './argv.js';
import { type Env, usageError } from './cli-config.js';
import { type CliIo, type Ctx, EXIT } from './cli-context.js';
import { agreements, consent, report } from './cli-collaboration-commands.js';
import { describe, errorJson, exitCodeFor } from './cli-errors.js';
import { csvJob } from './cli-import-commands.js';
import { covenantKey, keygen, whoami } from './cli-key-commands.js';
import { followup, matches } from './cli-match-commands.js';
import { OPTIONS, parseCliArgs, USAGE } from './cli-options.js';
import { people } from './cli-people-commands.js';
import { archiveNotices, signal, signals, withdraw } from './cli-signal-commands.js';
import { watchForClosedStdout } from './closed-stdout.js';
import { readHiddenLine } from './hidden-line.js';
import { pipedLines } from './piped-lines.js';
import { stopFinishing, stoppedExitCode, watchStopSignals } from './stop-signals.js';

// The entry path is public (bin/sluis.js, node/index.ts, tests): what used to be defined
// here is re-exported so importers keep working.
export { EXIT, table, type CliIo, type CliStream } from './cli-context.js';
export { exitCodeFor } from './cli-errors.js';
export { USAGE } from './cli-options.js';

const COMMANDS: Record<string, (ctx: Ctx) => Promise<number>> = {
  keygen,
  'covenant-key': covenantKey,
  whoami,
  signal,
  withdraw,
  signals,
  'archive-notices': archiveNotices,
  matches,
  followup,
  consent,
  agreements,
  report,
  import: (ctx) => csvJob(ctx, 'import'),
  migrate: (ctx) => csvJob(ctx, 'migrate'),
  people,
};

/** Runs one CLI invocation and returns its exit code. Never throws. */
export async function main(argv: readonly string[], env: Env, io: CliIo): Promise<number> {
  let json = argv.includes('--json');
  // The keys the command loaded (ctx.hold): zeroed below once it has returned or thrown, when
  // nothing of it runs any more — an import's batches and a --watch poll are awaited by then.
  const held: { destroy(): void }[] = [];
  const hold = <K extends { destroy(): void }>(key: K): K => {
    held.push(key);
    return key;
  };
  try {
    const { values, positionals } = parseCliArgs(argv);
    json = values.json === true;
    const command = positionals[0];
    if (values.help === true || command === undefined || command === 'help') {
      io.stdout.write(USAGE);
      return command === undefined && values.help !== true ? EXIT.usage : EXIT.ok;
    }
    const run = COMMANDS[command];
    // The unknown word is not echoed: a BSN typed in the wrong place must not reach a log.
    if (run === undefined) throw usageError('unknown command (see sluis --help)');
    return await run({ values, positionals, env, io, json, clock: io.clock ?? Date.now, hold });
  } catch (e) {
    // The command handed the stop signal on (to fetch, throwIfAborted), which rejected with its
    // reason, or with an error caused by it (the SDK's network_error): a stop, not a failure —
    // the stop line is on stderr already (stop-signals.ts).
    if (
      io.signal?.aborted === true &&
      (e === io.signal.reason || (e as { cause?: unknown })?.cause === io.signal.reason)
    )
      return stoppedExitCode(io.signal);
    if (e instanceof SluisError) {
      if (json) io.stdout.write(`${JSON.stringify({ error: errorJson(e) })}\n`);
      io.stderr.write(describe(e));
      return exitCodeFor(e);
    }
    if (isArgvError(e)) {
      const u = usageError(`${describeArgvError(e, OPTIONS)} (see sluis --help)`);
      if (json) io.stdout.write(`${JSON.stringify({ error: errorJson(u) })}\n`);
      io.stderr.write(describe(u));
      return exitCodeFor(u);
    }
    // Unexpected: say so without printing the error, which could hold input.
    if (json) io.stdout.write(`${JSON.stringify({ error: { code: 'internal' } })}\n`);
    io.stderr.write('error: unexpected failure\n');
    return EXIT.internal;
  } finally {
    for (const key of held.splice(0)) key.destroy();
  }
}

/** The process entry used by bin/sluis.js. */
export async function runCli(): Promise<void> {
  const argv = process.argv.slice(2);
  // A reader that stops early does not end the command (closed-stdout.ts): it exits with its own code.
  const stdoutClosed = watchForClosedStdout(process.stdout);
  // SIGINT or SIGTERM (stop-signals.ts): a long-running command stops after the batch or poll in
  // flight (an import records it); everything else, and a second signal, exits at once.
  const controller = new AbortController();
  const stopWatched = watchStopSignals({
    finishing: stopFinishing(argv),
    controller,
    stderr: process.stderr,
    exit: (code) => process.exit(code),
    on: (signal, listener) => process.on(signal, listener),
    off: (signal, listener) => process.off(signal, listener),
  });
  // On a terminal the BSN is typed without echo (hidden-line.ts); piped input is read as lines.
  const piped = pipedLines(process.stdin, process.stderr);
  const readLine = (prompt: string) =>
    process.stdin.isTTY ? readHiddenLine(prompt) : piped.readLine(prompt);
  const code = await main(argv, process.env, {
    stdout: process.stdout,
    stderr: process.stderr,
    readLine,
    signal: controller.signal,
    stdoutClosed,
  });
  // The command has returned: a signal from now on ends the process as Node.js does by default.
  stopWatched();
  piped.close();
  process.exitCode = code;
}
