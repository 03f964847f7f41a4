// The batch path's rows on SQLite (store.ts `insertPlacements`, `insertMatches`,
// `appendEvents`, `signalsByStoredValues`, `signalsByRequestIds`; docs/engine.md "Batch
// placement"): what a batch of placements decided in memory writes, in few multi-row
// statements instead of several per item. Invariants kept from the single-row methods: a
// signal's contact is a counted `contacts` row (counted once per distinct contact per
// call, by the number of its signals), a signal's `pfx` lists the first bytes of each of
// its stored pseudonyms, rids are assigned as SQLite assigns them (max + 1, in row order),
// and an organisation's inbox cursors are consecutive in row order.

import { EngineError } from '../../errors.js';
import { uuidToBytes } from '../../ids.js';
import type { EventRow, NewMatch, NewPlacement, PseudonymRole, SignalRow } from '../store.js';
import { EVENT_TYPES, encodeContact } from './codec.js';
import { MATCH_INSERT_COLS, matchValues } from './sqlite-matches.js';
import { SIGNAL_INSERT_COLS, signalValues } from './sqlite-signals.js';
import { prefixOf } from './pseudonym-prefixes.js';
import { idBytes, type Row, SIGNAL_COLS, signal } from './sqlite-rows.js';
import { runsOf } from '../chunks.js';
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
  const one = `(${new Array(columns).fill('?').join(', ')})`;
  let stmt: Statement | undefined;
  for (const run of runsOf(rows, CHUNKS)) {
    if (stmt === undefined || run.length !== stmt.rows) {
      stmt = { rows: run.length, st: st(`${head} VALUES ${new Array(run.length).fill(one).join(', ')}`) };
    }
    stmt.st.run(...run.flat());
  }
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
    const by = new Map<string, SignalRow[]>();
    for (const s of stored) by.set(Buffer.from(s).toString('hex'), []);
    const rows = selectIn(
      this.st,
      (list) =>
        `SELECT sp.stored AS sp_value, ${SIGNAL_COLS} FROM signal_pseudonyms sp JOIN signals ON signals.rid = sp.signal
         WHERE sp.role = ? AND sp.stored IN ${list} ORDER BY signals.rid`,
      [role === 'subject' ? 0 : 1],
      [...by.keys()].map((h) => Buffer.from(h, 'hex')),
    ).sort((x, y) => x.rid - y.rid);
    for (const r of rows) by.get(Buffer.from(r.sp_value).toString('hex'))!.push(signal(r));
    return stored.map((s) => [...by.get(Buffer.from(s).toString('hex'))!]);
  }

  async signalsByRequestIds(organisationRid: number, requestIds: readonly string[]): Promise<SignalRow[]> {
    const ids = new Map<string, Buffer>();
    for (const id of requestIds) {
      const b = uuidToBytes(id.toLowerCase());
      if (b !== undefined) ids.set(b.toString('hex'), b);
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

  async insertPlacements(rows: readonly NewPlacement[]): Promise<number[]> {
    if (rows.length === 0) return [];
    // Each distinct contact once, counted by its number of signals (sqlite-signals.ts
    // counts one per insert; the sum is the same).
    const bodies = rows.map((r) => encodeContact(r.signal.contact));
    const counts = new Map<string, { org: number; body: string; n: number; rid: number }>();
    for (const [i, r] of rows.entries()) {
      const key = `${r.signal.organisationRid}\n${bodies[i]}`;
      const c = counts.get(key);
      if (c === undefined) counts.set(key, { org: r.signal.organisationRid, body: bodies[i]!, n: 1, rid: 0 });
      else c.n++;
    }
    const take = this.st(
      `INSERT INTO contacts (org, body, refs) VALUES (?, ?, ?)
       ON CONFLICT (org, body) DO UPDATE SET refs = refs + excluded.refs RETURNING rid`,
    );
    for (const c of counts.values()) c.rid = take.get(c.org, c.body, c.n).rid as number;
    // The single writer: nobody else inserts between this read and the insert, so these
    // are the rids SQLite would give row by row (max + 1 each).
    const first = (this.st('SELECT coalesce(max(rid), 0) AS n FROM signals').get().n as number) + 1;
    const rids = rows.map((_, i) => first + i);
    insertRows(
      this.st,
      `INSERT INTO signals (rid, ${SIGNAL_INSERT_COLS}, pfx)`,
      15,
      rows.map(({ signal: s, pseudonyms }, i) => [
        rids[i],
        ...signalValues(s, counts.get(`${s.organisationRid}\n${bodies[i]}`)!.rid),
        Buffer.concat(pseudonyms.map((p) => prefixOf(p.stored))),
      ]),
    );
    insertRows(
      this.st,
      'INSERT INTO signal_pseudonyms (stored, role, signal, epoch, generation)',
      5,
      rows.flatMap(({ pseudonyms }, i) =>
        pseudonyms.map((p) => [
          Buffer.from(p.stored),
          p.role === 'subject' ? 0 : 1,
          rids[i],
          p.epoch,
          p.generation,
        ]),
      ),
    );
    return rids;
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
