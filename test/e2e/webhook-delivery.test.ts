// End-to-end scenario 9: a webhook to a receiver that is down, then up — delivered exactly
// once, and the signature verifies with the SDK against the server's public webhook key
// (data/keys/webhook-signing.pub.json). The server runs with the test-only
// --allow-loopback-http-webhooks (the receiver is plain http on 127.0.0.1) and the test
// clock, so the retry backoff is skipped instead of waited for. Ends with the leak proof,
// which includes every webhook body and header received.

import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type WebhookResult, base64url, createClient } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World, eventually, inboxOf } from '../support/e2e-world.js';
import { leakProof } from '../support/leak-proof.js';
import { freshPort } from '../support/ports.js';
import { caseSigningKey } from '../support/case-keys.js';

const world = new World();
let A: Org;
let B: Org;
let hookUrl: string;
let port: number;
let receiver: Server | undefined;
const verified: WebhookResult[] = [];
const informed = () => ({
  status: 'citizen' as const,
  date: new Date(world.clock()).toISOString().slice(0, 10),
});

type Delivery = {
  id: string;
  status: string;
  attempts: number;
  lastErrorCode: string | null;
  organisationId: string;
};
const deliveries = async (status: 'pending' | 'delivered') =>
  (await world.adminJson<{ items: Delivery[] }>(['webhooks', '--status', status])).items;

function listen(server: Server, p = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(p, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

beforeAll(async () => {
  // A port the receiver listens on only later: it is down when the event happens. One that no
  // other process draws meanwhile (test/support/ports.ts).
  port = await freshPort();
  hookUrl = `http://127.0.0.1:${port}/sluis-hook`;
  await world.start({
    testClock: true,
    args: ['--allow-loopback-http-webhooks', '--webhook-interval', '0.1', '--webhook-timeout', '2'],
  });
  A = await world.organisation('Jeugdzorg met webhook', 'youth_care', ['--webhook-url', hookUrl]);
  B = await world.organisation('Maatschappelijk werk', 'social_services');
});
afterAll(async () => {
  await new Promise((r) => (receiver === undefined ? r(undefined) : receiver.close(r)));
  await world.close();
});

describe.sequential('scenario 9 (real server process, real HTTP receiver)', () => {
  it('http webhooks are refused without the test-only flag', async () => {
    const other = new World();
    try {
      await other.start();
      const key = base64url.encode(caseSigningKey().publicKey);
      const r = await other.admin([
        'admit-organisation',
        '--name',
        'X',
        '--type',
        'other',
        `--public-key=${key}`,
        '--webhook-url',
        hookUrl,
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/refused: validation_failed fields: webhookUrl/);
    } finally {
      await other.close();
    }
  });

  it('9. receiver down, then up: the notification is delivered once and its signature is valid', async () => {
    const pub = JSON.parse(
      readFileSync(join(world.server.dataDir, 'keys', 'webhook-signing.pub.json'), 'utf8'),
    ) as {
      keyId: string;
      publicKey: string;
    };
    // The receiving organisation's process: no pseudonym keys (least privilege), only the server's public key.
    const verifier = createClient({
      serverUrl: world.server.url,
      signingKey: A.signingKey,
      pseudonymKeys: [],
      serverPublicKeys: [pub.publicKey],
    });

    const X = world.bsn(true);
    await A.client.placeSignal({ bsn: X, contact: world.contact(), informed: informed() });
    await B.client.placeSignal({ bsn: X, contact: world.contact(), informed: informed() });
    const [event] = await inboxOf(A.client);
    expect(event?.type).toBe('match.created');

    // The receiver is down: the attempt fails and the delivery stays in the outbox.
    const failed = await eventually(
      async () => {
        const p = await deliveries('pending');
        return p.length === 1 && p[0]!.attempts >= 1 ? p[0] : undefined;
      },
      10_000,
      'a failed attempt',
    );
    expect(failed).toMatchObject({ organisationId: A.id, lastErrorCode: 'unreachable' });

    // The receiver comes up; skip the backoff on the server's clock.
    const received: { headers: Record<string, string | undefined>; body: Buffer }[] = [];
    receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        const body = Buffer.concat(chunks);
        received.push({ headers, body });
        world.webhooks.push({ url: req.url ?? '', headers, body });
        const r = verifier.verifyWebhook({ targetUri: hookUrl, headers, body });
        verified.push(r);
        res.writeHead(r.ok ? 204 : 401).end();
      });
    });
    await listen(receiver, port);
    await world.advanceClock(0, 15);
    await eventually(async () => (received.length > 0 ? true : undefined), 10_000, 'the delivery');

    // Exactly once: nothing more arrives, even when later retry times pass.
    await new Promise((r) => setTimeout(r, 500));
    await world.advanceClock(0, 3600);
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toHaveLength(1);
    expect(verified).toHaveLength(1);
    const ok = verified[0]!;
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.keyId).toBe(pub.keyId);
    expect(ok.notification).toEqual({
      type: 'match.created',
      matchId: event!.matchId,
      cursor: event!.cursor,
    });
    expect(JSON.parse(received[0]!.body.toString('utf8'))).toEqual(ok.notification);
    expect(await deliveries('pending')).toEqual([]);
    const done = await deliveries('delivered');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ id: failed.id, status: 'delivered' });
    expect(done[0]!.attempts).toBeGreaterThanOrEqual(2);

    // The receiver's checks can fail: a replay and a tampered body are refused.
    const replay = verifier.verifyWebhook({
      targetUri: hookUrl,
      headers: received[0]!.headers,
      body: received[0]!.body,
    });
    expect(replay).toEqual({ ok: false, code: 'nonce_reused' });
    const tampered = Buffer.from(
      received[0]!.body.toString('utf8').replace('match.created', 'match.removed'),
    );
    expect(
      verifier.verifyWebhook({ targetUri: hookUrl, headers: received[0]!.headers, body: tampered }).ok,
    ).toBe(false);
  });

  it('leak proof: no BSN, pseudonym, key or contact detail in webhooks, logs or the database files', async () => {
    const stored = world.contact();
    await B.client.placeSignal({ bsn: world.bsn(), contact: stored, informed: informed() });
    expect(world.webhooks.length).toBeGreaterThan(0);
    await leakProof(world, { storedContact: stored });
  });
});
