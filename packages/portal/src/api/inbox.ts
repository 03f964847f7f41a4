// The match inbox read page by page (GET /v1/matches, oldest first): the latest view of
// each match, and when each was created. Bounded: at most `maxPages` pages per read.
import type { MatchView } from '@sluis/client-sdk';

export interface InboxItem {
  readonly matchId: string;
  readonly createdAt: string;
  readonly match: MatchView | null;
}

type Api = (request: {
  method: 'GET';
  path: string;
  query?: Record<string, string | number | undefined>;
}) => Promise<unknown>;

export async function readInbox(api: Api, maxPages = 20): Promise<InboxItem[]> {
  const byId = new Map<string, InboxItem>();
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = (await api({ method: 'GET', path: '/v1/matches', query: { limit: 200, cursor } })) as {
      items: { matchId: string; type: string; at: string; match: MatchView | null }[];
      nextCursor?: string;
    };
    for (const ev of page.items) {
      const created = byId.get(ev.matchId)?.createdAt ?? ev.match?.createdAt ?? ev.at;
      byId.set(ev.matchId, { matchId: ev.matchId, createdAt: created, match: ev.match });
    }
    if (page.items.length === 0 || page.nextCursor === undefined) break;
    cursor = page.nextCursor;
  }
  return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
