// The request body is read once, as bytes, from node:http's stream on a real server and
// from the WHATWG Request in-process: both paths must give the same bytes, enforce the
// same limits, and refuse an already-consumed body instead of passing it on; a body cut off
// because the client went away is RequestAborted, a stream's other failure its own error.

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isJsonContentType, RequestAborted, readBody, readIncoming } from './raw-body.js';

const request = (headers: Record<string, string> = {}) =>
  new Request('http://127.0.0.1/v1/signals', { method: 'POST', headers });

describe('reading the body from node:http’s request stream', () => {
  it('returns exactly the bytes sent, across chunks', async () => {
    const s = new PassThrough();
    const read = readIncoming(s, 1024);
    s.write(Buffer.from('{"a":'));
    s.write(Buffer.from('1}'));
    s.end();
    expect(Buffer.from(await read).toString('utf8')).toBe('{"a":1}');
  });

  it('an empty stream is an empty body', async () => {
    const s = new PassThrough();
    const read = readIncoming(s, 1024);
    s.end();
    expect((await read).byteLength).toBe(0);
  });

  it('refuses a body over the limit as it streams in, and stops reading it', async () => {
    const s = new PassThrough();
    const read = readIncoming(s, 8);
    s.write(Buffer.alloc(5));
    s.write(Buffer.alloc(5));
    await expect(read).rejects.toMatchObject({ code: 'body_too_large' });
    expect(s.destroyed).toBe(true);
  });

  it('a client that goes away before the end (closed, or node:http’s ECONNRESET) is RequestAborted', async () => {
    const closed = new PassThrough();
    const read = readIncoming(closed, 1024);
    closed.write(Buffer.from('{"a":'));
    closed.destroy();
    await expect(read).rejects.toBeInstanceOf(RequestAborted);
    const reset = new PassThrough();
    const readReset = readIncoming(reset, 1024);
    reset.write(Buffer.from('{"a":'));
    reset.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    await expect(readReset).rejects.toBeInstanceOf(RequestAborted);
    // Gone before the read began: the same.
    const gone = new PassThrough();
    gone.destroy();
    await expect(readIncoming(gone, 1024)).rejects.toBeInstanceOf(RequestAborted);
  });

  it('a stream that fails for another reason rejects with its own error, not as an abort', async () => {
    const s = new PassThrough();
    const read = readIncoming(s, 1024);
    s.write(Buffer.from('{"a":'));
    const eio = Object.assign(new Error('i/o'), { code: 'EIO' });
    s.destroy(eio);
    await expect(read).rejects.toBe(eio);
    // A message that says "aborted" does not make it one: the code decides.
    const worded = new PassThrough();
    const readWorded = readIncoming(worded, 1024);
    worded.destroy(new Error('aborted'));
    await expect(readWorded).rejects.not.toBeInstanceOf(RequestAborted);
  });

  it('refuses a stream already read from, instead of taking it as empty', async () => {
    const read = new PassThrough();
    read.write(Buffer.from('x'));
    read.read();
    await expect(readIncoming(read, 1024)).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('refuses a declared Content-Length over the limit before reading, on both paths', async () => {
    const s = new PassThrough();
    await expect(readBody(request({ 'content-length': '9' }), 8, s)).rejects.toMatchObject({
      code: 'body_too_large',
    });
    await expect(readBody(request({ 'content-length': '9' }), 8)).rejects.toMatchObject({
      code: 'body_too_large',
    });
    await expect(readBody(request({ 'content-length': '1e3' }), 8, s)).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('gives the same bytes as the WHATWG Request path', async () => {
    const body = '{"requestId":"x","ü":"ß"}';
    const s = new PassThrough();
    const viaIncoming = readBody(request(), 1024, s);
    s.end(Buffer.from(body, 'utf8'));
    const viaRequest = readBody(new Request('http://127.0.0.1/', { method: 'POST', body }), 1024);
    expect(Buffer.from(await viaIncoming).equals(Buffer.from(await viaRequest))).toBe(true);
  });
});

describe('isJsonContentType', () => {
  it('accepts application/json with at most a utf-8 charset, in any case and spacing', () => {
    for (const ok of [
      'application/json',
      'Application/JSON',
      'application/json;',
      'application/json; charset=utf-8',
      'application/json;charset=UTF-8',
      ' application/json ',
      'application/json ; charset=utf-8 ;',
    ])
      expect(isJsonContentType(ok), ok).toBe(true);
    for (const bad of [
      null,
      '',
      'application/json2',
      'application/jsonx; charset=utf-8',
      'application/json; charset=latin1',
      'application/json, text/plain',
      'text/json',
      'application/problem+json',
    ])
      expect(isJsonContentType(bad), String(bad)).toBe(false);
  });
});
