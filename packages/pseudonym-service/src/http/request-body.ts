// Reads an evaluate request's body, with the size limit, and tells a client that went away
// before its body was complete (RequestAborted: logged `request_aborted` at level info,
// docs/operations.md "Pseudonym service") from a read that failed otherwise (its own error:
// `internal_error`). The same test as the match server's (packages/server/src/http/raw-body.ts).

import type { IncomingHttpHeaders } from 'node:http';
import { MAX_BODY_BYTES } from '../config.js';
import { ServiceError } from '../errors.js';

/**
 * The client went away before its request body was complete (a lost signal, a proxy's
 * timeout, the stop cutting connections): no one is left to answer and nothing failed here,
 * so it is logged as `request_aborted` at level info, never as `internal_error`. Neither a
 * refusal nor a fault, so outside ServiceError's codes (errors.ts).
 */
export class RequestAborted extends Error {
  constructor() {
    super('the client went away before its request body was complete');
    this.name = 'RequestAborted';
  }
}

/** What the read needs of node:http's request (an IncomingMessage is one). */
export interface RequestBody extends AsyncIterable<unknown> {
  readonly headers: IncomingHttpHeaders;
  readonly destroyed: boolean;
  readonly readableEnded: boolean;
}

/** The body's bytes, at most `limit` (body_too_large past it, declared or as it streams in). */
export async function readBody(req: RequestBody, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw new ServiceError('body_too_large');
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > limit) throw new ServiceError('body_too_large');
      chunks.push(c as Buffer);
    }
  } catch (e) {
    if (clientWentAway(req, e)) throw new RequestAborted();
    throw e;
  }
  return Buffer.concat(chunks);
}

/**
 * Whether the body's read failed because the connection went away, told by the request's
 * state and the stream's error code, never a message: the request destroyed before its end
 * (not `readableEnded`, as on the match server: a request that arrived whole but whose
 * connection closed before it was read is one too), with Node's ECONNRESET (node:http
 * destroys a request whose connection closed before it was answered with that code —
 * whoever closed it: the client, a proxy, the stop) or, destroyed without an error, the
 * iterator's ERR_STREAM_PREMATURE_CLOSE. Anything else stays an `internal_error`.
 */
export function clientWentAway(req: RequestBody, e: unknown): boolean {
  if (!req.destroyed || req.readableEnded) return false;
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}
