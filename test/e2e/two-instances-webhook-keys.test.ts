// A webhook-key rotation and retirement run on one instance hold on every instance without
// a restart (docs/keys.md §4.5, docs/operations.md "High availability"): two real server
// processes on one PostgreSQL share one keys/ directory; the key is rotated with
// `--switch-after-seconds 0` and the old one retired through A (the compromise playbook,
// docs/keys.md §6), and B — the only instance that delivers — publishes the new key at
// once and signs its next delivery with it, never with the retired one. A polls its outbox
// once an hour and places nothing, so every delivery comes from B. Then rotations and
// retirements are sent to both instances at the same moment, round after round: each pair
// happens one after the other (the store's critical section, docs/keys.md §4.5), none is
// lost or logged twice, and webhook-keys.json is never seen torn. Skipped with the reason
// printed when the PostgreSQL binaries are missing.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, signRequest } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, type Org, type World } from '../support/e2e-world.js';
import type { ServerProcess } from '../support/server-process.js';
import { clientVia } from '../support/two-instances.js';
import {
  type Delivery,
  twoInstancesWithWebhook,
  type WebhookInstances,
} from '../support/two-instances-webhook.js';

const url = inject('postgresUrl');
const name = `sluis_webhook_keys_${process.pid}`;
let f: WebhookInstances | undefined;
let w: World;
let b: ServerProcess;
let hookUrl: string;
let hooks: Delivery[];
let hooked: Org;
let other: Org;

interface PublishedKey {
  readonly keyId: string;
  readonly publicKey: string;
  readonly status: string;
}

const publishedBy = async (server: ServerProcess): Promise<PublishedKey[]> =>
  ((await (await fetch(`${server.url}/v1/server-keys`)).json()) as { webhookKeys: PublishedKey[] })
    .webhookKeys;

/** One new match of `hooked`, placed through B; the delivery B sends for it. */
async function deliveryFromB(): Promise<{
  keyId: string;
  headers: Record<string, string>;
  body: Uint8Array;
}> {
  const seen = hooks.length;
  const bsn = w.bsn();
  for (const o of [hooked, other]) {
    await clientVia(w, b, o, { timeoutMs: 30_000 }).placeSignal({
      bsn,
      contact: w.contact(),
      informed: { status: 'not_yet' },
    });
  }
  const hook = await eventually(async () => hooks[seen], 30_000, 'the delivery');
  const keyId = /keyid="([^"]+)"/.exec(hook.headers['signature-input'] ?? '')?.[1];
  expect(keyId).toBeDefined();
  return { keyId: keyId!, ...hook };
}

/**
 * Sends the same admin request to A and to B at the same moment: each signed before either
 * is sent (own nonce), so both are in flight together. Answers [status, body] per instance.
 */
async function bothAtOnce(path: string, body: unknown): Promise<[number, unknown][]> {
  const admin = await w.adminKey();
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const requests = [w.server, b].map((server) => ({
    url: `${server.url}${path}`,
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      ...signRequest(admin, { method: 'POST', path, query: '' }, bytes, {
        created: Math.floor(w.clock() / 1000),
      }),
    },
  }));
  admin.destroy();
  return Promise.all(
    requests.map(async (r) => {
      const res = await fetch(r.url, { method: 'POST', headers: r.headers, body: bytes });
      return [res.status, await res.json()] as [number, unknown];
    }),
  );
}

/** Whether `keys` verify the delivery (a receiver configured with exactly these keys). */
function verifies(
  keys: readonly PublishedKey[],
  hook: { headers: Record<string, string>; body: Uint8Array },
) {
  const client = createClient({
    serverUrl: b.url,
    signingKey: hooked.signingKey,
    pseudonymKeys: [w.pseudonymKey],
    serverPublicKeys: keys.map((k) => k.publicKey),
  });
  return client.verifyWebhook({ targetUri: hookUrl, headers: hook.headers, body: hook.body }).ok;
}

describe.skipIf(url === '')('webhook keys across instances, without a restart', () => {
  beforeAll(async () => {
    // B on A's data directory: one shared keys/ volume.
    f = await twoInstancesWithWebhook(url, name, { keys: 'shared' });
    ({ w, hookUrl, hooks, hooked, other } = f);
    b = f.b!;
  }, 120_000);

  afterAll(() => f?.close());

  it('B publishes and signs with the key rotated on A, and never again with the one retired on A', async () => {
    const [first] = await publishedBy(b);
    expect(first?.status).toBe('signing');
    const before = await deliveryFromB();
    expect(before.keyId).toBe(first!.keyId);
    const sinceRotation = hooks.length;

    // Rotation through A, switching at once (docs/keys.md §6).
    const rotated = await w.adminJson<{ key: { keyId: string } }>([
      'rotate-webhook-key',
      '--switch-after-seconds',
      '0',
    ]);
    const afterRotation = await publishedBy(b);
    expect(afterRotation.map((k) => [k.keyId, k.status])).toEqual([
      [first!.keyId, 'previous'],
      [rotated.key.keyId, 'signing'],
    ]);
    const switched = await deliveryFromB();
    expect(switched.keyId).toBe(rotated.key.keyId);
    expect(verifies(afterRotation.slice(1), switched)).toBe(true);

    // Retirement through A: B drops the old key from its list and signs only with the new one.
    expect((await w.admin(['retire-webhook-key', '--key-id', first!.keyId])).code).toBe(0);
    const afterRetirement = await publishedBy(b);
    expect(afterRetirement.map((k) => k.keyId)).toEqual([rotated.key.keyId]);
    const later = await deliveryFromB();
    expect(later.keyId).toBe(rotated.key.keyId);
    expect(verifies(afterRetirement, later)).toBe(true);
    expect(verifies([first!], later)).toBe(false);
    // Nothing B sent after the rotation was signed with the first key.
    const keyIds = hooks
      .slice(sinceRotation)
      .map((h) => /keyid="([^"]+)"/.exec(h.headers['signature-input'] ?? '')?.[1]);
    expect(new Set(keyIds)).toEqual(new Set([rotated.key.keyId]));
    // Same process: taken up without a restart.
    expect(b.output()).toContain('webhook_key_loaded');
  }, 180_000);

  it('rotations and retirements sent to both instances at once happen one after the other: none lost, none twice, no torn file', async () => {
    const keysDir = join(w.server.dataDir, 'keys');
    const statePath = join(keysDir, 'webhook-keys.json');
    const listedBefore = (JSON.parse(readFileSync(statePath, 'utf8')) as { keys: unknown[] }).keys.length;
    // Reads the state file as a third instance would, all along.
    let reads = 0;
    let torn = 0;
    const reader = setInterval(() => {
      try {
        const state = JSON.parse(readFileSync(statePath, 'utf8')) as { keys: unknown };
        if (!Array.isArray(state.keys)) torn++;
      } catch {
        torn++;
      }
      reads++;
    }, 1);
    const rounds = 15;
    const added: string[] = [];
    const retired: string[] = [];
    try {
      for (let round = 0; round < rounds; round++) {
        const live = await publishedBy(w.server);
        expect(live).toHaveLength(1);
        const rotations = await bothAtOnce('/v1/admin/webhook-keys/rotate', { switchAfterSeconds: 0 });
        // The second finds the first's key live beside the old one.
        expect(rotations.map(([status]) => status).sort()).toEqual([201, 409]);
        added.push(
          (rotations.find(([status]) => status === 201)![1] as { key: { keyId: string } }).key.keyId,
        );
        const retirements = await bothAtOnce(`/v1/admin/webhook-keys/${live[0]!.keyId}/retire`, {});
        // The second finds it retired already.
        expect(retirements.map(([status]) => status).sort()).toEqual([200, 404]);
        retired.push(live[0]!.keyId);
      }
    } finally {
      clearInterval(reader);
    }
    expect(reads).toBeGreaterThan(0);
    expect(torn).toBe(0);
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as {
      keys: { keyId: string; file: string; retiredAt: number | null }[];
    };
    expect(state.keys).toHaveLength(listedBefore + rounds);
    const live = state.keys.filter((k) => k.retiredAt === null);
    expect(live.map((k) => k.keyId)).toEqual([added.at(-1)]);
    for (const server of [w.server, b]) {
      expect((await publishedBy(server)).map((k) => [k.keyId, k.status])).toEqual([
        [added.at(-1), 'signing'],
      ]);
    }
    // Only the live key's private file is left, and no temporary file.
    const files = readdirSync(keysDir);
    expect(files.filter((f) => /^webhook-signing.*\.key$/.test(f))).toEqual([live[0]!.file]);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Each change is in the logbook once.
    const entries = (await w.admin(['logbook-export'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; refs: { keyId?: string } });
    const logged = (action: string, keyIds: string[]) =>
      entries
        .filter((e) => e.action === action && keyIds.includes(e.refs.keyId ?? ''))
        .map((e) => e.refs.keyId);
    expect(logged('webhook_key.added', added)).toEqual(added);
    expect(logged('webhook_key.retired', retired)).toEqual(retired);
    expect(w.serverOutput.join('')).not.toContain('webhook_keys_unreadable');
  }, 240_000);
});
