// Reads the request body once, as bytes, with a hard size limit. The same bytes feed
// the Content-Digest check (docs/protocol.md §5) and the JSON parser, so what is
// verified is exactly what is parsed. Invalid UTF-8 and malformed JSON are refusals; a
// client that went away before its body was complete is neither a refusal nor a fault
// (RequestAborted, docs/operations.md "Logs": `request_aborted`).

import { ServerError } from '../errors.js';

export const DEFAULT_BODY_LIMIT = 64 * 1024;
export const BATCH_BODY_LIMIT = 1024 * 1024;

const EMPTY = new Uint8Array(0);

/**
 * The client went away before its request body was complete (a lost signal, a proxy's
 * timeout, the stop cutting connections): no one is left to answer, and nothing failed on
 * the server's side. app.ts logs it as `request_aborted` at level info, never as an error.
 */
export class RequestAborted extends Error {
  constructor() {
    super('the client went away before its request body was complete');
    this.name = 'RequestAborted';
  }
}

/** The node:http request stream, when the server runs on @hono/node-server. */
export interface IncomingBody {
  readonly readableEnded: boolean;
  readonly readableDidRead: boolean;
  readonly destroyed: boolean;
  /** The error the stream was destroyed with, if any (a Readable's `errored`). */
  readonly errored?: Error | null;
  on(event: 'data', fn: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close', fn: () => void): unknown;
  on(event: 'error', fn: (e: Error) => void): unknown;
  off(event: 'data', fn: (chunk: Buffer) => void): unknown;
  off(event: 'end' | 'close', fn: () => void): unknown;
  off(event: 'error', fn: (e: Error) => void): unknown;
  destroy(): unknown;
}

/**
 * Reads the body with `limit`. On a real server it reads node:http's request stream
 * directly (`incoming`): building a WHATWG Request and ReadableStream per request cost
 * about a sixth of a placement's CPU (docs/performance.md). Without it (Hono's
 * `app.request` in tests) it reads the Request's stream; both give the same bytes.
 */
export async function readBody(
  request: Request,
  limit: number,
  incoming?: IncomingBody,
): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    if (!/^[0-9]{1,15}$/.test(declared)) throw new ServerError('validation_failed', { fields: ['headers'] });
    if (Number(declared) > limit) throw new ServerError('body_too_large');
  }
  if (incoming !== undefined) return readIncoming(incoming, limit);
  const stream = request.body;
  if (stream === null) return EMPTY;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ServerError('body_too_large');
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

/**
 * Whether a stream that stopped before its end did so because the client went away, told by
 * the stream's state and its error's code, never its message: destroyed before its end, with
 * no error (its `close`) or with Node's ECONNRESET — node:http destroys a request whose
 * connection closed before the request was complete with that code ("aborted"), whoever
 * closed it: the client, a proxy, or the server's stop.
 */
function clientWentAway(incoming: IncomingBody, e: Error | null | undefined): boolean {
  if (!incoming.destroyed || incoming.readableEnded) return false;
  return e === undefined || e === null || (e as { code?: unknown }).code === 'ECONNRESET';
}

/**
 * Collects the request stream up to `limit` bytes. Too large: the stream is destroyed
 * (as cancelling the WHATWG stream did), so the rest is never read — a body without a
 * Content-Length thus sees its connection closed rather than a 413. A client that goes
 * away before the end (before the read began, too) is RequestAborted; a stream that fails
 * for any other reason rejects with its own error (an unexpected error: 500 `internal`).
 * A stream something else already read from is refused as `validation_failed` on `body`,
 * never taken as empty.
 */
export function readIncoming(incoming: IncomingBody, limit: number): Promise<Uint8Array> {
  if (incoming.destroyed && !incoming.readableDidRead) {
    return Promise.reject(incomplete(incoming, incoming.errored));
  }
  if (incoming.readableDidRead || incoming.destroyed) {
    return Promise.reject(new ServerError('validation_failed', { fields: ['body'] }));
  }
  if (incoming.readableEnded) return Promise.resolve(EMPTY);
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limit) {
        cleanup();
        incoming.destroy();
        reject(new ServerError('body_too_large'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(concat(chunks, total));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(incomplete(incoming, e));
    };
    const onClose = () => {
      cleanup();
      reject(incomplete(incoming, incoming.errored));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

/** What a stream that stopped before its end is: the client gone, or its own error. */
function incomplete(incoming: IncomingBody, e: Error | null | undefined): Error {
  if (clientWentAway(incoming, e)) return new RequestAborted();
  return e ?? new ServerError('validation_failed', { fields: ['body'] });
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 0) return EMPTY;
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Strict UTF-8 then JSON.parse; any failure is validation_failed with the path `body`. */
export function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ServerError('validation_failed', { fields: ['body'] });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ServerError('validation_failed', { fields: ['body'] });
  }
}

/** True for `application/json`, optionally with a utf-8 charset parameter. */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  // What clients send, without the split and lower-casing below (docs/performance.md "Eighth pass").
  if (value === 'application/json') return true;
  const [type, ...params] = value.split(';').map((s) => s.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => p === '' || p === 'charset=utf-8');
}
