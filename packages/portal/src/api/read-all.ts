// Every page of a list the API pages with `cursor` and `nextCursor`, at its largest page, up to
// a bound: a list that does not end within it is reported as cut off (undefined), so no caller
// acts on a part it takes for the whole (docs/portal.md "What stays in the browser").

import type { ApiRequest } from './http.js';

export type Api = (request: ApiRequest) => Promise<unknown>;

/** The largest page the API allows. */
const PAGE = 500;
/** Past this many pages a list counts as cut off. */
const MAX_PAGES = 200;

interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

/** Every page of a list, or undefined when it did not end within `maxPages` (MAX_PAGES unless less). */
export async function readAll<T>(
  api: Api,
  path: string,
  query: Record<string, string>,
  maxPages = MAX_PAGES,
): Promise<T[] | undefined> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < Math.min(maxPages, MAX_PAGES); i++) {
    const page = (await api({ method: 'GET', path, query: { ...query, limit: PAGE, cursor } })) as Page<T>;
    all.push(...page.items);
    if (page.items.length === 0 || page.nextCursor === undefined) return all;
    cursor = page.nextCursor;
  }
  return undefined;
}
