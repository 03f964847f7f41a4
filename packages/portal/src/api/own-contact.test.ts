// The newest active signal's contact (./own-contact.ts) is on the last page of the person's
// signals, in placement order; the read stops after OWN_SIGNAL_PAGES pages, and past them the
// form's fields start empty. The API here is a function answering pages, as GET /v1/signals does.
import { describe, expect, it } from 'vitest';
import { newestOwnContact, OWN_SIGNAL_PAGES } from './own-contact.js';

/** `held` active signals of one person, oldest first, the i-th with role `role-i`, `limit` per page. */
function signals(held: number) {
  const requests: Record<string, string | number | undefined>[] = [];
  const api = async (r: { path: string; query?: Record<string, string | number | undefined> }) => {
    requests.push({ path: r.path, ...r.query });
    const from = r.query?.cursor === undefined ? 0 : Number(r.query.cursor);
    const limit = Number(r.query?.limit);
    const items = [];
    for (let i = from; i < Math.min(held, from + limit); i++) {
      items.push({ contact: { role: `role-${i}`, ...(i % 2 === 0 ? { phone: `+31 6 ${i}` } : {}) } });
    }
    const next = from + items.length;
    return next < held ? { items, nextCursor: String(next) } : { items };
  };
  return { api, requests };
}

describe('newestOwnContact', () => {
  it('answers the last active signal’s role and phone, reading every page up to the cap', async () => {
    const { api, requests } = signals(OWN_SIGNAL_PAGES * 500);
    expect(await newestOwnContact(api, 'p1')).toEqual({
      role: `role-${OWN_SIGNAL_PAGES * 500 - 1}`,
      phone: '',
    });
    expect(requests).toHaveLength(OWN_SIGNAL_PAGES);
    expect(requests[0]).toMatchObject({ path: '/v1/signals', status: 'active', personId: 'p1', limit: 500 });
    expect(await newestOwnContact(signals(3).api, 'p1')).toEqual({ role: 'role-2', phone: '+31 6 2' });
    expect(await newestOwnContact(signals(0).api, 'p1')).toBeUndefined();
  });

  it('stops after the cap: a person holding more active signals gets no contact, in OWN_SIGNAL_PAGES requests', async () => {
    const { api, requests } = signals(OWN_SIGNAL_PAGES * 500 + 1);
    expect(await newestOwnContact(api, 'p1')).toBeUndefined();
    expect(requests).toHaveLength(OWN_SIGNAL_PAGES);
  });
});
