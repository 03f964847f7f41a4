// The server's turn logger (docs/operations.md "Logs"): the lines of one turn of the event loop
// in one write, byte for byte as one write per line puts them and in their order; a `warn` or
// `error` line at once; every line out on the way to exit, in real processes whose stdout is a
// pipe (process.exit, an uncaught exception, an unhandled rejection, a late `exit` listener, the
// real server's SIGTERM shutdown); and a stalled reader costs a bounded backlog and a counted
// `log_lines_dropped` line, not memory without end.

import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SERVER_CLI, tempDir } from '../../../../test/support/server-process.js';
import {
  createLogger,
  createTurnLogger,
  type LogFields,
  type LogLevel,
  logLinesDroppedTotal,
  MAX_BEHIND_BYTES,
} from './logger.js';
import { Metrics } from './metrics.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A sink that keeps each write, and how far it says it is behind. */
function recorder(behind = 0) {
  const writes: string[] = [];
  return { writes, writableLength: behind, write: (chunk: string) => writes.push(chunk) };
}

const LINES: [LogLevel, string, LogFields][] = [
  ['info', 'request', { route: '/v1/signals', status: 201, durationMs: 1.25, code: undefined }],
  ['debug', 'request_authenticated', { keyKind: 'organisation', keyId: 'k1' }],
  ['info', 'request', { route: '/v1/matches', status: 200, personId: null, flag: true }],
];

describe('createTurnLogger in one process', () => {
  it('writes one turn’s lines with one write, byte for byte as createLogger writes them', async () => {
    const clock = () => Date.UTC(2026, 11, 4, 12, 0, 0, 123);
    const sink = recorder();
    const one = recorder();
    const turn = createTurnLogger(sink, 'debug', clock);
    const each = createLogger(one, 'debug', clock);
    for (const [level, event, fields] of LINES) {
      turn.log(level, event, fields);
      each.log(level, event, fields);
    }
    expect(sink.writes).toEqual([]);
    await nextTurn();
    expect(sink.writes).toEqual([one.writes.join('')]);
    expect(one.writes).toHaveLength(3);
  });

  it('keeps the order across turns, one write a turn, and leaves out what is below the level', async () => {
    const sink = recorder();
    const logger = createTurnLogger(sink, 'info', () => 0);
    logger.log('info', 'a');
    logger.log('debug', 'hidden');
    logger.log('info', 'b');
    await nextTurn();
    logger.log('info', 'c');
    await nextTurn();
    await nextTurn();
    expect(
      sink.writes.map((w) =>
        w
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l).event),
      ),
    ).toEqual([['a', 'b'], ['c']]);
  });

  it('writes a warn or error line at once, with the turn’s lines before it', () => {
    const sink = recorder();
    const logger = createTurnLogger(sink, 'info', () => 0);
    logger.log('info', 'a');
    logger.log('warn', 'placement_rate_alert', { alertsSinceStart: 1 });
    expect(sink.writes).toHaveLength(1);
    logger.log('info', 'b');
    logger.log('error', 'server_fault', { code: 'disk_full' });
    expect(
      sink.writes.map((w) =>
        w
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l).event),
      ),
    ).toEqual([
      ['a', 'placement_rate_alert'],
      ['b', 'server_fault'],
    ]);
  });

  it('flush writes what is held at once', () => {
    const sink = recorder();
    const logger = createTurnLogger(sink, 'info', () => 0);
    logger.flush();
    expect(sink.writes).toEqual([]);
    logger.log('info', 'a');
    logger.flush();
    expect(sink.writes).toHaveLength(1);
  });

  it('drops and counts the lines while the stream is too far behind, then says how many', async () => {
    const sink = recorder(MAX_BEHIND_BYTES + 1);
    const logger = createTurnLogger(sink, 'info', () => 0);
    logger.log('info', 'a');
    logger.log('info', 'b');
    await nextTurn();
    logger.log('error', 'c');
    expect(sink.writes).toEqual([]);
    sink.writableLength = MAX_BEHIND_BYTES;
    logger.log('info', 'd');
    await nextTurn();
    expect(sink.writes).toEqual([
      '{"time":"1970-01-01T00:00:00.000Z","level":"error","event":"log_lines_dropped","lines":3}\n' +
        '{"time":"1970-01-01T00:00:00.000Z","level":"info","event":"d"}\n',
    ]);
  });
});

describe('a dropped count with no line after it', () => {
  it('is written when the stream drains, and /metrics counts the dropped lines', async () => {
    const listeners: (() => void)[] = [];
    const sink = {
      ...recorder(MAX_BEHIND_BYTES + 1),
      once: (_event: 'drain', listener: () => void) => listeners.push(listener),
    };
    const before = logLinesDroppedTotal();
    const logger = createTurnLogger(sink, 'info', () => 0);
    logger.log('info', 'a');
    logger.log('error', 'b');
    expect(sink.writes).toEqual([]);
    expect(listeners).toHaveLength(1);
    sink.writableLength = 0;
    for (const l of listeners.splice(0)) l();
    expect(sink.writes).toEqual([
      '{"time":"1970-01-01T00:00:00.000Z","level":"error","event":"log_lines_dropped","lines":2}\n',
    ]);
    expect(logLinesDroppedTotal() - before).toBe(2);
    const metrics = new Metrics();
    try {
      expect(metrics.render(undefined)).toContain(
        `\nsluis_log_lines_dropped_total ${logLinesDroppedTotal()}\n`,
      );
    } finally {
      metrics.stop();
    }
  });
});

/** The child's output and exit code, its stdout read only after `stalled` when it stalls. */
function child(end: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const script = join(import.meta.dirname, 'logger-child.test-util.ts');
  const p = spawn(process.execPath, ['--conditions=sluis-source', '--import', 'tsx', script, end], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  p.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  p.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    if (end === 'stalled' && stderr.includes('stalled\n')) p.stdout.resume();
  });
  if (end === 'stalled') p.stdout.pause();
  return new Promise((resolve) => p.on('close', (code) => resolve({ stdout, stderr, code })));
}

const line = (event: string, n?: number) =>
  `{"time":"1970-01-01T00:00:00.000Z","level":"info","event":"${event}"${n === undefined ? '' : `,"n":${n}`}}\n`;
const SIX = [0, 1, 2, 3, 4, 5].map((n) => line('request', n)).join('');

describe('every line out on the way to exit (a child process, stdout a pipe)', () => {
  it.each([
    ['exit', 0, ''],
    ['throw', 1, ''],
    ['reject', 1, ''],
    ['late', 0, line('late')],
    ['natural', 0, ''],
  ])('%s: all lines in order, exit code %i', async (end, code, after) => {
    const r = await child(end);
    expect(r.stdout).toBe(SIX + after);
    expect(r.code).toBe(code);
  });

  it('a stalled reader: the backlog stays bounded, the gap is counted, and logging resumes', async () => {
    const r = await child('stalled');
    expect(r.code).toBe(0);
    const behind = Number(/behind (\d+)/.exec(r.stderr)?.[1]);
    // At most the bound and one turn's lines (1,000 of ≈ 80 bytes) on top of it.
    expect(behind).toBeGreaterThan(MAX_BEHIND_BYTES);
    expect(behind).toBeLessThan(MAX_BEHIND_BYTES + 200_000);
    const lines = r.stdout.split('\n').filter(Boolean);
    const written = lines.findIndex((l) => l.includes('log_lines_dropped'));
    expect(written).toBeGreaterThan(0);
    for (let n = 0; n < written; n++) expect(`${lines[n]}\n`).toBe(line('request', n));
    const dropped = JSON.parse(lines[written]!) as { level: string; lines: number };
    expect(dropped.level).toBe('error');
    expect(written + dropped.lines).toBe(3 + 200 * 1000);
    expect(lines.slice(written + 1)).toEqual([line('after').trimEnd()]);
  });
});

describe('the server on SIGTERM (the built CLI, --log-level info, stdout a pipe)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = tempDir('sluis-turn-log-');
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes every request line and then server_stopping and server_stopped', async () => {
    const p = spawn(
      process.execPath,
      [SERVER_CLI, 'start', '--data-dir', dataDir, '--port', '0', '--log-level', 'info'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'test' } },
    );
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    const closed = new Promise<number | null>((resolve) => p.on('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no start: ${stderr}`)), 20_000);
      p.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const m = /listening on (http:\/\/\S+)/.exec(stderr);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
    });
    // Requests in flight together, so that several answers' lines fall in one turn.
    const answers = await Promise.all(Array.from({ length: 40 }, () => fetch(`${url}/healthz`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    p.kill('SIGTERM');
    expect(await closed).toBe(0);
    expect(stdout.endsWith('\n')).toBe(true);
    const events = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { event: string; route?: string });
    expect(events.filter((e) => e.event === 'request' && e.route === '/healthz')).toHaveLength(40);
    expect(events.slice(-2).map((e) => e.event)).toEqual(['server_stopping', 'server_stopped']);
    expect(events.findIndex((e) => e.event === 'server_started')).toBeLessThan(
      events.findIndex((e) => e.event === 'request'),
    );
  });
});
