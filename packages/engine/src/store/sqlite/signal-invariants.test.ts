// Invariants the SQLite store keeps itself since migration 6 dropped the foreign key and
// the by-signal index of `signal_pseudonyms`: after any sequence of inserts, re-keyings,
// epoch and parent deletions, signal deletions and contact changes, (a) each signal's pfx
// holds exactly one chunk per row of its own (a missing chunk would leave rows nothing
// deletes), (b) no stored value outlives its signal, (c) each contact row counts exactly
// the signals naming it, none dangles and none lingers at zero. Values come from a small
// alphabet so that first-8-byte prefixes collide. Then retiring an epoch past one page of
// deletions (2,000 rows a page), and the signals it would strand.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { newSignal, org, secondEpoch } from '../conformance/fixtures.js';
import type { StoredPseudonymRow } from '../store.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-invariants-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const value = (head: number, tail: number) => Buffer.concat([Buffer.alloc(8, head), Buffer.alloc(24, tail)]);

type Op =
  | { t: 'insert'; sig: number; head: number; tail: number; role: 0 | 1; epoch: number }
  | { t: 'rekey'; sig: number; idx: number; head: number; tail: number }
  | { t: 'deleteEpoch'; epoch: number }
  | { t: 'deleteParent'; head: number; tail: number }
  | { t: 'deleteSignal'; sig: number }
  | { t: 'contact'; sig: number; c: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    t: fc.constant('insert' as const),
    sig: fc.nat(4),
    head: fc.nat(2),
    tail: fc.nat(3),
    role: fc.constantFrom(0 as const, 1 as const),
    epoch: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({
    t: fc.constant('rekey' as const),
    sig: fc.nat(4),
    idx: fc.nat(5),
    head: fc.nat(2),
    tail: fc.nat(3),
  }),
  fc.record({ t: fc.constant('deleteEpoch' as const), epoch: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ t: fc.constant('deleteParent' as const), head: fc.nat(2), tail: fc.nat(3) }),
  fc.record({ t: fc.constant('deleteSignal' as const), sig: fc.nat(4) }),
  fc.record({ t: fc.constant('contact' as const), sig: fc.nat(4), c: fc.nat(2) }),
);

const contact = (c: number) => ({ name: `Contact ${c}`, role: 'r', email: `c${c}@example.nl` });

function checkInvariants(path: string): void {
  const db = new Database(path, { readonly: true });
  try {
    const signals = db.prepare('SELECT rid, hex(pfx) AS pfx FROM signals').all() as {
      rid: number;
      pfx: string;
    }[];
    const rowsOf = db.prepare(
      'SELECT hex(substr(stored, 1, 8)) AS h FROM signal_pseudonyms WHERE signal = ?',
    );
    for (const s of signals) {
      const chunks = (s.pfx.match(/.{16}/g) ?? []).sort();
      expect(chunks).toEqual((rowsOf.all(s.rid) as { h: string }[]).map((r) => r.h).sort());
    }
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(
      count('SELECT count(*) AS n FROM signal_pseudonyms WHERE signal NOT IN (SELECT rid FROM signals)'),
    ).toBe(0);
    expect(
      count(
        'SELECT count(*) AS n FROM contacts c WHERE refs <> (SELECT count(*) FROM signals s WHERE s.contact = c.rid)',
      ),
    ).toBe(0);
    expect(count('SELECT count(*) AS n FROM signals WHERE contact NOT IN (SELECT rid FROM contacts)')).toBe(
      0,
    );
    expect(count('SELECT count(*) AS n FROM contacts WHERE refs <= 0')).toBe(0);
  } finally {
    db.close();
  }
}

describe('signal invariants without a foreign key', () => {
  it('hold after any sequence of changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const path = join(dir, `p${files++}.sqlite`);
        const s = openSqliteStore({ path });
        try {
          const o = await s.write((tx) => org(tx, 1));
          const rids: (number | undefined)[] = await s.write(async (tx) => {
            const out: number[] = [];
            for (let n = 1; n <= 5; n++)
              out.push(await tx.insertSignal(newSignal(o, n, { contact: contact(n % 2) })));
            return out;
          });
          for (const x of ops) {
            await s
              .write(async (tx) => {
                const rid = 'sig' in x ? rids[x.sig] : undefined;
                if (x.t === 'insert' && rid !== undefined) {
                  const role = x.role === 0 ? 'subject' : 'parent';
                  await tx.insertPseudonyms([
                    { stored: value(x.head, x.tail), signalRid: rid, epoch: x.epoch, generation: 1, role },
                  ]);
                } else if (x.t === 'rekey' && rid !== undefined) {
                  const rows: StoredPseudonymRow[] = await tx.pseudonymsOf(rid);
                  const row = rows[x.idx % Math.max(1, rows.length)];
                  if (row !== undefined) await tx.rekeyPseudonym(row, value(x.head + 10, x.tail), 2);
                } else if (x.t === 'deleteEpoch') {
                  await tx.deletePseudonymsOfEpoch(x.epoch);
                } else if (x.t === 'deleteParent') {
                  await tx.deleteParentPseudonyms([value(x.head, x.tail)]);
                } else if (x.t === 'deleteSignal' && rid !== undefined) {
                  await tx.deleteSignal(rid);
                  rids[x.sig] = undefined;
                } else if (x.t === 'contact' && rid !== undefined) {
                  await tx.updateSignal(rid, { contact: contact(x.c) });
                }
              })
              // The same value twice on one signal in one role is refused (primary key).
              .catch((e: unknown) => {
                if ((e as { code?: string }).code !== 'conflict') throw e;
              });
          }
        } finally {
          await s.close();
        }
        checkInvariants(path);
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('retiring an epoch deletes its rows past one page and finds exactly the stranded signals', async () => {
    const path = join(dir, `paged${files++}.sqlite`);
    const s = openSqliteStore({ path });
    const o = await s.write((tx) => org(tx, 1));
    const n = 2_345;
    await s.write(async (tx) => {
      for (let i = 1; i <= n; i++) {
        const rid = await tx.insertSignal(newSignal(o, i));
        const v = Buffer.alloc(32);
        v.writeUInt32BE(i, 0);
        const w = Buffer.alloc(32, 0xff);
        w.writeUInt32BE(i, 0);
        // Every signal under epoch 1; all but the last 100 under epoch 2 too.
        await tx.insertPseudonyms([
          { stored: v, signalRid: rid, epoch: 1, generation: 1, role: 'subject' },
          ...(i <= n - 100
            ? [{ stored: w, signalRid: rid, epoch: 2, generation: 1, role: 'subject' as const }]
            : []),
        ]);
      }
    });
    // Retiring epoch 1 strands the last 100 (no row under epoch 2). Deleting epoch 1 takes
    // pages of 2,000 rows.
    await secondEpoch(s);
    const stranded = await s.read((tx) => tx.activeSignalRidsOnlyUnder(1));
    expect(stranded).toEqual(Array.from({ length: 100 }, (_, i) => n - 99 + i));
    expect(await s.write((tx) => tx.deletePseudonymsOfEpoch(1))).toBe(n);
    await s.close();
    checkInvariants(path);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM signal_pseudonyms WHERE epoch = 1').get()).toEqual({ n: 0 });
    db.close();
  });
});
