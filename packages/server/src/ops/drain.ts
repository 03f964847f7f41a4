// Draining the listening server at shutdown (docs/operations.md "Shutdown"): once stopping, a
// kept-alive connection must not carry new requests for as long as its client keeps sending.
// Every answer from then on — also to a request that was in flight — carries `Connection:
// close`, so node:http ends the connection after it, and a connection left idle by a finished
// answer is closed at once: a busy instance drains in about the time of its slowest request.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Http2SecureServer, Http2Server } from 'node:http2';

type Listening = Server | Http2Server | Http2SecureServer;

export interface Drain {
  /** Stop keeping connections alive: answers in flight and later ones close their connection. */
  start(): void;
}

export function drainOnStop(listening: Listening): Drain {
  const server = listening as Server;
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
