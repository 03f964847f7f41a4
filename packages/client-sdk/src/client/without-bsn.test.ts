// People without a BSN beyond the subject (docs/protocol.md §2.2): a parent named by the
// substitute, a batch in which only the items without BSN are refused under an HMAC epoch,
// and migration of such a signal to another OPRF epoch (never to an HMAC one). No error,
// request or result ever carries a surname or birth date.

import { describe, expect, it } from 'vitest';
import { substituteAllowed } from './placement.js';
import {
  CONTACT,
  INFORMED,
  PSEUDONYM_KEY_1,
  harness,
  localOprf,
  refusal,
  validBsn,
} from '../testing/fixtures.js';
import { casePseudonymKey } from '../../../../test/support/case-keys.js';

const SUBSTITUTE = { surname: 'van der Berg-Çelik', dateOfBirth: '2014-03-04', gender: 'V' } as const;
// The same person as the SDK's canonical text sees her (case, prefix, diacritics).
const SAME_WRITTEN_OTHERWISE = { surname: 'BERG CELIK', dateOfBirth: '2014-03-04', gender: 'V' } as const;
const FATHER = { surname: "d'Oliveira", dateOfBirth: '1984-11-30', gender: 'M' } as const;
const SECRETS = ['Berg', 'berg', 'Celik', 'Oliveira', 'oliveira', '2014-03-04', '1984-11-30'];

function expectNoSecret(text: string): void {
  for (const s of SECRETS) expect(text.includes(s), `"${s}" leaked`).toBe(false);
}

type Body = { subject: unknown[]; parents?: { epoch: number; value: string }[][] };

describe('a parent without a BSN', () => {
  it('is pseudonymised under an OPRF epoch beside a parent with a BSN, canonicalised like a subject', async () => {
    const oprf = localOprf(2).pseudonymiser;
    const h = harness({ pseudonymKeys: [oprf] });
    await h.client.placeSignal({
      bsn: validBsn(1),
      contact: CONTACT,
      informed: INFORMED,
      parents: [{ bsn: validBsn(2) }, { substitute: SUBSTITUTE }],
    });
    // The mother is herself the subject of another signal, written otherwise: the same pseudonym.
    await h.client.placeSignal({ substitute: SAME_WRITTEN_OTHERWISE, contact: CONTACT, informed: INFORMED });
    const bodies = h.server.requests
      .filter((r) => r.url.endsWith('/v1/signals'))
      .map((r) => JSON.parse(r.body) as Body);
    expect(bodies[0]!.parents).toHaveLength(2);
    expect(bodies[0]!.parents![1]).toEqual(bodies[1]!.subject);
    expect(bodies[0]!.parents![1]![0]!.epoch).toBe(2);
    expectNoSecret(h.server.requests.map((r) => r.url + r.body + JSON.stringify(r.headers)).join(''));
  });

  it('is refused under an HMAC epoch (scheme_requires_oprf naming the parent), and nothing is sent', async () => {
    const h = harness();
    const e = await refusal(
      h.client.placeSignal({
        bsn: validBsn(1),
        contact: CONTACT,
        informed: INFORMED,
        parents: [{ bsn: validBsn(2) }, { substitute: FATHER }],
      }),
    );
    expect(e.code).toBe('scheme_requires_oprf');
    expect(e.details.fields).toEqual(['parents.1.substitute']);
    // Also during an overlap (an HMAC and an OPRF epoch): the HMAC epoch would get it.
    const both = harness({
      pseudonymKeys: [casePseudonymKey(PSEUDONYM_KEY_1, 1), localOprf(2).pseudonymiser],
    });
    const e2 = await refusal(
      both.client.placeSignal({ substitute: SUBSTITUTE, contact: CONTACT, informed: INFORMED }),
    );
    expect(e2.code).toBe('scheme_requires_oprf');
    expect(e2.details.fields).toEqual(['substitute']);
    expect([...h.server.requests, ...both.server.requests]).toHaveLength(0);
    expectNoSecret(JSON.stringify([e, e2]) + e.message + e2.message);
  });

  it('substituteAllowed — what a form asks before offering it — is the rule placeSignal enforces', () => {
    const hmac = casePseudonymKey(PSEUDONYM_KEY_1, 1);
    const oprf = localOprf(2).pseudonymiser;
    expect(substituteAllowed([oprf.kind])).toBe(true);
    expect(substituteAllowed([oprf.kind, oprf.kind])).toBe(true);
    expect(substituteAllowed([hmac.kind])).toBe(false);
    expect(substituteAllowed([hmac.kind, oprf.kind])).toBe(false);
  });

  it('refuses malformed parents by field, never echoing the value', async () => {
    const h = harness({ pseudonymKeys: [localOprf(2).pseudonymiser] });
    const cases: [unknown, string, string[]][] = [
      [{ parents: [{ bsn: validBsn(2), substitute: FATHER }] }, 'input_invalid', ['parents.0']],
      [
        { parents: [{ substitute: { ...FATHER, surname: 'Oliveira 2' } }] },
        'substitute_surname_invalid',
        ['parents.0.substitute.surname'],
      ],
      [
        { parents: [{ substitute: { ...FATHER, dateOfBirth: '1984-02-30' } }] },
        'substitute_date_invalid',
        ['parents.0.substitute.dateOfBirth'],
      ],
      [{ parents: [{ bsn: '12a' }] }, 'bsn_non_digit', ['parents.0.bsn']],
      [
        { parents: [{ substitute: FATHER }, { substitute: { ...FATHER, surname: 'D’OLIVEIRA' } }] },
        'input_invalid',
        ['parents.1'],
      ],
      [
        { parents: [{ bsn: validBsn(2) }], parentsBsn: [validBsn(3)] },
        'input_invalid',
        ['parentsBsn', 'parents'],
      ],
      [
        { parents: [{ bsn: validBsn(2) }, { bsn: validBsn(3) }, { bsn: validBsn(4) }] },
        'input_invalid',
        ['parents'],
      ],
    ];
    for (const [extra, code, fields] of cases) {
      const e = await refusal(
        h.client.placeSignal({
          bsn: validBsn(1),
          contact: CONTACT,
          informed: INFORMED,
          ...(extra as object),
        }),
      );
      expect([e.code, e.details.fields]).toEqual([code, fields]);
      expectNoSecret(JSON.stringify(e) + e.message);
    }
    expect(h.server.requests).toHaveLength(0);
  });
});

describe('a batch under an HMAC epoch', () => {
  it('refuses only the items without BSN, locally; the others are placed', async () => {
    const h = harness();
    const results = await h.client.placeSignals([
      { bsn: validBsn(1), contact: CONTACT, informed: INFORMED },
      { substitute: SUBSTITUTE, contact: CONTACT, informed: INFORMED },
      { bsn: validBsn(2), contact: CONTACT, informed: INFORMED, parents: [{ substitute: FATHER }] },
      { bsn: validBsn(3), contact: CONTACT, informed: INFORMED, parents: [{ bsn: validBsn(4) }] },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : `${r.code}:${r.fields.join()}:${r.local}`))).toEqual([
      'ok',
      'scheme_requires_oprf:substitute:true',
      'scheme_requires_oprf:parents.0.substitute:true',
      'ok',
    ]);
    expect(h.server.created).toHaveLength(2);
  });
});

describe('migrating a signal placed without a BSN', () => {
  it('moves to another OPRF epoch (OPRF→OPRF rotation), subject and parent', async () => {
    const old = localOprf(2, 0x33);
    const next = localOprf(3, 0x44);
    const h = harness({ pseudonymKeys: [old.pseudonymiser, next.pseudonymiser] });
    const placed = await h.client.placeSignals([
      { substitute: SUBSTITUTE, contact: CONTACT, informed: INFORMED, parents: [{ substitute: FATHER }] },
    ]);
    expect(placed[0]!.ok).toBe(true);
    const signalId = placed[0]!.ok ? placed[0]!.signal.id : '';
    const r = await h.client.migrateSignals(
      [{ signalId, substitute: SAME_WRITTEN_OTHERWISE, parents: [{ substitute: FATHER }] }],
      { epochs: [3] },
    );
    expect(r[0]!.ok).toBe(true);
    const item = h.server.migrated[0] as Body;
    expect((item.subject as { epoch: number }[]).map((p) => p.epoch)).toEqual([3]);
    expect(item.parents?.[0]?.[0]?.epoch).toBe(3);
    // The new epoch's key gives other pseudonyms than the old one (a real rotation).
    const placedBody = JSON.parse(
      h.server.requests.find((q) => q.url.endsWith('/v1/signals/batch'))!.body,
    ) as {
      items: Body[];
    };
    expect(placedBody.items[0]!.subject).toHaveLength(2);
    expect(placedBody.items[0]!.subject[1]).toEqual(item.subject[0]);
    expect(placedBody.items[0]!.subject[0]).not.toEqual(item.subject[0]);
  });

  it('never moves to an HMAC epoch: refused per item (scheme_requires_oprf), BSN items still migrate', async () => {
    const h = harness({
      pseudonymKeys: [localOprf(2).pseudonymiser, casePseudonymKey(PSEUDONYM_KEY_1, 3)],
    });
    const ids = ['0b8f3f5e-8c1a-4c3e-9a55-5d7d2f6b1a01', '0b8f3f5e-8c1a-4c3e-9a55-5d7d2f6b1a02'];
    const r = await h.client.migrateSignals(
      [
        { signalId: ids[0]!, substitute: SUBSTITUTE },
        { signalId: ids[1]!, bsn: validBsn(1), parents: [{ substitute: FATHER }] },
      ],
      { epochs: [3] },
    );
    expect(r.map((x) => (x.ok ? 'ok' : `${x.code}:${x.fields.join()}`))).toEqual([
      'scheme_requires_oprf:substitute',
      'scheme_requires_oprf:parents.0.substitute',
    ]);
    expect(h.server.requests).toHaveLength(0);
    const ok = await h.client.migrateSignals([{ signalId: ids[1]!, bsn: validBsn(1) }], { epochs: [3] });
    expect(ok[0]!.ok).toBe(false); // the fake server knows no such signal, but the item was sent
    expect(h.server.migrated).toHaveLength(1);
  });
});
