// Signal operations: idempotency (replayed / existing / request_id_reused), validation
// (field paths, never values), withdrawal both ways, transfer, rectification, informed,
// listing, epochs and migration. Every refusal must change nothing.

import { afterEach, describe, expect, it } from 'vitest';
import type { InboxEvent } from '../api.js';
import {
  admin,
  DAY,
  type Harness,
  harness,
  type OrgHandle,
  person,
  placement,
  requestId,
} from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function events(o: OrgHandle): Promise<InboxEvent[]> {
  return (await h.engine.inbox(o.actor, undefined, 500)).items as InboxEvent[];
}

describe('placement', () => {
  it('creates a signal with the expiry of the active term, or the end of the end date if earlier', async () => {
    h = await harness();
    const a = await h.org();
    const r = await h.engine.placeSignal(a.actor, placement(1));
    expect(r.outcome).toBe('created');
    expect(r.signal).toMatchObject({ status: 'active', epochs: [1], hasParents: false });
    expect(r.signal.expiresAt).toBe(h.clock.now + 730 * DAY);
    const e = await h.engine.placeSignal(a.actor, placement(2, { endDate: '2026-06-30' }));
    expect(e.signal.expiresAt).toBe(Date.UTC(2026, 5, 30, 23, 59, 59, 999));
    const far = await h.engine.placeSignal(a.actor, placement(3, { endDate: '2040-01-01' }));
    expect(far.signal.expiresAt).toBe(h.clock.now + 730 * DAY);
  });

  it("the created signal's view is the view read back (the row is not read back after the insert)", async () => {
    h = await harness({ file: true });
    const a = await h.org('A');
    const other = await h.org('B');
    const inputs = [
      placement(1, { requestId: '3F1C9A52-8D7E-4B6A-9C1D-2E5F7A8B9C0D' }),
      placement(2, {
        contact: { name: 'K. Jansen', role: 'wijkagent', phone: '+31 10 7654321' },
        endDate: '2026-06-30',
      }),
      placement(3, { contact: { name: 'L. Bakker', role: 'intern begeleider', email: 'l@example.nl' } }),
      placement(4, { parents: [person(90)], informed: { status: 'not_yet' } }),
    ];
    for (const input of inputs) {
      const created = await h.engine.placeSignal(a.actor, input);
      expect(created.outcome).toBe('created');
      expect(created.signal).toEqual(await h.engine.getSignal(a.actor, created.signal.id));
    }
    // A placement that matches (person 1 again, another organisation): same view too.
    const b = await h.engine.placeSignal(other.actor, placement(1));
    expect((await h.engine.statistics()).matches.active).toBe(1);
    expect(b.signal).toEqual(await h.engine.getSignal(other.actor, b.signal.id));
  });

  it('replays the same requestId with the same input, refuses it with a different input', async () => {
    h = await harness();
    const a = await h.org();
    const p = placement(1);
    const r1 = await h.engine.placeSignal(a.actor, p);
    const r2 = await h.engine.placeSignal(a.actor, { ...p, requestId: p.requestId.toUpperCase() });
    expect(r2).toEqual({ outcome: 'replayed', signal: r1.signal });
    await expect(
      h.engine.placeSignal(a.actor, { ...p, contact: { ...p.contact, name: 'Someone else' } }),
    ).rejects.toMatchObject({ code: 'request_id_reused' });
    expect((await h.engine.statistics()).signals.active).toBe(1);
  });

  it('a second signal of the same organisation for the same person returns the existing one', async () => {
    h = await harness();
    const a = await h.org();
    const r1 = await h.engine.placeSignal(a.actor, placement(1));
    const r2 = await h.engine.placeSignal(
      a.actor,
      placement(1, { contact: { name: 'X', role: 'Y', email: 'x@y.nl' } }),
    );
    expect(r2.outcome).toBe('existing');
    expect(r2.signal).toEqual(r1.signal);
    expect((await h.engine.statistics()).signals.active).toBe(1);
  });

  it('refuses invalid input with field paths only and changes nothing', async () => {
    h = await harness();
    const a = await h.org();
    const secretName = 'Very Secret Name\u0000';
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ requestId: 'nope' }, 'validation_failed', ['requestId']],
      // A control character is forbidden content (docs/api.md "Text fields").
      [{ contact: { name: secretName, role: 'r', email: 'a@b.nl' } }, 'text_forbidden', ['contact.name']],
      [{ contact: { name: 'n', role: 'r' } }, 'validation_failed', ['contact']],
      [{ contact: { name: 'n', role: 'r', phone: 'abc' } }, 'validation_failed', ['contact.phone']],
      [{ contact: { name: 'n', role: 'r', email: 'no-at' } }, 'validation_failed', ['contact.email']],
      [{ contact: { name: 'n', role: 'r', email: 'a@b.nl', reason: 'x' } }, 'validation_failed', ['contact']],
      [{ informed: { status: 'citizen' } }, 'validation_failed', ['informed.date']],
      [{ informed: { status: 'citizen', date: '2027-01-01' } }, 'validation_failed', ['informed.date']],
      [{ informed: { status: 'not_yet', date: '2026-01-01' } }, 'validation_failed', ['informed.date']],
      [{ informed: { status: 'maybe' } }, 'validation_failed', ['informed.status']],
      [{ endDate: '2026-01-15' }, 'validation_failed', ['endDate']],
      [{ endDate: '2026-02-30' }, 'validation_failed', ['endDate']],
      [{ reason: 'free text' }, 'validation_failed', ['']],
      [{ subject: [] }, 'validation_failed', ['subject']],
      [{ subject: [{ epoch: 1, value: 'short' }] }, 'pseudonym_invalid', ['subject.0.value']],
      [{ subject: [...person(1), ...person(2)] }, 'validation_failed', ['subject']],
      [{ subject: person(1, [7]) }, 'epoch_unknown', []],
      [{ parents: [person(2), person(3), person(4)] }, 'validation_failed', ['parents']],
    ];
    for (const [over, code, fields] of cases) {
      const err = await h.engine.placeSignal(a.actor, { ...placement(1), ...over } as never).catch((e) => e);
      expect(err, JSON.stringify(over)).toMatchObject({ code, fields });
      expect(JSON.stringify({ m: err.message, c: err.cause })).not.toContain('Secret');
    }
    expect((await h.engine.statistics()).signals.active).toBe(0);
    expect((await h.engine.logbook(1, 100)).filter((e) => e.action === 'signal.placed')).toHaveLength(0);
  });

  it('batch placement gives per-item results and a bad item does not stop the others', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    await h.engine.placeSignal(b.actor, placement(2));
    const res = await h.engine.placeSignals(a.actor, [
      placement(1),
      { ...placement(2), requestId: 'x' },
      placement(2),
    ]);
    expect(res.map((r) => (r.ok ? r.outcome : r.code))).toEqual(['created', 'validation_failed', 'created']);
    expect(res[1]).toMatchObject({ index: 1, ok: false, fields: ['requestId'] });
    expect((await h.engine.statistics()).matches.active).toBe(1);
    await expect(h.engine.placeSignals(a.actor, [])).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('a suspended organisation can do nothing; organisations cannot call admin operations', async () => {
    h = await harness();
    const a = await h.org();
    await h.engine.suspendOrganisation(admin, a.org.id);
    await expect(h.engine.placeSignal(a.actor, placement(1))).rejects.toMatchObject({
      code: 'organisation_suspended',
    });
    await expect(h.engine.listSignals(a.actor, {})).rejects.toMatchObject({ code: 'organisation_suspended' });
    await expect(h.engine.gdprErase(a.actor, person(1))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(h.engine.runRetention(a.actor)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(h.engine.suspendOrganisation(a.actor, a.org.id)).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('withdrawal, transfer, rectification', () => {
  it('ended: inactive and archived, matches end and both sides are told', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    const s = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const w = await h.engine.withdrawSignal(a.actor, s.signal.id, 'ended');
    expect(w).toMatchObject({ status: 'inactive', endReason: 'ended', endedAt: h.clock.now });
    expect(w?.purgeAt).toBe(h.clock.now + 1826 * DAY);
    for (const o of [a, b]) {
      const ev = await events(o);
      expect(ev.map((e) => e.type)).toEqual(['match.created', 'match.ended']);
      expect(ev[1]?.match?.status).toBe('ended');
    }
    await expect(h.engine.withdrawSignal(a.actor, s.signal.id, 'ended')).rejects.toMatchObject({
      code: 'signal_inactive',
    });
  });

  it('error: deleted at once with its matches, counterparts get match.removed, the logbook keeps that it happened', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    const s = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    expect(await h.engine.withdrawSignal(a.actor, s.signal.id, 'error')).toBeNull();
    await expect(h.engine.getSignal(a.actor, s.signal.id)).rejects.toMatchObject({ code: 'not_found' });
    const ev = await events(b);
    expect(ev.map((e) => [e.type, e.match])).toEqual([['match.removed', null]]);
    expect((await h.engine.statistics()).matches.active).toBe(0);
    const log = await h.engine.logbook(1, 100);
    expect(log.some((e) => e.action === 'signal.withdrawn' && e.refs.signalId === s.signal.id)).toBe(true);
  });

  it("another organisation's signal is not found", async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    const s = await h.engine.placeSignal(a.actor, placement(1));
    await expect(h.engine.withdrawSignal(b.actor, s.signal.id, 'error')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(h.engine.getSignal(b.actor, s.signal.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      h.engine.transferSignals(b.actor, [s.signal.id], placement(1).contact),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('transfer and rectify change the contact and counterparts see the new one', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    const s1 = await h.engine.placeSignal(a.actor, placement(1));
    const s2 = await h.engine.placeSignal(a.actor, placement(2));
    const sb = await h.engine.placeSignal(b.actor, placement(1));
    const colleague = { name: 'K. Collega', role: 'jeugdconsulent', email: 'k@example.nl' };
    expect(await h.engine.transferSignals(a.actor, [s1.signal.id, s2.signal.id], colleague)).toBe(2);
    let ev = await events(b);
    expect(ev.map((e) => e.type)).toEqual(['match.created', 'match.updated']);
    expect(ev[1]?.match?.counterpart.contact).toEqual(colleague);
    const fixed = { name: 'K. Collega', role: 'jeugdconsulent', phone: '010 1234567' };
    const r = await h.engine.rectifyContact(a.actor, s1.signal.id, fixed);
    expect(r.contact).toEqual(fixed);
    ev = await events(b);
    expect(ev[ev.length - 1]?.match?.counterpart.contact).toEqual(fixed);
    // The signal on the match's other side (B's) tells A, and only A.
    const [aBefore, bBefore] = [(await events(a)).length, ev.length];
    const bFixed = { name: 'M. Mentor', role: 'mentor', email: 'm@example.nl' };
    await h.engine.rectifyContact(b.actor, sb.signal.id, bFixed);
    const aEv = await events(a);
    expect(aEv.slice(aBefore).map((e) => e.type)).toEqual(['match.updated']);
    expect(aEv[aEv.length - 1]?.match?.counterpart.contact).toEqual(bFixed);
    expect((await events(b)).slice(bBefore)).toEqual([]);
  });

  it('updates the informed attestation of an active signal only', async () => {
    h = await harness();
    const a = await h.org();
    const s = await h.engine.placeSignal(a.actor, placement(1, { informed: { status: 'not_yet' } }));
    const u = await h.engine.updateInformed(a.actor, s.signal.id, { status: 'both', date: '2026-01-14' });
    expect(u.informed).toEqual({ status: 'both', date: '2026-01-14' });
    await h.engine.withdrawSignal(a.actor, s.signal.id, 'ended');
    await expect(
      h.engine.updateInformed(a.actor, s.signal.id, { status: 'citizen', date: '2026-01-14' }),
    ).rejects.toMatchObject({ code: 'signal_inactive' });
  });

  it('lists own signals with an opaque cursor and a status filter', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    for (let i = 0; i < 5; i++) await h.engine.placeSignal(a.actor, placement(i));
    await h.engine.placeSignal(b.actor, placement(100));
    const p1 = await h.engine.listSignals(a.actor, { limit: 3 });
    expect(p1.items).toHaveLength(3);
    const p2 = await h.engine.listSignals(a.actor, { limit: 3, cursor: p1.nextCursor! });
    expect(p2.items).toHaveLength(2);
    expect(p2.nextCursor).toBeUndefined();
    await h.engine.withdrawSignal(a.actor, p1.items[0]!.id, 'ended');
    expect((await h.engine.listSignals(a.actor, { status: 'inactive' })).items).toHaveLength(1);
    await expect(h.engine.listSignals(b.actor, { cursor: p1.items[0]!.id })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

describe('validation paths', () => {
  it('reports an unknown key by the path that holds it, never by its name', async () => {
    h = await harness();
    const a = await h.org();
    const base = placement(1);
    const secretKey = 'bsn_123456782';
    const cases: [unknown, string[]][] = [
      [{ ...base, [secretKey]: 1 }, ['']],
      [{ ...base, contact: { ...base.contact, [secretKey]: 'x' } }, ['contact']],
      [{ ...base, informed: { ...base.informed, [secretKey]: 'x' } }, ['informed']],
    ];
    for (const [input, fields] of cases) {
      const e = await h.engine.placeSignal(a.actor, input as never).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'validation_failed', fields });
      expect(JSON.stringify(e) + String((e as Error).message)).not.toContain(secretKey);
    }
  });
});

describe('epochs and migration', () => {
  it('refuses unknown and retired epochs; retiring deletes stored pseudonyms of that epoch', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    await expect(h.engine.retireEpoch(admin, 1)).rejects.toMatchObject({ code: 'conflict' });
    await h.engine.registerEpoch(admin, 2);
    await expect(h.engine.registerEpoch(admin, 2)).rejects.toMatchObject({ code: 'conflict' });
    const s = await h.engine.placeSignal(a.actor, placement(1));
    const m = await h.engine.migrateSignals(a.actor, [{ signalId: s.signal.id, subject: person(1, [2]) }]);
    expect(m[0]).toMatchObject({ ok: true, outcome: 'created', signal: { epochs: [1, 2] } });
    const again = await h.engine.migrateSignals(a.actor, [
      { signalId: s.signal.id, subject: person(1, [2]) },
    ]);
    expect(again[0]).toMatchObject({ ok: true, outcome: 'existing' });
    const stats = await h.engine.statistics();
    expect(stats.epochs.filter((e) => e.organisationId === a.org.id)).toEqual([
      { organisationId: a.org.id, epoch: 1, activeSignals: 1 },
      { organisationId: a.org.id, epoch: 2, activeSignals: 1 },
    ]);
    await h.engine.retireEpoch(admin, 1);
    expect((await h.engine.getSignal(a.actor, s.signal.id)).epochs).toEqual([2]);
    await expect(h.engine.placeSignal(b.actor, placement(1))).rejects.toMatchObject({
      code: 'epoch_retired',
    });
    await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [2]) }));
    expect((await h.engine.statistics()).matches.active).toBe(1);
    expect((await h.engine.listEpochs()).map((e) => [e.epoch, e.status])).toEqual([
      [1, 'retired'],
      [2, 'active'],
    ]);
  });

  it('a migration to a new epoch catches up a match that only the new epoch reveals', async () => {
    h = await harness();
    await h.engine.registerEpoch(admin, 2);
    const [a, b] = [await h.org(), await h.org()];
    const s = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [2]) }));
    expect((await h.engine.statistics()).matches.active).toBe(0);
    await h.engine.migrateSignals(a.actor, [{ signalId: s.signal.id, subject: person(1, [2]) }]);
    expect((await h.engine.statistics()).matches.active).toBe(1);
  });

  it("migration is not a search: the reviewer's attack (budget 1, then 10 matches via migrate) is refused", async () => {
    h = await harness();
    await h.engine.registerEpoch(admin, 2);
    const attacker = await h.org('Attacker', { budget: 1 });
    const victimOrg = await h.org('Wijkteam');
    for (let n = 10; n < 20; n++)
      await h.engine.placeSignal(victimOrg.actor, placement(n, { subject: person(n, [1, 2]) }));
    const own = await h.engine.placeSignal(attacker.actor, placement(1));
    // Guesses under the signal's own epoch: refused, nothing added, no match.
    for (let n = 10; n < 20; n++) {
      const [r] = await h.engine.migrateSignals(attacker.actor, [
        { signalId: own.signal.id, subject: person(n, [1]) },
      ]);
      expect(r).toMatchObject({ ok: false, code: 'conflict' });
    }
    // Under the new epoch: one per signal, and only within the placement budget.
    const [first] = await h.engine.migrateSignals(attacker.actor, [
      { signalId: own.signal.id, subject: person(10, [2]) },
    ]);
    expect(first).toMatchObject({ ok: false, code: 'budget_exceeded' });
    h.clock.advance(DAY);
    const [second] = await h.engine.migrateSignals(attacker.actor, [
      { signalId: own.signal.id, subject: person(10, [2]) },
    ]);
    expect(second).toMatchObject({ ok: true, outcome: 'created' });
    for (let n = 11; n < 20; n++) {
      const [r] = await h.engine.migrateSignals(attacker.actor, [
        { signalId: own.signal.id, subject: person(n, [2]) },
      ]);
      expect(r).toMatchObject({ ok: false });
    }
    expect(
      (await h.engine.inbox(attacker.actor, undefined, 500)).items.filter((e) => e.type === 'match.created'),
    ).toHaveLength(1);
    expect((await h.engine.budgetUsage(attacker.org.id)).usedToday).toBe(1);
    expect(h.engine.metrics().placementsTotal[attacker.org.id]).toBe(2);
  });

  it('migration: parents only under the new epoch and at most as many as at placement', async () => {
    h = await harness();
    await h.engine.registerEpoch(admin, 2);
    const a = await h.org();
    const noParents = await h.engine.placeSignal(a.actor, placement(1));
    const oneParent = await h.engine.placeSignal(a.actor, placement(2, { parents: [person(3)] }));
    const refused = await h.engine.migrateSignals(a.actor, [
      { signalId: noParents.signal.id, subject: person(1, [2]), parents: [person(4, [2])] },
      { signalId: oneParent.signal.id, subject: person(2, [2]), parents: [person(3, [2]), person(5, [2])] },
      { signalId: oneParent.signal.id, subject: person(2, [2]), parents: [person(6, [1])] },
    ]);
    expect(refused.map((r) => (r.ok ? r.outcome : r.code))).toEqual(['conflict', 'conflict', 'conflict']);
    expect((await h.engine.getSignal(a.actor, oneParent.signal.id)).epochs).toEqual([1]);
    const [ok] = await h.engine.migrateSignals(a.actor, [
      { signalId: oneParent.signal.id, subject: person(2, [1, 2]), parents: [person(3, [1, 2])] },
    ]);
    expect(ok).toMatchObject({ ok: true, outcome: 'created', signal: { epochs: [1, 2] } });
    // A later parent under the now-current epoch is refused; a resend changes nothing.
    const again = await h.engine.migrateSignals(a.actor, [
      { signalId: oneParent.signal.id, subject: person(2, [2]), parents: [person(3, [2])] },
      { signalId: oneParent.signal.id, subject: person(2, [2]), parents: [person(7, [2])] },
    ]);
    expect(again.map((r) => (r.ok ? r.outcome : r.code))).toEqual(['existing', 'conflict']);
    // Charged per value: 1 + (subject + parent) at placement, then the two added values.
    expect((await h.engine.budgetUsage(a.org.id)).usedToday).toBe(5);
  });

  it('a legitimate migration to a new epoch matches across epochs', async () => {
    h = await harness();
    await h.engine.registerEpoch(admin, 2);
    const [a, b] = [await h.org(), await h.org()];
    const s = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1, { subject: person(1, [2]) }));
    const [r] = await h.engine.migrateSignals(a.actor, [
      { signalId: s.signal.id, subject: person(1, [1, 2]) },
    ]);
    expect(r).toMatchObject({ ok: true, outcome: 'created', signal: { epochs: [1, 2] } });
    expect((await h.engine.statistics()).matches.active).toBe(1);
    await h.engine.retireEpoch(admin, 1);
    const c = await h.org();
    await h.engine.placeSignal(c.actor, placement(1, { subject: person(1, [2]) }));
    const stats = await h.engine.statistics();
    expect(stats.matches.active).toBe(3);
    // The /metrics gauges (index-only counts) agree with the full statistics.
    expect(await h.engine.gauges()).toEqual({
      organisations: stats.organisations,
      signals: stats.signals,
      matches: stats.matches,
    });
  });

  it('idempotency keys are per organisation', async () => {
    h = await harness();
    const [a, b] = [await h.org(), await h.org()];
    const id = requestId();
    await h.engine.placeSignal(a.actor, placement(1, { requestId: id }));
    expect((await h.engine.placeSignal(b.actor, placement(2, { requestId: id }))).outcome).toBe('created');
  });
});

describe('idempotency hash', () => {
  // A plain hash of the placement would let a database dump confirm guessed contact
  // details or end dates; the hash must depend on the server secret.
  it('is keyed with the server secret: the same placement stores different hashes under different secrets', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { ServerSecrets, REQUEST_HASH_BYTES } = await import('../protocol/stored-pseudonym.js');
    const stored: string[] = [];
    for (const fill of [0x11, 0x22]) {
      h = await harness({ file: true, secrets: new ServerSecrets(new Map([[1, Buffer.alloc(32, fill)]])) });
      const a = await h.org();
      const input = { ...placement(7), requestId: '3f1c9a52-8d7e-4b6a-9c1d-2e5f7a8b9c0d' };
      await h.engine.placeSignal(a.actor, input);
      await expect(h.engine.placeSignal(a.actor, input)).resolves.toMatchObject({ outcome: 'replayed' });
      const db = new Database(`${h.dir}/sluis.db`, { readonly: true });
      const row = db.prepare('SELECT request_hash FROM signals').get() as { request_hash: Buffer };
      db.close();
      stored.push(row.request_hash.toString('hex'));
      await h.close();
    }
    expect(stored[0]).toHaveLength(2 * REQUEST_HASH_BYTES);
    expect(stored[0]).not.toBe(stored[1]);
  });
});
