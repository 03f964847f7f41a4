// The match inbox read page by page (GET /v1/matches, oldest first): the latest view of
// each match, and when each was created. Read to the end: the inbox is oldest first, so a
// read that stopped early would leave out the newest matches. Only a server whose cursor does
// not move on (or more than `maxPages` pages) stops it early, and the answer says so
// (`complete: false`) for the screen to tell the person.
import type { MatchView } from '@sluis/client-sdk';

export interface InboxItem {
  readonly matchId: string;
  readonly createdAt: string;
  readonly match: MatchView | null;
}

export interface InboxRead {
  /** Newest first. */
  readonly items: InboxItem[];
  /** False when the read stopped before the end of the inbox. */
  readonly complete: boolean;
}

type Api = (request: {
  method: 'GET';
  path: string;
  query?: Record<string, string | number | undefined>;
}) => Promise<unknown>;

/** The largest page the API gives (docs/api.md "Conventions"). */
const PAGE = 500;
/** A bound against a server that never ends the list: 500 000 events. */
const MAX_PAGES = 1000;

export async function readInbox(api: Api, maxPages = MAX_PAGES): Promise<InboxRead> {
  const byId = new Map<string, InboxItem>();
  let cursor: string | undefined;
  let complete = false;
  for (let i = 0; i < maxPages; i++) {
    const page = (await api({ method: 'GET', path: '/v1/matches', query: { limit: PAGE, cursor } })) as {
      items: { matchId: string; type: string; at: string; match: MatchView | null }[];
      nextCursor?: string;
    };
    for (const ev of page.items) {
      const created = byId.get(ev.matchId)?.createdAt ?? ev.match?.createdAt ?? ev.at;
      byId.set(ev.matchId, { matchId: ev.matchId, createdAt: created, match: ev.match });
    }
    if (page.items.length === 0 || page.nextCursor === undefined) {
      complete = true;
      break;
    }
    if (page.nextCursor === cursor) break;
    cursor = page.nextCursor;
  }
  return { items: [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), complete };
}
