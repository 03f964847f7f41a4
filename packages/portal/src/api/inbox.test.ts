// The match inbox is read to its end (./inbox.ts): oldest first, so stopping early would leave
// out the newest matches; a server whose cursor does not move on ends the read, said as
// `complete: false`. The API here is a function answering pages, as GET /v1/matches does.
import { describe, expect, it } from 'vitest';
import { readInbox } from './inbox.js';

/** An inbox of `events` match.created events, one match each, `limit` per page. */
function inbox(events: number) {
  const requests: (string | undefined)[] = [];
  const api = async (r: { query?: Record<string, string | number | undefined> }) => {
    const from = r.query?.cursor === undefined ? 0 : Number(r.query.cursor);
    const limit = Number(r.query?.limit);
    requests.push(r.query?.cursor as string | undefined);
    const items = [];
    for (let i = from; i < Math.min(events, from + limit); i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      items.push({ cursor: String(i + 1), matchId: `m${i}`, type: 'match.created', at, match: null });
    }
    const next = from + items.length;
    return next < events ? { items, nextCursor: String(next) } : { items };
  };
  return { api, requests };
}

describe('readInbox', () => {
  it('reads past 20 pages to the newest match', async () => {
    const events = 21 * 500 + 7;
    const { api, requests } = inbox(events);
    const read = await readInbox(api);
    expect(read.complete).toBe(true);
    expect(read.items).toHaveLength(events);
    expect(read.items[0]!.matchId).toBe(`m${events - 1}`);
    expect(requests).toHaveLength(22);
  });

  it('a cursor that does not move on ends the read, and says it is not complete', async () => {
    const api = async () => ({
      items: [
        { cursor: '7', matchId: 'm1', type: 'match.created', at: '2026-01-01T00:00:00.000Z', match: null },
      ],
      nextCursor: '7',
    });
    const read = await readInbox(api);
    expect(read.complete).toBe(false);
    expect(read.items.map((i) => i.matchId)).toEqual(['m1']);
  });

  it('more pages than the bound: not complete', async () => {
    const read = await readInbox(inbox(3 * 500).api, 2);
    expect(read.complete).toBe(false);
    expect(read.items).toHaveLength(1000);
  });
});
