// A route's reply built with its headers at once (answer.ts) reaches the wire byte for byte
// as the same reply did when the app set its headers on the Response's `Headers` after the
// handler: both through @hono/node-server on a real node:http server, read raw off the
// socket, for every shape of reply (JSON, text with its own type, 204, a redirect's own
// header) with and without the CORS headers (an appended Vary) — and in-process, without
// node-server, the same headers.

import { once } from 'node:events';
import { type AddressInfo, connect } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerResponse, type HeaderSink, isAnswered } from './answer.js';
import type { Reply } from './route.js';

/** A header step like the app's: sets, a read before, and an append to a header a reply may have. */
function finish(origin: boolean) {
  return (headers: HeaderSink, status: number) => {
    const cacheControl = headers.get('Cache-Control');
    headers.set('Cache-Control', 'no-store');
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('X-Correlation-Id', '6f9619ff-8b86-d011-b42d-00cf4fc964ff');
    headers.set('API-Version', '1.4.0');
    headers.set('Date', 'Thu, 03 Dec 2026 07:00:00 GMT');
    if (status === 200 && cacheControl !== null) headers.set('X-Was', cacheControl);
    if (origin) {
      headers.set('Access-Control-Allow-Origin', 'https://portal.example');
      headers.append('Vary', 'Origin');
    }
  };
}

/** The Response as the app made it before: the reply's own headers, then the step on its `Headers`. */
function before(reply: Reply, origin: boolean): Response {
  let res: Response;
  if (reply.status === 204 || reply.body === undefined) {
    res = new Response(null, {
      status: reply.status,
      ...(reply.headers === undefined ? {} : { headers: reply.headers }),
    });
  } else if (typeof reply.body === 'string') {
    res = new Response(reply.body, {
      status: reply.status,
      headers: { 'Content-Type': reply.contentType ?? 'text/plain; charset=utf-8' },
    });
  } else {
    res = new Response(JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'Content-Type': reply.contentType ?? 'application/json' },
    });
  }
  finish(origin)(res.headers, res.status);
  return res;
}

const replies: Reply[] = [
  { status: 201, body: { signalId: 'a', outcome: 'created', notices: [], n: 1.5, t: 'ü€' } },
  { status: 200, body: 'sluis_up 1\n', contentType: 'text/plain; version=0.0.4; charset=utf-8' },
  { status: 200, body: 'a;b\n' },
  { status: 204 },
  { status: 308, headers: { Location: '/v1/openapi.json', Vary: 'Accept' } },
  { status: 200, body: [] },
];

let server: Server;
let port: number;
let next: () => Response;

beforeAll(async () => {
  server = createServer(getRequestListener(() => next()));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.close();
  await once(server, 'close');
});

/** The raw bytes of the answer to one request on a fresh connection. */
async function raw(make: () => Response): Promise<string> {
  next = make;
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('latin1');
}

function entries(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((value, name) => {
    out.push([name, value]);
  });
  return out;
}

describe('answerResponse', () => {
  it('puts the same bytes on the wire as the headers set afterwards did', async () => {
    for (const reply of replies) {
      for (const origin of [false, true]) {
        const old = await raw(() => before(reply, origin));
        const now = await raw(() => answerResponse(reply, finish(origin), true));
        expect(now, `${reply.status} ${origin}`).toBe(old);
        expect(old).toMatch(/^HTTP\/1\.1 \d{3} /);
      }
    }
  });

  it('gives the same headers and body in-process, and is told apart from other answers', async () => {
    for (const reply of replies) {
      for (const origin of [false, true]) {
        const old = before(reply, origin);
        const now = answerResponse(reply, finish(origin), false);
        expect(isAnswered(now)).toBe(true);
        expect(isAnswered(old)).toBe(false);
        expect(now.status).toBe(old.status);
        expect(entries(now.headers)).toEqual(entries(old.headers));
        expect(await now.text()).toBe(await old.text());
      }
    }
  });
});
