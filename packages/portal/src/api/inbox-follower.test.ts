// The notice's kept inbox (./inbox-follower.ts): one full read, then only the events after the
// last one read, counted by the requests it sends; no match that a
// full read would give is lost. The API here answers pages as GET /v1/matches does: events
// oldest first, each with its cursor, `nextCursor` only while more follow.
import type { MatchView } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { InboxFollower } from './inbox-follower.js';

type Event = { matchId: string; type: string; at: string; match: MatchView | null };

function server() {
  const events: Event[] = [];
  const requests: (string | undefined)[] = [];
  let failing = false;
  const view = (matchId: string, createdAt: string) => ({ id: matchId, createdAt }) as unknown as MatchView;
  const api = async (r: { query?: Record<string, string | number | undefined> }) => {
    requests.push(r.query?.cursor as string | undefined);
    if (failing) throw new Error('offline');
    const from = r.query?.cursor === undefined ? 0 : Number(r.query.cursor);
    const limit = Number(r.query?.limit);
    const items = events.slice(from, from + limit).map((e, i) => ({ ...e, cursor: String(from + i + 1) }));
    return from + items.length < events.length
      ? { items, nextCursor: String(from + items.length) }
      : { items };
  };
  return {
    api,
    requests,
    created(matchId: string, at: string) {
      events.push({ matchId, type: 'match.created', at, match: view(matchId, at) });
    },
    removed(matchId: string, at: string) {
      events.push({ matchId, type: 'match.removed', at, match: null });
    },
    fail(on: boolean) {
      failing = on;
    },
  };
}

const live = (items: readonly { match: MatchView | null; matchId: string }[]) =>
  items.filter((i) => i.match !== null).map((i) => i.matchId);

describe('InboxFollower', () => {
  it('after the first read, reads only the events after the last one read, and loses no match', async () => {
    const s = server();
    for (let i = 0; i < 3; i++) s.created(`m${i}`, `2026-12-0${i + 1}T10:00:00.000Z`);
    const follower = new InboxFollower();
    await follower.items(s.api);
    s.created('m3', '2026-12-04T10:00:00.000Z');
    s.removed('m0', '2026-12-04T11:00:00.000Z');
    const items = await follower.items(s.api);
    expect(s.requests).toEqual([undefined, '3']);
    expect(live(items)).toEqual(['m3', 'm2', 'm1']);
    // A removed match keeps the day it was made, not the day of its removal.
    expect(items.find((i) => i.matchId === 'm0')).toMatchObject({
      match: null,
      createdAt: '2026-12-01T10:00:00.000Z',
    });
    // Nothing new: one request from the same cursor, which stays.
    await follower.items(s.api);
    await follower.items(s.api);
    expect(s.requests).toEqual([undefined, '3', '5', '5']);
  });

  it('two screens asking at once share one read', async () => {
    const s = server();
    s.created('m0', '2026-12-01T10:00:00.000Z');
    const follower = new InboxFollower();
    const [a, b] = await Promise.all([follower.items(s.api), follower.items(s.api)]);
    expect(live(a)).toEqual(['m0']);
    expect(live(b)).toEqual(['m0']);
    expect(s.requests).toHaveLength(1);
  });

  it('a read that failed is tried again on the next screen, from where it was', async () => {
    const s = server();
    s.created('m0', '2026-12-01T10:00:00.000Z');
    const follower = new InboxFollower();
    await follower.items(s.api);
    s.created('m1', '2026-12-02T10:00:00.000Z');
    s.fail(true);
    await expect(follower.items(s.api)).rejects.toThrow('offline');
    s.fail(false);
    expect(live(await follower.items(s.api))).toEqual(['m1', 'm0']);
    expect(s.requests).toEqual([undefined, '1', '1']);
  });
});
