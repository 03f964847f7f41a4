// The evaluate body's read (docs/operations.md "Pseudonym service"): a client that went away
// before its body was complete is RequestAborted (`request_aborted`, level info); a read that
// fails for any other reason keeps its own error (`internal_error`), as does a body over the
// limit (`body_too_large`) — a real fault is never hidden as a client's hang-up.

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../errors.js';
import { RequestAborted, readBody } from './request-body.js';

/** A stream shaped as node:http's request; `complete`: node:http's flag for a body that arrived whole. */
const request = (headers: Record<string, string> = {}, complete = false) =>
  Object.assign(new PassThrough(), { headers, complete });

describe('reading the evaluate body', () => {
  it('returns exactly the bytes sent, across chunks', async () => {
    const s = request();
    const read = readBody(s);
    s.write(Buffer.from('{"a":'));
    s.end(Buffer.from('1}'));
    expect(Buffer.from(await read).toString('utf8')).toBe('{"a":1}');
  });

  it('a client gone before the end (node:http’s ECONNRESET, or closed without an error) is RequestAborted', async () => {
    const reset = request();
    const readReset = readBody(reset);
    reset.write(Buffer.from('{"a":'));
    reset.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    await expect(readReset).rejects.toBeInstanceOf(RequestAborted);
    const closed = request();
    const readClosed = readBody(closed);
    closed.write(Buffer.from('{"a":'));
    closed.destroy();
    await expect(readClosed).rejects.toBeInstanceOf(RequestAborted);
  });

  it('a body that arrived whole but whose connection was reset before it was read is RequestAborted', async () => {
    // node:http's state then: complete, destroyed with ECONNRESET, never ended (never read).
    const s = request({}, true);
    s.end(Buffer.from('{"a":1}'));
    s.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    expect(s.readableEnded).toBe(false);
    await expect(readBody(s)).rejects.toBeInstanceOf(RequestAborted);
  });

  it('a stream that fails for another reason keeps its own error (internal_error), not an abort', async () => {
    const s = request();
    const read = readBody(s);
    s.write(Buffer.from('{"a":'));
    const eio = Object.assign(new Error('i/o'), { code: 'EIO' });
    s.destroy(eio);
    await expect(read).rejects.toBe(eio);
    // A message that says "aborted" does not make it one: the code decides.
    const worded = request();
    const readWorded = readBody(worded);
    worded.write(Buffer.from('{"a":'));
    const aborted = new Error('aborted');
    worded.destroy(aborted);
    await expect(readWorded).rejects.toBe(aborted);
  });

  it('a body over the limit is body_too_large, declared or as it streams in — not an abort', async () => {
    await expect(readBody(request({ 'content-length': '9' }), 8)).rejects.toMatchObject({
      code: 'body_too_large',
    });
    const s = request();
    const read = readBody(s, 8);
    s.write(Buffer.alloc(5));
    s.write(Buffer.alloc(5));
    const e = await read.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ServiceError);
    expect(e).toMatchObject({ code: 'body_too_large' });
    expect(s.destroyed).toBe(true);
  });
});
