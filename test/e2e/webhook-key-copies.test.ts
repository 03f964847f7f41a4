// Two instances on one PostgreSQL whose keys/ directories are copies, not one shared volume
// (docs/keys.md §4.5 "Several instances", docs/operations.md "High availability"): a webhook
// key is rotated with `--switch-after-seconds 0` and the old one retired through A, and B's
// copy is not updated. B compares its webhook-keys.json with the logbook's record of the
// changes: it never signs with the retired key again nor publishes it, logs one warning per
// difference naming the key ids, answers /readyz 503, and a restart of B is refused (exit 2) until its copy holds
// the change; then B starts, publishes the new key and delivers what waited, signed with it.
// Real server processes, a real webhook receiver. Skipped when PostgreSQL is missing.

import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, type Org, World } from '../support/e2e-world.js';
import { createDatabase, psql } from '../support/postgres.js';
import { type ServerProcess, startServer, tempDir } from '../support/server-process.js';
import { clientVia } from '../support/two-instances.js';

const url = inject('postgresUrl');
const name = `sluis_webhook_key_copies_${process.pid}`;
let w: World;
let b: ServerProcess | undefined;
let bDir: string;
let args: string[];
let receiver: Server;
let hookUrl: string;
const hooks: { headers: Record<string, string> }[] = [];
let hooked: Org;
let other: Org;

const publishedBy = async (server: ServerProcess) =>
  (
    (await (await fetch(`${server.url}/v1/server-keys`)).json()) as {
      webhookKeys: { keyId: string; status: string }[];
    }
  ).webhookKeys;

const keyIdOf = (h: { headers: Record<string, string> }) =>
  /keyid="([^"]+)"/.exec(h.headers['signature-input'] ?? '')?.[1];

/** A new match of `hooked`, placed through B (which queues its delivery). */
async function matchThroughB(): Promise<void> {
  const bsn = w.bsn();
  for (const o of [hooked, other]) {
    await clientVia(w, b!, o, { timeoutMs: 30_000 }).placeSignal({
      bsn,
      contact: w.contact(),
      informed: { status: 'not_yet' },
    });
  }
}

describe.skipIf(url === '')('webhook keys across instances with copied keys directories', () => {
  beforeAll(async () => {
    receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        hooks.push({ headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const db = createDatabase(url, name);
    args = ['--database-url', db, '--allow-loopback-http-webhooks', '--webhook-interval'];
    w = new World();
    // A polls its outbox once an hour: every delivery comes from B.
    await w.start({ args: [...args, '3600'] });
    // B on a copy of A's data directory, as an instance on another host.
    bDir = tempDir();
    execFileSync('cp', ['-a', `${w.server.dataDir}/.`, bDir]);
    b = await startServer({ args: [...args, '0.1'], dataDir: bDir, sink: w.serverOutput });
    hooked = await w.organisation('Hooked', 'youth_care', ['--webhook-url', hookUrl]);
    other = await w.organisation('Other');
  }, 120_000);

  afterAll(async () => {
    await b?.stop();
    await w?.close();
    await new Promise((r) => (receiver === undefined ? r(undefined) : receiver.close(r)));
    psql(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    if (bDir !== undefined) rmSync(bDir, { recursive: true, force: true });
  });

  it('B never signs with the key retired on A, says so, is not ready, and is refused at restart until its copy holds the change', async () => {
    const [first] = await publishedBy(b!);
    expect(first?.status).toBe('signing');
    await matchThroughB();
    await eventually(async () => hooks[0], 30_000, 'the first delivery');
    expect(keyIdOf(hooks[0]!)).toBe(first!.keyId);

    // The compromise playbook through A (docs/keys.md §6); B's keys/ copy is left as it was.
    const rotated = await w.adminJson<{ key: { keyId: string; file?: string } }>([
      'rotate-webhook-key',
      '--switch-after-seconds',
      '0',
    ]);
    expect((await w.admin(['retire-webhook-key', '--key-id', first!.keyId])).code).toBe(0);

    // B publishes no key the logbook records retired, and is out of the load balancer.
    expect(await publishedBy(b!)).toEqual([]);
    expect((await fetch(`${b!.url}/readyz`)).status).toBe(503);
    const seen = hooks.length;
    await matchThroughB();
    await new Promise((r) => setTimeout(r, 2000));
    // Nothing signed with the retired key (B holds no other: the delivery waits).
    expect(hooks.slice(seen).map(keyIdOf)).toEqual([]);
    const warnings = b!
      .output()
      .split('\n')
      .filter((l) => l.includes('"event":"webhook_keys_behind_logbook"'))
      .map((l) => l.replace(/"time":"[^"]*",/, ''));
    // Once per difference (B compared at most once between the rotation and the retirement).
    expect(warnings.length).toBeGreaterThan(0);
    expect(new Set(warnings).size).toBe(warnings.length);
    expect(warnings.at(-1)).toContain(
      `"level":"warn","event":"webhook_keys_behind_logbook","file":"webhook-keys.json","retired":"${first!.keyId}","added":"${rotated.key.keyId}"`,
    );

    // A restart of B on its stale copy is refused, exit 2, naming the file and the key ids.
    await b!.stop();
    const refused = await startServer({ args: [...args, '0.1'], dataDir: bDir }).then(
      () => '',
      (e: Error) => e.message,
    );
    b = undefined;
    expect(refused).toContain('exited with 2');
    expect(refused).toContain(`${join(bDir, 'keys', 'webhook-keys.json')} is behind the database`);
    expect(refused).toContain(`${first!.keyId} retired`);
    expect(refused).toContain(`${rotated.key.keyId} added`);

    // The operator copies the change (docs/keys.md §4.5): B starts, publishes and signs with the new key.
    const aKeys = join(w.server.dataDir, 'keys');
    const bKeys = join(bDir, 'keys');
    const state = JSON.parse(readFileSync(join(aKeys, 'webhook-keys.json'), 'utf8')) as {
      keys: { keyId: string; file: string }[];
    };
    const newFile = state.keys.find((k) => k.keyId === rotated.key.keyId)!.file;
    const oldFile = state.keys.find((k) => k.keyId === first!.keyId)!.file;
    for (const f of ['webhook-keys.json', newFile]) copyFileSync(join(aKeys, f), join(bKeys, f));
    rmSync(join(bKeys, oldFile));
    b = await startServer({ args: [...args, '0.1'], dataDir: bDir, sink: w.serverOutput });
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);
    expect((await publishedBy(b)).map((k) => [k.keyId, k.status])).toEqual([[rotated.key.keyId, 'signing']]);
    await eventually(async () => hooks[seen], 30_000, 'the delivery that waited');
    expect(new Set(hooks.slice(seen).map(keyIdOf))).toEqual(new Set([rotated.key.keyId]));
    // Key ids only: no private key of either file in anything B or the refusal printed.
    const pem = readFileSync(join(bKeys, newFile), 'utf8').replace(/-----[^-]+-----|\s/g, '');
    expect(w.serverOutput.join('') + refused).not.toContain(pem);
  }, 240_000);
});
