// Tracing end to end (docs/operations.md "Tracing"): a real server process exports its
// spans over OTLP/HTTP to a real receiver on 127.0.0.1. Spans are named by route template,
// carry only the allow-listed attributes (never `url.full`, a raw path or a query), the
// request id of a trusted proxy (loopback is trusted by default) and no value of a request.
// A request whose client went away before its body was complete has a span without a status,
// as its request_aborted line has none. Every byte the receiver got goes through the world's
// leak proof with the webhook bodies.

import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signRequest } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World, eventually, inboxOf } from '../support/e2e-world.js';
import { leakProof } from '../support/leak-proof.js';
import { sendHalfBody } from '../support/raw-request.js';

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean };
}
interface OtlpSpan {
  name: string;
  attributes?: OtlpAttribute[];
  events?: { name: string; attributes?: OtlpAttribute[] }[];
}
interface OtlpBody {
  resourceSpans: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

const ALLOWED = new Set([
  'http.request.method',
  'http.response.status_code',
  'http.route',
  'sluis.correlation_id',
  'sluis.request_id',
  'sluis.problem_code',
]);

const world = new World();
const bodies: string[] = [];
let receiver: Server;
let A: Org;
let B: Org;

const spans = (): OtlpSpan[] =>
  bodies.flatMap((b) =>
    (JSON.parse(b) as OtlpBody).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
  );
const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes?.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue === undefined ? undefined : Number(v.intValue));
};
const spanNamed = (name: string) =>
  eventually(async () => spans().find((s) => s.name === name), 15_000, name);

beforeAll(async () => {
  receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      if (req.url === '/v1/traces') bodies.push(body.toString('utf8'));
      // Scanned by the leak proof with everything else the server sent out.
      world.webhooks.push({ url: req.url ?? '', headers, body });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  await world.start({ args: ['--otlp-endpoint', `http://127.0.0.1:${port}/v1/traces`] });
  A = await world.organisation('Jeugdteam met tracing', 'youth_care');
  B = await world.organisation('Huisartsenpraktijk met tracing', 'general_practice');
});

afterAll(async () => {
  await world.close();
  await new Promise((r) => receiver.close(r));
});

describe.sequential('OpenTelemetry tracing (real server process, real OTLP receiver)', () => {
  it('exports one span per request, named by route template, with the trusted proxy’s request id', async () => {
    const proxyId = '0af7651916cd43dd8448eb211c80319c';
    const r = await fetch(`${world.server.url}/readyz`, { headers: { 'X-Request-Id': proxyId } });
    expect(r.status).toBe(200);
    const ready = await spanNamed('GET /readyz');
    expect(attr(ready, 'http.route')).toBe('/readyz');
    expect(attr(ready, 'http.response.status_code')).toBe(200);
    expect(attr(ready, 'sluis.request_id')).toBe(proxyId);
    expect(attr(ready, 'sluis.correlation_id')).toBe(r.headers.get('x-correlation-id'));
    // The request id is logged beside the correlation id too.
    expect(world.serverOutput.join('')).toMatch(new RegExp(`"route":"/readyz".*"requestId":"${proxyId}"`));
    // A value that is not a proxy's id (hex or a UUID) is not believed and never logged: here a
    // client's own text passed through, as a proxy that does not set the header would.
    const odd = await fetch(`${world.server.url}/healthz`, {
      headers: { 'X-Request-Id': 'bsn-999900006<script>' },
    });
    expect(odd.status).toBe(200);
    const live = await spanNamed('GET /healthz');
    expect(attr(live, 'sluis.request_id')).toBeUndefined();
    expect(world.serverOutput.join('')).not.toContain('999900006');
  });

  it('spans of signed requests carry templates and codes only — no ids, no query, no body', async () => {
    const bsn = world.bsn(true);
    const informed = { status: 'citizen' as const, date: new Date(world.clock()).toISOString().slice(0, 10) };
    await A.client.placeSignal({ bsn, contact: world.contact(), informed });
    await B.client.placeSignal({ bsn, contact: world.contact(), informed });
    const [event] = await inboxOf(A.client);
    expect(event?.type).toBe('match.created');
    const matchId = (event as { matchId?: string }).matchId!;
    expect(matchId).toBeTruthy();
    const match = await A.client.getMatch(matchId);
    expect(match.id).toBe(matchId);
    // A refused request: the problem code is on the span.
    await expect(A.client.getMatch('00000000-0000-4000-8000-000000000000')).rejects.toThrow();

    const read = await spanNamed('GET /v1/matches/{matchId}');
    expect(attr(read, 'http.route')).toBe('/v1/matches/{matchId}');
    await eventually(
      async () =>
        spans().find(
          (s) => s.name === 'GET /v1/matches/{matchId}' && attr(s, 'sluis.problem_code') === 'not_found',
        ),
      15_000,
      'the refused read',
    );
    await spanNamed('POST /v1/signals');

    for (const s of spans()) {
      for (const a of s.attributes ?? []) expect(ALLOWED.has(a.key), `${s.name}: ${a.key}`).toBe(true);
      for (const e of s.events ?? []) {
        expect(e.name).toBe('exception');
        expect((e.attributes ?? []).map((a) => a.key)).toEqual(['exception.type']);
      }
    }
    const all = bodies.join('\n');
    expect(all).not.toContain('url.full');
    expect(all).not.toContain(matchId);
    for (const o of [A, B]) {
      expect(all).not.toContain(o.id);
      expect(all).not.toContain(o.name);
    }
    // The resource names the service, nothing of the host's configuration.
    const resource = (JSON.parse(bodies[0]!) as OtlpBody).resourceSpans[0]!.resource!.attributes!;
    expect(resource.find((a) => a.key === 'service.name')?.value.stringValue).toBe('sluis-server');
  });

  it('a request whose client went away has a span without a status, as its request_aborted line', async () => {
    const body = new TextEncoder().encode(
      JSON.stringify({ requestId: crypto.randomUUID(), pad: 'x'.repeat(4000) }),
    );
    const headers = {
      'content-type': 'application/json',
      ...signRequest(A.signingKey, { method: 'POST', path: '/v1/signals', query: '' }, body),
    };
    (await sendHalfBody(world.server.url, '/v1/signals', headers, body)).hangUp();
    const line = await eventually(
      async () =>
        /"event":"request_aborted"[^\n]*"correlationId":"([0-9a-f-]{36})"/.exec(
          world.serverOutput.join(''),
        ) ?? undefined,
      15_000,
      'the request_aborted line',
    );
    const span = await eventually(
      async () => spans().find((s) => attr(s, 'sluis.correlation_id') === line[1]),
      15_000,
      'the aborted request’s span',
    );
    expect(span.name).toBe('POST /v1/signals');
    expect(span.attributes?.map((a) => a.key).sort()).toEqual([
      'http.request.method',
      'http.route',
      'sluis.correlation_id',
    ]);
  });

  it('leaves no BSN, pseudonym, key or contact detail in anything exported (leak proof)', async () => {
    expect(bodies.length).toBeGreaterThan(0);
    await leakProof(world, { storedContact: world.contacts[0]! });
  });
});
