// The batch path's rows on PostgreSQL (store/contract/ `signalsByStoredValues`,
// `signalsByRequestIds`, `insertPlacements`, `insertMatches`, `appendEvents`; docs/engine.md
// "Batch placement"): a few round trips for all the rows instead of one per item and table. Values
// travel as bound parameters only (arrays of hex text decoded by the server), never in the
// SQL text. Invariants kept from the single-row methods in pg-tx.ts: rids from the table's
// own identity sequence, increasing in row order; an organisation's inbox cursors taken
// under its row lock (clause 4), organisations in rid order, consecutive in row order.
// Statements that need no earlier one's answer are sent together: pipelined on the write's
// connection, run in the order sent (docs/performance.md "Tenth pass: a PostgreSQL group's
// round trips").

import { uuidToBytes } from '../../ids.js';
import type { EventRow, NewMatch, NewPlacement, PseudonymRole, SignalRow } from '../store.js';
import { EVENT_TYPES } from '../sqlite/codec.js';
import { eventCursors, eventsPerOrganisation } from '../sqlite/sqlite-placements.js';
import { idBytes, signal } from '../sqlite/sqlite-rows.js';
import { inOrder } from '../../in-order.js';
import { runsOf } from '../chunks.js';
import { mapPgError } from './pg-errors.js';
import { matchRecord } from './pg-matches.js';
import { drawSignalRids, signalRecord } from './pg-signals.js';
import type { Row, Sql } from './pg-core.js';

/** Runs one statement on the write's transaction, mapping a failure to an engine code (PgTx). */
export type Query = (run: (sql: Sql) => Promise<Row[]>) => Promise<Row[]>;

/** Rows per INSERT: PostgreSQL binds at most 65,535 parameters per statement. */
const CHUNK = 1_000;

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** One statement per chunk, all sent at once (pipelined, run in the order sent). */
async function inChunks<T>(rows: readonly T[], run: (chunk: T[]) => Promise<unknown>): Promise<void> {
  await inOrder([...runsOf(rows, [CHUNK])].map(run));
}

/** The caller has entered the values' per-person sections (PgTx.enterPersonSections). */
export async function signalsByStoredValues(
  q: Query,
  stored: readonly Uint8Array[],
  role: PseudonymRole,
): Promise<SignalRow[][]> {
  if (stored.length === 0) return [];
  const values = [...new Set(stored.map(hex))];
  const rows = await q(
    (sql) => sql`SELECT encode(sp.stored, 'hex') AS sp_value, s.* FROM signal_pseudonyms sp
      JOIN signals s ON s.rid = sp.signal
      WHERE sp.role = ${role === 'subject' ? 0 : 1}
        AND sp.stored IN (SELECT decode(v, 'hex') FROM unnest(${values}::text[]) AS v)
      ORDER BY s.rid`,
  );
  const by = new Map<string, SignalRow[]>();
  for (const r of rows) {
    const list = by.get(r.sp_value);
    if (list === undefined) by.set(r.sp_value, [signal(r)]);
    else list.push(signal(r));
  }
  return stored.map((s) => by.get(hex(s)) ?? []);
}

/** Per rid (same order), its subject epochs, distinct and ascending; [] for no signal. */
export async function subjectEpochsOf(q: Query, signalRids: readonly number[]): Promise<number[][]> {
  if (signalRids.length === 0) return [];
  const rows = await q(
    (sql) => sql`SELECT DISTINCT signal, epoch FROM signal_pseudonyms
      WHERE signal = ANY(${[...new Set(signalRids)]}::bigint[]) AND role = 0 ORDER BY signal, epoch`,
  );
  const by = new Map<number, number[]>();
  for (const r of rows) {
    const rid = Number(r.signal);
    const list = by.get(rid);
    if (list === undefined) by.set(rid, [r.epoch]);
    else list.push(r.epoch);
  }
  return signalRids.map((rid) => [...(by.get(rid) ?? [])]);
}

export async function signalsByRequestIds(
  q: Query,
  organisationRid: number,
  requestIds: readonly string[],
): Promise<SignalRow[]> {
  const ids = [
    ...new Set(
      requestIds.flatMap((id) => {
        const b = uuidToBytes(id.toLowerCase());
        return b === undefined ? [] : [hex(b)];
      }),
    ),
  ];
  if (ids.length === 0) return [];
  const rows = await q(
    (sql) => sql`SELECT * FROM signals WHERE org = ${organisationRid}
      AND request_id IN (SELECT decode(v, 'hex') FROM unnest(${ids}::text[]) AS v) ORDER BY rid`,
  );
  return rows.map(signal);
}

export async function insertPlacements(
  q: Query,
  rows: readonly NewPlacement[],
  reserved?: readonly number[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  // The rids from the identity sequence, ascending and given out in row order: each row's
  // rid is above every one before it, as separate inserts would give. Drawn now unless
  // the write reserved them (PgSignals `reserveSignalRids`).
  const rids = reserved !== undefined ? [...reserved] : await drawSignalRids(q, rows.length);
  const signals = rows.map(({ signal: s }, i) => ({ rid: rids[i]!, ...signalRecord(s) }));
  const pseudonyms = rows.flatMap(({ pseudonyms: ps }, i) =>
    ps.map((p) => ({
      stored: Buffer.from(p.stored),
      role: p.role === 'subject' ? 0 : 1,
      signal: rids[i]!,
      epoch: p.epoch,
      generation: p.generation,
      held: p.held ?? 0,
    })),
  );
  // One round trip: the pseudonyms' statements are sent behind the signals' without
  // waiting for their answers (run in the order sent, so the rows they name exist).
  await inOrder([
    ...[...runsOf(signals, [CHUNK])].map((chunk) => q((sql) => sql`INSERT INTO signals ${sql(chunk)}`)),
    ...[...runsOf(pseudonyms, [CHUNK])].map((chunk) =>
      q((sql) => sql`INSERT INTO signal_pseudonyms ${sql(chunk)}`),
    ),
  ]);
  return rids;
}

export async function insertMatches(q: Query, rows: readonly NewMatch[]): Promise<void> {
  const values = rows.map(matchRecord);
  await inChunks(values, (chunk) => q((sql) => sql`INSERT INTO matches ${sql(chunk)}`));
}

export async function appendEvents(q: Query, rows: readonly Omit<EventRow, 'cursor'>[]): Promise<number[]> {
  if (rows.length === 0) return [];
  // Each organisation row stays locked to commit, taken in rid order (clause 4): one UPDATE
  // per organisation, sent in rid order, and the events behind them in the same round trip.
  // An event's cursor is read by its INSERT from its organisation's counter as the UPDATE
  // left it (this transaction's own write, its row locked to commit): `back` below it.
  const per = eventsPerOrganisation(rows);
  const count = new Map(per);
  const back = eventCursors(rows, count).map((c, i) => count.get(rows[i]!.organisationRid)! - c);
  const updates = per.map(([org, n]) =>
    q(
      (sql) =>
        sql`UPDATE organisations SET event_seq = event_seq + ${n} WHERE rid = ${org} RETURNING event_seq`,
    ),
  );
  const insert = q(
    (sql) => sql`INSERT INTO events (org, seq, type, match, at)
      SELECT v.org, o.event_seq - v.back, v.type, decode(v.match, 'hex'), v.at
      FROM unnest(${rows.map((e) => e.organisationRid)}::bigint[], ${back}::bigint[],
        ${rows.map((e) => EVENT_TYPES.indexOf(e.type))}::smallint[], ${rows.map((e) => hex(idBytes(e.matchId)))}::text[],
        ${rows.map((e) => e.at)}::bigint[]) AS v(org, back, type, match, at)
      JOIN organisations o ON o.rid = v.org`,
  );
  const [answers] = await inOrder([Promise.all(updates), insert]);
  const last = new Map<number, number>();
  for (const [k, [org]] of per.entries()) {
    const r = (answers as Row[][])[k]![0];
    if (r === undefined) throw mapPgError({ code: '23503' });
    last.set(org, Number(r.event_seq));
  }
  return eventCursors(rows, last);
}
