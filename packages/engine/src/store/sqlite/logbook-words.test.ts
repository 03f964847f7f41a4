// The logbook dictionary against the engine's actions: every action the engine writes
// (LOG_ACTIONS, the only ones appendLog accepts) is one dictionary word, and the actions that
// got their word with schema step 26 read unchanged from rows a version at step 25 stored, on a
// real file, the chain verifying over old and new rows.

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
import { LOG_ACTIONS, type LogAction } from '../../domain/logbook-actions.js';
import { decodeLogText, encodeLogText } from './logbook-codec.js';
import { LONG_WORDS, LONG_WORDS_AT_SCHEMA } from './logbook-words.js';
import { SCHEMA_VERSION } from './migrations.js';
import { databaseAt } from './migrations.test-util.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-logbook-words-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The actions worded by step 26: a version at step 25 stored them as TEXT. */
const AT_26: readonly LogAction[] = [
  'archive.notice',
  'archive.notice_read',
  'enrolment_code.issued',
  'device.added',
  'device.removed',
  'session.started',
  'session.ended',
];

describe('logbook dictionary', () => {
  it('has a word for every action the engine writes', () => {
    // One byte or two after the format byte: the action is a whole word, not a literal.
    const unworded = LOG_ACTIONS.filter((a) => {
      const e = encodeLogText(a);
      return typeof e === 'string' || e.length > 3;
    });
    expect(unworded).toEqual([]);
    for (const a of LOG_ACTIONS) expect(decodeLogText(encodeLogText(a))).toBe(a);
  });

  it('adds the words of step 26 at the end, 108–114', () => {
    expect(LONG_WORDS_AT_SCHEMA[25]).toBe(108);
    expect(LONG_WORDS_AT_SCHEMA[26]).toBe(115);
    expect(LONG_WORDS.slice(108, 115)).toEqual(AT_26);
    for (const [i, a] of AT_26.entries()) {
      expect(encodeLogText(a)).toEqual(Buffer.from([0x01, 0x1f, 108 + i]));
    }
  });

  it('reads rows stored at step 25 unchanged after step 26, stores new ones as words, and the chain verifies', async () => {
    const path = join(dir, 'at-25.sqlite');
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
    const entries: [Actor, LogAction, Refs, Details][] = [
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
    // The rows as the version at step 25 stored them: its codec had no word for these actions
    // (none is shorter than its own text, so TEXT); the other columns hold none of the new
    // words, so their bytes are what that version wrote.
    const db = databaseAt(path, 25);
    const insert = db.prepare(
      'INSERT INTO logbook (seq, at, actor, action, refs, details, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    let prev = '';
    const oldTexts: string[][] = [];
    for (const [i, [a, action, refs, details]] of entries.entries()) {
      const seq = i + 1;
      const hash = entryHash(prev, { seq, at: 1000 + seq, actor: a, action, refs, details });
      const texts = [
        canonicalJson(a as unknown as Json),
        action,
        canonicalJson(refs),
        canonicalJson(details),
      ];
      const [actorCell, refsCell, detailsCell] = [texts[0]!, texts[2]!, texts[3]!].map(encodeLogText);
      insert.run(seq, 1000 + seq, actorCell, action, refsCell, detailsCell, hash);
      oldTexts.push(texts);
      prev = hash.toString('hex');
    }
    db.close();

    const store = openSqliteStore({ path, clock: () => 5000 });
    try {
      const before = await store.read((tx) => readLogbook(tx, 1, 100));
      expect(before.map((e) => e.action)).toEqual(entries.map(([, action]) => action));
      await store.write(async (tx) => {
        for (const [i, [a, action, refs, details]] of entries.entries()) {
          await appendLog(tx, 2000 + i, a, action, refs, details);
        }
      });
      const all = await store.read((tx) => tx.logEntries(1, 100));
      for (const [i, r] of all.entries()) {
        expect([r.actor, r.action, r.refs, r.details]).toEqual(oldTexts[i % entries.length]);
      }
      expect(await store.read((tx) => readLogbook(tx, 1, entries.length))).toEqual(before);
      expect(await store.read((tx) => verifyLogbook(tx))).toMatchObject({ ok: true, entries: 14 });
    } finally {
      await store.close();
    }

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
