// Signals and their stored pseudonyms on PostgreSQL (part of PgTx, pg-core.ts). Only stored
// (re-keyed) pseudonyms reach these statements. A read of the signals of a person enters
// that person's section first (docs/engine.md "Storage contract", clause 4): one advisory
// lock per stored value, taken in one order, pipelined with the reads in one round trip.

import type { ListOrder, SignalStatus } from '../../api.js';
import { uuidToBytes } from '../../ids.js';
import { encodeContact, encodeFlags, encodeInformed, encodeState } from '../sqlite/codec.js';
import { idBytes, signal } from '../sqlite/sqlite-rows.js';
import type { NewSignal, PseudonymRole, SignalPatch, StoredPseudonymRow } from '../store.js';
import { buf, roleCode, roleOf, type Row, type Sql, type Statement, unnamed } from './pg-core.js';
import { personLockKey } from './pg-locks.js';
import { PgOrganisations } from './pg-organisations.js';

const SIGNAL_COLS =
  'rid, id, org, state, flags, contact, informed, placed_at, expires_at, ended_at, purge_at, request_id, request_hash, person';

/** A new signal's stored values by column (single and batch inserts, pg-batch.ts). */
export function signalRecord(s: NewSignal) {
  return {
    id: idBytes(s.id),
    org: s.organisationRid,
    state: encodeState(s.status, s.endReason),
    flags: encodeFlags(s),
    contact: encodeContact(s.contact),
    informed: encodeInformed(s.informed),
    placed_at: s.placedAt,
    expires_at: s.expiresAt,
    ended_at: s.endedAt,
    purge_at: s.purgeAt,
    request_id: idBytes(s.requestId.toLowerCase()),
    request_hash: buf(s.requestHash),
    person: s.personRid ?? null,
  };
}

/**
 * `count` rids from the signals' identity sequence, ascending: each above every rid given
 * out before (pg-batch.ts `insertPlacements`, `reserveSignalRids`).
 */
export async function drawSignalRids(
  q: (run: (sql: Sql) => Promise<Row[]>) => Promise<Row[]>,
  count: number,
): Promise<number[]> {
  const got = await q(
    (sql) =>
      sql`SELECT nextval(pg_get_serial_sequence('signals', 'rid')) AS rid FROM generate_series(1, ${count})`,
  );
  return got.map((r: Row) => Number(r.rid)).sort((x: number, y: number) => x - y);
}

/**
 * The statement of `listSignals`: its text, the values bound as parameters. By a person it
 * walks signals_person (org, person, rid) in order (schema step 12); else with a status
 * signals_org (org, state), and without one signals_org_rid (org, rid: schema step 21) in
 * order; newest first, the same index backwards, from the last row without an `after`
 * bound. The text is built from fixed pieces only; every value is a parameter.
 */
export function listSignalsStatement(
  organisationRid: number,
  status: { readonly status: SignalStatus; readonly at: number } | undefined,
  afterRid: number,
  limit: number,
  personRid?: number,
  order: ListOrder = 'oldest',
): Statement {
  const params: number[] = [];
  const p = (value: number) => `$${params.push(value)}`;
  const where = [`org = ${p(organisationRid)}`];
  // A row stored active past its expiresAt is inactive (store/contract/signals.ts).
  if (status !== undefined)
    where.push(
      status.status === 'active'
        ? `state = 0 AND expires_at > ${p(status.at)}`
        : `(state > 0 OR expires_at <= ${p(status.at)})`,
    );
  if (personRid !== undefined) where.push(`person = ${p(personRid)}`);
  // One decision for the cursor's side and the order, so they cannot disagree.
  const newest = order === 'newest';
  if (!newest) where.push(`rid > ${p(afterRid)}`);
  else if (afterRid !== 0) where.push(`rid < ${p(afterRid)}`);
  const text = `SELECT ${SIGNAL_COLS} FROM signals WHERE ${where.join(' AND ')}
    ORDER BY rid${newest ? ' DESC' : ''} LIMIT ${p(limit)}`;
  return { text, params };
}

/**
 * The query of `listSignals`, unnamed (pg-core.ts `unnamed`). Prepared, a connection's plan
 * cache could turn to the generic plan after five runs, which assumes an average
 * organisation's share and walks signals_pkey with `org` as a filter — through every older
 * signal of the others for an organisation admitted late.
 */
export const listSignalsQuery = (sql: Sql, ...args: Parameters<typeof listSignalsStatement>) =>
  unnamed(sql, listSignalsStatement(...args));

export class PgSignals extends PgOrganisations {
  async getSignal(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const [r] = await this.q((sql) => sql`SELECT ${sql.unsafe(SIGNAL_COLS)} FROM signals WHERE id = ${b}`);
    return r === undefined ? undefined : signal(r);
  }
  async getSignalByRid(rid: number) {
    const [r] = await this.q((sql) => sql`SELECT ${sql.unsafe(SIGNAL_COLS)} FROM signals WHERE rid = ${rid}`);
    return r === undefined ? undefined : signal(r);
  }
  async getSignalByRequest(organisationRid: number, requestId: string) {
    const b = uuidToBytes(requestId.toLowerCase());
    if (b === undefined) return undefined;
    const [r] = await this.q(
      (sql) =>
        sql`SELECT ${sql.unsafe(SIGNAL_COLS)} FROM signals WHERE org = ${organisationRid} AND request_id = ${b}`,
    );
    return r === undefined ? undefined : signal(r);
  }
  async findSignalsByStored(stored: readonly Uint8Array[], role: PseudonymRole) {
    if (stored.length === 0) return [];
    // The per-person section (clause 4): every value's lock, in one order, before the read,
    // pipelined with the reads (one round trip; each read's snapshot is taken after the locks).
    const lock = this.#personLocks(stored);
    lock?.entered();
    const values = [...new Set(stored.map((x) => Buffer.from(x).toString('hex')))];
    const results = await this.q(async (sql) => {
      const reads = values.map(
        (v) => sql`SELECT ${sql.unsafe(SIGNAL_COLS)} FROM signals WHERE rid IN
          (SELECT signal FROM signal_pseudonyms WHERE stored = ${Buffer.from(v, 'hex')} AND role = ${roleCode(role)})`,
      );
      return (await Promise.all([lock?.run(sql) ?? Promise.resolve([]), ...reads])).slice(1) as Row[];
    });
    const out = new Map<number, Row>();
    for (const rows of results as Row[][]) for (const r of rows) out.set(Number(r.rid), r);
    return [...out.values()].sort((x, y) => x.rid - y.rid).map(signal);
  }
  async enterPersonSections(stored: readonly Uint8Array[]): Promise<void> {
    const lock = this.#personLocks(stored);
    if (lock === undefined) return;
    lock.entered();
    await this.q(lock.run);
  }
  /**
   * The statement that enters the per-person sections of `stored` not held yet, in the
   * store's one lock order, and how to record them as held — when the statement is sent
   * (pg-core.ts `inSection`: a statement sent after it runs after it); undefined when
   * there is none.
   */
  #personLocks(
    stored: readonly Uint8Array[],
  ): { run: (sql: Sql) => Promise<Row[]>; entered: () => void } | undefined {
    if (!this.write) return undefined;
    const keys = [...new Set(stored.map((s) => personLockKey(s)))]
      .filter((k) => !this.held.has(`p${k}`))
      .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    if (keys.length === 0) return undefined;
    const entered = () => {
      for (const k of keys) this.held.add(`p${k}`);
    };
    if (keys.length === 1) {
      const k = keys[0]!.toString();
      return { run: (sql) => sql`SELECT pg_advisory_xact_lock(${k}::bigint)`, entered };
    }
    // One statement: the sorted subquery fixes the order the locks are taken in.
    const text = keys.map((k) => k.toString());
    return {
      run: (sql) => sql`SELECT pg_advisory_xact_lock(k) FROM
          (SELECT unnest(${text}::text[])::bigint AS k ORDER BY 1) AS sorted`,
      entered,
    };
  }
  async pseudonymsOf(signalRid: number): Promise<StoredPseudonymRow[]> {
    const rows = await this.q(
      (sql) =>
        sql`SELECT stored, role, epoch, generation, held FROM signal_pseudonyms WHERE signal = ${signalRid}`,
    );
    return rows.map((r) => ({
      stored: r.stored,
      signalRid,
      epoch: r.epoch,
      generation: r.generation,
      role: roleOf(r.role),
      ...(r.held !== 0 ? { held: r.held as number } : {}),
    }));
  }
  async heldParentLinks(stored: readonly Uint8Array[]) {
    if (stored.length === 0) return [];
    const rows = await this.q(
      (sql) => sql`SELECT stored, held FROM signal_pseudonyms
        WHERE stored IN (SELECT decode(v, 'hex') FROM unnest(${hexes(stored)}::text[]) AS v)
          AND role = 1 AND held <> 0`,
    );
    return rows.map((r) => ({ stored: r.stored as Uint8Array, held: r.held as number }));
  }
  async listSignals(
    organisationRid: number,
    status: { readonly status: SignalStatus; readonly at: number } | undefined,
    afterRid: number,
    limit: number,
    personRid?: number,
    order: ListOrder = 'oldest',
  ) {
    const rows = await this.q((sql) =>
      listSignalsQuery(sql, organisationRid, status, afterRid, limit, personRid, order),
    );
    return rows.map(signal);
  }
  async signalsExpiringBy(now: number, limit: number) {
    // In a write the rows are claimed (store/contract/signals.ts, signalsExpiringBy): a concurrent run skips them.
    const rows = await this.q(
      (sql) =>
        sql`SELECT ${sql.unsafe(SIGNAL_COLS)} FROM signals WHERE state = 0 AND expires_at <= ${now} ORDER BY expires_at, rid LIMIT ${limit} ${this.#skipLocked(sql)}`,
    );
    return rows.map(signal);
  }
  async signalsPurgeableBy(now: number, limit: number) {
    const rows = await this.q(
      (sql) =>
        sql`SELECT ${sql.unsafe(SIGNAL_COLS)} FROM signals WHERE purge_at IS NOT NULL AND purge_at <= ${now} ORDER BY purge_at, rid LIMIT ${limit} ${this.#skipLocked(sql)}`,
    );
    return rows.map(signal);
  }
  /** In a write: lock the rows read, passing over those another transaction holds. */
  #skipLocked(sql: Sql) {
    return sql.unsafe(this.write ? 'FOR UPDATE SKIP LOCKED' : '');
  }
  /** Rids drawn ahead for this write's next insertPlacements (contract/signals.ts `reserveSignalRids`). */
  #reservedRids: Promise<number[]> | undefined;
  async reserveSignalRids(count: number): Promise<void> {
    if (!this.write || count <= 0) return;
    const drawn = drawSignalRids((run) => this.q(run), count);
    // Not awaited by anyone when no insertPlacements follows; a failure shows through the
    // statements sent behind it (the transaction is aborted) or at COMMIT.
    drawn.catch(() => undefined);
    this.#reservedRids = drawn;
    await drawn;
  }
  /** The reservation, taken (at most once): the rids of the next insertPlacements, if enough. */
  protected async reservedRids(count: number): Promise<number[] | undefined> {
    const drawn = this.#reservedRids;
    this.#reservedRids = undefined;
    // A draw that failed (inside a savepoint rolled back since) is no reservation.
    const rids = await drawn?.catch(() => undefined);
    return rids !== undefined && rids.length >= count ? rids.slice(0, count) : undefined;
  }
  async insertSignal(s: NewSignal) {
    // A signal inserted now gets a rid above the reservation's: rows inserted after it
    // must get rids above it, so the reservation is dropped.
    this.#reservedRids = undefined;
    const [r] = await this.q((sql) => sql`INSERT INTO signals ${sql(signalRecord(s))} RETURNING rid`);
    return Number(r.rid);
  }
  async updateSignal(rid: number, p: SignalPatch) {
    // FOR UPDATE: the row is written back whole, so a concurrent write to it (a transfer's
    // holder, a withdrawal's status) must wait for this transaction and be read after it, not
    // be overwritten with the value read before it (READ COMMITTED; docs/engine.md "Storage
    // contract", clause 1: write operations act as if one after the other).
    const [r] = await this.q(
      (sql) => sql`SELECT ${sql.unsafe(SIGNAL_COLS)} FROM signals WHERE rid = ${rid} FOR UPDATE`,
    );
    if (r === undefined) return;
    const n = { ...signal(r), ...p };
    await this.q(
      (sql) => sql`UPDATE signals SET state = ${encodeState(n.status, n.endReason)},
        flags = ${encodeFlags(n)},
        contact = ${encodeContact(n.contact)}, informed = ${encodeInformed(n.informed)},
        expires_at = ${n.expiresAt}, ended_at = ${n.endedAt}, purge_at = ${n.purgeAt},
        person = ${n.personRid} WHERE rid = ${rid}`,
    );
  }
  async expireSignal(rid: number, endedAt: number, purgeAt: number) {
    // A row locked by a concurrent write is waited for and its WHERE checked again on the
    // committed version (READ COMMITTED): one of two writers that both read it active changes it.
    const rows = await this.q(
      (sql) => sql`UPDATE signals SET state = ${encodeState('inactive', 'expired')}, ended_at = ${endedAt},
        purge_at = ${purgeAt} WHERE rid = ${rid} AND state = 0 RETURNING rid`,
    );
    return rows.length === 1;
  }
  async deleteSignal(rid: number) {
    await this.q((sql) => sql`DELETE FROM archive_notices WHERE archived = ${rid}`);
    await this.q((sql) => sql`UPDATE archive_notices SET signal = NULL WHERE signal = ${rid}`);
    await this.q((sql) => sql`DELETE FROM signal_pseudonyms WHERE signal = ${rid}`);
    await this.q((sql) => sql`DELETE FROM signal_consents WHERE signal = ${rid}`);
    await this.q((sql) => sql`DELETE FROM signals WHERE rid = ${rid}`);
  }
  async insertPseudonyms(rows: readonly StoredPseudonymRow[]) {
    if (rows.length === 0) return;
    const values = rows.map((p) => ({
      stored: buf(p.stored),
      role: roleCode(p.role),
      signal: p.signalRid,
      epoch: p.epoch,
      generation: p.generation,
      held: p.held ?? 0,
    }));
    await this.q(
      (sql) =>
        sql`INSERT INTO signal_pseudonyms ${sql(values, 'stored', 'role', 'signal', 'epoch', 'generation', 'held')}`,
    );
  }
  async holdParentLinks(stored: readonly Uint8Array[], bit: number, on: boolean) {
    if (stored.length === 0) return [];
    const values = hexes(stored);
    const rows = await this.q((sql) =>
      on
        ? sql`UPDATE signal_pseudonyms SET held = held | ${bit}::smallint
            WHERE stored IN (SELECT decode(v, 'hex') FROM unnest(${values}::text[]) AS v)
              AND role = 1 AND (held & ${bit}::smallint) = 0 RETURNING signal`
        : sql`UPDATE signal_pseudonyms SET held = held & ~${bit}::smallint
            WHERE stored IN (SELECT decode(v, 'hex') FROM unnest(${values}::text[]) AS v)
              AND role = 1 AND (held & ${bit}::smallint) <> 0 RETURNING signal`,
    );
    return [...new Set(rows.map((r) => Number(r.signal)))].sort((x, y) => x - y);
  }
  async deletePseudonymsOfEpoch(epoch: number) {
    const rows = await this.q(
      (sql) => sql`DELETE FROM signal_pseudonyms WHERE epoch = ${epoch} RETURNING signal`,
    );
    return rows.length;
  }
  async deleteParentPseudonyms(stored: readonly Uint8Array[]) {
    let n = 0;
    for (const v of stored) {
      n += (
        await this.q(
          (sql) => sql`DELETE FROM signal_pseudonyms WHERE stored = ${buf(v)} AND role = 1 RETURNING signal`,
        )
      ).length;
    }
    return n;
  }
}

/** Distinct values as hex text, for an `unnest(…::text[])` list. */
function hexes(stored: readonly Uint8Array[]): string[] {
  return [...new Set(stored.map((v) => Buffer.from(v).toString('hex')))];
}
