// `start`'s settings (cli-start.ts): the stop's time limit from --shutdown-timeout, else
// SLUIS_PSEUDONYM_SHUTDOWN_TIMEOUT, else 10 s; outside 0–600 a usage error naming the flag only.

import { describe, expect, it } from 'vitest';
import { startConfig } from './cli-start.js';

describe('start settings', () => {
  it('--shutdown-timeout: the flag, else the environment, else 10; 0 to 600', () => {
    expect(startConfig('/d', {}, {}).shutdownTimeoutSeconds).toBe(10);
    expect(startConfig('/d', {}, { SLUIS_PSEUDONYM_SHUTDOWN_TIMEOUT: '0' }).shutdownTimeoutSeconds).toBe(0);
    expect(
      startConfig('/d', { 'shutdown-timeout': '25' }, { SLUIS_PSEUDONYM_SHUTDOWN_TIMEOUT: '3' })
        .shutdownTimeoutSeconds,
    ).toBe(25);
    for (const bad of ['601', '-1', '1.5', 'ten'])
      expect(() => startConfig('/d', { 'shutdown-timeout': bad }, {})).toThrow(
        expect.objectContaining({
          code: 'usage_invalid',
          message: 'usage_invalid: --shutdown-timeout must be an integer from 0 to 600',
        }),
      );
  });
});
