// The logbook: every state change and reveal is recorded with ids only; verify() passes
// on an honest chain and detects an edited, a removed and a reordered entry, each made by
// tampering with the SQLite file directly — in the text form of old rows and in the
// compact stored form (store/sqlite/logbook-codec.ts), whose export is that of the text;
// concurrent placements, some refused after their entry, make one chain.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor, Engine } from '../api.js';
import { canonicalJson, type Json } from '../canonical-json.js';
import { createEngine } from '../engine.js';
import { decodeLogText } from '../store/sqlite/logbook-codec.js';
import { appendLog, entryHash, entryHashOfTexts, verifyLogbook } from './logbook.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { admin, type Harness, harness, newKeyPair, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function scenario(): Promise<string> {
  h = await harness({ file: true });
  const [a, b] = [await h.org(), await h.org()];
  const s = await h.engine.placeSignal(a.actor, placement(1));
  await h.engine.placeSignal(b.actor, placement(1));
  await h.engine.inbox(a.actor, undefined, 100);
  await h.engine.withdrawSignal(a.actor, s.signal.id, 'ended');
  await h.engine.runRetention(admin);
  await h.engine.placeSignals(b.actor, [placement(2), placement(3), placement(4)]);
  const path = `${h.dir}/sluis.db`;
  await h.engine.close();
  return path;
}

async function withFile<T>(path: string, op: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await createEngine({
    store: openSqliteStore({ path }),
    serverSecrets: h.secrets,
    clock: h.clock.fn,
  });
  try {
    return await op(engine);
  } finally {
    await engine.close();
  }
}

const verifyFile = (path: string) => withFile(path, (engine) => engine.verifyLogbook());

const COLUMNS = ['actor', 'action', 'refs', 'details'] as const;

describe('logbook', () => {
  it('records actions with ids only, chained by hash', async () => {
    h = await harness();
    const a = await h.org();
    const r = await h.engine.placeSignal(a.actor, placement(1));
    const log = await h.engine.logbook(1, 100);
    expect(log.map((e) => e.action)).toEqual(['organisation.admitted', 'signal.placed']);
    const placed = log[1]!;
    // The actor names organisation and key; the refs only what it does not.
    expect(placed.actor).toEqual(a.actor);
    expect(placed.refs).toEqual({ signalId: r.signal.id, requestId: expect.any(String) });
    expect(placed.prevHash).toBe(log[0]!.hash);
    expect(JSON.stringify(log)).not.toContain('de Vries');
    expect(await h.engine.verifyLogbook()).toMatchObject({ ok: true, entries: 2, headHash: placed.hash });
    expect((await h.engine.logbook(2, 1))[0]?.prevHash).toBe(log[0]!.hash);
  });

  it('an honest chain verifies after reopening', async () => {
    const path = await scenario();
    const v = await verifyFile(path);
    expect(v.ok).toBe(true);
    expect(v.entries).toBeGreaterThan(5);
  });

  it('detects an edited entry', async () => {
    const path = await scenario();
    const db = new Database(path);
    db.prepare(`UPDATE logbook SET details = '{"reason":"error"}' WHERE seq = 4`).run();
    db.close();
    const v = await verifyFile(path);
    expect(v).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'hash_mismatch' });
    expect(v.column).toBeUndefined();
  });

  it('detects a removed entry', async () => {
    const path = await scenario();
    const db = new Database(path);
    db.prepare('DELETE FROM logbook WHERE seq = 3').run();
    db.close();
    expect(await verifyFile(path)).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'missing_entry' });
  });

  it('stores the text compactly; the export and the verification are those of the text as before', async () => {
    const path = await scenario();
    const [exported, verified] = await withFile(path, async (e) => [
      await e.logbook(1, 1000),
      await e.verifyLogbook(),
    ]);
    expect(verified).toMatchObject({ ok: true, entries: exported.length });
    expect(exported.map((e) => e.action)).toEqual(
      expect.arrayContaining(['signal.placed', 'match.created', 'match.revealed', 'signals.placed']),
    );
    const db = new Database(path);
    const rows = db
      .prepare('SELECT seq, actor, action, refs, details FROM logbook ORDER BY seq')
      .all() as Record<string, string | Buffer>[];
    const bytes = (c: string) =>
      (db.prepare(`SELECT sum(length(CAST(${c} AS BLOB))) AS n FROM logbook`).get() as { n: number }).n;
    // Every action the scenario logs is a dictionary word: stored as a BLOB.
    expect(rows.every((r) => Buffer.isBuffer(r.action))).toBe(true);
    const stored = COLUMNS.reduce((n, c) => n + bytes(c), 0);
    // Rewritten as the engine wrote them before the codec: the canonical JSON as TEXT.
    const update = db.prepare(
      'UPDATE logbook SET actor = ?, action = ?, refs = ?, details = ? WHERE seq = ?',
    );
    for (const r of rows) update.run(...COLUMNS.map((c) => decodeLogText(r[c]!)), r.seq);
    expect(
      (db.prepare(`SELECT count(*) AS n FROM logbook WHERE typeof(refs) = 'blob'`).get() as { n: number }).n,
    ).toBe(0);
    const asText = COLUMNS.reduce((n, c) => n + bytes(c), 0);
    db.close();
    expect(stored).toBeLessThan(asText * 0.6);
    // The export, byte for byte, and the head hash are the same from either form.
    const [again, verifiedAgain] = await withFile(path, async (e) => [
      await e.logbook(1, 1000),
      await e.verifyLogbook(),
    ]);
    expect(JSON.stringify(again)).toBe(JSON.stringify(exported));
    expect(verifiedAgain).toEqual(verified);
  });

  it('detects a damaged stored form (unknown format, truncated id) and names the entry', async () => {
    const path = await scenario();
    for (const damage of [
      `UPDATE logbook SET refs = CAST(X'02' || substr(refs, 2) AS BLOB) WHERE seq = 4`,
      'UPDATE logbook SET refs = substr(refs, 1, 10) WHERE seq = 4',
      `UPDATE logbook SET action = X'011fff' WHERE seq = 4`,
    ]) {
      const copy = `${path}.${damage.length}`;
      const db = new Database(path, { readonly: true });
      await db.backup(copy);
      db.close();
      const raw = new Database(copy);
      raw.prepare(damage).run();
      raw.close();
      expect(await verifyFile(copy)).toMatchObject({
        ok: false,
        entries: 3,
        firstBadSeq: 4,
        reason: 'unreadable',
      });
      // The export refuses the page with a clear code instead of inventing text.
      await expect(withFile(copy, (e) => e.logbook(1, 100))).rejects.toMatchObject({
        code: 'database_corrupt',
      });
      expect((await withFile(copy, (e) => e.logbook(1, 2))).length).toBe(2);
    }
  });

  it('detects a stored form swapped for another valid one', async () => {
    const path = await scenario();
    const db = new Database(path);
    db.exec(`
      UPDATE logbook SET refs = (SELECT refs FROM logbook WHERE seq = 3) WHERE seq = 4;`);
    db.close();
    expect(await verifyFile(path)).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'hash_mismatch' });
  });

  it('names the column whose stored form was written back as TEXT (an undo with replace()), never its value', async () => {
    const path = await scenario();
    const db = new Database(path);
    const typeOf = () =>
      (db.prepare('SELECT typeof(action) AS t FROM logbook WHERE seq = 4').get() as { t: string }).t;
    expect(typeOf()).toBe('blob');
    // replace() answers TEXT for a BLOB: the same bytes, another storage class.
    db.prepare(`UPDATE logbook SET action = replace(action, 'x', 'x') WHERE seq = 4`).run();
    expect(typeOf()).toBe('text');
    db.close();
    const v = await verifyFile(path);
    expect(v).toEqual({
      ok: false,
      entries: 3,
      headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      firstBadSeq: 4,
      reason: 'stored_form',
      column: 'action',
    });
    const fixed = new Database(path);
    fixed.prepare('UPDATE logbook SET action = CAST(action AS BLOB) WHERE seq = 4').run();
    fixed.close();
    expect(await verifyFile(path)).toMatchObject({ ok: true });
  });

  it('a pasted control character is a hash mismatch, not the stored form (no CAST would repair it)', async () => {
    const path = await scenario();
    const db = new Database(path);
    // A hand edit that leaves a literal newline in a plain text cell (pasted JSON, say).
    db.prepare(`UPDATE logbook SET details = '{"reason":"error"}' || char(10) WHERE seq = 4`).run();
    db.close();
    expect(await verifyFile(path)).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'hash_mismatch' });
    expect(await verifyFile(path)).not.toHaveProperty('column');
  });

  it('a damaged newest entry does not stop appends; verification still names it', async () => {
    const path = await scenario();
    const db = new Database(path);
    const last = (db.prepare('SELECT max(seq) AS n FROM logbook').get() as { n: number }).n;
    db.prepare(`UPDATE logbook SET refs = X'09' WHERE seq = ?`).run(last);
    db.close();
    await withFile(path, async (e) => {
      const a = await e.admitOrganisation(admin, {
        name: 'Late',
        type: 'youth_care',
        publicKeys: [newKeyPair().publicKey],
      });
      expect(a.id).toEqual(expect.any(String));
    });
    expect(await verifyFile(path)).toMatchObject({
      ok: false,
      entries: last - 1,
      firstBadSeq: last,
      reason: 'unreadable',
    });
  });

  it('detects reordered entries', async () => {
    const path = await scenario();
    const db = new Database(path);
    db.exec(`
      UPDATE logbook SET seq = -1 WHERE seq = 3;
      UPDATE logbook SET seq = 3 WHERE seq = 4;
      UPDATE logbook SET seq = 4 WHERE seq = -1;`);
    db.close();
    expect(await verifyFile(path)).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'hash_mismatch' });
  });
});

describe('the actor text', () => {
  it("the remembered actor text is the canonical JSON of the actor's logged fields, every time", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluis-logbook-actor-'));
    const store = openSqliteStore({ path: join(dir, 'sluis.db') });
    try {
      const org = '3f1c9a52-8d7e-4b6a-9c1d-2e5f7a8b9c0d';
      const person = '0b5e1f7c-2a3d-4e6f-8a9b-1c2d3e4f5a6b';
      // Each actor with what it must be logged as: only the fields of its type, a person only
      // with both of its fields; look-alikes that differ in one field must not share a text.
      const cases: [unknown, object][] = [
        [
          { kind: 'organisation', organisationId: org, keyId: 'k1' },
          { kind: 'organisation', organisationId: org, keyId: 'k1' },
        ],
        [
          { kind: 'organisation', organisationId: org, keyId: 'k2', name: 'x' },
          { kind: 'organisation', organisationId: org, keyId: 'k2' },
        ],
        [
          {
            kind: 'organisation',
            organisationId: org,
            keyId: 'k1',
            personId: person,
            personRole: 'professional',
          },
          {
            kind: 'organisation',
            organisationId: org,
            keyId: 'k1',
            personId: person,
            personRole: 'professional',
          },
        ],
        [
          { kind: 'organisation', organisationId: org, keyId: 'k1', personId: person },
          { kind: 'organisation', organisationId: org, keyId: 'k1' },
        ],
        [
          { kind: 'admin', keyId: 'k1' },
          { kind: 'admin', keyId: 'k1' },
        ],
        [
          { kind: 'admin', keyId: 'k1', organisationId: org },
          { kind: 'admin', keyId: 'k1' },
        ],
        [
          { kind: 'admin', keyId: 'k1', personId: person, personRole: 'auditor' },
          { kind: 'admin', keyId: 'k1', personId: person, personRole: 'auditor' },
        ],
        [{ kind: 'system', keyId: 'k1', personId: person, personRole: 'auditor' }, { kind: 'system' }],
        [
          { kind: 'organisation', organisationId: org, keyId: null },
          { kind: 'organisation', organisationId: org, keyId: null },
        ],
        [
          { kind: 'organisation', organisationId: org },
          { kind: 'organisation', organisationId: org },
        ],
        [
          { kind: 'organisation', organisationId: org, keyId: 0 },
          { kind: 'organisation', organisationId: org, keyId: 0 },
        ],
      ];
      // More actors under one key id than the memo keeps per key (a session key's persons, say).
      for (let i = 0; i < 12; i++) {
        const many = {
          kind: 'organisation',
          organisationId: org,
          keyId: 'k9',
          personId: `p${i}`,
          personRole: 'professional',
        };
        cases.push([many, many]);
      }
      // Twice over: the first round fills the memo, the second reads from it.
      const all = [...cases, ...cases];
      for (const [actor] of all) {
        await store.write((tx) => appendLog(tx, 1, actor as Actor, 'signal.placed', { signalId: 's' }));
      }
      const rows = await store.read((tx) => tx.logEntries(0, 100));
      expect(rows.map((r) => r.actor)).toEqual(all.map(([, logged]) => canonicalJson(logged as Json)));
      expect((await store.read((tx) => verifyLogbook(tx))).ok).toBe(true);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('entry hash', () => {
  it('the hash of the texts is the hash of the canonical entry', () => {
    const entries = [
      { seq: 1, at: 0, actor: { kind: 'system' }, action: 'match.created', refs: {}, details: {} },
      {
        seq: 12_345,
        at: 1_767_225_600_123,
        actor: {
          kind: 'organisation',
          organisationId: '3f1c9a52-8d7e-4b6a-9c1d-2e5f7a8b9c0d',
          keyId: '-Ab_9',
        },
        action: 'signals.placed',
        refs: { signalIds: 'a,b', 'zz"quote': 'é \u0001 \\ / 😀' },
        details: { count: 3, ok: true, ratio: 0.5, negative: -7, text: 'x' },
      },
      {
        seq: 2,
        at: 5,
        actor: { kind: 'admin', keyId: 'k' },
        action: 'x"y\\z',
        refs: { b: '2', a: '1' },
        details: { z: false },
      },
    ] as const;
    let prev = '';
    for (const e of entries) {
      const independent = createHash('sha256')
        .update(prev, 'utf8')
        .update(canonicalJson(e as unknown as Json), 'utf8')
        .digest();
      const texts = {
        seq: e.seq,
        at: e.at,
        actor: canonicalJson(e.actor as unknown as Json),
        action: e.action,
        refs: canonicalJson(e.refs as unknown as Json),
        details: canonicalJson(e.details as unknown as Json),
      };
      expect(entryHashOfTexts(prev, texts).equals(independent)).toBe(true);
      expect(entryHash(prev, e as unknown as Parameters<typeof entryHash>[1]).equals(independent)).toBe(true);
      prev = independent.toString('hex');
    }
  });
});

describe('placements sharing a commit', () => {
  it('concurrent placements, some refused by the day budget after their entry: one chain without the refused ones', async () => {
    // On SQLite the placements are the operations of one group commit, chained onto each other
    // (docs/performance.md "Thirty-seventh pass"); a placement over the budget is refused after
    // its `signal.placed` entry (signal-placement.ts), so its savepoint takes the entry back and
    // the next placement must chain onto the stored head, not onto the entry undone.
    h = await harness();
    const [a, b] = [await h.org('A', { budget: 2 }), await h.org('B')];
    const tries: [typeof a, number][] = [
      [a, 1],
      [b, 2],
      [a, 3],
      [a, 4],
      [b, 5],
      [b, 1],
      [a, 6],
      [b, 7],
    ];
    const before = (await h.engine.logbook(1, 1000)).length;
    const results = await Promise.allSettled(
      tries.map(([o, n]) => h.engine.placeSignal(o.actor, placement(n))),
    );
    // Which two of A's four are refused is the store's order (PostgreSQL's writes are concurrent).
    const outcome = (r: (typeof results)[number]) =>
      r.status === 'fulfilled' ? r.value.outcome : (r.reason as { code: string }).code;
    expect(results.filter((_, i) => tries[i]![0] === b).map(outcome)).toEqual(Array(4).fill('created'));
    expect(
      results
        .filter((_, i) => tries[i]![0] === a)
        .map(outcome)
        .sort(),
    ).toEqual(['budget_exceeded', 'budget_exceeded', 'created', 'created']);
    const entries = (await h.engine.logbook(1, 1000)).slice(before);
    expect(entries.filter((e) => e.action === 'signal.placed')).toHaveLength(6);
    expect(entries.filter((e) => e.action === 'match.created').length).toBeGreaterThan(0);
    expect(await h.engine.verifyLogbook()).toMatchObject({ ok: true });
  });
});
