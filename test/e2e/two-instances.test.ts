// Two real server processes on one PostgreSQL database are one service (docs/engine.md
// "Storage contract"): placements for one person sent concurrently through both give
// exactly the pairwise matches, a key revoked or an organisation suspended on one is refused
// by the other at its next request, and a request replayed on the other instance is refused.
// A throwaway cluster (test/support/postgres.ts); skipped without server binaries.

import { createClient, isSluisError } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Org, World } from '../support/e2e-world.js';
import { psql } from '../support/postgres.js';
import { type ServerProcess, startServer } from '../support/server-process.js';

const url = inject('postgresUrl');
const name = `sluis_two_${process.pid}`;
let w: World;
let b: ServerProcess;

describe.skipIf(url === '')('two server processes on one PostgreSQL database', () => {
  beforeAll(async () => {
    // (each organisation is admitted through the admin CLI, a process of its own)
    psql(url, `CREATE DATABASE ${name}`);
    const db = url.replace(/\/postgres$/, `/${name}`);
    w = new World();
    await w.start({ args: ['--database-url', db] });
    // The second instance shares the data directory's keys (server secret, admin key).
    b = await startServer({ dataDir: w.server.dataDir, args: ['--database-url', db], sink: w.serverOutput });
  });

  afterAll(async () => {
    await b?.stop();
    await w?.close();
    psql(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('placements for one person through both instances at once give exactly the pairwise matches', async () => {
    const orgs: Org[] = [];
    for (let i = 0; i < 6; i++) orgs.push(await w.organisation(`Organisation ${i}`));
    const viaB = (o: Org) =>
      createClient({
        serverUrl: b.url,
        signingKey: o.signingKey,
        pseudonymKeys: [w.pseudonymKey],
        clock: w.clock,
      });
    const bsn = w.bsn();
    const placed = await Promise.all(
      orgs.map((o, i) =>
        (i % 2 === 0 ? o.client : viaB(o)).placeSignal({
          bsn,
          contact: w.contact('mentor'),
          informed: { status: 'not_yet' },
        }),
      ),
    );
    expect(placed.map((p) => p.outcome)).toEqual(Array(6).fill('created'));
    for (const [i, o] of orgs.entries()) {
      const inbox = await (i % 2 === 0 ? viaB(o) : o.client).matches();
      expect(inbox.items.length).toBe(5);
    }
  }, 180_000);

  it('a key revoked or an organisation suspended through one instance is refused by the other at its next request', async () => {
    const viaB = (o: Org) =>
      createClient({
        serverUrl: b.url,
        signingKey: o.signingKey,
        pseudonymKeys: [w.pseudonymKey],
        clock: w.clock,
        retries: 0,
      });
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (e: unknown) => (isSluisError(e) ? e.details.problemCode : 'other'),
      );
    const revoked = await w.organisation('Revoked on A');
    expect(await refusal(viaB(revoked).whoami())).toBe('accepted');
    const r = await w.admin(['revoke-key', '--key-id', revoked.signingKey.keyId]);
    expect(r.code, r.stderr).toBe(0);
    expect(await refusal(viaB(revoked).whoami())).toBe('key_revoked');

    const suspended = await w.organisation('Suspended on A');
    expect(await refusal(viaB(suspended).whoami())).toBe('accepted');
    const s = await w.admin(['suspend', '--id', suspended.id]);
    expect(s.code, s.stderr).toBe(0);
    expect(await refusal(viaB(suspended).whoami())).toBe('organisation_suspended');
    // Reinstated on A: served by B again at once.
    expect((await w.admin(['reinstate', '--id', suspended.id])).code).toBe(0);
    expect(await refusal(viaB(suspended).whoami())).toBe('accepted');
  });

  it('the same signed request sent to both instances is accepted once', async () => {
    const o = await w.organisation('Replay');
    const signed: { method: string; headers: Record<string, string> }[] = [];
    // A fetch that records the signed request it sends, so it can be replayed byte for byte.
    const recording: typeof fetch = async (input, init) => {
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => {
        headers[k] = v;
      });
      signed.push({ method: init?.method ?? 'GET', headers });
      return fetch(input, init);
    };
    const client = createClient({
      serverUrl: w.server.url,
      signingKey: o.signingKey,
      pseudonymKeys: [w.pseudonymKey],
      clock: w.clock,
      fetch: recording,
    });
    await client.whoami();
    const first = signed[0]!;
    const replay = await fetch(`${b.url}/v1/whoami`, { method: first.method, headers: first.headers });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { code?: string }).code).toBe('nonce_reused');
  });
});
