// The Store's reader/writer methods on PostgreSQL: one object per read or per run of a
// write operation, on the pool (reads) or on the write's transaction. Every statement is a
// parameterised tagged template, never string-built from values. In a write the calls
// that open a critical section (docs/engine.md "Storage contract", clause 4) take their
// transaction-scoped advisory lock first, once per transaction.

import type postgres from 'postgres';
import type {
  DeliveryStatus,
  FollowUpCounts,
  MailNoticeStatus,
  FollowUpOutcome,
  MatchKind,
  MatchStatus,
  SignalStatus,
} from '../../api.js';
import { EngineError } from '../../errors.js';
import { uuidFromBytes, uuidToBytes } from '../../ids.js';
import {
  AGREEMENT_STATUSES,
  DELIVERY_STATUSES,
  EVENT_TYPES,
  FOLLOW_UP_CODES,
  MATCH_KINDS,
  MATCH_STATUSES,
  decodeConsentScopes,
  decodeSide,
  encodeConsentScopes,
  encodeContact,
  encodeFlags,
  encodeInformed,
  encodeOutcome,
  encodeSide,
  encodeState,
} from '../sqlite/codec.js';
import {
  DELIVERY_COLS,
  delivery,
  epochRow,
  idBytes,
  key,
  match,
  org,
  rotationRow,
  signal,
} from '../sqlite/sqlite-rows.js';
import { statisticRow } from '../sqlite/sqlite-notices.js';
import type {
  AgreementEntryRow,
  ArchiveNoticeRow,
  ConsentRow,
  DeliveryRow,
  EpochDependants,
  EpochRow,
  EventRow,
  FollowUpPage,
  FollowUpPageQuery,
  FollowUpParty,
  FollowUpPosition,
  KeyRow,
  LogCheckpoint,
  LogHead,
  LogbookHead,
  LogRow,
  MatchPatch,
  MailNoticePatch,
  NewDelivery,
  NewMailNotice,
  NewOrganisation,
  NewMatch,
  NewPerson,
  NewSignal,
  NonceRow,
  OrganisationRow,
  OutboxClaim,
  PersonPatch,
  PlacementHourRow,
  PseudonymRole,
  SecretRotationRow,
  SignalPatch,
  StoreCounts,
  StoredPseudonymRow,
  StoreWriter,
} from '../store.js';
import { encodeRoles, person } from '../sqlite/sqlite-people.js';
import { mapPgError } from './pg-errors.js';
import { PgSignIn } from './pg-sign-in.js';
import type { ChallengeRow, NewDevice, NewEnrolmentCode, NewSession } from '../sign-in-store.js';
import * as mailSql from './pg-mail.js';
import { mailNotice } from '../sqlite/sqlite-mail.js';
import { LOCK_BUDGET, LOCK_LOGBOOK, personLockKey } from './pg-locks.js';
import { PgTail } from './pg-tail.js';

// biome-ignore lint/suspicious/noExplicitAny: rows of postgres.js are untyped
type Row = any;
// biome-ignore lint/suspicious/noExplicitAny: the pool and a transaction share this shape
export type Sql = postgres.Sql<any>;

const SIGNAL_COLS =
  'rid, id, org, state, flags, contact, informed, placed_at, expires_at, ended_at, purge_at, request_id, request_hash, person';
const MATCH_COLS =
  'rid, id, kind, status, a, b, created_at, ended_at, contact_a, contact_b, outcome_a, outcome_b, regie, regie_since, proposal_by, proposal_for, proposal_at';

/** UPDATE … RETURNING has no order: the claimed rows oldest due first, as they were chosen. */
const inClaimOrder = (rows: Row[]): Row[] =>
  [...rows].sort(
    (x, y) =>
      Number(x.next_attempt_at) - Number(y.next_attempt_at) || Number(x.order_rid) - Number(y.order_rid),
  );

const roleCode = (r: PseudonymRole) => (r === 'subject' ? 0 : 1);
const roleOf = (n: number): PseudonymRole => (n === 0 ? 'subject' : 'parent');
const buf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export class PgTx implements StoreWriter {
  #sql: Sql;
  /** True inside a write: the sections of clause 4 are entered (else a plain read). */
  readonly #write: boolean;
  /** Locks this transaction holds already (they are held to its end). */
  readonly #held = new Set<string>();
  /** Logbook appends and statistics increments, written just before COMMIT (pg-tail.ts). */
  readonly #tail = new PgTail();

  readonly #signIn = new PgSignIn((run) => this.#q(run));

  constructor(sql: Sql, write: boolean) {
    this.#sql = sql;
    this.#write = write;
  }

  /** Runs one statement, mapping its failure to an engine code. */
  async #q(run: (sql: Sql) => Promise<Row[]>): Promise<Row[]> {
    try {
      return await run(this.#sql);
    } catch (e) {
      throw mapPgError(e);
    }
  }

  async #lock(name: string, run: (sql: Sql) => Promise<Row[]>): Promise<void> {
    if (!this.#write || this.#held.has(name)) return;
    await this.#q(run);
    this.#held.add(name);
  }

  /**
   * Enters section `name` (if not held yet) and runs `read` in the same round trip: the two
   * statements are pipelined on the transaction's connection and run in order, and under
   * READ COMMITTED the read takes its snapshot after the lock is granted, so it sees every
   * write of the section's previous holder.
   */
  async #inSection(
    name: string,
    lock: (sql: Sql) => Promise<Row[]>,
    read: (sql: Sql) => Promise<Row[]>,
  ): Promise<Row[]> {
    if (!this.#write || this.#held.has(name)) return this.#q(read);
    const [, rows] = await this.#q(async (sql) => (await Promise.all([lock(sql), read(sql)])) as Row[]);
    this.#held.add(name);
    return rows as Row[];
  }

  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    // postgres.js scopes a failed statement to the innermost savepoint of its own `sql`, so
    // the statements of `fn` run on the savepoint's (one operation runs its calls in turn).
    const outer = this.#sql;
    // ROLLBACK TO SAVEPOINT releases the locks taken since the savepoint, advisory ones
    // included: a section entered inside a savepoint that fails must be entered again by
    // the next call that needs it (docs/engine.md "Storage contract", clause 4).
    const heldBefore = [...this.#held];
    const tailBefore = this.#tail.snapshot();
    try {
      return (await (outer as unknown as postgres.TransactionSql).savepoint(async (inner) => {
        this.#sql = inner as unknown as Sql;
        try {
          return await fn();
        } finally {
          this.#sql = outer;
        }
      })) as T;
    } catch (e) {
      this.#held.clear();
      for (const name of heldBefore) this.#held.add(name);
      this.#tail.restore(tailBefore);
      throw mapPgError(e);
    }
  }

  /**
   * Writes the deferred tail (pg-tail.ts): by the store just before COMMIT, and by a read
   * of the logbook or the statistics inside the write, which must see what it appended.
   */
  async flushTail(): Promise<void> {
    if (!this.#write) return;
    const lock = this.#tail.hasLog && !this.#held.has('logbook');
    await this.#q(async (sql) => {
      await this.#tail.flush(sql, lock);
      return [];
    });
    if (lock) this.#held.add('logbook');
  }

  /** A savepoint (store.ts `batchItem`): a lock wait may time out after the item's first write. */
  batchItem<T>(fn: () => Promise<T>): Promise<T> {
    return this.savepoint(fn);
  }

  // --- organisations, keys, epochs ---------------------------------------------------------------

  async getOrganisation(id: string) {
    const [r] = await this.#q((sql) => sql`SELECT * FROM organisations WHERE id = ${id}`);
    return r === undefined ? undefined : org(r);
  }
  async getOrganisationByRid(rid: number) {
    const [r] = await this.#q((sql) => sql`SELECT * FROM organisations WHERE rid = ${rid}`);
    return r === undefined ? undefined : org(r);
  }
  async listOrganisations() {
    return (await this.#q((sql) => sql`SELECT * FROM organisations ORDER BY rid`)).map(org);
  }
  async insertOrganisation(o: NewOrganisation) {
    const [r] = await this.#q(
      (
        sql,
      ) => sql`INSERT INTO organisations (id, name, type, status, webhook_url, budget, created_at, match_email)
        VALUES (${o.id}, ${o.name}, ${o.type}, ${o.status === 'active' ? 0 : 1}, ${o.webhookUrl},
        ${o.placementBudgetPerDay}, ${o.createdAt}, ${o.matchEmail === true ? 1 : 0}) RETURNING rid`,
    );
    return Number(r.rid);
  }
  async updateOrganisation(
    rid: number,
    p: Partial<Pick<OrganisationRow, 'status' | 'webhookUrl' | 'placementBudgetPerDay' | 'matchEmail'>>,
  ) {
    const cur = await this.getOrganisationByRid(rid);
    if (cur === undefined) return;
    const n = { ...cur, ...p };
    await this.#q(
      (sql) => sql`UPDATE organisations SET status = ${n.status === 'active' ? 0 : 1},
        webhook_url = ${n.webhookUrl}, budget = ${n.placementBudgetPerDay},
        match_email = ${n.matchEmail ? 1 : 0} WHERE rid = ${rid}`,
    );
  }
  async getKey(keyId: string) {
    const [r] = await this.#q(
      (sql) =>
        sql`SELECT k.*, o.id AS org_id FROM keys k LEFT JOIN organisations o ON o.rid = k.org WHERE key_id = ${keyId}`,
    );
    return r === undefined ? undefined : key(r);
  }
  async listKeys(organisationRid?: number | null) {
    const rows = await this.#q((sql) => {
      const base = sql`SELECT k.*, o.id AS org_id FROM keys k LEFT JOIN organisations o ON o.rid = k.org`;
      if (organisationRid === undefined) return sql`${base} ORDER BY added_at, key_id`;
      if (organisationRid === null) return sql`${base} WHERE k.org IS NULL ORDER BY added_at, key_id`;
      return sql`${base} WHERE k.org = ${organisationRid} ORDER BY added_at, key_id`;
    });
    return rows.map(key);
  }
  async insertKey(k: Omit<KeyRow, 'organisationId'>) {
    await this.#q(
      (sql) => sql`INSERT INTO keys (key_id, role, org, public_key, status, added_at, revoked_at)
        VALUES (${k.keyId}, ${k.role === 'organisation' ? 0 : 1}, ${k.organisationRid}, ${buf(k.publicKey)},
        ${k.status === 'active' ? 0 : 1}, ${k.addedAt}, ${k.revokedAt})`,
    );
  }
  async updateKey(keyId: string, p: Pick<KeyRow, 'status' | 'revokedAt'>) {
    await this.#q(
      (sql) =>
        sql`UPDATE keys SET status = ${p.status === 'active' ? 0 : 1}, revoked_at = ${p.revokedAt} WHERE key_id = ${keyId}`,
    );
  }
  async listEpochs() {
    return (await this.#q((sql) => sql`SELECT * FROM epochs ORDER BY epoch`)).map(epochRow);
  }
  async getEpoch(epoch: number) {
    const [r] = await this.#q((sql) => sql`SELECT * FROM epochs WHERE epoch = ${epoch}`);
    return r === undefined ? undefined : epochRow(r);
  }
  async insertEpoch(e: EpochRow) {
    await this.#q(
      (sql) => sql`INSERT INTO epochs (epoch, status, kind, public_key, registered_at, retired_at)
        VALUES (${e.epoch}, ${e.status === 'active' ? 0 : 1}, ${e.kind === 'oprf' ? 1 : 0},
        ${e.publicKey === null ? null : buf(e.publicKey)}, ${e.registeredAt}, ${e.retiredAt})`,
    );
  }
  async updateEpoch(epoch: number, p: Pick<EpochRow, 'status' | 'retiredAt'>) {
    await this.#q(
      (sql) =>
        sql`UPDATE epochs SET status = ${p.status === 'active' ? 0 : 1}, retired_at = ${p.retiredAt} WHERE epoch = ${epoch}`,
    );
  }

  // --- sign-in (docs/protocol.md §10; pg-sign-in.ts) ----------------------------------------------

  getEnrolmentCode(selector: string) {
    return this.#signIn.getEnrolmentCode(selector);
  }
  getDevice(id: string) {
    return this.#signIn.getDevice(id);
  }
  getDeviceByCredential(credentialId: string) {
    return this.#signIn.getDeviceByCredential(credentialId);
  }
  listDevices(personRid: number) {
    return this.#signIn.listDevices(personRid);
  }
  getSession(id: string) {
    return this.#signIn.getSession(id);
  }
  setEnrolmentCode(row: NewEnrolmentCode) {
    return this.#signIn.setEnrolmentCode(row);
  }
  deleteEnrolmentCode(personRid: number, selector: string) {
    return this.#signIn.deleteEnrolmentCode(personRid, selector);
  }
  insertDevice(row: NewDevice) {
    return this.#signIn.insertDevice(row);
  }
  advanceDeviceCounter(rid: number, expected: number, counter: number, at: number) {
    return this.#signIn.advanceDeviceCounter(rid, expected, counter, at);
  }
  deleteDevice(rid: number) {
    return this.#signIn.deleteDevice(rid);
  }
  insertChallenge(row: ChallengeRow) {
    return this.#signIn.insertChallenge(row);
  }
  takeChallenge(id: string, now: number) {
    return this.#signIn.takeChallenge(id, now);
  }
  deleteExpiredChallenges(now: number) {
    return this.#signIn.deleteExpiredChallenges(now);
  }
  insertSession(row: NewSession) {
    return this.#signIn.insertSession(row);
  }
  touchSession(id: string, idleExpiresAt: number) {
    return this.#signIn.touchSession(id, idleExpiresAt);
  }
  deleteSession(id: string) {
    return this.#signIn.deleteSession(id);
  }
  deleteSignInOfPerson(personRid: number) {
    return this.#signIn.deleteSignInOfPerson(personRid);
  }
  deleteExpiredSessions(now: number) {
    return this.#signIn.deleteExpiredSessions(now);
  }

  // --- people (docs/engine.md "People and roles"; roles as sqlite/sqlite-people.ts encodes them) ---

  async getPerson(id: string) {
    const [r] = await this.#q(
      (sql) =>
        sql`SELECT p.*, o.id AS org_id FROM people p LEFT JOIN organisations o ON o.rid = p.org WHERE p.id = ${id}`,
    );
    return r === undefined ? undefined : person(r);
  }
  async getPersonByRid(rid: number) {
    const [r] = await this.#q(
      (sql) =>
        sql`SELECT p.*, o.id AS org_id FROM people p LEFT JOIN organisations o ON o.rid = p.org WHERE p.rid = ${rid}`,
    );
    return r === undefined ? undefined : person(r);
  }
  async listPeople(organisationRid: number | null) {
    const rows = await this.#q((sql) => {
      const base = sql`SELECT p.*, o.id AS org_id FROM people p LEFT JOIN organisations o ON o.rid = p.org`;
      if (organisationRid === null) return sql`${base} WHERE p.org IS NULL ORDER BY p.rid`;
      return sql`${base} WHERE p.org = ${organisationRid} ORDER BY p.rid`;
    });
    return rows.map(person);
  }
  // --- archive notices, management information (docs/engine.md "Archive notice", "Management information")

  async archiveNoticesOf(signalRid: number) {
    const rows = await this.#q(
      (sql) => sql`SELECT * FROM archive_notices WHERE signal = ${signalRid} ORDER BY at, archived`,
    );
    return rows.map(
      (r): ArchiveNoticeRow => ({
        id: uuidFromBytes(r.id),
        archivedSignalRid: Number(r.archived),
        organisationRid: Number(r.org),
        signalRid: r.signal === null ? null : Number(r.signal),
        at: Number(r.at),
      }),
    );
  }
  async insertArchiveNotice(n: ArchiveNoticeRow) {
    const rows = await this.#q(
      (sql) => sql`INSERT INTO archive_notices (archived, org, id, signal, at)
        VALUES (${n.archivedSignalRid}, ${n.organisationRid}, ${idBytes(n.id)}, ${n.signalRid}, ${n.at})
        ON CONFLICT (archived, org) DO NOTHING RETURNING archived`,
    );
    return rows.length === 1;
  }
  async statistics(fromMonth: number, toMonth: number) {
    await this.flushTail();
    const rows = await this.#q(
      (sql) => sql`SELECT * FROM statistics WHERE month >= ${fromMonth} AND month <= ${toMonth}
        ORDER BY month, org_type COLLATE "C", metric`,
    );
    return rows.map(statisticRow);
  }
  async addStatistic(month: number, organisationType: string, metric: number, by: number) {
    if (this.#write) {
      this.#tail.addStatistic(month, organisationType, metric, by);
      return;
    }
    await this.#q(
      (sql) => sql`INSERT INTO statistics (month, org_type, metric, value)
        VALUES (${month}, ${organisationType}, ${metric}, ${by})
        ON CONFLICT (month, org_type, metric) DO UPDATE SET value = statistics.value + EXCLUDED.value`,
    );
  }

  async insertPerson(p: NewPerson) {
    const [r] = await this.#q(
      (sql) => sql`INSERT INTO people (id, org, display_name, email, roles, status, created_at, removed_at)
        VALUES (${p.id}, ${p.organisationRid}, ${p.displayName}, ${p.email}, ${encodeRoles(p.roles)},
        ${p.status === 'active' ? 0 : 1}, ${p.createdAt}, ${p.removedAt}) RETURNING rid`,
    );
    return Number(r.rid);
  }
  async updatePerson(rid: number, patch: PersonPatch) {
    const [r] = await this.#q(
      (sql) => sql`SELECT email, roles, status, removed_at FROM people WHERE rid = ${rid}`,
    );
    if (r === undefined) return;
    await this.#q(
      (sql) => sql`UPDATE people SET email = ${patch.email === undefined ? r.email : patch.email},
        roles = ${patch.roles === undefined ? r.roles : encodeRoles(patch.roles)},
        status = ${patch.status === undefined ? r.status : patch.status === 'active' ? 0 : 1},
        removed_at = ${patch.removedAt === undefined ? r.removed_at : patch.removedAt} WHERE rid = ${rid}`,
    );
  }

  // --- signals and stored pseudonyms -------------------------------------------------------------

  async getSignal(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const [r] = await this.#q((sql) => sql`SELECT ${sql.unsafe(SIGNAL_COLS)} FROM signals WHERE id = ${b}`);
    return r === undefined ? undefined : signal(r);
  }
  async getSignalByRid(rid: number) {
    const [r] = await this.#q(
      (sql) => sql`SELECT ${sql.unsafe(SIGNAL_COLS)} FROM signals WHERE rid = ${rid}`,
    );
    return r === undefined ? undefined : signal(r);
  }
  async getSignalByRequest(organisationRid: number, requestId: string) {
    const b = uuidToBytes(requestId.toLowerCase());
    if (b === undefined) return undefined;
    const [r] = await this.#q(
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
    const values = [...new Set(stored.map((x) => Buffer.from(x).toString('hex')))];
    const results = await this.#q(async (sql) => {
      const reads = values.map(
        (v) => sql`SELECT ${sql.unsafe(SIGNAL_COLS)} FROM signals WHERE rid IN
          (SELECT signal FROM signal_pseudonyms WHERE stored = ${Buffer.from(v, 'hex')} AND role = ${roleCode(role)})`,
      );
      return (await Promise.all([lock?.run(sql) ?? Promise.resolve([]), ...reads])).slice(1) as Row[];
    });
    lock?.entered();
    const out = new Map<number, Row>();
    for (const rows of results as Row[][]) for (const r of rows) out.set(Number(r.rid), r);
    return [...out.values()].sort((x, y) => x.rid - y.rid).map(signal);
  }
  async enterPersonSections(stored: readonly Uint8Array[]): Promise<void> {
    const lock = this.#personLocks(stored);
    if (lock === undefined) return;
    await this.#q(lock.run);
    lock.entered();
  }
  /**
   * The statement that enters the per-person sections of `stored` not held yet, in the
   * store's one lock order, and what to record once it ran; undefined when there is none.
   */
  #personLocks(
    stored: readonly Uint8Array[],
  ): { run: (sql: Sql) => Promise<Row[]>; entered: () => void } | undefined {
    if (!this.#write) return undefined;
    const keys = [...new Set(stored.map((s) => personLockKey(s)))]
      .filter((k) => !this.#held.has(`p${k}`))
      .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    if (keys.length === 0) return undefined;
    const entered = () => {
      for (const k of keys) this.#held.add(`p${k}`);
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
    const rows = await this.#q(
      (sql) => sql`SELECT stored, role, epoch, generation FROM signal_pseudonyms WHERE signal = ${signalRid}`,
    );
    return rows.map((r) => ({
      stored: r.stored,
      signalRid,
      epoch: r.epoch,
      generation: r.generation,
      role: roleOf(r.role),
    }));
  }
  async listSignals(
    organisationRid: number,
    status: SignalStatus | undefined,
    afterRid: number,
    limit: number,
    personRid?: number,
  ) {
    const rows = await this.#q((sql) => {
      const cols = sql.unsafe(SIGNAL_COLS);
      const state = sql.unsafe(
        status === 'active' ? 'AND state = 0' : status === 'inactive' ? 'AND state > 0' : '',
      );
      const person = personRid === undefined ? sql`` : sql`AND person = ${personRid}`;
      return sql`SELECT ${cols} FROM signals WHERE org = ${organisationRid} ${state} ${person} AND rid > ${afterRid} ORDER BY rid LIMIT ${limit}`;
    });
    return rows.map(signal);
  }
  async signalsExpiringBy(now: number, limit: number) {
    // In a write the rows are claimed (store.ts, signalsExpiringBy): a concurrent run skips them.
    const rows = await this.#q(
      (sql) =>
        sql`SELECT ${sql.unsafe(SIGNAL_COLS)} FROM signals WHERE state = 0 AND expires_at <= ${now} ORDER BY expires_at, rid LIMIT ${limit} ${this.#skipLocked(sql)}`,
    );
    return rows.map(signal);
  }
  async signalsPurgeableBy(now: number, limit: number) {
    const rows = await this.#q(
      (sql) =>
        sql`SELECT ${sql.unsafe(SIGNAL_COLS)} FROM signals WHERE purge_at IS NOT NULL AND purge_at <= ${now} ORDER BY purge_at, rid LIMIT ${limit} ${this.#skipLocked(sql)}`,
    );
    return rows.map(signal);
  }
  /** In a write: lock the rows read, passing over those another transaction holds. */
  #skipLocked(sql: Sql) {
    return sql.unsafe(this.#write ? 'FOR UPDATE SKIP LOCKED' : '');
  }
  async insertSignal(s: NewSignal) {
    const [r] = await this.#q(
      (sql) => sql`INSERT INTO signals (id, org, state, flags, contact, informed, placed_at, expires_at,
        ended_at, purge_at, request_id, request_hash, person) VALUES (${idBytes(s.id)}, ${s.organisationRid},
        ${encodeState(s.status, s.endReason)},
        ${encodeFlags(s)},
        ${encodeContact(s.contact)}, ${encodeInformed(s.informed)}, ${s.placedAt}, ${s.expiresAt},
        ${s.endedAt}, ${s.purgeAt}, ${idBytes(s.requestId.toLowerCase())}, ${buf(s.requestHash)}, ${s.personRid ?? null}) RETURNING rid`,
    );
    return Number(r.rid);
  }
  async updateSignal(rid: number, p: SignalPatch) {
    const cur = await this.getSignalByRid(rid);
    if (cur === undefined) return;
    const n = { ...cur, ...p };
    await this.#q(
      (sql) => sql`UPDATE signals SET state = ${encodeState(n.status, n.endReason)},
        flags = ${encodeFlags(n)},
        contact = ${encodeContact(n.contact)}, informed = ${encodeInformed(n.informed)},
        expires_at = ${n.expiresAt}, ended_at = ${n.endedAt}, purge_at = ${n.purgeAt},
        person = ${n.personRid} WHERE rid = ${rid}`,
    );
  }
  async deleteSignal(rid: number) {
    await this.#q((sql) => sql`DELETE FROM archive_notices WHERE archived = ${rid}`);
    await this.#q((sql) => sql`UPDATE archive_notices SET signal = NULL WHERE signal = ${rid}`);
    await this.#q((sql) => sql`DELETE FROM signal_pseudonyms WHERE signal = ${rid}`);
    await this.#q((sql) => sql`DELETE FROM signal_consents WHERE signal = ${rid}`);
    await this.#q((sql) => sql`DELETE FROM signals WHERE rid = ${rid}`);
  }
  async insertPseudonyms(rows: readonly StoredPseudonymRow[]) {
    if (rows.length === 0) return;
    const values = rows.map((p) => ({
      stored: buf(p.stored),
      role: roleCode(p.role),
      signal: p.signalRid,
      epoch: p.epoch,
      generation: p.generation,
    }));
    await this.#q(
      (sql) =>
        sql`INSERT INTO signal_pseudonyms ${sql(values, 'stored', 'role', 'signal', 'epoch', 'generation')}`,
    );
  }
  async deletePseudonymsOfEpoch(epoch: number) {
    const rows = await this.#q(
      (sql) => sql`DELETE FROM signal_pseudonyms WHERE epoch = ${epoch} RETURNING signal`,
    );
    return rows.length;
  }
  async deleteParentPseudonyms(stored: readonly Uint8Array[]) {
    let n = 0;
    for (const v of stored) {
      n += (
        await this.#q(
          (sql) => sql`DELETE FROM signal_pseudonyms WHERE stored = ${buf(v)} AND role = 1 RETURNING signal`,
        )
      ).length;
    }
    return n;
  }

  // --- matches, consent and agreements -----------------------------------------------------------

  async getMatch(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const [r] = await this.#q((sql) => sql`SELECT ${sql.unsafe(MATCH_COLS)} FROM matches WHERE id = ${b}`);
    return r === undefined ? undefined : match(r);
  }
  async getMatchByPair(a: number, b: number) {
    const [r] = await this.#q(
      (sql) =>
        sql`SELECT ${sql.unsafe(MATCH_COLS)} FROM matches WHERE a = ${Math.min(a, b)} AND b = ${Math.max(a, b)}`,
    );
    return r === undefined ? undefined : match(r);
  }
  async matchesOfSignal(signalRid: number) {
    const rows = await this.#q(
      (sql) =>
        sql`SELECT ${sql.unsafe(MATCH_COLS)} FROM matches WHERE a = ${signalRid} OR b = ${signalRid} ORDER BY rid`,
    );
    return rows.map(match);
  }
  async listMatches(status: MatchStatus) {
    const rows = await this.#q(
      (sql) =>
        sql`SELECT ${sql.unsafe(MATCH_COLS)} FROM matches WHERE status = ${MATCH_STATUSES.indexOf(status)} ORDER BY created_at, rid`,
    );
    return rows.map(match);
  }
  async followUpCounts(status: MatchStatus): Promise<FollowUpCounts> {
    const st = MATCH_STATUSES.indexOf(status);
    const [t] = await this.#q(
      (sql) => sql`SELECT count(*)::bigint AS n,
        count(*) FILTER (WHERE outcome_a IS NULL AND outcome_b IS NULL)::bigint AS none
        FROM matches WHERE status = ${st}`,
    );
    const sides = await this.#q(
      (sql) => sql`SELECT o, count(*)::bigint AS n FROM (
        SELECT outcome_a AS o FROM matches WHERE status = ${st} AND outcome_a IS NOT NULL
        UNION ALL SELECT outcome_b FROM matches WHERE status = ${st} AND outcome_b IS NOT NULL) s GROUP BY o`,
    );
    const outcomes = Object.fromEntries(FOLLOW_UP_CODES.map((o) => [o, 0])) as Record<
      FollowUpOutcome,
      number
    >;
    for (const r of sides) outcomes[FOLLOW_UP_CODES[r.o]!] = Number(r.n);
    return { matches: Number(t.n), withoutOutcome: Number(t.none), outcomes };
  }
  async followUpPage(q: FollowUpPageQuery): Promise<FollowUpPage> {
    const rows = await this.#q((sql) => followUpPageQuery(sql, q));
    let scannedTo: FollowUpPosition | null = null;
    if (rows.length < q.limit) {
      // Did the walk stop at `scan` with more to come? The scan-th and the next position.
      const ends = await this.#q(
        (sql) => sql`SELECT created_at, id FROM matches m WHERE ${followUpWalk(sql, q)}
          ORDER BY created_at ${order(sql, q)}, id ${order(sql, q)} LIMIT 2 OFFSET ${q.scan - 1}`,
      );
      const [end] = ends;
      if (ends.length === 2 && end !== undefined)
        scannedTo = { createdAt: Number(end.created_at), id: uuidFromBytes(end.id) };
    }
    const party = (r: Row, p: 'a' | 'b'): FollowUpParty | null =>
      r[`${p}_sid`] === null || r[`${p}_oid`] === null
        ? null
        : {
            signalId: uuidFromBytes(r[`${p}_sid`]),
            organisationId: r[`${p}_oid`],
            organisationName: r[`${p}_name`],
            organisationType: r[`${p}_type`],
          };
    return {
      rows: rows.map((r: Row) => ({ match: match(r), a: party(r, 'a'), b: party(r, 'b') })),
      scannedTo,
    };
  }
  async insertMatch(m: NewMatch) {
    const [r] = await this.#q(
      (sql) => sql`INSERT INTO matches (id, kind, status, a, b, created_at, ended_at, contact_a, contact_b,
        outcome_a, outcome_b, regie, regie_since, proposal_by, proposal_for, proposal_at) VALUES (${idBytes(m.id)},
        ${MATCH_KINDS.indexOf(m.kind)}, ${MATCH_STATUSES.indexOf(m.status)}, ${m.a}, ${m.b}, ${m.createdAt},
        ${m.endedAt}, ${m.contactMadeA}, ${m.contactMadeB}, ${encodeOutcome(m.outcomeA)},
        ${encodeOutcome(m.outcomeB)}, ${encodeSide(m.regieHolder)}, ${m.regieSince},
        ${encodeSide(m.proposalBy)}, ${encodeSide(m.proposalFor)}, ${m.proposalAt}) RETURNING rid`,
    );
    return Number(r.rid);
  }
  async updateMatch(rid: number, p: MatchPatch) {
    const [r] = await this.#q((sql) => sql`SELECT ${sql.unsafe(MATCH_COLS)} FROM matches WHERE rid = ${rid}`);
    if (r === undefined) return;
    const n = { ...match(r), ...p };
    await this.#q(
      (sql) => sql`UPDATE matches SET status = ${MATCH_STATUSES.indexOf(n.status)}, ended_at = ${n.endedAt},
        contact_a = ${n.contactMadeA}, contact_b = ${n.contactMadeB}, outcome_a = ${encodeOutcome(n.outcomeA)},
        outcome_b = ${encodeOutcome(n.outcomeB)}, regie = ${encodeSide(n.regieHolder)},
        regie_since = ${n.regieSince}, proposal_by = ${encodeSide(n.proposalBy)},
        proposal_for = ${encodeSide(n.proposalFor)}, proposal_at = ${n.proposalAt} WHERE rid = ${rid}`,
    );
  }
  async deleteMatch(rid: number) {
    const [r] = await this.#q((sql) => sql`SELECT id FROM matches WHERE rid = ${rid}`);
    if (r === undefined) return;
    await this.#q((sql) => sql`DELETE FROM events WHERE match = ${r.id}`);
    await this.#q((sql) => sql`DELETE FROM deliveries WHERE match = ${r.id} AND status = 0`);
    await this.#q((sql) => sql`DELETE FROM mail_outbox WHERE match = ${r.id} AND status = 0`);
    await this.#q((sql) => sql`DELETE FROM match_agreements WHERE match = ${rid}`);
    await this.#q((sql) => sql`DELETE FROM matches WHERE rid = ${rid}`);
  }
  async getConsent(signalRid: number) {
    const [r] = await this.#q((sql) => sql`SELECT * FROM signal_consents WHERE signal = ${signalRid}`);
    return r === undefined
      ? undefined
      : {
          signalRid,
          date: r.given_on as string,
          scopes: decodeConsentScopes(r.scopes),
          formReference: r.form_ref as string | null,
          recordedAt: r.recorded_at as number,
          withdrawnAt: r.withdrawn_at as number | null,
        };
  }
  async setConsent(c: ConsentRow) {
    await this.#q(
      (sql) => sql`INSERT INTO signal_consents (signal, given_on, scopes, form_ref, recorded_at, withdrawn_at)
        VALUES (${c.signalRid}, ${c.date}, ${encodeConsentScopes(c.scopes)}, ${c.formReference}, ${c.recordedAt},
        ${c.withdrawnAt})
        ON CONFLICT (signal) DO UPDATE SET given_on = excluded.given_on, scopes = excluded.scopes,
        form_ref = excluded.form_ref, recorded_at = excluded.recorded_at, withdrawn_at = excluded.withdrawn_at`,
    );
  }
  async agreementEntries(matchRid: number) {
    const rows = await this.#q(
      (sql) => sql`SELECT * FROM match_agreements WHERE match = ${matchRid} ORDER BY seq`,
    );
    return rows.map(
      (r): AgreementEntryRow => ({
        matchRid,
        seq: r.seq,
        kind: r.kind === 0 ? 'agreement' : 'status',
        agreementId: uuidFromBytes(r.agreement),
        owner: decodeSide(r.owner),
        actionKind: r.action,
        informationCategory: r.category,
        purpose: r.purpose,
        dueDate: r.due,
        status: r.status === null ? null : AGREEMENT_STATUSES[r.status]!,
        bySide: decodeSide(r.by_side)!,
        at: r.at,
      }),
    );
  }
  async matchesWithAgreements() {
    const rows = await this.#q(
      (sql) =>
        sql`SELECT ${sql.unsafe(MATCH_COLS)} FROM matches WHERE rid IN (SELECT DISTINCT match FROM match_agreements) ORDER BY rid`,
    );
    return rows.map(match);
  }
  async appendAgreementEntry(e: AgreementEntryRow) {
    await this.#q(
      (
        sql,
      ) => sql`INSERT INTO match_agreements (match, seq, kind, agreement, owner, action, category, purpose,
        due, status, by_side, at) VALUES (${e.matchRid}, ${e.seq}, ${e.kind === 'agreement' ? 0 : 1},
        ${idBytes(e.agreementId)}, ${encodeSide(e.owner)}, ${e.actionKind}, ${e.informationCategory},
        ${e.purpose}, ${e.dueDate}, ${e.status === null ? null : AGREEMENT_STATUSES.indexOf(e.status)},
        ${encodeSide(e.bySide)}, ${e.at})`,
    );
  }

  // --- events, deliveries ------------------------------------------------------------------------

  async appendEvent(e: Omit<EventRow, 'cursor'>) {
    // The organisation row stays locked to commit: its cursors commit in order (clause 4).
    const [r] = await this.#q(
      (sql) =>
        sql`UPDATE organisations SET event_seq = event_seq + 1 WHERE rid = ${e.organisationRid} RETURNING event_seq`,
    );
    if (r === undefined) throw mapPgError({ code: '23503' });
    const seq = Number(r.event_seq);
    await this.#q(
      (sql) => sql`INSERT INTO events (org, seq, type, match, at) VALUES (${e.organisationRid}, ${seq},
        ${EVENT_TYPES.indexOf(e.type)}, ${idBytes(e.matchId)}, ${e.at})`,
    );
    return seq;
  }
  async eventsAfter(organisationRid: number, afterCursor: number, limit: number) {
    const rows = await this.#q(
      (sql) =>
        sql`SELECT seq, org, type, match, at FROM events WHERE org = ${organisationRid} AND seq > ${afterCursor} ORDER BY seq LIMIT ${limit}`,
    );
    return rows.map(
      (r): EventRow => ({
        cursor: r.seq,
        organisationRid: r.org,
        type: EVENT_TYPES[r.type]!,
        matchId: uuidFromBytes(r.match),
        at: r.at,
      }),
    );
  }
  async deleteEventsBefore(at: number) {
    return (await this.#q((sql) => sql`DELETE FROM events WHERE at < ${at} RETURNING seq`)).length;
  }
  async insertDelivery(d: NewDelivery) {
    await this.#q(
      (
        sql,
      ) => sql`INSERT INTO deliveries (id, org, url, type, match, cursor, status, attempts, next_attempt_at,
        last_error, created_at, delivered_at) VALUES (${idBytes(d.id)}, ${d.organisationRid}, ${d.url},
        ${EVENT_TYPES.indexOf(d.type)}, ${idBytes(d.matchId)}, ${d.cursor}, ${DELIVERY_STATUSES.indexOf(d.status)},
        ${d.attempts}, ${d.nextAttemptAt}, ${d.lastErrorCode}, ${d.createdAt}, ${d.deliveredAt})`,
    );
  }
  async claimDeliveries(now: number, claim: OutboxClaim, limit: number) {
    // SKIP LOCKED: a row another claim is taking is passed over, and one it has just
    // claimed is re-checked against the lease after its lock is taken (store.ts clause 5).
    const rows = await this.#q(
      (sql) => sql`WITH c AS (
          SELECT rid FROM deliveries
           WHERE status = 0 AND next_attempt_at <= ${now} AND (claimed_until IS NULL OR claimed_until <= ${now})
           ORDER BY next_attempt_at, rid LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        UPDATE deliveries d SET claim = ${idBytes(claim.token)}, claimed_until = ${claim.until}
          FROM c, organisations o WHERE d.rid = c.rid AND o.rid = d.org
        RETURNING ${sql.unsafe(DELIVERY_COLS)}, d.rid AS order_rid`,
    );
    return inClaimOrder(rows).map(delivery);
  }
  async getDelivery(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const [r] = await this.#q(
      (sql) =>
        sql`SELECT ${sql.unsafe(DELIVERY_COLS)} FROM deliveries d JOIN organisations o ON o.rid = d.org WHERE d.id = ${b}`,
    );
    return r === undefined ? undefined : delivery(r);
  }
  async listDeliveries(status: DeliveryStatus | undefined, limit: number) {
    const rows = await this.#q((sql) => {
      const base = sql`SELECT ${sql.unsafe(DELIVERY_COLS)} FROM deliveries d JOIN organisations o ON o.rid = d.org`;
      if (status === undefined) return sql`${base} ORDER BY d.rid DESC LIMIT ${limit}`;
      return sql`${base} WHERE d.status = ${DELIVERY_STATUSES.indexOf(status)} ORDER BY d.rid DESC LIMIT ${limit}`;
    });
    return rows.map(delivery);
  }
  async updateDelivery(
    id: string,
    p: Pick<DeliveryRow, 'status' | 'attempts' | 'nextAttemptAt' | 'lastErrorCode' | 'deliveredAt'>,
  ) {
    await this.#q(
      (
        sql,
      ) => sql`UPDATE deliveries SET status = ${DELIVERY_STATUSES.indexOf(p.status)}, attempts = ${p.attempts},
        next_attempt_at = ${p.nextAttemptAt}, last_error = ${p.lastErrorCode}, delivered_at = ${p.deliveredAt},
        claim = NULL, claimed_until = NULL WHERE id = ${idBytes(id)}`,
    );
  }
  async deleteDeliveredBefore(at: number) {
    return (
      await this.#q(
        (sql) => sql`DELETE FROM deliveries WHERE status = 1 AND delivered_at < ${at} RETURNING rid`,
      )
    ).length;
  }

  // --- match notice mail outbox (schema step 7; the SQL in pg-mail.ts) ---------------------------

  async insertMailNotice(n: NewMailNotice) {
    await this.#q((sql) => mailSql.insert(sql, n));
  }
  async claimMailNotices(now: number, claim: OutboxClaim, limit: number) {
    return inClaimOrder(await this.#q((sql) => mailSql.claim(sql, now, claim, limit))).map(mailNotice);
  }
  async getMailNotice(id: string) {
    const b = uuidToBytes(id);
    if (b === undefined) return undefined;
    const [r] = await this.#q((sql) => mailSql.get(sql, b));
    return r === undefined ? undefined : mailNotice(r);
  }
  async listMailNotices(status: MailNoticeStatus | undefined, limit: number) {
    return (await this.#q((sql) => mailSql.list(sql, status, limit))).map(mailNotice);
  }
  async updateMailNotice(id: string, p: MailNoticePatch) {
    await this.#q((sql) => mailSql.update(sql, id, p));
  }
  async deleteDoneMailNoticesBefore(at: number) {
    return (await this.#q((sql) => mailSql.deleteDoneBefore(sql, at))).length;
  }

  // --- logbook, nonces, budget, counts -----------------------------------------------------------

  async lastLogEntry() {
    await this.flushTail();
    // The logbook section (clause 4): seq + 1 onto this head cannot be raced.
    await this.#lock('logbook', (sql) => sql`SELECT pg_advisory_xact_lock(${LOCK_LOGBOOK}, 0)`);
    const [r] = await this.#q((sql) => sql`SELECT seq, hash FROM logbook ORDER BY seq DESC LIMIT 1`);
    return r === undefined ? undefined : ({ seq: r.seq, hash: r.hash } as LogHead);
  }
  async logbookHead() {
    await this.#lock('logbook', (sql) => sql`SELECT pg_advisory_xact_lock(${LOCK_LOGBOOK}, 0)`);
    // One statement, one round trip: the generation rides on the head an append reads anyway.
    const [r] = await this.#q(
      (
        sql,
      ) => sql`SELECT (SELECT coalesce(max(generation), 1) FROM secret_rotations) AS generation, l.seq, l.hash
        FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT seq, hash FROM logbook ORDER BY seq DESC LIMIT 1) AS l ON true`,
    );
    return {
      last: r?.seq == null ? undefined : ({ seq: Number(r.seq), hash: r.hash } as LogHead),
      secretGeneration: Number(r?.generation ?? 1),
    } satisfies LogbookHead;
  }
  async logEntries(fromSeq: number, limit: number) {
    await this.flushTail();
    const rows = await this.#q(
      (sql) =>
        sql`SELECT seq, at, actor, action, refs, details, hash FROM logbook WHERE seq >= ${fromSeq} ORDER BY seq LIMIT ${limit}`,
    );
    return rows.map(
      (r): LogRow => ({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        refs: r.refs,
        details: r.details,
        hash: r.hash,
      }),
    );
  }
  async appendLogEntry(entry: (head: LogHead | undefined) => LogRow) {
    this.#tail.appendLog(entry);
  }
  async insertLogEntry(e: LogRow) {
    await this.#q(
      (
        sql,
      ) => sql`INSERT INTO logbook (seq, at, actor, action, refs, details, hash) VALUES (${e.seq}, ${e.at},
        ${e.actor}, ${e.action}, ${e.refs}, ${e.details}, ${buf(e.hash)})`,
    );
  }
  async logCheckpoint() {
    const [r] = await this.#q((sql) => sql`SELECT seq, at, hash FROM logbook_checkpoint WHERE id = 1`);
    return r === undefined ? undefined : ({ seq: r.seq, at: r.at, hash: r.hash } as LogCheckpoint);
  }
  async purgeLogThrough(c: LogCheckpoint) {
    const old = await this.logCheckpoint();
    const last = await this.lastLogEntry();
    if ((old !== undefined && c.seq < old.seq) || last === undefined || c.seq >= last.seq) {
      throw new EngineError('conflict', 'the logbook checkpoint must stay below the newest entry');
    }
    await this.#q(
      (
        sql,
      ) => sql`INSERT INTO logbook_checkpoint (id, seq, at, hash) VALUES (1, ${c.seq}, ${c.at}, ${buf(c.hash)})
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, at = excluded.at, hash = excluded.hash`,
    );
    return (await this.#q((sql) => sql`DELETE FROM logbook WHERE seq <= ${c.seq} RETURNING seq`)).length;
  }
  async lastRevealLogged(keyId: string, matchId: string) {
    const [r] = await this.#q(
      (sql) => sql`SELECT at FROM reveal_marks WHERE key_id = ${keyId} AND match = ${idBytes(matchId)}`,
    );
    return r === undefined ? undefined : (r.at as number);
  }
  async setRevealLogged(keyId: string, matchId: string, at: number) {
    await this.#q(
      (sql) => sql`INSERT INTO reveal_marks (key_id, match, at) VALUES (${keyId}, ${idBytes(matchId)}, ${at})
        ON CONFLICT (key_id, match) DO UPDATE SET at = excluded.at`,
    );
  }
  async deleteRevealMarksBefore(at: number) {
    return (await this.#q((sql) => sql`DELETE FROM reveal_marks WHERE at < ${at} RETURNING at`)).length;
  }
  async unexpiredNonces(now: number) {
    const rows = await this.#q(
      (sql) =>
        sql`SELECT key_id, nonce, expires_at FROM nonces WHERE expires_at > ${now} ORDER BY expires_at`,
    );
    return rows.map((r): NonceRow => ({ keyId: r.key_id, nonce: r.nonce, expiresAt: r.expires_at }));
  }
  async insertNonces(rows: readonly NonceRow[]) {
    if (rows.length === 0) return;
    const values = rows.map((n) => ({ key_id: n.keyId, nonce: n.nonce, expires_at: n.expiresAt }));
    await this.#q(
      (sql) =>
        sql`INSERT INTO nonces ${sql(values, 'key_id', 'nonce', 'expires_at')} ON CONFLICT (key_id, nonce) DO NOTHING`,
    );
  }
  async deleteExpiredNonces(now: number) {
    return (await this.#q((sql) => sql`DELETE FROM nonces WHERE expires_at <= ${now} RETURNING key_id`))
      .length;
  }
  /** A read in the organisation's budget section (clause 4), entered in the same round trip. */
  #inBudgetSection(organisationRid: number, read: (sql: Sql) => Promise<Row[]>): Promise<Row[]> {
    return this.#inSection(
      `b${organisationRid}`,
      (sql) => sql`SELECT pg_advisory_xact_lock(${LOCK_BUDGET}, ${organisationRid})`,
      read,
    );
  }
  async placementHour(organisationRid: number, hour: number) {
    const [r] = await this.#inBudgetSection(
      organisationRid,
      (sql) =>
        sql`SELECT count, alerted FROM placement_hours WHERE org = ${organisationRid} AND hour = ${hour}`,
    );
    return r === undefined ? undefined : { count: r.count as number, alerted: r.alerted === true };
  }
  async placementsSince(organisationRid: number, fromHour: number) {
    const [r] = await this.#inBudgetSection(
      organisationRid,
      (sql) =>
        sql`SELECT coalesce(sum(count), 0)::bigint AS n FROM placement_hours WHERE org = ${organisationRid} AND hour >= ${fromHour}`,
    );
    return Number(r.n);
  }
  async setPlacementHour(organisationRid: number, hour: number, p: PlacementHourRow) {
    await this.#q(
      (
        sql,
      ) => sql`INSERT INTO placement_hours (org, hour, count, alerted) VALUES (${organisationRid}, ${hour},
        ${p.count}, ${p.alerted}) ON CONFLICT (org, hour) DO UPDATE SET count = excluded.count, alerted = excluded.alerted`,
    );
  }
  async addToPlacementHour(organisationRid: number, hour: number, by: number) {
    const [r] = await this.#q(
      (
        sql,
      ) => sql`INSERT INTO placement_hours AS h (org, hour, count, alerted) VALUES (${organisationRid}, ${hour},
        ${by}, false) ON CONFLICT (org, hour) DO UPDATE SET count = h.count + excluded.count
        RETURNING count, alerted`,
    );
    return { count: r.count as number, alerted: r.alerted === true };
  }
  async deletePlacementHoursBefore(hour: number) {
    return (await this.#q((sql) => sql`DELETE FROM placement_hours WHERE hour < ${hour} RETURNING org`))
      .length;
  }
  async signalStateCounts(organisationRid: number) {
    const [r] = await this.#q(
      (sql) => sql`SELECT count(*) FILTER (WHERE state = 0)::bigint AS active,
        count(*) FILTER (WHERE state > 0)::bigint AS inactive FROM signals WHERE org = ${organisationRid}`,
    );
    return { active: Number(r.active), inactive: Number(r.inactive) };
  }
  async matchCount(status: MatchStatus, kind: MatchKind) {
    const [r] = await this.#q(
      (sql) =>
        sql`SELECT count(*)::bigint AS n FROM matches WHERE status = ${MATCH_STATUSES.indexOf(status)} AND kind = ${MATCH_KINDS.indexOf(kind)}`,
    );
    return Number(r.n);
  }
  async counts(): Promise<StoreCounts> {
    const o = await this.#q(
      (sql) => sql`SELECT status, count(*)::bigint AS n FROM organisations GROUP BY status`,
    );
    const s = await this.#q(
      (sql) => sql`SELECT (state = 0) AS active, count(*)::bigint AS n FROM signals GROUP BY state = 0`,
    );
    const m = await this.#q(
      (sql) => sql`SELECT status, kind, count(*)::bigint AS n FROM matches GROUP BY status, kind`,
    );
    const e = await this.#q(
      (
        sql,
      ) => sql`SELECT o.id AS org_id, p.epoch, count(DISTINCT p.signal)::bigint AS n FROM signal_pseudonyms p
        JOIN signals s ON s.rid = p.signal JOIN organisations o ON o.rid = s.org
        WHERE p.role = 0 AND s.state = 0 GROUP BY o.id, p.epoch ORDER BY o.id, p.epoch`,
    );
    const sum = (rows: Row[], pred: (r: Row) => boolean) =>
      rows.filter(pred).reduce((acc: number, r: Row) => acc + Number(r.n), 0);
    return {
      organisations: { active: sum(o, (r) => r.status === 0), suspended: sum(o, (r) => r.status === 1) },
      signals: { active: sum(s, (r) => r.active === true), inactive: sum(s, (r) => r.active === false) },
      matches: {
        active: sum(m, (r) => r.status === 0),
        ended: sum(m, (r) => r.status === 1),
        family: sum(m, (r) => r.kind === 1),
      },
      epochs: e.map((r: Row) => ({ organisationId: r.org_id, epoch: r.epoch, activeSignals: Number(r.n) })),
    };
  }

  // --- key lifecycle (docs/keys.md) --------------------------------------------------------------

  async latestSecretRotation() {
    // In a write the row stays locked to commit: rotation steps run one after another (store.ts).
    const [r] = await this.#q(
      (sql) =>
        sql`SELECT * FROM secret_rotations ORDER BY generation DESC LIMIT 1 ${sql.unsafe(this.#write ? 'FOR UPDATE' : '')}`,
    );
    return r === undefined ? undefined : rotationRow(r);
  }
  async maxSignalRid() {
    const [r] = await this.#q((sql) => sql`SELECT coalesce(max(rid), 0)::bigint AS n FROM signals`);
    return Number(r.n);
  }
  async signalHashesInRange(afterRid: number, upToRid: number, limit: number) {
    const rows = await this.#q(
      (sql) =>
        sql`SELECT rid, request_hash FROM signals WHERE rid > ${afterRid} AND rid <= ${upToRid} ORDER BY rid LIMIT ${limit}`,
    );
    return rows.map((r) => ({ rid: r.rid as number, requestHash: r.request_hash as Uint8Array }));
  }
  async pseudonymsInRange(afterRid: number, upToRid: number) {
    const rows = await this.#q(
      (sql) => sql`SELECT stored, role, signal, epoch, generation FROM signal_pseudonyms
        WHERE signal > ${afterRid} AND signal <= ${upToRid} ORDER BY signal, stored`,
    );
    return rows.map(
      (r): StoredPseudonymRow => ({
        stored: r.stored,
        signalRid: r.signal,
        epoch: r.epoch,
        generation: r.generation,
        role: roleOf(r.role),
      }),
    );
  }
  async pendingRotationCatchUps(limit: number) {
    const rows = await this.#q(
      (sql) => sql`SELECT signal FROM rotation_catchups ORDER BY signal LIMIT ${limit}`,
    );
    return rows.map((r) => r.signal as number);
  }
  async epochDependants(epoch: number): Promise<EpochDependants[]> {
    const rows = await this.#q(
      (sql) => sql`SELECT o.id AS org_id, count(*) FILTER (WHERE s.state = 0)::bigint AS active,
        count(*) FILTER (WHERE s.state > 0)::bigint AS inactive
        FROM (SELECT p.signal FROM signal_pseudonyms p
                LEFT JOIN epochs e ON e.epoch = p.epoch AND e.status = 0 AND e.epoch <> ${epoch}
              WHERE p.role = 0 GROUP BY p.signal
              HAVING bool_or(p.epoch = ${epoch}) AND NOT bool_or(e.epoch IS NOT NULL)) AS lone
        JOIN signals s ON s.rid = lone.signal JOIN organisations o ON o.rid = s.org
        GROUP BY o.id ORDER BY o.id`,
    );
    return rows.map((r) => ({
      organisationId: r.org_id,
      active: Number(r.active),
      inactive: Number(r.inactive),
    }));
  }
  async activeSignalCounts() {
    const rows = await this.#q(
      (
        sql,
      ) => sql`SELECT o.id AS org_id, count(*)::bigint AS n FROM signals s JOIN organisations o ON o.rid = s.org
        WHERE s.state = 0 GROUP BY o.id ORDER BY o.id`,
    );
    return rows.map((r) => ({ organisationId: r.org_id as string, activeSignals: Number(r.n) }));
  }
  async activeSignalRidsOnlyUnder(epoch: number) {
    const rows = await this.#q(
      (sql) => sql`SELECT s.rid FROM (SELECT p.signal FROM signal_pseudonyms p
                LEFT JOIN epochs e ON e.epoch = p.epoch AND e.status = 0 AND e.epoch <> ${epoch}
              WHERE p.role = 0 GROUP BY p.signal
              HAVING bool_or(p.epoch = ${epoch}) AND NOT bool_or(e.epoch IS NOT NULL)) AS lone
        JOIN signals s ON s.rid = lone.signal WHERE s.state = 0 ORDER BY s.rid`,
    );
    return rows.map((r) => r.rid as number);
  }
  async rekeyPseudonym(row: StoredPseudonymRow, stored: Uint8Array, generation: number) {
    await this.#q(
      (sql) => sql`UPDATE signal_pseudonyms SET stored = ${buf(stored)}, generation = ${generation}
        WHERE stored = ${buf(row.stored)} AND role = ${roleCode(row.role)} AND signal = ${row.signalRid}`,
    );
  }
  async updateRequestHash(rid: number, requestHash: Uint8Array) {
    await this.#q((sql) => sql`UPDATE signals SET request_hash = ${buf(requestHash)} WHERE rid = ${rid}`);
  }
  async insertSecretRotation(r: SecretRotationRow) {
    await this.#q(
      (sql) => sql`INSERT INTO secret_rotations (generation, started_at, completed_at, max_signal, cursor,
        rows_rekeyed, hashes_rekeyed) VALUES (${r.generation}, ${r.startedAt}, ${r.completedAt}, ${r.maxSignalRid},
        ${r.cursorRid}, ${r.rowsRekeyed}, ${r.hashesRekeyed})`,
    );
  }
  async updateSecretRotation(
    generation: number,
    p: Pick<SecretRotationRow, 'cursorRid' | 'rowsRekeyed' | 'hashesRekeyed' | 'completedAt'>,
  ) {
    await this.#q(
      (sql) => sql`UPDATE secret_rotations SET cursor = ${p.cursorRid}, rows_rekeyed = ${p.rowsRekeyed},
        hashes_rekeyed = ${p.hashesRekeyed}, completed_at = ${p.completedAt} WHERE generation = ${generation}`,
    );
  }
  async noteRotationCatchUp(signalRid: number) {
    await this.#q(
      (sql) => sql`INSERT INTO rotation_catchups (signal)
        SELECT ${signalRid} WHERE EXISTS (SELECT 1 FROM secret_rotations WHERE completed_at IS NULL)
        ON CONFLICT (signal) DO NOTHING`,
    );
  }
  async deleteRotationCatchUps(signalRids: readonly number[]) {
    for (const rid of signalRids)
      await this.#q((sql) => sql`DELETE FROM rotation_catchups WHERE signal = ${rid}`);
  }
}

const order = (sql: Sql, q: FollowUpPageQuery) => sql.unsafe(q.order === 'asc' ? 'ASC' : 'DESC');

/** The walk of a follow-up page: the index range of matches_follow_up (as `m`), in order. */
function followUpWalk(sql: Sql, q: FollowUpPageQuery): postgres.PendingQuery<Row[]> {
  const none = sql``;
  const after =
    q.after === null
      ? none
      : q.order === 'asc'
        ? sql`AND (m.created_at, m.id) > (${q.after.createdAt}::bigint, ${idBytes(q.after.id)}::bytea)`
        : sql`AND (m.created_at, m.id) < (${q.after.createdAt}::bigint, ${idBytes(q.after.id)}::bytea)`;
  return sql`m.status = ${MATCH_STATUSES.indexOf(q.status)}
    ${q.createdFrom === null ? none : sql`AND m.created_at >= ${q.createdFrom}`}
    ${q.createdTo === null ? none : sql`AND m.created_at <= ${q.createdTo}`}
    ${after}`;
}

/**
 * The query of one follow-up page (exported so the plan test can EXPLAIN every filter and
 * order: store/follow-up-plans.test.ts). The inner select walks matches_follow_up (status,
 * created_at, id) in order for at most `scan` matches — its LIMIT makes the ordered index
 * walk the planner's choice whatever the filters — and the filters are checked on those
 * only (docs/performance.md "Follow-up overview"). bytea compares as its bytes, so `id`
 * orders as the 16 UUID bytes, like SQLite's BLOB.
 */
export function followUpPageQuery(sql: Sql, q: FollowUpPageQuery): postgres.PendingQuery<Row[]> {
  const code = q.outcome === null ? null : encodeOutcome(q.outcome);
  const none = sql``;
  const cols = sql.unsafe(
    MATCH_COLS.split(', ')
      .map((c) => `m.${c}`)
      .join(', '),
  );
  const filters = [
    q.withoutOutcome === null
      ? null
      : q.withoutOutcome
        ? sql`m.outcome_a IS NULL AND m.outcome_b IS NULL`
        : sql`(m.outcome_a IS NOT NULL OR m.outcome_b IS NOT NULL)`,
    code === null ? null : sql`(m.outcome_a = ${code} OR m.outcome_b = ${code})`,
    q.organisationType === null
      ? null
      : sql`(oa.type = ${q.organisationType} OR ob.type = ${q.organisationType})`,
  ].filter((f) => f !== null);
  const where = filters.reduce((acc, f) => (acc === none ? sql`WHERE ${f}` : sql`${acc} AND ${f}`), none);
  // Each party by its primary key, per walked match: LIMIT 1 keeps the planner from turning
  // the look-ups into a hash join over the whole signals table.
  const party = (side: 'a' | 'b') => sql`LEFT JOIN LATERAL (SELECT s.id AS sid, o.id AS oid, o.name, o.type
      FROM signals s JOIN organisations o ON o.rid = s.org WHERE s.rid = m.${sql.unsafe(side)} LIMIT 1)
    ${sql.unsafe(`o${side}`)} ON true`;
  return sql`SELECT ${cols}, oa.sid AS a_sid, oa.oid AS a_oid, oa.name AS a_name, oa.type AS a_type,
    ob.sid AS b_sid, ob.oid AS b_oid, ob.name AS b_name, ob.type AS b_type
    FROM (SELECT * FROM matches m WHERE ${followUpWalk(sql, q)}
      ORDER BY m.created_at ${order(sql, q)}, m.id ${order(sql, q)} LIMIT ${q.scan}) m
    ${party('a')} ${party('b')}
    ${where}
    ORDER BY m.created_at ${order(sql, q)}, m.id ${order(sql, q)} LIMIT ${q.limit}`;
}
