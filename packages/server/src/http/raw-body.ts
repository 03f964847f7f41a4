// Reads the request body once, as bytes, with a hard size limit. The same bytes feed
// the Content-Digest check (docs/protocol.md §5) and the JSON parser, so what is
// verified is exactly what is parsed. Invalid UTF-8 and malformed JSON are refusals.

import { ServerError } from '../errors.js';

export const DEFAULT_BODY_LIMIT = 64 * 1024;
export const BATCH_BODY_LIMIT = 1024 * 1024;

const EMPTY = new Uint8Array(0);

export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    if (!/^[0-9]{1,15}$/.test(declared)) throw new ServerError('validation_failed', { fields: ['headers'] });
    if (Number(declared) > limit) throw new ServerError('body_too_large');
  }
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
  const [type, ...params] = value.split(';').map((s) => s.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => p === '' || p === 'charset=utf-8');
}
