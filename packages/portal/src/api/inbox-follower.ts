// The match inbox kept in this page between screens, for the notice of new matches
// (docs/portal.md "Screens", the header's notice): read in full once, then only the events after
// the last one read — one short answer, as a rule empty — on every screen, so a match handed
// over is told on the next screen. Every match read is kept with its latest view (a removed
// match as `null`), so a count made from it loses no match that a full read would give. Kept
// in memory only, for one session: nothing of it is written to the browser's storage
// (docs/portal.md "What stays in the browser").
//
// A signal transferred away leaves no event in this person's inbox (docs/api.md "Need to
// know"): its matches would stay kept as they were. So before matches are counted, `held`
// asks which of their signals this person holds now and forgets the others' matches.
import { type InboxItem, readInbox } from './inbox.js';

type Api = Parameters<typeof readInbox>[0];

/** The largest page the API gives (docs/api.md "Conventions"). */
const PAGE = 500;
/** A bound against a server that never ends the list: 500 000 signals. */
const MAX_PAGES = 1000;

export class InboxFollower {
  readonly #byId = new Map<string, InboxItem>();
  #cursor: string | undefined;
  /** The last read asked for: reads run one after the other, in the order they were asked. */
  #last: Promise<unknown> = Promise.resolve();
  /** A read asked for that has not started yet: callers until it starts share it. */
  #waiting: Promise<readonly InboxItem[]> | undefined;

  /**
   * Every match read so far, newest first, after reading the events after the kept cursor.
   * Each answer comes from a read that started after the call: a caller never gets the answer
   * of a read sent before it asked, which may miss a newer event. Callers at the same time
   * share one read. A read that fails is tried again on the next call. `api`: the page's
   * signed API of this session.
   */
  items(api: Api): Promise<readonly InboxItem[]> {
    if (this.#waiting !== undefined) return this.#waiting;
    const read: Promise<readonly InboxItem[]> = this.#last
      .catch(() => undefined)
      .then(() => {
        if (this.#waiting === read) this.#waiting = undefined;
        return this.#read(api);
      });
    this.#waiting = read;
    this.#last = read;
    return read;
  }

  /**
   * Of `items` (as `items()` gave them), the live matches of signals `personId` holds now
   * (`GET /v1/signals?personId=`, read until every signal asked about is found): a signal
   * transferred away is forgotten with its matches — unless an event read since gave the match
   * again (a transfer back), which this older answer must not undo.
   */
  async held(api: Api, personId: string, items: readonly InboxItem[]): Promise<readonly InboxItem[]> {
    const live = items.filter((i) => i.match !== null);
    const asked = new Set(live.map((i) => i.match!.ownSignalId));
    if (asked.size === 0) return [];
    const found = new Set<string>();
    let cursor: string | undefined;
    for (let i = 0; i < MAX_PAGES && found.size < asked.size; i++) {
      const page = (await api({
        method: 'GET',
        path: '/v1/signals',
        query: { personId, limit: PAGE, cursor },
      })) as {
        items: { id: string }[];
        nextCursor?: string;
      };
      for (const s of page.items) if (asked.has(s.id)) found.add(s.id);
      if (page.items.length === 0 || page.nextCursor === undefined || page.nextCursor === cursor) break;
      cursor = page.nextCursor;
    }
    for (const item of live) {
      if (!found.has(item.match!.ownSignalId) && this.#byId.get(item.matchId) === item) {
        this.#byId.delete(item.matchId);
      }
    }
    return live.filter((i) => found.has(i.match!.ownSignalId));
  }

  async #read(api: Api): Promise<readonly InboxItem[]> {
    const read = await readInbox(api, undefined, this.#cursor);
    for (const item of read.items) {
      // A match's creation stays as first read; its view is the latest event's.
      const created = this.#byId.get(item.matchId)?.createdAt ?? item.createdAt;
      this.#byId.set(item.matchId, { ...item, createdAt: created });
    }
    this.#cursor = read.cursor;
    return this.#list();
  }

  #list(): readonly InboxItem[] {
    return [...this.#byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}
