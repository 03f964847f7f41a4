// What the server's request log line costs its main thread (docs/performance.md "Eighteenth
// pass"): the app logs one line per request (app.ts) at `info`, the server's default, while the
// benchmark's servers run at `--log-level warn` (lib/bench-server.ts), so no figure of
// bench/ includes it. The server's own logger (createLogger, writing to process.stdout as the
// server's start does) is called with a placement's request fields, at `info` and at `warn`
// in alternated rounds, and the CPU of this process per call is printed. Run it with stdout
// going where a server's goes (a pipe to another process, as to journald or a container
// runtime): `… | cat > /dev/null`. Not part of `pnpm bench`; nothing asserted.
//   node --conditions=sluis-source --import tsx bench/tools/request-log-cost.ts [rounds] [lines] | cat > /dev/null

import { randomUUID } from 'node:crypto';
import { createLogger, type LogLevel } from '@sluis/server';
import { spread } from '../lib/stats.js';

const rounds = Number(process.argv[2] ?? 8);
const lines = Number(process.argv[3] ?? 20_000);

/** `lines` request lines as app.ts logs a created placement, one per turn of the event loop in batches of 64. */
async function round(level: LogLevel): Promise<number> {
  const logger = createLogger(process.stdout, level);
  const organisationId = randomUUID();
  const c0 = process.cpuUsage();
  for (let i = 0; i < lines; i += 64) {
    for (let j = 0; j < 64; j++) {
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

const us: Record<LogLevel, number[]> = { debug: [], info: [], warn: [], error: [] };
for (let i = 0; i < rounds + 1; i++) {
  for (const level of (i % 2 === 0 ? ['info', 'warn'] : ['warn', 'info']) as LogLevel[]) {
    const t = await round(level);
    if (i > 0) us[level].push(t);
  }
}
const info = spread(us.info);
const warn = spread(us.warn);
process.stderr.write(
  `CPU per request line, µs (median, min–max over ${rounds} rounds of ${lines}): info ${info.median.toFixed(2)} (${info.min.toFixed(2)}–${info.max.toFixed(2)}), warn ${warn.median.toFixed(2)} (${warn.min.toFixed(2)}–${warn.max.toFixed(2)}); the line itself ${(info.median - warn.median).toFixed(2)} µs\n`,
);
