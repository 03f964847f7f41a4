// What the server's request log line costs its main thread (docs/performance.md "Eighteenth
// pass", "Nineteenth pass"): the app logs one line per request (app.ts) at `info`, the server's
// default, while the benchmark's servers run at `--log-level warn` (lib/bench-server.ts), so no
// figure of bench/ includes it. A placement's request fields are logged to process.stdout
// (as the server's start does) in three ways, in alternated rounds whose order rotates so that
// each comes first as often: `line`, one write per line (createLogger, the server's logger
// before the Nineteenth pass); `turn`, the lines of a turn of the event loop in one write
// (createTurnLogger, the server's since); `warn`, the logger at `warn`, where the line is not
// written at all. The CPU of this process per call is printed, and per round turn ÷ line.
// Run it with stdout going where a server's goes (a pipe to another process, as to journald or
// a container runtime): `… | cat > /dev/null`. Not part of `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/request-log-cost.ts [rounds] [lines] [per turn] | cat > /dev/null

import { randomUUID } from 'node:crypto';
import { createLogger, createTurnLogger, type Logger } from '@sluis/server';
import { spread } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 8);
const lines = Number(process.argv[3] ?? 20_000);
const perTurn = Number(process.argv[4] ?? 64);

type Way = 'line' | 'turn' | 'warn';
const LOGGERS: Record<Way, () => Logger> = {
  line: () => createLogger(process.stdout, 'info'),
  turn: () => createTurnLogger(process.stdout, 'info'),
  warn: () => createLogger(process.stdout, 'warn'),
};

/** `lines` request lines as app.ts logs a created placement, `perTurn` a turn of the event loop. */
async function round(way: Way): Promise<number> {
  const logger = LOGGERS[way]();
  const organisationId = randomUUID();
  const c0 = process.cpuUsage();
  for (let i = 0; i < lines; i += perTurn) {
    for (let j = 0; j < perTurn; j++) {
      logger.log('info', 'request', {
        route: '/v1/signals',
        method: 'POST',
        status: 201,
        durationMs: Math.round(Math.random() * 2000) / 100,
        organisationId,
        adminKeyId: undefined,
        personId: undefined,
        correlationId: randomUUID(),
        requestId: undefined,
        code: undefined,
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / lines;
}

const ORDERS: Way[][] = [
  ['line', 'turn', 'warn'],
  ['warn', 'turn', 'line'],
  ['turn', 'warn', 'line'],
  ['line', 'warn', 'turn'],
  ['warn', 'line', 'turn'],
  ['turn', 'line', 'warn'],
];
const us: Record<Way, number[]> = { line: [], turn: [], warn: [] };
// Round 0 warms up and is not kept.
for (let i = 0; i < rounds + 1; i++) {
  for (const way of ORDERS[i % ORDERS.length]!) {
    const t = await round(way);
    if (i > 0) us[way].push(t);
  }
}
const f = (xs: number[], digits = 2) => {
  const s = spread(xs);
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
};
const warn = spread(us.warn).median;
process.stderr.write(
  `CPU per request line, µs (median, min–max over ${rounds} rounds of ${lines}, ${perTurn} a turn): line ${f(us.line)}, turn ${f(us.turn)}, warn ${f(us.warn)}\n` +
    `the line itself: line ${(spread(us.line).median - warn).toFixed(2)} µs, turn ${(spread(us.turn).median - warn).toFixed(2)} µs; turn ÷ line per round ${f(
      us.turn.map((t, i) => t / us.line[i]!),
    )}\n`,
);
