// When the notes of this browser are pruned (docs/portal.md "What stays in the browser"): a
// note stays while its signal is active or the own signal of a match the inbox shows (an ended
// match too), and goes when neither list shows it; nothing goes unless both lists were read
// to their end. The lists are served by a scripted API answering as docs/api.md describes.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiRequest } from '../api/http.js';
import { notes, saveNote } from './local-store.js';
import { MemoryStorage } from './memory-storage.js';
import { pruneUnlisted } from './prune-notes.js';

type Event = { matchId: string; match: { ownSignalId: string; status: string } | null };

/** GET /v1/signals (active) and GET /v1/matches, paged by `size` with numeric cursors. */
function server(signals: string[], events: Event[], size = 2) {
  const seen: ApiRequest[] = [];
  const page = <T>(all: T[], cursor: unknown) => {
    const from = cursor === undefined ? 0 : Number(cursor);
    const items = all.slice(from, from + size);
    return from + size < all.length ? { items, nextCursor: String(from + size) } : { items };
  };
  const api = async (r: ApiRequest): Promise<unknown> => {
    seen.push(r);
    if (r.path === '/v1/signals') {
      expect(r.query).toMatchObject({ status: 'active', personId: 'p1' });
      return page(
        signals.map((id) => ({ id })),
        r.query?.cursor,
      );
    }
    if (r.path === '/v1/matches') return page(events, r.query?.cursor);
    throw new Error(`unexpected ${r.path}`);
  };
  return { api, seen };
}

const ids = () => Object.keys(notes('p1')).sort();

beforeEach(() => {
  Object.defineProperty(globalThis, 'localStorage', { value: new MemoryStorage(), configurable: true });
  for (const id of ['active-1', 'active-2', 'active-3', 'ended', 'removed', 'withdrawn', 'transferred'])
    saveNote('p1', id, { reference: `ref ${id}`, tags: {} });
});

describe('pruneUnlisted', () => {
  it('keeps active signals (on any page) and own signals of shown matches, drops the rest', async () => {
    const { api } = server(
      ['active-1', 'other', 'active-2', 'active-3'],
      [
        { matchId: 'm1', match: { ownSignalId: 'ended', status: 'active' } },
        { matchId: 'm2', match: { ownSignalId: 'removed', status: 'active' } },
        { matchId: 'm1', match: { ownSignalId: 'ended', status: 'ended' } },
        // Withdrawn in error, erased or purged: the latest event has no match.
        { matchId: 'm2', match: null },
      ],
    );
    expect(await pruneUnlisted(api, 'p1')).toBe(3);
    expect(ids()).toEqual(['active-1', 'active-2', 'active-3', 'ended']);
    expect(notes('p1').ended?.reference).toBe('ref ended');
  });

  it('drops nothing when a read fails', async () => {
    const { api } = server(['active-1'], []);
    const failing = async (r: ApiRequest) => {
      if (r.path === '/v1/matches') throw new Error('503');
      return api(r);
    };
    expect(await pruneUnlisted(failing, 'p1')).toBe(0);
    expect(ids()).toHaveLength(7);
  });

  it('drops nothing when a list does not end (a cursor that never runs out)', async () => {
    const endless = async (r: ApiRequest) =>
      r.path === '/v1/signals'
        ? { items: [{ id: 'active-1' }], nextCursor: 'again' }
        : { items: [], nextCursor: undefined };
    expect(await pruneUnlisted(endless, 'p1')).toBe(0);
    expect(ids()).toHaveLength(7);
  });

  it('asks nothing when this person keeps no note here', async () => {
    const { api, seen } = server([], []);
    expect(await pruneUnlisted(api, 'p2')).toBe(0);
    expect(seen).toEqual([]);
  });

  it('keeps a note saved while the lists were read', async () => {
    const { api } = server([], []);
    const placing = async (r: ApiRequest) => {
      if (r.path === '/v1/matches') saveNote('p1', 'placed-meanwhile', { reference: 'new', tags: {} });
      return api(r);
    };
    await pruneUnlisted(placing, 'p1');
    expect(ids()).toEqual(['placed-meanwhile']);
  });
});
