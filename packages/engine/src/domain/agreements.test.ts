// The agreements list of a match: codes only (free text and unknown fields refused),
// append-only status changes, visible to the two matched organisations only, counts and
// overdue items for the municipality, frozen when the match ends, refused while
// processing is restricted, and gone with the match (error withdrawal, erasure, purge).

import { afterEach, describe, expect, it } from 'vitest';
import type { AgreementInput } from '../api.js';
import { admin, DAY, type Harness, harness, matchedPair, person, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function pair() {
  h = await harness({ config: { archiveTermDays: 10 } });
  return matchedPair(h);
}

const agreement = (over: Partial<AgreementInput> = {}): AgreementInput => ({
  owner: 'me',
  actionKind: 'home_visit',
  informationCategory: 'housing',
  purpose: 'prevent_eviction',
  dueDate: '2026-02-01',
  ...over,
});

describe('agreements', () => {
  it('both parties read the same list from their own perspective; status changes are appended', async () => {
    const { a, b, matchId } = await pair();
    const x = await h.engine.addAgreement(a.actor, matchId, agreement());
    expect(x).toMatchObject({
      owner: 'me',
      createdBy: 'me',
      status: 'open',
      actionKind: 'home_visit',
      informationCategory: 'housing',
      purpose: 'prevent_eviction',
      dueDate: '2026-02-01',
    });
    await h.engine.addAgreement(
      b.actor,
      matchId,
      agreement({ owner: 'counterpart', actionKind: 'case_meeting' }),
    );
    const fromB = await h.engine.listAgreements(b.actor, matchId);
    expect(fromB.map((y) => [y.actionKind, y.owner, y.createdBy])).toEqual([
      ['home_visit', 'counterpart', 'counterpart'],
      ['case_meeting', 'counterpart', 'me'],
    ]);
    h.clock.advance(1000);
    const done = await h.engine.setAgreementStatus(b.actor, matchId, x.id, 'done');
    expect(done.status).toBe('done');
    expect(done.history.map((e) => [e.status, e.by])).toEqual([
      ['open', 'counterpart'],
      ['done', 'me'],
    ]);
    await expect(h.engine.setAgreementStatus(a.actor, matchId, x.id, 'done')).rejects.toMatchObject({
      code: 'conflict',
    });
    await h.engine.setAgreementStatus(a.actor, matchId, x.id, 'open');
    await h.engine.setAgreementStatus(a.actor, matchId, x.id, 'cancelled');
    await expect(h.engine.setAgreementStatus(a.actor, matchId, x.id, 'open')).rejects.toMatchObject({
      code: 'conflict',
    });
    const fromA = await h.engine.listAgreements(a.actor, matchId);
    expect(fromA[0]?.history.map((e) => e.status)).toEqual(['open', 'done', 'open', 'cancelled']);
    // append-only: the store holds one row per entry and nothing was rewritten
    const entries = await h.store.read((tx) => tx.agreementEntries(1));
    expect(entries.map((e) => e.kind)).toEqual(['agreement', 'agreement', 'status', 'status', 'status']);
    await expect(
      h.engine.setAgreementStatus(a.actor, matchId, '00000000-0000-4000-8000-000000000000', 'done'),
    ).rejects.toMatchObject({ code: 'not_found' });
    // the counterpart is told, and the logbook has ids and the act only
    expect((await h.engine.inbox(b.actor, undefined, 100)).items.map((e) => e.type)).toContain(
      'match.updated',
    );
    const log = await h.engine.logbook(1, 500);
    const added = log.find((e) => e.action === 'agreement.added')!;
    expect(added.refs).toEqual({ organisationId: a.org.id, keyId: a.keyId, matchId, agreementId: x.id });
    expect(added.details).toEqual({});
    const changes = log.filter((e) => e.action === 'agreement.status');
    expect(changes.map((e) => [e.refs.agreementId, e.details])).toEqual([
      [x.id, {}],
      [x.id, {}],
      [x.id, {}],
    ]);
    expect(log.some((e) => e.action === 'match.revealed' && e.details.via === 'agreements')).toBe(true);
  });

  it('refuses free text, unknown fields and codes outside the configured lists', async () => {
    const { a, matchId } = await pair();
    const cases: [unknown, string[]][] = [
      [{ ...agreement(), note: 'moeder drinkt' }, ['']],
      [{ ...agreement(), actionKind: 'talk to the mother about her drinking' }, ['actionKind']],
      [{ ...agreement(), informationCategory: 'medical file' }, ['informationCategory']],
      [{ ...agreement(), purpose: 'x' }, ['purpose']],
      [{ ...agreement(), owner: 'someone else' }, ['owner']],
      [{ ...agreement(), dueDate: '2026-01-14' }, ['dueDate']],
      [{ ...agreement(), dueDate: '2026-02-30' }, ['dueDate']],
    ];
    for (const [input, fields] of cases) {
      await expect(
        h.engine.addAgreement(a.actor, matchId, input as never),
        JSON.stringify(fields),
      ).rejects.toMatchObject({ code: 'validation_failed', fields });
    }
    await expect(
      h.engine.setAgreementStatus(a.actor, matchId, 'x', 'finished' as never),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(await h.engine.listAgreements(a.actor, matchId)).toEqual([]);
  });

  it('a third organisation can neither read nor append; the municipality sees counts and overdue only', async () => {
    const { a, b, matchId } = await pair();
    const c = await h.org('C');
    await expect(h.engine.listAgreements(c.actor, matchId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.engine.addAgreement(c.actor, matchId, agreement())).rejects.toMatchObject({
      code: 'not_found',
    });
    const late = await h.engine.addAgreement(
      a.actor,
      matchId,
      agreement({ dueDate: '2026-01-20', owner: 'counterpart' }),
    );
    const x = await h.engine.addAgreement(b.actor, matchId, agreement({ dueDate: '2026-03-01' }));
    await h.engine.setAgreementStatus(b.actor, matchId, x.id, 'done');
    await expect(h.engine.agreementsOverview(a.actor)).rejects.toMatchObject({ code: 'forbidden' });
    h.clock.advance(10 * DAY);
    const o = await h.engine.agreementsOverview(admin);
    expect(o).toEqual([
      {
        matchId,
        matchStatus: 'active',
        counts: { total: 2, open: 1, done: 1, cancelled: 0, overdue: 1 },
        overdue: [{ agreementId: late.id, dueDate: '2026-01-20', ownerOrganisationId: b.org.id }],
      },
    ]);
    expect(JSON.stringify(o)).not.toMatch(/home_visit|housing|prevent_eviction/);
  });

  it('an ended match stays readable but is frozen; restriction blocks new entries', async () => {
    const { a, b, sa, matchId } = await pair();
    const x = await h.engine.addAgreement(a.actor, matchId, agreement());
    await h.engine.gdprRestrict(admin, person(1), true);
    await expect(h.engine.addAgreement(b.actor, matchId, agreement())).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(h.engine.setAgreementStatus(b.actor, matchId, x.id, 'done')).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await h.engine.listAgreements(b.actor, matchId)).toHaveLength(1);
    await h.engine.gdprRestrict(admin, person(1), false);
    await h.engine.withdrawSignal(a.actor, sa.signal.id, 'ended');
    expect((await h.engine.listAgreements(b.actor, matchId))[0]?.id).toBe(x.id);
    await expect(h.engine.addAgreement(b.actor, matchId, agreement())).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(h.engine.setAgreementStatus(b.actor, matchId, x.id, 'done')).rejects.toMatchObject({
      code: 'conflict',
    });
    // purge after the archive term removes the match and its list
    h.clock.advance(11 * DAY);
    await h.engine.runRetention(admin);
    await expect(h.engine.listAgreements(b.actor, matchId)).rejects.toMatchObject({ code: 'not_found' });
    expect(await h.store.read((tx) => tx.agreementEntries(1))).toEqual([]);
    expect(await h.engine.agreementsOverview(admin)).toEqual([]);
  });

  it('goes with the match on withdrawal in error and on erasure', async () => {
    const { a, b, sa, matchId } = await pair();
    await h.engine.addAgreement(a.actor, matchId, agreement());
    await h.engine.withdrawSignal(a.actor, sa.signal.id, 'error');
    await expect(h.engine.listAgreements(b.actor, matchId)).rejects.toMatchObject({ code: 'not_found' });
    expect(await h.store.read((tx) => tx.agreementEntries(1))).toEqual([]);

    await h.engine.placeSignal(a.actor, placement(1));
    const m2 = (await h.engine.inbox(b.actor, undefined, 100)).items.find(
      (e) => e.type === 'match.created' && e.match !== null,
    )!;
    await h.engine.addAgreement(b.actor, m2.matchId, agreement());
    expect(await h.store.read((tx) => tx.matchesWithAgreements())).toHaveLength(1);
    await h.engine.gdprErase(admin, person(1));
    expect(await h.store.read((tx) => tx.matchesWithAgreements())).toEqual([]);
    expect(await h.engine.agreementsOverview(admin)).toEqual([]);
  });

  it('after erasure the logbook holds no content of the agreements or the consent', async () => {
    const { a, b, sa, matchId } = await pair();
    const x = await h.engine.addAgreement(
      a.actor,
      matchId,
      agreement({ actionKind: 'home_visit', informationCategory: 'health', purpose: 'assess_need' }),
    );
    await h.engine.setAgreementStatus(b.actor, matchId, x.id, 'done');
    await h.engine.recordConsent(a.actor, sa.signal.id, {
      date: '2026-01-01',
      scopes: ['team_meeting', 'share_with_matched'],
    });
    await h.engine.withdrawConsent(a.actor, sa.signal.id);
    await h.engine.gdprErase(admin, person(1));

    const log = await h.engine.logbook(1, 500);
    const acts = ['agreement.added', 'agreement.status', 'consent.recorded', 'consent.withdrawn'];
    // who did it and on which match, agreement or signal — nothing of what was agreed or consented
    expect(log.filter((e) => acts.includes(e.action)).map((e) => [e.action, e.details])).toEqual([
      ['agreement.added', {}],
      ['agreement.status', {}],
      ['consent.recorded', {}],
      ['consent.withdrawn', {}],
    ]);
    const text = JSON.stringify(log);
    for (const content of ['home_visit', 'health', 'assess_need', 'team_meeting', 'share_with_matched']) {
      expect(text).not.toContain(content);
    }
    for (const word of ['"owner"', '"status"', '"scopes"', '"formReference"', '"purpose"']) {
      expect(text).not.toContain(word);
    }
    expect((await h.engine.verifyLogbook()).ok).toBe(true);
  });
});
