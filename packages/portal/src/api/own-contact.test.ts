// The newest active signal's contact (./own-contact.ts) is the first of the person's signals
// newest first: one request of one signal, however many the person holds. The API here is a
// function answering pages in either order, as GET /v1/signals does (API 1.9.0).
import { describe, expect, it } from 'vitest';
import { newestOwnContact } from './own-contact.js';

/** `held` active signals of one person, placed in index order, the i-th with role `role-i`. */
function signals(held: number) {
  const requests: Record<string, string | number | undefined>[] = [];
  const api = async (r: { path: string; query?: Record<string, string | number | undefined> }) => {
    requests.push({ path: r.path, ...r.query });
    const all = Array.from({ length: held }, (_, i) => ({
      contact: { role: `role-${i}`, ...(i % 2 === 0 ? { phone: `+31 6 ${i}` } : {}) },
    }));
    const ordered = r.query?.order === 'newest' ? all.reverse() : all;
    const limit = Number(r.query?.limit ?? 100);
    const items = ordered.slice(0, limit);
    return items.length < ordered.length ? { items, nextCursor: String(limit) } : { items };
  };
  return { api, requests };
}

describe('newestOwnContact', () => {
  it('answers the newest active signal’s role and phone from one page newest first', async () => {
    const { api, requests } = signals(3);
    expect(await newestOwnContact(api, 'p1')).toEqual({ role: 'role-2', phone: '+31 6 2' });
    expect(requests).toEqual([
      { path: '/v1/signals', status: 'active', personId: 'p1', order: 'newest', limit: 1 },
    ]);
    expect(await newestOwnContact(signals(2).api, 'p1')).toEqual({ role: 'role-1', phone: '' });
    expect(await newestOwnContact(signals(0).api, 'p1')).toBeUndefined();
  });

  it('has no cap: a person holding 5,000 active signals gets the newest, in one request', async () => {
    const { api, requests } = signals(5000);
    expect(await newestOwnContact(api, 'p1')).toEqual({ role: 'role-4999', phone: '' });
    expect(requests).toHaveLength(1);
  });
});
