// The service's closing list (closing.ts): the steps run the last opened first, each once; a
// step that fails is logged by its error's code alone — never its message, which can quote a
// path — and the next step runs, so the keys are zeroed and the lock released whatever failed.

import { describe, expect, it } from 'vitest';
import { ServiceClosing } from './closing.js';

describe('ServiceClosing', () => {
  it('runs every step, the last opened first, once; a failed step is logged by its code and the rest run', async () => {
    const log: string[] = [];
    const ran: string[] = [];
    const closing = new ServiceClosing((l) => log.push(l));
    closing.opened('lock', () => ran.push('lock'));
    closing.opened('keys', () => ran.push('keys'));
    closing.opened('nonces', async () => {
      ran.push('nonces');
      throw Object.assign(new Error('/var/lib/sluis-pseudonym/nonces.log: 999900006'), { code: 'EIO' });
    });
    closing.opened('logbook', () => {
      ran.push('logbook');
      throw new Error('no code: /var/lib/sluis-pseudonym/logbook.jsonl');
    });
    closing.opened('listener', () => ran.push('listener'));
    await closing.close();
    expect(ran).toEqual(['listener', 'logbook', 'nonces', 'keys', 'lock']);
    expect(log.map((l) => JSON.parse(l))).toEqual([
      { level: 'warn', event: 'close_step_failed', step: 'logbook' },
      { level: 'warn', event: 'close_step_failed', step: 'nonces', errorCode: 'EIO' },
    ]);
    expect(log.join('')).not.toContain('/var/lib');
    await closing.close();
    expect(ran).toHaveLength(5);
  });

  it('logs a code only when it cannot be a value (docs/leakage.md §3.4): a system code or a constant', async () => {
    const log: string[] = [];
    const closing = new ServiceClosing((l) => log.push(l));
    const failing = (code: string) => () => {
      throw Object.assign(new Error('x'), { code });
    };
    closing.opened('lock', failing('A123456789'));
    closing.opened('keys', failing('ERR_STREAM_DESTROYED'));
    closing.opened('nonces', failing('B12345678X'));
    closing.opened('logbook', failing('ENOSPC'));
    await closing.close();
    expect(log.map((l) => JSON.parse(l))).toEqual([
      { level: 'warn', event: 'close_step_failed', step: 'logbook', errorCode: 'ENOSPC' },
      { level: 'warn', event: 'close_step_failed', step: 'nonces' },
      { level: 'warn', event: 'close_step_failed', step: 'keys', errorCode: 'ERR_STREAM_DESTROYED' },
      { level: 'warn', event: 'close_step_failed', step: 'lock' },
    ]);
  });
});
