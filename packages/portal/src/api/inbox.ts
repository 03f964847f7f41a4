// The match inbox read page by page (GET /v1/matches, oldest first): the latest view of
// each match, and when each was created. Read to the end: the inbox is oldest first, so a
// read that stopped early would leave out the newest matches. Only a server whose cursor does
// not move on (or more than `maxPages` pages) stops it early, and the answer says so
// (`complete: false`) for the screen to tell the person. A reader that keeps what it read
// resumes after the last event it saw (`after`, the answer's `cursor`): the events since then,
// each with the match's current view.
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
  /** The last event's cursor read (or `after` when none was new): where the next read resumes. */
  readonly cursor: string | undefined;
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

export async function readInbox(api: Api, maxPages = MAX_PAGES, after?: string): Promise<InboxRead> {
  const byId = new Map<string, InboxItem>();
  let cursor = after;
  let last = after;
  let complete = false;
  for (let i = 0; i < maxPages; i++) {
    const page = (await api({ method: 'GET', path: '/v1/matches', query: { limit: PAGE, cursor } })) as {
      items: { cursor: string; matchId: string; type: string; at: string; match: MatchView | null }[];
      nextCursor?: string;
    };
    for (const ev of page.items) {
      const created = byId.get(ev.matchId)?.createdAt ?? ev.match?.createdAt ?? ev.at;
      byId.set(ev.matchId, { matchId: ev.matchId, createdAt: created, match: ev.match });
      last = ev.cursor;
    }
    if (page.items.length === 0 || page.nextCursor === undefined) {
      complete = true;
      break;
    }
    if (page.nextCursor === cursor) break;
    cursor = page.nextCursor;
  }
  return {
    items: [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    complete,
    cursor: last,
  };
}
