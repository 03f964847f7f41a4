// The closing of what the server opened (server-closing.ts, docs/operations.md "Shutdown"): the
// last opened first, then the keys; a step that throws or rejects is logged by its code alone
// and the next one runs; the keys are zeroed whatever failed; each registration runs once.
// And the order in which a real start registers its steps: a failed start closes the database,
// then the metrics' sampling, then tracing; the stop walks the whole list in the documented order.

import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SigningKey } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from './cli/config.js';
import { createLogger } from './ops/logger.js';
import { type CloseStep, ServerClosing } from './server-closing.js';
import { startServer } from './server.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

/** A closing with a real logger writing to `lines`, and `ran` recording every step in order. */
function setUp() {
  const lines: string[] = [];
  const closing = new ServerClosing(createLogger({ write: (l: string) => lines.push(l) }, 'debug'));
  const ran: string[] = [];
  const events = () =>
    lines.map((l) => {
      const { time: _t, ...e } = JSON.parse(l) as Record<string, unknown>;
      return e;
    });
  return { closing, ran, lines, events };
}

describe('ServerClosing', () => {
  it('walks the steps the last opened first, then zeroes the keys the last registered first', async () => {
    const { closing, ran, events } = setUp();
    closing.keys(() => ran.push('issuer key'));
    closing.keys(() => ran.push('webhook key'));
    closing.opened('tracing', () => ran.push('tracing'));
    closing.keys(() => ran.push('server keys'));
    closing.opened('metrics', () => ran.push('metrics'));
    closing.opened('database', async () => {
      await new Promise((r) => setTimeout(r, 5));
      ran.push('database');
    });
    closing.opened('webhooks', () => ran.push('webhooks'));
    await closing.close();
    expect(ran).toEqual([
      'webhooks',
      'database',
      'metrics',
      'tracing',
      'server keys',
      'webhook key',
      'issuer key',
    ]);
    expect(events()).toEqual([]);
  });

  it('a step that throws or rejects is logged by its code alone, and every later step runs', async () => {
    const { closing, ran, lines, events } = setUp();
    closing.opened('database', () => ran.push('database'));
    closing.opened('metrics', () => {
      throw Object.assign(new Error('cannot stop /var/lib/sluis/keys/server-secret-1.key'), {
        code: 'EPERM',
      });
    });
    closing.opened('gauges', () => Promise.reject(new Error('no code, a message with 123456782')));
    closing.opened('webhooks', () => {
      throw Object.assign(new Error('odd'), { code: 'not a code: 123456782' });
    });
    closing.keys(() => ran.push('keys'));
    await closing.close();
    expect(ran).toEqual(['database', 'keys']);
    expect(events()).toEqual([
      { level: 'warn', event: 'close_step_failed', step: 'webhooks', errorCode: '(not a code)' },
      { level: 'warn', event: 'close_step_failed', step: 'gauges' },
      { level: 'warn', event: 'close_step_failed', step: 'metrics', errorCode: 'EPERM' },
    ]);
    const log = lines.join('\n');
    expect(log).not.toContain('cannot stop');
    expect(log).not.toContain('server-secret');
    expect(log).not.toContain('123456782');
  });

  it('the keys are zeroed when steps and an earlier zeroing throw', async () => {
    const { closing, events } = setUp();
    const webhookKey = caseSigningKey();
    const issuerKey = caseSigningKey();
    const seed = (k: SigningKey) => Buffer.from(k.exportSeed());
    closing.keys(() => issuerKey.destroy());
    closing.keys(() => webhookKey.destroy());
    closing.keys(() => {
      throw Object.assign(new Error('x'), { code: 'EIO' });
    });
    closing.opened('database', () => {
      throw Object.assign(new Error('x'), { code: 'ECONNRESET' });
    });
    expect(seed(webhookKey).some((b) => b !== 0)).toBe(true);
    await closing.close();
    expect(seed(webhookKey).every((b) => b === 0)).toBe(true);
    expect(seed(issuerKey).every((b) => b === 0)).toBe(true);
    expect(events().map((e) => [e.step, e.errorCode])).toEqual([
      ['database', 'ECONNRESET'],
      ['keys', 'EIO'],
    ]);
  });

  it('runs each registration once: a second close does nothing, a later registration runs at the next', async () => {
    const { closing, ran } = setUp();
    closing.opened('database', () => ran.push('database'));
    closing.keys(() => ran.push('keys'));
    await closing.close();
    await closing.close();
    closing.opened('tracing', () => ran.push('tracing'));
    await closing.close();
    expect(ran).toEqual(['database', 'keys', 'tracing']);
  });
});

// Observed through the registrations themselves: every step the start registers is recorded
// when the closing runs it, and then runs as registered (the real database, metrics, tracing).
describe("the server's closing order (a real start on SQLite, tracing on)", () => {
  let dir: string;
  // The port the failing start cannot listen on, and the tracing endpoint: it drops every
  // connection at once, so an export (none happens today) would fail fast rather than wait for
  // an answer, and `taken.close()` has no connection to wait for.
  const taken = createServer((socket) => socket.destroy());
  let takenPort: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluis-server-closing-order-'));
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    takenPort = (taken.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => taken.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Starts a server on `port` with tracing on; the steps its closing ran, in order, and its
   * events. A server that starts is closed again at once; when `shouldStart` is false, its start
   * is reported as the error 'started' (a listen that no longer fails leaves nothing open).
   */
  async function run(port: number, shouldStart: boolean) {
    const ran: CloseStep[] = [];
    const lines: string[] = [];
    const register = ServerClosing.prototype.opened;
    const spy = vi.spyOn(ServerClosing.prototype, 'opened').mockImplementation(function (
      this: ServerClosing,
      step: CloseStep,
      close: () => unknown,
    ) {
      register.call(this, step, () => {
        ran.push(step);
        return close();
      });
    });
    try {
      const started = startServer({
        config: loadConfig({
          flags: {
            'data-dir': dir,
            host: '127.0.0.1',
            port: String(port),
            // Nothing is exported (no request is served); `taken` drops any connection.
            'otlp-endpoint': `http://127.0.0.1:${takenPort}/v1/traces`,
          },
          env: { NODE_ENV: 'test' },
          cwd: dir,
        }),
        logger: createLogger({ write: (l: string) => lines.push(l) }, 'debug'),
      });
      const error = await started.then(
        async (server) => {
          await server.close();
          return shouldStart ? undefined : new Error('started');
        },
        (e: unknown) => e,
      );
      const events = lines.map((l) => (JSON.parse(l) as { event: string }).event);
      return { ran, error, events };
    } finally {
      spy.mockRestore();
    }
  }

  it('a start that fails at the listen closes the database, then the metrics’ sampling, then tracing', async () => {
    const r = await run(takenPort, false);
    expect(r.error).toMatchObject({ code: 'EADDRINUSE' });
    expect(r.ran).toEqual(['database', 'metrics', 'tracing']);
    expect(r.events).not.toContain('close_step_failed');
  });

  it('the stop walks the workers, the gauges, the listener, the database, the metrics’ sampling, tracing', async () => {
    const r = await run(0, true);
    expect(r.error).toBeUndefined();
    expect(r.ran).toEqual([
      'webhooks',
      'mail',
      'retention',
      'rekey',
      'gauges',
      'listener',
      'database',
      'metrics',
      'tracing',
    ]);
    expect(r.events).not.toContain('close_step_failed');
    expect(r.events.at(-1)).toBe('server_stopped');
  });
});
