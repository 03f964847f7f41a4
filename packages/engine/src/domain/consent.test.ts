// Consent per signal: recorded with scopes and an opaque form reference, shown to the
// counterpart as scopes only (the match's coordination status), withdrawn without
// losing the fact, refused with free text or a BSN-like reference, logged with codes
// only, and gone with the signal.

import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, matchedPair } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function pair() {
  h = await harness();
  return matchedPair(h);
}

describe('consent', () => {
  it('without consent the match is anonymous; with it the counterpart sees the scopes only', async () => {
    const { a, b, sa, matchId } = await pair();
    expect((await h.engine.getMatch(b.actor, matchId)).coordination).toEqual({
      status: 'anonymous',
      myScopes: [],
      counterpartScopes: [],
    });
    expect(await h.engine.getConsent(a.actor, sa.signal.id)).toBeNull();
    const c = await h.engine.recordConsent(a.actor, sa.signal.id, {
      date: '2026-01-14',
      scopes: ['share_with_matched', 'team_meeting'],
      formReference: 'dossier/2026/TF-17',
    });
    expect(c).toMatchObject({
      signalId: sa.signal.id,
      status: 'given',
      scopes: ['team_meeting', 'share_with_matched'],
      formReference: 'dossier/2026/TF-17',
      withdrawnAt: null,
    });
    const seen = await h.engine.getMatch(b.actor, matchId);
    expect(seen.coordination).toEqual({
      status: 'consented',
      myScopes: [],
      counterpartScopes: ['team_meeting', 'share_with_matched'],
    });
    expect(JSON.stringify(seen)).not.toContain('TF-17');
    expect(JSON.stringify(seen)).not.toContain('2026-01-14');
    expect((await h.engine.getMatch(a.actor, matchId)).coordination.myScopes).toHaveLength(2);
    const bEvents = (await h.engine.inbox(b.actor, undefined, 100)).items.map((e) => e.type);
    expect(bEvents).toContain('match.updated');

    const log = await h.engine.logbook(1, 500);
    const rec = log.find((e) => e.action === 'consent.recorded')!;
    expect(rec.refs).toMatchObject({ organisationId: a.org.id, signalId: sa.signal.id });
    expect(rec.details).toEqual({});
    expect(JSON.stringify(log)).not.toContain('TF-17');

    h.clock.advance(1000);
    const w = await h.engine.withdrawConsent(a.actor, sa.signal.id);
    expect(w).toMatchObject({ status: 'withdrawn', withdrawnAt: h.clock.now });
    expect((await h.engine.getMatch(b.actor, matchId)).coordination.status).toBe('anonymous');
    await expect(h.engine.withdrawConsent(a.actor, sa.signal.id)).rejects.toMatchObject({ code: 'conflict' });
    expect((await h.engine.logbook(1, 500)).some((e) => e.action === 'consent.withdrawn')).toBe(true);
  });

  it('refuses unknown fields, unknown scopes, future dates and free text or a BSN in the reference', async () => {
    const { a, b, sa } = await pair();
    const ok = { date: '2026-01-14', scopes: ['team_meeting'] };
    const cases: [unknown, string[], string?][] = [
      [{ ...ok, note: 'mevrouw heeft schulden' }, ['']],
      [{ ...ok, scopes: ['everything'] }, ['scopes']],
      [{ ...ok, scopes: [] }, ['scopes']],
      [{ ...ok, scopes: ['team_meeting', 'team_meeting'] }, ['scopes']],
      [{ ...ok, date: '2026-01-16' }, ['date']],
      [{ ...ok, formReference: 'mevrouw heeft schulden' }, ['formReference']],
      // A BSN is forbidden content (docs/api.md "Text fields").
      [{ ...ok, formReference: 'x/123456782' }, ['formReference'], 'text_forbidden'],
      [{ ...ok, formReference: 'a'.repeat(65) }, ['formReference']],
    ];
    for (const [input, fields, code = 'validation_failed'] of cases) {
      await expect(
        h.engine.recordConsent(a.actor, sa.signal.id, input as never),
        JSON.stringify(fields),
      ).rejects.toMatchObject({ code, fields });
    }
    // another organisation's signal does not exist for the caller
    await expect(h.engine.recordConsent(b.actor, sa.signal.id, ok as never)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(h.engine.getConsent(b.actor, sa.signal.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await h.engine.getConsent(a.actor, sa.signal.id)).toBeNull();
  });

  it("B's consent tells A (the other party), not B itself", async () => {
    const { a, b, sb } = await pair();
    const newest = async (actor: typeof a.actor) => (await h.engine.inbox(actor, undefined, 100)).items;
    const aBefore = (await newest(a.actor)).length;
    const bBefore = (await newest(b.actor)).length;
    await h.engine.recordConsent(b.actor, sb.signal.id, { date: '2026-01-15', scopes: ['team_meeting'] });
    const aNew = (await newest(a.actor)).slice(aBefore).map((e) => e.type);
    expect(aNew).toEqual(['match.updated']);
    expect((await newest(b.actor)).slice(bBefore)).toEqual([]);
  });

  it('is refused on an inactive signal, can still be withdrawn there, and goes with the signal', async () => {
    const { a, sa, sb, b } = await pair();
    await h.engine.recordConsent(a.actor, sa.signal.id, { date: '2026-01-15', scopes: ['team_meeting'] });
    await h.engine.recordConsent(b.actor, sb.signal.id, { date: '2026-01-15', scopes: ['team_meeting'] });
    await h.engine.withdrawSignal(a.actor, sa.signal.id, 'ended');
    await expect(
      h.engine.recordConsent(a.actor, sa.signal.id, { date: '2026-01-15', scopes: ['team_meeting'] }),
    ).rejects.toMatchObject({ code: 'signal_inactive' });
    expect((await h.engine.withdrawConsent(a.actor, sa.signal.id)).status).toBe('withdrawn');
    await h.engine.withdrawSignal(b.actor, sb.signal.id, 'error');
    const rows = await h.store.read(async (tx) => tx.getConsent(1));
    expect(rows).toBeDefined(); // signal a is archived: its consent stays with it
    await h.engine.withdrawSignal(a.actor, sa.signal.id, 'error');
    expect(await h.store.read(async (tx) => tx.getConsent(1))).toBeUndefined();
    expect(await h.store.read(async (tx) => tx.getConsent(2))).toBeUndefined();
  });
});
