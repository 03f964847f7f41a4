// A handover in chunks of at most 1000 (docs/api.md `POST /v1/signals/transfer`): every id sent
// once, in order; a refused chunk stops it and the outcome says what moved and what did not.
import { describe, expect, it } from 'vitest';
import { chunks, sendInChunks, TRANSFER_LIMIT } from './transfer-chunks.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);

describe('a handover in chunks', () => {
  it('cuts 2500 ids into 1000, 1000 and 500, in order', () => {
    const c = chunks(ids(2500));
    expect(c.map((x) => x.length)).toEqual([1000, 1000, 500]);
    expect(c.flat()).toEqual(ids(2500));
    expect(chunks(ids(1000))).toHaveLength(1);
    expect(chunks([])).toEqual([]);
    expect(() => chunks(ids(3), 0)).toThrow(RangeError);
  });

  it('sends no request over the limit and says its progress', async () => {
    const sent: number[] = [];
    const progress: string[] = [];
    const r = await sendInChunks(
      ids(2001),
      async (chunk) => {
        sent.push(chunk.length);
        return chunk.length;
      },
      (moved, total) => progress.push(`${moved}/${total}`),
    );
    expect(r).toEqual({ ok: true, moved: 2001 });
    expect(Math.max(...sent)).toBeLessThanOrEqual(TRANSFER_LIMIT);
    expect(sent).toEqual([1000, 1000, 1]);
    expect(progress).toEqual(['1000/2001', '2000/2001']);
  });

  it('a refused chunk stops the handover: what moved and what did not', async () => {
    const refusal = new Error('refused');
    let calls = 0;
    const r = await sendInChunks(ids(2500), async (chunk) => {
      calls++;
      if (calls === 2) throw refusal;
      return chunk.length;
    });
    expect(r).toEqual({ ok: false, moved: 1000, notMoved: 1500, error: refusal });
    expect(calls).toBe(2);
  });
});
