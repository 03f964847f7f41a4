// The re-keying job (docs/operations.md "Logs"): `server_secret_rekeying` names the rotation
// (its generation) and why this instance re-keys (a rotation under way), on a real engine
// and SQLite file; while the database is away, one warning per outage, with the cause code
// and no stack — not an error every interval per instance.

import { randomBytes } from 'node:crypto';
import { EngineError, type Engine } from '@sluis/engine';
import { describe, expect, it } from 'vitest';
import type { LogFields, LogLevel } from '../ops/logger.js';
import { BSN_A, BSN_B, makeHarness } from '../testing/harness.js';
import { RekeyJob } from './rekey-job.js';

describe('RekeyJob', () => {
  it('server_secret_rekeying names the generation and the reason; the completion follows', async () => {
    const h = await makeHarness();
    try {
      const a = await h.admit('Jeugdzorg Rijnmond');
      for (const bsn of [BSN_A, BSN_B]) {
        const r = await h.call(a.key, 'POST', '/v1/signals', { body: h.placement(bsn, 'J. de Vries') });
        expect(r.status).toBe(201);
      }
      await h.engine.beginSecretRotation({ kind: 'admin', keyId: 'admin-key' }, randomBytes(32));
      const lines: { event: string; fields: LogFields | undefined }[] = [];
      const job = new RekeyJob({
        engine: h.engine,
        logger: { log: (_level, event, fields) => lines.push({ event, fields }) },
        intervalMs: 60_000,
        batchSize: 1,
      });
      job.start();
      const end = Date.now() + 10_000;
      while (!lines.some((l) => l.event === 'server_secret_rotation_completed') && Date.now() < end)
        await new Promise((r) => setTimeout(r, 20));
      await job.stop();
      expect(lines.map((l) => l.event)).toEqual([
        'server_secret_rekeying',
        'server_secret_rotation_completed',
      ]);
      expect(lines[0]!.fields).toEqual({ generation: 2, reason: 'rotation' });
    } finally {
      await h.close();
    }
  });

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

  it('a newer key file missing is a warn line once, without a stack, not an error every interval', async () => {
    const lines: { level: LogLevel; event: string; fields: LogFields | undefined }[] = [];
    // The refusal the engine gives while keys/ lacks the generation the store records.
    const engine = {
      exclusive: async () => {
        throw new EngineError('secret_generation_missing', 'the key file is missing', { generation: 2 });
      },
      rekeyBatch: async () => ({ done: true, completed: false }),
    } as unknown as Engine;
    const job = new RekeyJob({
      engine,
      logger: { log: (level, event, fields) => lines.push({ level, event, fields }) },
      intervalMs: 60_000,
    });
    job.start();
    for (let i = 0; i < 3; i++) {
      job.wake();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(lines).toEqual([
      {
        level: 'warn',
        event: 'server_secret_rekey_failed',
        fields: { errorCode: 'secret_generation_missing' },
      },
    ]);
    await job.stop();
  });
});
