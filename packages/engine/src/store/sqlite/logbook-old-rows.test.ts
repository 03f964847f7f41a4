// Logbook rows an older version stored, in a real SQLite file: they read unchanged after the
// migrations, beside the rows this version stores, and the chain verifies over the mix — rows from
// before the codec (TEXT, schema 5) and rows stored at step 25, before the actions that got their
// word with step 26 (docs/operations.md "Upgrade").

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../api.js';
import { canonicalJson, type Json } from '../../canonical-json.js';
import {
  appendLog,
  type Details,
  entryHash,
  readLogbook,
  type Refs,
  verifyLogbook,
} from '../../domain/logbook.js';
import type { LogAction } from '../../domain/logbook-actions.js';
import { encodeLogText } from './logbook-codec.js';
import { LONG_WORDS } from './logbook-words.js';
import { SCHEMA_VERSION } from './migrations.js';
import { databaseAt } from './migrations.test-util.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-logbook-old-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Entry = [Actor, LogAction, Refs, Details];
type Column = 'actor' | 'action' | 'refs' | 'details';
const COLUMNS: readonly Column[] = ['actor', 'action', 'refs', 'details'];

/**
 * Writes `entries` into the logbook of `db` as an older version stored them: seq 1, 2, … at 1001,
 * 1002, …, chained from the start, each cell what `cell` makes of its column's canonical text (that
 * version's codec). Answers each row's texts, as the chain hashed them.
 */
function writeOldRows(
  db: Database.Database,
  entries: readonly Entry[],
  cell: (text: string, column: Column) => string | Buffer,
): string[][] {
  const insert = db.prepare(
    'INSERT INTO logbook (seq, at, actor, action, refs, details, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  let prev = '';
  const oldTexts: string[][] = [];
  for (const [i, [actor, action, refs, details]] of entries.entries()) {
    const seq = i + 1;
    const hash = entryHash(prev, { seq, at: 1000 + seq, actor, action, refs, details });
    const texts = [
      canonicalJson(actor as unknown as Json),
      action,
      canonicalJson(refs),
      canonicalJson(details),
    ];
    insert.run(seq, 1000 + seq, ...texts.map((t, c) => cell(t, COLUMNS[c]!)), hash);
    oldTexts.push(texts);
    prev = hash.toString('hex');
  }
  return oldTexts;
}

/**
 * Opens the file at `path` with the store (which migrates it), appends `entries` once more through
 * the engine, chained onto the old rows, and checks that every row reads as the texts it was hashed
 * from, the old rows read as they did before, and the chain verifies over all (in one page and
 * in pages of 3, which cross from old rows to new).
 */
async function appendAgainAndVerify(path: string, entries: readonly Entry[], oldTexts: string[][]) {
  const n = entries.length;
  const store = openSqliteStore({ path, clock: () => 5000 });
  try {
    const before = await store.read((tx) => readLogbook(tx, 1, 100));
    expect(before.map((e) => e.action)).toEqual(entries.map(([, action]) => action));
    await store.write(async (tx) => {
      for (const [i, [actor, action, refs, details]] of entries.entries()) {
        await appendLog(tx, 2000 + i, actor, action, refs, details);
      }
    });
    const all = await store.read((tx) => tx.logEntries(1, 100));
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 2 * n }, (_, i) => i + 1));
    for (const [i, r] of all.entries()) {
      expect([r.actor, r.action, r.refs, r.details]).toEqual(oldTexts[i % n]);
    }
    expect(await store.read((tx) => readLogbook(tx, 1, n))).toEqual(before);
    expect(await store.read((tx) => verifyLogbook(tx))).toMatchObject({ ok: true, entries: 2 * n });
    expect(await store.read((tx) => verifyLogbook(tx, 3))).toMatchObject({ ok: true, entries: 2 * n });
  } finally {
    await store.close();
  }
}

describe('old logbook rows in a real SQLite file', () => {
  it('reads TEXT rows from before the codec unchanged beside new BLOB rows, and the chain verifies over the mix', async () => {
    const keyId = Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
    const organisation: Actor = { kind: 'organisation', organisationId: randomUUID(), keyId };
    const signalIds = Array.from({ length: 20 }, () => randomUUID()).join(',');
    const entries: Entry[] = [
      [{ kind: 'admin', keyId: 'admin-key' }, 'organisation.admitted', { organisationId: randomUUID() }, {}],
      [
        organisation,
        'signal.placed',
        { signalId: randomUUID(), requestId: randomUUID() },
        { epochs: 1, parents: 0 },
      ],
      [organisation, 'signals.placed', { signalIds }, { created: 20 }],
      [
        { kind: 'system' },
        'match.created',
        { matchId: randomUUID(), signalA: randomUUID(), signalB: randomUUID() },
        { kind: 'person' },
      ],
    ];
    const path = join(dir, 'mixed.sqlite');
    // A file at schema 5, from before the codec: canonical JSON as TEXT, as the engine wrote it then.
    const db = databaseAt(path, 5);
    const oldTexts = writeOldRows(db, entries, (text) => text);
    db.close();

    await appendAgainAndVerify(path, entries, oldTexts);

    const check = new Database(path, { readonly: true });
    try {
      const types = check
        .prepare(
          'SELECT typeof(actor) AS actor, typeof(action) AS action, typeof(refs) AS refs, typeof(details) AS details FROM logbook ORDER BY seq',
        )
        .all() as Record<string, string>[];
      // Old rows stay TEXT (no migration rewrote them); new ones are BLOBs where shorter.
      for (const t of types.slice(0, 4)) expect(Object.values(t)).toEqual(['text', 'text', 'text', 'text']);
      expect(types.slice(4).map((t) => t.action)).toEqual(['blob', 'blob', 'blob', 'blob']);
      expect(types.slice(4).map((t) => t.refs)).toEqual(['blob', 'blob', 'blob', 'blob']);
      expect(types[4]!.details).toBe('text'); // '{}' cannot be shorter
      const sizes = check
        .prepare('SELECT length(CAST(refs AS BLOB)) AS n FROM logbook WHERE seq IN (3, 7) ORDER BY seq')
        .all() as { n: number }[];
      expect(sizes[1]!.n).toBeLessThan(sizes[0]!.n / 2);
    } finally {
      check.close();
    }
  });

  it('reads rows stored at step 25 unchanged after step 26, stores new ones as words, and the chain verifies', async () => {
    const o = randomUUID();
    const p = randomUUID();
    const d = randomUUID();
    const s = randomUUID();
    const actor: Actor = {
      kind: 'organisation',
      organisationId: o,
      keyId: 'k1',
      personId: p,
      personRole: 'professional',
    };
    const entries: Entry[] = [
      [
        { kind: 'system' },
        'archive.notice',
        { signalId: s, archivedSignalId: randomUUID(), organisationId: o },
        {},
      ],
      [actor, 'archive.notice_read', { organisationId: o, keyId: 'k1', signalId: s }, { count: 1 }],
      [actor, 'enrolment_code.issued', { personId: p, organisationId: o }, {}],
      [
        { kind: 'system' },
        'device.added',
        { personId: p, deviceId: d, organisationId: o },
        { via: 'enrolment_code' },
      ],
      [{ kind: 'system' }, 'session.started', { personId: p, deviceId: d, organisationId: o }, {}],
      [actor, 'session.ended', {}, {}],
      [actor, 'device.removed', { personId: p, deviceId: d, organisationId: o }, {}],
    ];
    const path = join(dir, 'at-25.sqlite');
    // The rows as the version at step 25 stored them: its codec had no word for these actions
    // (none is shorter than its own text, so TEXT); the other columns hold none of the new
    // words, so their bytes are what that version wrote.
    const db = databaseAt(path, 25);
    const oldTexts = writeOldRows(db, entries, (text, column) =>
      column === 'action' ? text : encodeLogText(text),
    );
    db.close();

    await appendAgainAndVerify(path, entries, oldTexts);

    const check = new Database(path, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const rows = check.prepare('SELECT typeof(action) AS type, action FROM logbook ORDER BY seq').all() as {
        type: string;
        action: string | Buffer;
      }[];
      // Old rows stay TEXT (step 26 rewrites nothing); new ones are the word, 3 bytes.
      expect(rows.slice(0, 7).map((r) => r.type)).toEqual(Array(7).fill('text'));
      expect(rows.slice(7).map((r) => r.action)).toEqual(
        entries.map(([, action]) => Buffer.from([0x01, 0x1f, LONG_WORDS.indexOf(action)])),
      );
    } finally {
      check.close();
    }
  });
});
