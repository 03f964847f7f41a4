// A request over a raw socket, for what fetch cannot send: a body that stops half way — its
// client then goes away, or sends the rest later (while the server stops), or never (a timeout)
// — or a body framed wrongly. A client that goes away before its body is complete is logged
// `request_aborted` by both services (docs/operations.md "Logs", "Pseudonym service"). What the
// server sends back is kept as text, so a test can assert the exact reply (node:http's own 400
// or 408) or that there was none.

import type { IncomingMessage, Server } from 'node:http';
import { connect } from 'node:net';
import { expect, vi } from 'vitest';
import { SERVER_WAIT, withinServerWait } from './server-wait.js';

export interface RawConnection {
  /**
   * Writes `data`; resolves once the socket has taken it, or once the write failed (its error is
   * not reported: a peer that closed the connection shows in `closed` and what came back).
   */
  write(data: string | Uint8Array): Promise<void>;
  /** What came back so far. */
  received(): string;
  /** The client goes away: the socket destroyed. */
  hangUp(): void;
  /** Everything that came back, once the connection is closed (by either side). */
  readonly closed: Promise<string>;
}

/** An open connection to `url`'s host and port. */
export async function rawConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    received += d;
  });
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    write: (data) => new Promise<void>((resolve) => socket.write(data, () => resolve())),
    received: () => received,
    hangUp: () => socket.destroy(),
    closed,
  };
}

/** A request's line, its Host and `headers` (one left undefined is not sent), and the blank line. */
export function requestHead(
  method: string,
  path: string,
  url: string,
  headers: Readonly<Record<string, string | undefined>>,
): string {
  const { host } = new URL(url);
  return [
    `${method} ${path} HTTP/1.1`,
    `host: ${host}`,
    ...Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [`${k}: ${v}`])),
    '',
    '',
  ].join('\r\n');
}

export interface HalfBody extends RawConnection {
  /** Sends the second half of the body. */
  rest(): Promise<void>;
}

/** A POST of `body` to `path` with `headers`: its head (with the Content-Length) and the first half of the body sent. */
export async function sendHalfBody(
  url: string,
  path: string,
  headers: Readonly<Record<string, string | undefined>>,
  body: Uint8Array,
): Promise<HalfBody> {
  const connection = await rawConnection(url);
  const half = body.length >> 1;
  await connection.write(
    requestHead('POST', path, url, { 'content-length': String(body.length), ...headers }),
  );
  await connection.write(body.subarray(0, half));
  return { ...connection, rest: () => connection.write(body.subarray(half)) };
}

/**
 * The next request `server` (in this process) takes, once its handler has begun reading the body:
 * a client that goes away after that tests the read's own abort path, not the fast path of a
 * request destroyed before its read. Call it before sending.
 */
export async function nextRequestReading(server: Server): Promise<IncomingMessage> {
  const req = await new Promise<IncomingMessage>((resolve) => server.once('request', resolve));
  await vi.waitFor(() => expect(req.readableDidRead).toBe(true), { timeout: SERVER_WAIT });
  return req;
}

/**
 * A client that goes away in the middle of its body, on `server` in this process: the head and
 * the first half of the body sent, the socket destroyed once the handler has begun reading that
 * half. Resolves with what came back before (nothing, from a server that is right).
 */
export async function hangUpMidBody(
  server: Server,
  url: string,
  path: string,
  headers: Readonly<Record<string, string | undefined>>,
  body: Uint8Array,
): Promise<string> {
  const reading = nextRequestReading(server);
  const upload = await sendHalfBody(url, path, headers, body);
  await reading;
  upload.hangUp();
  return upload.received();
}

/**
 * Chunked framings node:http's parser refuses (RFC 9112 §7.1): it answers `400` itself and
 * closes the connection, so the request's body ends unfinished (docs/operations.md "Logs").
 */
export const MALFORMED_CHUNKS = {
  'a chunk size that is not hex': 'zz\r\n',
  'a chunk longer than its size': '5\r\nabcdefgh\r\n',
} as const;

/**
 * A chunked POST of `body` to `server` (in this process): its head, then the first half of the
 * body as one well-formed chunk; once the handler has begun reading it, `malformed` (one of
 * MALFORMED_CHUNKS). Resolves with everything that came back before the connection closed, or
 * `not closed` when it was still open after SERVER_WAIT (then closed by this side).
 */
export async function malformedChunkedBody(
  server: Server,
  url: string,
  path: string,
  headers: Readonly<Record<string, string | undefined>>,
  body: Uint8Array,
  malformed: string,
): Promise<string> {
  const reading = nextRequestReading(server);
  const connection = await rawConnection(url);
  await connection.write(requestHead('POST', path, url, { ...headers, 'transfer-encoding': 'chunked' }));
  const first = body.subarray(0, body.length >> 1);
  await connection.write(`${first.length.toString(16)}\r\n`);
  await connection.write(first);
  await connection.write('\r\n');
  await reading;
  await connection.write(malformed);
  const r = await withinServerWait(connection.closed, 'not closed');
  // A connection the server left open is closed here, so it cannot hold the server's close (and
  // the test's cleanup) until a timeout that would hide the failed expectation.
  if (r === 'not closed') connection.hangUp();
  return r;
}
