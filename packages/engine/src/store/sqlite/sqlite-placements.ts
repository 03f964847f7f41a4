// The batch path's rows on SQLite (store/contract/ `insertPlacements`, `insertMatches`,
// `appendEvents`, `signalsByStoredValues`, `signalsByRequestIds`; docs/engine.md "Batch
// placement"): what a batch of placements decided in memory writes, in few multi-row
// statements instead of several per item. Invariants kept from the single-row methods: a
// signal's contact is a counted `contacts` row (counted once per distinct contact per
// call, by the number of its signals), a signal's `pfx` lists the first bytes of each of
// its stored pseudonyms, rids are assigned as SQLite assigns them (max + 1, in row order),
// and an organisation's inbox cursors are consecutive in row order.

import { asBuffer, bytesKey } from '../../bytes-key.js';
import { EngineError } from '../../errors.js';
import { uuidToBytes } from '../../ids.js';
import type { EventRow, NewMatch, NewPlacement, PseudonymRole, SignalRow } from '../store.js';
import { EVENT_TYPES, encodeContact } from './codec.js';
import { MATCH_INSERT_COLS, matchValues } from './sqlite-matches.js';
import { SIGNAL_INSERT_COLS, signalValues } from './sqlite-signals.js';
import { chunksOf, PREFIX_BYTES, rangeOf } from './pseudonym-prefixes.js';
import { idBytes, type Row, SIGNAL_COLS, signal } from './sqlite-rows.js';
import { runLengths, runsOf } from '../chunks.js';
import { SqliteRotation } from './sqlite-rotation.js';
import type { Prepare } from './statement-cache.js';

/**
 * Rows per statement: a few fixed sizes, so that the statement cache holds a handful of
 * texts per table (each size prepared once) and no statement nears SQLite's limit of
 * 32,766 bound values.
 */
const CHUNKS = [128, 32, 8, 1] as const;

/** INSERT of `rows` (each a list of values for `columns`) in runs of the fixed sizes. */
function insertRows(st: Prepare, head: string, columns: number, rows: readonly unknown[][]): void {
  insertEach(st, head, columns, rows.length, (i, args) => {
    for (const v of rows[i]!) args.push(v);
  });
}

/**
 * INSERT of `count` rows in runs of the fixed sizes, each row's `columns` values appended
 * by `write(i, args)` to one flat list per run, bound as an array (no list per row, no spread).
 */
function insertEach(
  st: Prepare,
  head: string,
  columns: number,
  count: number,
  write: (i: number, args: unknown[]) => void,
): void {
  let stmt: Statement | undefined;
  let i = 0;
  for (const size of runLengths(count, CHUNKS)) {
    if (stmt === undefined || size !== stmt.rows)
      stmt = { rows: size, st: st(insertText(head, columns, size)) };
    const args: unknown[] = [];
    for (const end = i + size; i < end; i++) write(i, args);
    stmt.st.run(args);
  }
}

const insertTexts = new Map<string, string>();

/** The text of an INSERT of `rows` rows (built once per head and size: the cache's key). */
function insertText(head: string, columns: number, rows: number): string {
  const key = `${rows}\n${head}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    const one = `(${new Array(columns).fill('?').join(', ')})`;
    text = `${head} VALUES ${new Array(rows).fill(one).join(', ')}`;
    insertTexts.set(key, text);
  }
  return text;
}

/** SELECT … IN (…) over `values`, in runs of the fixed sizes; the rows of every run. */
function selectIn(
  st: Prepare,
  sql: (list: string) => string,
  args: readonly unknown[],
  values: readonly unknown[],
): Row[] {
  const out: Row[] = [];
  let stmt: Statement | undefined;
  for (const run of runsOf(values, CHUNKS)) {
    if (stmt === undefined || run.length !== stmt.rows) {
      stmt = { rows: run.length, st: st(sql(`(${new Array(run.length).fill('?').join(', ')})`)) };
    }
    out.push(...stmt.st.all(...args, ...run));
  }
  return out;
}

/** The statement prepared for runs of `rows` rows (runs of one size come one after another). */
type Statement = { readonly rows: number; readonly st: ReturnType<Prepare> };

export class SqlitePlacements extends SqliteRotation {
  async signalsByStoredValues(stored: readonly Uint8Array[], role: PseudonymRole): Promise<SignalRow[][]> {
    // Per distinct value its position in `stored` (its first one); each value is in one
    // run, whose rows come in rid order, so every list is in rid order as it fills.
    const first = new Map<string, number>();
    const lists: SignalRow[][] = [];
    const distinct: Buffer[] = [];
    for (const [i, s] of stored.entries()) {
      const k = bytesKey(s);
      lists.push([]);
      if (first.has(k)) continue;
      first.set(k, i);
      distinct.push(asBuffer(s));
    }
    const rows = selectIn(
      this.st,
      (list) =>
        `SELECT sp.stored AS sp_value, ${SIGNAL_COLS} FROM signal_pseudonyms sp JOIN signals ON signals.rid = sp.signal
         WHERE sp.role = ? AND sp.stored IN ${list} ORDER BY signals.rid`,
      [role === 'subject' ? 0 : 1],
      distinct,
    );
    for (const r of rows) lists[first.get(bytesKey(r.sp_value))!]!.push(signal(r));
    // A value given twice gets its own copy of the list (a caller may extend each).
    if (distinct.length < stored.length) {
      for (const [i, s] of stored.entries()) {
        const j = first.get(bytesKey(s))!;
        if (j !== i) lists[i] = [...lists[j]!];
      }
    }
    return lists;
  }

  async subjectEpochsOf(signalRids: readonly number[]): Promise<number[][]> {
    const pfx = new Map<number, Uint8Array>();
    const rows = selectIn(
      this.st,
      (list) => `SELECT rid, pfx FROM signals WHERE rid IN ${list}`,
      [],
      [...new Set(signalRids)],
    );
    for (const r of rows) pfx.set(r.rid, r.pfx);
    const st = this.st(
      'SELECT epoch FROM signal_pseudonyms WHERE stored >= ? AND stored <= ? AND signal = ? AND role = 0',
    );
    return signalRids.map((rid) => {
      const p = pfx.get(rid);
      if (p === undefined) return [];
      const epochs = new Set<number>();
      for (const chunk of chunksOf(p)) {
        const [low, high] = rangeOf(chunk);
        for (const r of st.all(low, high, rid)) epochs.add(r.epoch);
      }
      return [...epochs].sort((a, b) => a - b);
    });
  }

  async signalsByRequestIds(organisationRid: number, requestIds: readonly string[]): Promise<SignalRow[]> {
    const ids = new Map<string, Buffer>();
    for (const id of requestIds) {
      const lower = id.toLowerCase();
      if (ids.has(lower)) continue;
      const b = uuidToBytes(lower);
      if (b !== undefined) ids.set(lower, b);
    }
    return selectIn(
      this.st,
      (list) => `SELECT ${SIGNAL_COLS} FROM signals WHERE org = ? AND request_id IN ${list}`,
      [organisationRid],
      [...ids.values()],
    )
      .map(signal)
      .sort((x, y) => x.rid - y.rid);
  }

  /** Nothing to draw ahead: the single writer draws the rids at the insert. */
  async reserveSignalRids(_count: number): Promise<void> {}

  async insertPlacements(rows: readonly NewPlacement[]): Promise<number[]> {
    if (rows.length === 0) return [];
    // Each distinct contact once, counted by its number of signals (sqlite-signals.ts
    // counts one per insert; the sum is the same).
    const contactOf = new Array<{ org: number; body: string; n: number; rid: number }>(rows.length);
    const counts = new Map<number, Map<string, (typeof contactOf)[number]>>();
    let prefixes = 0;
    for (const [i, { signal: s, pseudonyms }] of rows.entries()) {
      const body = encodeContact(s.contact);
      let perOrg = counts.get(s.organisationRid);
      if (perOrg === undefined) {
        perOrg = new Map();
        counts.set(s.organisationRid, perOrg);
      }
      let c = perOrg.get(body);
      if (c === undefined) {
        c = { org: s.organisationRid, body, n: 0, rid: 0 };
        perOrg.set(body, c);
      }
      c.n++;
      contactOf[i] = c;
      prefixes += pseudonyms.length;
    }
    const take = this.st(
      `INSERT INTO contacts (org, body, refs) VALUES (?, ?, ?)
       ON CONFLICT (org, body) DO UPDATE SET refs = refs + excluded.refs RETURNING rid`,
    );
    for (const perOrg of counts.values()) {
      for (const c of perOrg.values()) c.rid = take.get(c.org, c.body, c.n).rid as number;
    }
    // The single writer: nobody else inserts between this read and the insert, so these
    // are the rids SQLite would give row by row (max + 1 each).
    const first = (this.st('SELECT coalesce(max(rid), 0) AS n FROM signals').get().n as number) + 1;
    // Every row's pfx cut from one buffer (SQLite copies what it binds).
    const pfx = Buffer.allocUnsafe(prefixes * PREFIX_BYTES);
    let at = 0;
    insertEach(
      this.st,
      `INSERT INTO signals (rid, ${SIGNAL_INSERT_COLS}, pfx)`,
      15,
      rows.length,
      (i, args) => {
        const { signal: s, pseudonyms, idBytes } = rows[i]!;
        args.push(first + i);
        for (const v of signalValues(s, contactOf[i]!.rid, idBytes)) args.push(v);
        const start = at;
        for (const p of pseudonyms) {
          const chunk = p.stored.subarray(0, PREFIX_BYTES);
          pfx.set(chunk, at);
          at += chunk.length;
        }
        args.push(pfx.subarray(start, at));
      },
    );
    // The stored pseudonyms, each with the index of its row.
    const stored: NewPlacement['pseudonyms'][number][] = [];
    const of: number[] = [];
    for (const [i, r] of rows.entries()) {
      for (const p of r.pseudonyms) {
        stored.push(p);
        of.push(i);
      }
    }
    insertEach(
      this.st,
      'INSERT INTO signal_pseudonyms (stored, role, signal, epoch, generation, held)',
      6,
      stored.length,
      (k, args) => {
        const p = stored[k]!;
        args.push(
          asBuffer(p.stored),
          p.role === 'subject' ? 0 : 1,
          first + of[k]!,
          p.epoch,
          p.generation,
          p.held ?? 0,
        );
      },
    );
    return rows.map((_, i) => first + i);
  }

  async insertMatches(rows: readonly NewMatch[]): Promise<void> {
    insertRows(this.st, `INSERT INTO matches (${MATCH_INSERT_COLS})`, 16, rows.map(matchValues));
  }

  async appendEvents(rows: readonly Omit<EventRow, 'cursor'>[]): Promise<number[]> {
    const advance = this.st(
      'UPDATE organisations SET event_seq = event_seq + ? WHERE rid = ? RETURNING event_seq',
    );
    const last = new Map<number, number>();
    for (const [org, n] of eventsPerOrganisation(rows)) {
      const r = advance.get(n, org);
      if (r === undefined) throw new EngineError('conflict', 'an event names an unknown organisation');
      last.set(org, r.event_seq as number);
    }
    const cursors = eventCursors(rows, last);
    insertRows(
      this.st,
      'INSERT INTO events (org, seq, type, match, at)',
      5,
      rows.map((e, i) => [
        e.organisationRid,
        cursors[i],
        EVENT_TYPES.indexOf(e.type),
        idBytes(e.matchId),
        e.at,
      ]),
    );
    return cursors;
  }
}

/**
 * Per organisation of `rows`, in rid order (the lock order of clause 4), how many of them
 * it has: an event counter is moved on by that many once per organisation.
 */
export function eventsPerOrganisation(
  rows: readonly Pick<EventRow, 'organisationRid'>[],
): [number, number][] {
  const perOrg = new Map<number, number>();
  for (const r of rows) perOrg.set(r.organisationRid, (perOrg.get(r.organisationRid) ?? 0) + 1);
  return [...perOrg.entries()].sort((x, y) => x[0] - y[0]);
}

/**
 * The cursors of `rows` in row order, given each organisation's counter after it was moved
 * on by its number of rows: its rows take the cursors up to that one, consecutively.
 * Shared with the PostgreSQL store (pg-batch.ts).
 */
export function eventCursors(
  rows: readonly Pick<EventRow, 'organisationRid'>[],
  last: ReadonlyMap<number, number>,
): number[] {
  const per = new Map(eventsPerOrganisation(rows));
  const next = new Map([...per].map(([o, n]) => [o, last.get(o)! - n + 1]));
  return rows.map((r) => {
    const c = next.get(r.organisationRid)!;
    next.set(r.organisationRid, c + 1);
    return c;
  });
}
