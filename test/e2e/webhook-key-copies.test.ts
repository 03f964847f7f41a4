// Two instances on one PostgreSQL whose keys/ directories are copies, not one shared volume
// (docs/keys.md §4.5 "Several instances", docs/operations.md "High availability"): a webhook
// key is rotated with `--switch-after-seconds 0` and the old one retired through A, and B's
// copy is not updated. B compares its webhook-keys.json with the logbook's record of the
// changes: it never signs with the retired key again nor publishes it, logs one warning per
// difference naming the key ids, answers /readyz 503, and a restart of B is refused (exit 2) until its copy holds
// the change; then B starts, publishes the new key and delivers what waited, signed with it.
// Real server processes, a real webhook receiver. Skipped when PostgreSQL is missing.

import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../support/e2e-world.js';
import { type ServerProcess, startServer } from '../support/server-process.js';
import { clientVia } from '../support/two-instances.js';
import { twoInstancesWithWebhook, type WebhookInstances } from '../support/two-instances-webhook.js';

const url = inject('postgresUrl');
const name = `sluis_webhook_key_copies_${process.pid}`;
let f: WebhookInstances;

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
  const { w, b, hooked, other } = f;
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
    // B on a copy of A's data directory, as an instance on another host.
    f = await twoInstancesWithWebhook(url, name, { keys: 'copied' });
  }, 120_000);

  afterAll(() => f?.close());

  it('B never signs with the key retired on A, says so, is not ready, and is refused at restart until its copy holds the change', async () => {
    const { w, hooks, bDir } = f;
    const [first] = await publishedBy(f.b!);
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
    expect(await publishedBy(f.b!)).toEqual([]);
    expect((await fetch(`${f.b!.url}/readyz`)).status).toBe(503);
    const seen = hooks.length;
    await matchThroughB();
    await new Promise((r) => setTimeout(r, 2000));
    // Nothing signed with the retired key (B holds no other: the delivery waits).
    expect(hooks.slice(seen).map(keyIdOf)).toEqual([]);
    const output = f.b!.output();
    const warnings = output
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
    await f.b!.stop();
    f.b = undefined;
    const refused = await startServer(f.bOptions).then(
      () => '',
      (e: Error) => e.message,
    );
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
    for (const file of ['webhook-keys.json', newFile]) copyFileSync(join(aKeys, file), join(bKeys, file));
    rmSync(join(bKeys, oldFile));
    const b = await f.startB();
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);
    expect((await publishedBy(b)).map((k) => [k.keyId, k.status])).toEqual([[rotated.key.keyId, 'signing']]);
    await eventually(async () => hooks[seen], 30_000, 'the delivery that waited');
    expect(new Set(hooks.slice(seen).map(keyIdOf))).toEqual(new Set([rotated.key.keyId]));
    // Key ids only: no private key of either file in anything B or the refusal printed.
    const pem = readFileSync(join(bKeys, newFile), 'utf8').replace(/-----[^-]+-----|\s/g, '');
    expect(w.serverOutput.join('') + refused).not.toContain(pem);
  }, 240_000);
});
