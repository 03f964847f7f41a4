// Webhook connections go only to allowed addresses, checked at connect time on every
// address a name resolves to (docs/threat-model.md §5.8). The resolver is injected, so a
// name can resolve to loopback on demand; real sockets count whether a connection was made
// at all. The worker reports three coarse codes only, so a closed port, an open non-TLS
// port and a silent one look alike in the admin view.

import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../ops/logger.js';
import { Metrics } from '../ops/metrics.js';
import { BSN_A, makeHarness } from '../testing/harness.js';
import { guardedTransport, type Resolver } from './webhook-transport.js';
import { WebhookWorker } from './webhook-worker.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

let tcp: Server;
let tcpPort: number;
let connections = 0;
let receiver: HttpServer;
let receiverPort: number;
const received: string[] = [];

const listen = (s: Server | HttpServer) =>
  new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));

beforeAll(async () => {
  // Accepts and closes: an open port that speaks no TLS.
  tcp = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  tcpPort = await listen(tcp);
  receiver = createHttpServer((req, res) => {
    received.push(req.url ?? '');
    req.resume();
    res.writeHead(204).end();
  });
  receiverPort = await listen(receiver);
});
afterAll(() => {
  tcp.close();
  receiver.close();
});

function resolver(...addresses: string[]): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const f = async (hostname: string) => {
    calls.push(hostname);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(f, { calls });
}

const post = (transport: ReturnType<typeof guardedTransport>, url: string) =>
  transport(url, { headers: {}, body: new Uint8Array([123, 125]), signal: AbortSignal.timeout(5000) });

describe('guarded webhook transport', () => {
  it('refuses a name that resolves to loopback without connecting, and connects to the checked address with the test flag', async () => {
    const toLoopback = resolver('127.0.0.1');
    const before = connections;
    await expect(
      post(
        guardedTransport({ allowLoopback: false, resolve: toLoopback }),
        `https://hook.example.test:${tcpPort}/h`,
      ),
    ).rejects.toMatchObject({ code: 'webhook_address_refused' });
    expect(toLoopback.calls).toEqual(['hook.example.test']);
    expect(connections).toBe(before);
    // The same name with the test-only flag: the socket goes to the address the resolver gave
    // (the name itself resolves nowhere), the TLS handshake then fails on the plain socket.
    await expect(
      post(
        guardedTransport({ allowLoopback: true, resolve: toLoopback }),
        `https://hook.example.test:${tcpPort}/h`,
      ),
    ).rejects.not.toMatchObject({ code: 'webhook_address_refused' });
    expect(connections).toBe(before + 1);
  });

  it('refuses when any one resolved address is internal (IPv4-mapped IPv6 included)', async () => {
    const before = connections;
    for (const answer of [
      ['93.184.216.34', '127.0.0.1'],
      ['::ffff:127.0.0.1'],
      ['2a00:1450:4001::1', 'fd00:ec2::254'],
      ['169.254.169.254'],
      ['10.0.0.1'],
      [],
    ]) {
      await expect(
        post(
          guardedTransport({ allowLoopback: false, resolve: resolver(...answer) }),
          `https://hook.example.test:${tcpPort}/h`,
        ),
        answer.join(','),
      ).rejects.toMatchObject({ code: 'webhook_address_refused' });
    }
    expect(connections).toBe(before);
  });

  it('checks an IP-literal host directly, with no lookup', async () => {
    const never = resolver('93.184.216.34');
    const before = connections;
    for (const host of ['127.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]']) {
      await expect(
        post(guardedTransport({ allowLoopback: false, resolve: never }), `https://${host}:${tcpPort}/h`),
        host,
      ).rejects.toMatchObject({
        code: 'webhook_address_refused',
      });
    }
    expect(never.calls).toEqual([]);
    expect(connections).toBe(before);
    // plain http only with the test flag
    await expect(
      post(
        guardedTransport({ allowLoopback: false, resolve: resolver('93.184.216.34') }),
        'http://hook.example.test/h',
      ),
    ).rejects.toMatchObject({ code: 'webhook_address_refused' });
  });

  it('delivers over http to a loopback receiver under the test flag, resolving the name once', async () => {
    const r = resolver('127.0.0.1');
    const status = await post(
      guardedTransport({ allowLoopback: true, resolve: r }),
      `http://receiver.example.test:${receiverPort}/hook`,
    );
    expect(status).toBe(204);
    expect(received).toContain('/hook');
    expect(r.calls).toEqual(['receiver.example.test']);
  });
});

describe('delivery results in the admin view', () => {
  it('are coarse: a refused address, and one code for a closed, a non-TLS and a silent port', async () => {
    const h = await makeHarness();
    const silent = createServer(() => {}); // accepts and never answers
    const silentPort = await listen(silent);
    const closed = createServer();
    const closedPort = await listen(closed);
    await new Promise((r) => closed.close(r));
    try {
      const targets: [name: string, port: number, bsn: string][] = [
        ['refused', tcpPort, BSN_A],
        ['closed', closedPort, '111222333'],
        ['nottls', tcpPort, '999990019'],
        ['silent', silentPort, '100000009'],
      ];
      const counterpart = await h.admit('Tegenpartij', { type: 'social_services' });
      const byOrg = new Map<string, string>();
      for (const [name, port, bsn] of targets) {
        const org = await h.admit(`Ontvanger ${name}`, {
          webhookUrl: `https://${name}.example.test:${port}/hook`,
        });
        byOrg.set(org.id, name);
        for (const key of [org.key, counterpart.key]) {
          const r = await h.call(key, 'POST', '/v1/signals', { body: h.placement(bsn, 'X. Y') });
          expect(r.status).toBe(201);
        }
      }
      const logs: string[] = [];
      const worker = new WebhookWorker({
        engine: h.engine,
        signingKey: caseSigningKey(),
        logger: createLogger({ write: (l: string) => logs.push(l) }),
        metrics: new Metrics(),
        intervalMs: 60_000,
        timeoutMs: 500,
        transport: guardedTransport({
          // loopback is allowed here (the test flag) so the ports can be reached at all
          allowLoopback: true,
          resolve: async (hostname) => [
            { address: hostname.startsWith('refused.') ? '10.0.0.1' : '127.0.0.1', family: 4 },
          ],
        }),
      });
      expect(await worker.runOnce()).toBeGreaterThanOrEqual(4);
      const codes = Object.fromEntries(
        (await h.engine.listDeliveries({ status: 'pending', limit: 100 }))
          .filter((d) => byOrg.has(d.organisationId))
          .map((d) => [byOrg.get(d.organisationId)!, d.lastErrorCode]),
      );
      expect(codes).toEqual({
        refused: 'address_refused',
        closed: 'unreachable',
        nottls: 'unreachable',
        silent: 'unreachable',
      });
      const results = logs
        .filter((l) => l.includes('webhook_delivery'))
        .map((l) => JSON.parse(l).result as string);
      expect(new Set(results)).toEqual(new Set(['address_refused', 'unreachable']));
      expect(logs.join('')).not.toMatch(/ECONNREFUSED|EPROTO|ECONNRESET|timeout/i);
    } finally {
      silent.close();
      await h.close();
    }
  });
});
