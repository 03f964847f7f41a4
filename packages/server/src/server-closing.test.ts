// The closing of what the server opened (server-closing.ts, docs/operations.md "Shutdown"): the
// last opened first, then the keys; a step that throws or rejects is logged by its code alone
// and the next one runs; the keys are zeroed whatever failed; each registration runs once.

import { SigningKey } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { createLogger } from './ops/logger.js';
import { ServerClosing } from './server-closing.js';

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
    const webhookKey = SigningKey.generate();
    const issuerKey = SigningKey.generate();
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
