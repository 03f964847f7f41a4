// The HTTP side of the service's stop (docs/operations.md "Pseudonym service", Stopping): no new
// connection is taken; every answer from then on, to a request in flight too, carries
// `Connection: close`, and a connection left idle is closed at once. The stop waits until every
// connection is closed and every request's handler has ended, at most the stop's time limit;
// then it cuts the connections still open and waits for their handlers all the same (what a
// handler has left then is the disk's: an fdatasync of nonces.log or of the logbook; its answer
// goes nowhere). Invariant: once `stop()` resolves no handler runs, so none can meet a zeroed key
// or write to a closed file (http/evaluate.ts writes its logbook line after its awaits).

import type { Server, ServerResponse } from 'node:http';

export class Drain {
  readonly #server: Server;
  /** The answers of the handlers running now. */
  readonly #answers = new Set<ServerResponse>();
  #ended: (() => void)[] = [];
  #stopping = false;

  constructor(server: Server) {
    this.#server = server;
  }

  /** Runs one request's handler, counted until it has ended (answered, refused or failed). */
  async run(res: ServerResponse, handler: () => Promise<void>): Promise<void> {
    if (this.#stopping) closeAfter(res);
    this.#answers.add(res);
    // A connection that an answer left idle during the stop is closed at once.
    res.once('close', () => {
      if (this.#stopping) setImmediate(() => this.#server.closeIdleConnections());
    });
    try {
      await handler();
    } finally {
      this.#answers.delete(res);
      if (this.#answers.size === 0) for (const ended of this.#ended.splice(0)) ended();
    }
  }

  /** Stops taking requests and resolves once every connection is closed and every handler has ended. */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    for (const res of this.#answers) closeAfter(res);
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    // Once every connection is closed no handler can begin; then wait for those still running.
    const drained = closed.then(() => this.#handlersEnded());
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    if (await Promise.race([drained.then(() => false), late])) this.#server.closeAllConnections();
    clearTimeout(timer);
    await drained;
  }

  #handlersEnded(): Promise<void> {
    if (this.#answers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#ended.push(resolve));
  }
}

/** The connection ends after this answer (node:http honours the header). */
function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
}
