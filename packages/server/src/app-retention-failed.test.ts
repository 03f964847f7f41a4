// An administrator's retention run (`POST /v1/admin/retention/run`) that fails as a whole, on a
// real fault: another writer holds the SQLite file's write lock past the busy timeout, as
// `sluis-server retention` run next to the server can (docs/api.md "Errors (RFC 9457)", the 503
// row). The route answers 503 `unavailable` and logs one `retention_failed`, `by: 'admin'`, with
// the cause's code and no value (docs/operations.md "Logs"); once the lock is gone the same call
// runs and logs `retention_run`.

import { join } from 'node:path';
import { openSqliteStore } from '@sluis/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { makeHarness } from './testing/harness.js';

const h = await makeHarness();
afterAll(async () => h.close());

/** The harness's log lines with `event`, parsed. */
const events = (event: string) =>
  h.logs
    .flatMap((l) => l.split('\n').filter((x) => x !== ''))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.event === event);

describe('an admin retention run that fails as a whole', () => {
  it('answers 503 unavailable and logs retention_failed by admin with the cause; runs once the lock is gone', async () => {
    // A second store on the server's own file (its own connection), in a write transaction
    // that stays open until `release` — the write lock another process would hold.
    const other = openSqliteStore({ path: join(h.dir, 'sluis.db') });
    let release!: () => void;
    let holding!: () => void;
    const held = new Promise<void>((r) => {
      holding = r;
    });
    const writing = other.write(async () => {
      holding();
      await new Promise<void>((r) => {
        release = r;
      });
    });
    await held;
    let refused: Response;
    try {
      refused = await h.call(h.admin, 'POST', '/v1/admin/retention/run', { body: {} });
    } finally {
      release();
      await writing;
      await other.close();
    }
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await refused.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 503, code: 'unavailable' });

    const failed = events('retention_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      level: 'error',
      by: 'admin',
      errorName: 'EngineError',
      errorCode: 'database_busy',
    });
    // Codes and frames only: no message, no path of the database file.
    expect(JSON.stringify(failed[0])).not.toContain('locked by another process');
    expect(JSON.stringify(failed[0])).not.toContain(h.dir);
    expect(events('retention_run')).toEqual([]);

    const ran = await h.call(h.admin, 'POST', '/v1/admin/retention/run', { body: {} });
    expect(ran.status).toBe(200);
    expect(events('retention_run')).toMatchObject([{ level: 'info', by: 'admin' }]);
    expect(events('retention_failed')).toHaveLength(1);
  });
});
