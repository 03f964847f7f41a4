// The re-keying job while the database is away (docs/operations.md "Logs"): one warning per
// outage, with the cause code and no stack — not an error every interval per instance.

import { EngineError, type Engine } from '@sluis/engine';
import { describe, expect, it } from 'vitest';
import type { LogFields, LogLevel } from '../ops/logger.js';
import { RekeyJob } from './rekey-job.js';

describe('RekeyJob', () => {
  it('logs server_secret_rekey_failed once per database outage, at warn, with the SQLSTATE', async () => {
    const lines: { level: LogLevel; event: string; fields: LogFields | undefined }[] = [];
    let down = true;
    // Only the two methods the job calls; the database's answer is the store's real error.
    const engine = {
      exclusive: async (_name: string, fn: () => Promise<unknown>) => {
        if (down)
          throw new EngineError('database_unavailable', 'the database cannot be reached', {
            dbCode: '57P01',
          });
        return fn();
      },
      rekeyBatch: async () => ({ done: true, completed: false }),
    } as unknown as Engine;
    const job = new RekeyJob({
      engine,
      logger: { log: (level, event, fields) => lines.push({ level, event, fields }) },
      intervalMs: 60_000,
    });
    const round = async () => {
      job.wake();
      await new Promise((r) => setTimeout(r, 20));
    };
    job.start();
    await new Promise((r) => setTimeout(r, 20));
    await round();
    await round();
    expect(lines).toEqual([
      {
        level: 'warn',
        event: 'server_secret_rekey_failed',
        fields: { errorCode: 'database_unavailable', dbCode: '57P01' },
      },
    ]);
    down = false;
    await round();
    down = true;
    await round();
    expect(lines).toHaveLength(2);
    await job.stop();
  });
});
