// The match inbox kept in this page between screens, for the notice of new matches
// (docs/portal.md "Screens", the header's notice): read in full once, then only the events after
// the last one read — one short answer, as a rule empty — on every screen, so a match handed
// over is told on the next screen. Every match read is kept with its latest view (a removed
// match as `null`), so a count made from it loses no match that a full read would give. Kept
// in memory only, for one session: nothing of it is written to the browser's storage
// (docs/portal.md "What stays in the browser").
import { type InboxItem, readInbox } from './inbox.js';

type Api = Parameters<typeof readInbox>[0];

export class InboxFollower {
  readonly #byId = new Map<string, InboxItem>();
  #cursor: string | undefined;
  #reading: Promise<readonly InboxItem[]> | undefined;

  /**
   * Every match read so far, newest first, after reading the events after the kept cursor;
   * callers at the same time share one read. A read that fails is tried again on the next
   * call. `api`: the page's signed API of this session.
   */
  items(api: Api): Promise<readonly InboxItem[]> {
    if (this.#reading !== undefined) return this.#reading;
    this.#reading = this.#read(api).finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
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
