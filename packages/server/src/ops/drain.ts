// Draining the listening server at shutdown (docs/operations.md "Shutdown"): once stopping, a
// kept-alive connection must not carry new requests for as long as its client keeps sending.
// Every answer from then on — also to a request that was in flight — carries `Connection:
// close`, so node:http ends the connection after it, and a connection left idle by a finished
// answer is closed at once: a busy instance drains in about the time of its slowest request.
// Assumption (docs/operations.md "Shutdown"): the match server speaks HTTP/1.1 only — server.ts
// calls @hono/node-server's `serve` without `createServer`, so node:http's server, and TLS and
// HTTP/2 end at the reverse proxy. `Connection: close` is forbidden in HTTP/2 (RFC 9113 §8.2.2),
// so a server that is not node:http's is refused here rather than drained wrongly.
// `HandlerCount` counts the application's handlers: a handler of a connection the stop cut at
// its time limit still runs (its answer goes nowhere), and the stop closes the database and
// zeroes the keys only once none runs.

import { type IncomingMessage, Server, type ServerResponse } from 'node:http';
import type { Http2SecureServer, Http2Server } from 'node:http2';

/** What `serve` may return; only the node:http `Server` (HTTP/1.1) is accepted at run time. */
type Listening = Server | Http2Server | Http2SecureServer;

export interface Drain {
  /** Stop keeping connections alive: answers in flight and later ones close their connection. */
  start(): void;
}

export function drainOnStop(listening: Listening): Drain {
  if (!(listening instanceof Server)) {
    throw new Error(
      'drainOnStop drains an HTTP/1.1 (node:http) server only: serve HTTP/2 and TLS at the reverse proxy',
    );
  }
  const server = listening;
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  const closeIdle = () => setImmediate(() => server.closeIdleConnections?.());
  const markClose = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  // Before the application's own listener, so the header is there before it answers.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (stopping) markClose(res);
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (stopping) closeIdle();
    });
  });
  return {
    start() {
      stopping = true;
      for (const res of inFlight) markClose(res);
      closeIdle();
    },
  };
}

/** The application's handlers running now; `idle()` resolves once none runs. */
export class HandlerCount {
  #running = 0;
  #idle: (() => void)[] = [];

  /** Runs one request's handler, counted until it has ended (answered, refused or failed). */
  async run<T>(handler: () => T | Promise<T>): Promise<T> {
    this.#running++;
    try {
      return await handler();
    } finally {
      this.#running--;
      if (this.#running === 0) for (const idle of this.#idle.splice(0)) idle();
    }
  }

  idle(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}
