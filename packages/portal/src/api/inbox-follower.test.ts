// The notice's kept inbox (./inbox-follower.ts): one full read, then only the events after the
// last one read, counted by the requests it sends; no match that a
// full read would give is lost. The API here answers pages as GET /v1/matches does: events
// oldest first, each with its cursor, `nextCursor` only while more follow.
import type { MatchView } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { InboxFollower } from './inbox-follower.js';

type Event = { matchId: string; type: string; at: string; match: MatchView | null };
type Request = { path: string; query?: Record<string, string | number | undefined> };

function server() {
  const events: Event[] = [];
  const requests: (string | undefined)[] = [];
  const held = new Set<string>();
  const signalReads: Record<string, string | number | undefined>[] = [];
  let failing = false;
  /** Answers held back until released: a test sends a read and lets it answer later. */
  let holding: (() => void)[] | undefined;
  const view = (matchId: string, createdAt: string, signalId = `s-${matchId}`) =>
    ({ id: matchId, createdAt, ownSignalId: signalId }) as unknown as MatchView;
  const api = async (r: Request) => {
    if (r.path === '/v1/signals') {
      signalReads.push(r.query ?? {});
      const mine = [...held].sort().map((id) => ({ id }));
      const from = r.query?.cursor === undefined ? 0 : Number(r.query.cursor);
      const items = mine.slice(from, from + Number(r.query?.limit));
      return from + items.length < mine.length
        ? { items, nextCursor: String(from + items.length) }
        : { items };
    }
    requests.push(r.query?.cursor as string | undefined);
    const snapshot = [...events];
    if (holding !== undefined) await new Promise<void>((go) => holding!.push(go));
    if (failing) throw new Error('offline');
    const from = r.query?.cursor === undefined ? 0 : Number(r.query.cursor);
    const limit = Number(r.query?.limit);
    const items = snapshot.slice(from, from + limit).map((e, i) => ({ ...e, cursor: String(from + i + 1) }));
    return from + items.length < snapshot.length
      ? { items, nextCursor: String(from + items.length) }
      : { items };
  };
  return {
    api,
    requests,
    signalReads,
    created(matchId: string, at: string) {
      events.push({ matchId, type: 'match.created', at, match: view(matchId, at) });
      held.add(`s-${matchId}`);
    },
    /** The signal of `matchId` moved away from this person: no event in their inbox. */
    transferredAway(matchId: string) {
      held.delete(`s-${matchId}`);
    },
    /** Moved back to this person: the transfer appends `match.updated` (docs/api.md "Need to know"). */
    transferredBack(matchId: string, createdAt: string, at: string) {
      held.add(`s-${matchId}`);
      events.push({ matchId, type: 'match.updated', at, match: view(matchId, createdAt) });
    },
    hold() {
      holding = [];
    },
    release() {
      const waiting = holding ?? [];
      holding = undefined;
      for (const go of waiting) go();
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

  it('a caller who asks while a read is under way gets a read sent after its call', async () => {
    const s = server();
    s.created('m0', '2026-12-01T10:00:00.000Z');
    const follower = new InboxFollower();
    s.hold();
    const before = follower.items(s.api);
    while (s.requests.length === 0) await Promise.resolve();
    // The handover lands while the first read is on its way; the next screen asks after it.
    s.created('m1', '2026-12-02T10:00:00.000Z');
    const after = follower.items(s.api);
    const also = follower.items(s.api);
    s.release();
    expect(live(await before)).toEqual(['m0']);
    expect(live(await after)).toEqual(['m1', 'm0']);
    // The two callers after it shared one read.
    expect(await also).toBe(await after);
    expect(s.requests).toEqual([undefined, '1']);
  });

  it('counts only the matches of signals this person holds now, and forgets the ones handed away', async () => {
    const s = server();
    s.created('m0', '2026-12-01T10:00:00.000Z');
    s.created('m1', '2026-12-02T10:00:00.000Z');
    const follower = new InboxFollower();
    const first = await follower.items(s.api);
    expect((await follower.held(s.api, 'p1', first)).map((i) => i.matchId)).toEqual(['m1', 'm0']);
    s.transferredAway('m1');
    const second = await follower.items(s.api);
    expect((await follower.held(s.api, 'p1', second)).map((i) => i.matchId)).toEqual(['m0']);
    expect(s.signalReads.every((q) => q.personId === 'p1')).toBe(true);
    // Forgotten: the next read no longer gives it.
    expect(live(await follower.items(s.api))).toEqual(['m0']);
    // Handed back: the transfer's event gives it again, with the day it was made.
    s.transferredBack('m1', '2026-12-02T10:00:00.000Z', '2026-12-03T10:00:00.000Z');
    const back = await follower.items(s.api);
    expect((await follower.held(s.api, 'p1', back)).map((i) => i.matchId)).toEqual(['m1', 'm0']);
  });

  it('an older answer about the held signals does not undo a transfer back read since', async () => {
    const s = server();
    s.created('m0', '2026-12-01T10:00:00.000Z');
    const follower = new InboxFollower();
    const old = await follower.items(s.api);
    s.transferredAway('m0');
    // The answer that m0's signal is gone comes; meanwhile the transfer back was read.
    const asking = follower.held(s.api, 'p1', old);
    s.transferredBack('m0', '2026-12-01T10:00:00.000Z', '2026-12-02T10:00:00.000Z');
    await follower.items(s.api);
    expect(await asking).toEqual([]);
    expect(live(await follower.items(s.api))).toEqual(['m0']);
  });

  it('asks nothing about signals when there is no match to count', async () => {
    const s = server();
    const follower = new InboxFollower();
    expect(await follower.held(s.api, 'p1', await follower.items(s.api))).toEqual([]);
    expect(s.signalReads).toEqual([]);
  });
});
