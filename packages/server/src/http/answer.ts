// A route's answer with all its headers at once (app.ts, docs/performance.md "Eighth pass").
// The app adds the same headers to every answer (security, correlation id, version, date,
// CORS). For any other answer it sets them on the Response's `Headers` after the handler;
// on the server, @hono/node-server then copies that `Headers` back into a plain object for
// node:http. A route's reply skips both: the same function that sets them on a `Headers`
// (`HeaderSink`) sets them here on plain names, and the Response is built once, its headers
// a plain object exactly as node-server would have made it from the `Headers` — names in
// lower case and in sorted order, and on the server `Content-Length` last — so the bytes on
// the wire are the same (answer.test.ts).

import type { Reply } from './route.js';

/** What the app's header step needs of a `Headers`. */
export interface HeaderSink {
  get(name: string): string | null;
  set(name: string, value: string): void;
  append(name: string, value: string): void;
}

/** A `Headers` of plain lower-case names (values as given: the app's never need trimming). */
class PlainHeaders implements HeaderSink {
  readonly #values = new Map<string, string>();

  constructor(init: Readonly<Record<string, string>> | undefined) {
    if (init !== undefined) for (const name of Object.keys(init)) this.append(name, init[name]!);
  }

  get(name: string): string | null {
    return this.#values.get(name.toLowerCase()) ?? null;
  }

  set(name: string, value: string): void {
    this.#values.set(name.toLowerCase(), value);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const before = this.#values.get(key);
    this.#values.set(key, before === undefined ? value : `${before}, ${value}`);
  }

  /** As node-server's buildOutgoingHttpHeaders makes it from a `Headers`: sorted names. */
  record(): Record<string, string | number> {
    const out: Record<string, string | number> = {};
    for (const name of [...this.#values.keys()].sort()) out[name] = this.#values.get(name)!;
    return out;
  }
}

const answered = new WeakSet<Response>();

/** True for a Response answerResponse built: its headers are complete. */
export function isAnswered(res: Response): boolean {
  return answered.has(res);
}

/**
 * The Response of a route's reply, with `finish` (the app's header step) applied to its
 * headers. `withLength`: on the server (node-server), where a body's `Content-Length` is
 * added after the other headers.
 */
export function answerResponse(
  reply: Reply,
  finish: (headers: HeaderSink, status: number) => void,
  withLength: boolean,
): Response {
  let body: string | null;
  let headers: PlainHeaders;
  if (reply.status === 204 || reply.body === undefined) {
    body = null;
    headers = new PlainHeaders(reply.headers);
  } else if (typeof reply.body === 'string') {
    body = reply.body;
    headers = new PlainHeaders({
      'Content-Type': reply.contentType ?? 'text/plain; charset=utf-8',
      ...reply.headers,
    });
  } else {
    body = JSON.stringify(reply.body);
    headers = new PlainHeaders({ 'Content-Type': reply.contentType ?? 'application/json', ...reply.headers });
  }
  finish(headers, reply.status);
  const record = headers.record();
  if (withLength && body !== null) record['Content-Length'] = Buffer.byteLength(body);
  const res = new Response(body, { status: reply.status, headers: record as Record<string, string> });
  answered.add(res);
  return res;
}
