// The Store's reader/writer methods on one better-sqlite3 connection. Every statement is
// prepared once and bound with parameters (never string-built from values). The methods
// are async only to honour the Store contract; they run synchronously on the connection,
// so the single writer's transaction is never interleaved with another writer.
//
// The methods live in one class per aggregate (sqlite-organisations.ts, sqlite-signals.ts,
// sqlite-matches.ts, sqlite-events.ts, sqlite-bookkeeping.ts, sqlite-rotation.ts) sharing one
// statement cache; this class composes them and implements StoreWriter by delegation.

import type Database from 'better-sqlite3';
import type { DeliveryStatus, MailNoticeStatus, MatchKind, MatchStatus, SignalStatus } from '../../api.js';
import type {
  AgreementEntryRow,
  ArchiveNoticeRow,
  ConsentRow,
  DeliveryRow,
  EpochRow,
  EventRow,
  FollowUpPageQuery,
  KeyRow,
  LogCheckpoint,
  LogHead,
  LogRow,
  MatchPatch,
  MailNoticePatch,
  NewDelivery,
  NewMailNotice,
  NewOrganisation,
  NewMatch,
  NewPerson,
  NewPlacement,
  NewSignal,
  NonceRow,
  OutboxClaim,
  OrganisationRow,
  PersonPatch,
  PlacementHourRow,
  PseudonymRole,
  SecretRotationRow,
  SignalPatch,
  StoredPseudonymRow,
  StoreWriter,
} from '../store.js';
import type { KeyStateCache } from './key-state-cache.js';
import { SqliteBookkeeping } from './sqlite-bookkeeping.js';
import { SqliteEvents } from './sqlite-events.js';
import { SqliteMail } from './sqlite-mail.js';
import { SqliteMatches } from './sqlite-matches.js';
import { SqliteNotices } from './sqlite-notices.js';
import { SqliteOrganisations } from './sqlite-organisations.js';
import { SqlitePeople } from './sqlite-people.js';
import { SqliteSignIn } from './sqlite-sign-in.js';
import type { ChallengeRow, NewDevice, NewEnrolmentCode, NewSession } from '../sign-in-store.js';
import { runBatchItem } from './sqlite-batch.js';
import { SqlitePlacements } from './sqlite-placements.js';
import { SqliteRotation } from './sqlite-rotation.js';
import { SqliteSignals } from './sqlite-signals.js';
import { type Prepare, statementCache } from './statement-cache.js';

export class SqliteTx implements StoreWriter {
  readonly #db: Database.Database;
  readonly #st: Prepare;
  readonly #organisations: SqliteOrganisations;
  readonly #people: SqlitePeople;
  readonly #notices: SqliteNotices;
  readonly #signIn: SqliteSignIn;
  readonly #signals: SqliteSignals;
  readonly #matches: SqliteMatches;
  readonly #events: SqliteEvents;
  readonly #mail: SqliteMail;
  readonly #bookkeeping: SqliteBookkeeping;
  readonly #rotation: SqliteRotation;
  readonly #placements: SqlitePlacements;

  /** Nesting depth of savepoint(): names repeat per depth, so their statements are prepared once. */
  #depth = 0;

  /**
   * Set by every write that deletes or overwrites personal data (a contact, a stored
   * pseudonym, a request hash, a signal's or match's row): the store then checkpoints the
   * WAL within its bound (sqlite-store.ts, docs/engine.md "Deletion leaves no copy").
   */
  #erased = false;

  /** True once since the last call when a write deleted or overwrote personal data. */
  takeErased(): boolean {
    const e = this.#erased;
    this.#erased = false;
    return e;
  }

  /** `keyState`: the read connection's cache of key and organisation rows (key-state-cache.ts). */
  constructor(db: Database.Database, keyState?: KeyStateCache) {
    this.#db = db;
    this.#st = statementCache(db);
    this.#organisations = new SqliteOrganisations(this.#st, keyState);
    this.#people = new SqlitePeople(this.#st);
    this.#notices = new SqliteNotices(this.#st);
    this.#signIn = new SqliteSignIn(this.#st);
    this.#signals = new SqliteSignals(this.#st, () => db.inTransaction);
    this.#matches = new SqliteMatches(this.#st);
    this.#mail = new SqliteMail(this.#st);
    this.#events = new SqliteEvents(this.#st);
    this.#bookkeeping = new SqliteBookkeeping(this.#st);
    this.#rotation = new SqliteRotation(this.#st, this.#signals);
    this.#placements = new SqlitePlacements(this.#st);
  }

  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const name = `nested_${++this.#depth}`;
    try {
      this.#st(`SAVEPOINT ${name}`).run();
      try {
        const r = await fn();
        this.#st(`RELEASE ${name}`).run();
        return r;
      } catch (e) {
        if (this.#db.inTransaction) {
          this.#st(`ROLLBACK TO ${name}`).run();
          this.#st(`RELEASE ${name}`).run();
        }
        throw e;
      }
    } finally {
      this.#depth--;
    }
  }

  batchItem<T>(fn: () => Promise<T>): Promise<T> {
    return runBatchItem(this.#st, () => this.#db.inTransaction, fn);
  }

  // --- the batch path's rows (sqlite-placements.ts) -----------------------------------------------

  signalsByStoredValues(stored: readonly Uint8Array[], role: PseudonymRole) {
    return this.#placements.signalsByStoredValues(stored, role);
  }
  signalsByRequestIds(organisationRid: number, requestIds: readonly string[]) {
    return this.#placements.signalsByRequestIds(organisationRid, requestIds);
  }
  insertPlacements(rows: readonly NewPlacement[]) {
    return this.#placements.insertPlacements(rows);
  }
  insertMatches(rows: readonly NewMatch[]) {
    return this.#placements.insertMatches(rows);
  }
  appendEvents(rows: readonly Omit<EventRow, 'cursor'>[]) {
    return this.#placements.appendEvents(rows);
  }

  // --- archive notices, management information -----------------------------------------------------

  archiveNoticesOf(signalRid: number) {
    return this.#notices.archiveNoticesOf(signalRid);
  }
  insertArchiveNotice(n: ArchiveNoticeRow) {
    return this.#notices.insertArchiveNotice(n);
  }
  statistics(fromMonth: number, toMonth: number) {
    return this.#notices.statistics(fromMonth, toMonth);
  }
  addStatistic(month: number, organisationType: string, metric: number, by: number) {
    return this.#notices.addStatistic(month, organisationType, metric, by);
  }

  // --- people -----------------------------------------------------------------------------------

  getPerson(id: string) {
    return this.#people.getPerson(id);
  }
  getPersonByRid(rid: number) {
    return this.#people.getPersonByRid(rid);
  }
  listPeople(organisationRid: number | null) {
    return this.#people.listPeople(organisationRid);
  }
  insertPerson(p: NewPerson) {
    return this.#people.insertPerson(p);
  }
  updatePerson(rid: number, patch: PersonPatch) {
    return this.#people.updatePerson(rid, patch);
  }

  // --- sign-in (docs/protocol.md §10; sqlite-sign-in.ts) ----------------------------------------

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

  // --- organisations, keys, epochs ---------------------------------------------------------------

  getOrganisation(id: string) {
    return this.#organisations.getOrganisation(id);
  }
  getOrganisationByRid(rid: number) {
    return this.#organisations.getOrganisationByRid(rid);
  }
  listOrganisations() {
    return this.#organisations.listOrganisations();
  }
  insertOrganisation(o: NewOrganisation) {
    return this.#organisations.insertOrganisation(o);
  }
  updateOrganisation(
    rid: number,
    p: Partial<Pick<OrganisationRow, 'status' | 'webhookUrl' | 'placementBudgetPerDay' | 'matchEmail'>>,
  ) {
    return this.#organisations.updateOrganisation(rid, p);
  }
  getKey(keyId: string) {
    return this.#organisations.getKey(keyId);
  }
  listKeys(organisationRid?: number | null) {
    return this.#organisations.listKeys(organisationRid);
  }
  insertKey(k: Omit<KeyRow, 'organisationId'>) {
    return this.#organisations.insertKey(k);
  }
  updateKey(keyId: string, p: Pick<KeyRow, 'status' | 'revokedAt'>) {
    return this.#organisations.updateKey(keyId, p);
  }
  listEpochs() {
    return this.#organisations.listEpochs();
  }
  getEpoch(epoch: number) {
    return this.#organisations.getEpoch(epoch);
  }
  insertEpoch(e: EpochRow) {
    return this.#organisations.insertEpoch(e);
  }
  updateEpoch(epoch: number, p: Pick<EpochRow, 'status' | 'retiredAt'>) {
    return this.#organisations.updateEpoch(epoch, p);
  }

  // --- signals and stored pseudonyms -------------------------------------------------------------

  getSignal(id: string) {
    return this.#signals.getSignal(id);
  }
  getSignalByRid(rid: number) {
    return this.#signals.getSignalByRid(rid);
  }
  getSignalByRequest(organisationRid: number, requestId: string) {
    return this.#signals.getSignalByRequest(organisationRid, requestId);
  }
  findSignalsByStored(stored: readonly Uint8Array[], role: PseudonymRole) {
    return this.#signals.findSignalsByStored(stored, role);
  }
  async enterPersonSections(_stored: readonly Uint8Array[]): Promise<void> {
    // The single writer runs one write operation at a time: the section is already held.
  }
  pseudonymsOf(signalRid: number) {
    return this.#signals.pseudonymsOf(signalRid);
  }
  listSignals(
    organisationRid: number,
    status: SignalStatus | undefined,
    afterRid: number,
    limit: number,
    personRid?: number,
  ) {
    return this.#signals.listSignals(organisationRid, status, afterRid, limit, personRid);
  }
  signalsExpiringBy(now: number, limit: number) {
    return this.#signals.signalsExpiringBy(now, limit);
  }
  signalsPurgeableBy(now: number, limit: number) {
    return this.#signals.signalsPurgeableBy(now, limit);
  }
  insertSignal(s: NewSignal) {
    return this.#signals.insertSignal(s);
  }
  updateSignal(rid: number, p: SignalPatch) {
    if (p.contact !== undefined) this.#erased = true;
    return this.#signals.updateSignal(rid, p);
  }
  deleteSignal(rid: number) {
    this.#erased = true;
    this.#notices.dropNoticesOf(rid);
    return this.#signals.deleteSignal(rid);
  }
  insertPseudonyms(rows: readonly StoredPseudonymRow[]) {
    return this.#signals.insertPseudonyms(rows);
  }
  deletePseudonymsOfEpoch(epoch: number) {
    this.#erased = true;
    return this.#signals.deletePseudonymsOfEpoch(epoch);
  }
  deleteParentPseudonyms(stored: readonly Uint8Array[]) {
    this.#erased = true;
    return this.#signals.deleteParentPseudonyms(stored);
  }

  // --- matches, consent and agreements ----------------------------------------------------------

  getMatch(id: string) {
    return this.#matches.getMatch(id);
  }
  getMatchByPair(a: number, b: number) {
    return this.#matches.getMatchByPair(a, b);
  }
  matchesOfSignal(signalRid: number) {
    return this.#matches.matchesOfSignal(signalRid);
  }
  listMatches(status: MatchStatus) {
    return this.#matches.listMatches(status);
  }
  followUpCounts(status: MatchStatus) {
    return this.#matches.followUpCounts(status);
  }
  followUpPage(query: FollowUpPageQuery) {
    return this.#matches.followUpPage(query);
  }
  insertMatch(m: NewMatch) {
    return this.#matches.insertMatch(m);
  }
  updateMatch(rid: number, p: MatchPatch) {
    return this.#matches.updateMatch(rid, p);
  }
  deleteMatch(rid: number) {
    this.#erased = true;
    return this.#matches.deleteMatch(rid);
  }
  getConsent(signalRid: number) {
    return this.#matches.getConsent(signalRid);
  }
  setConsent(c: ConsentRow) {
    this.#erased = true;
    return this.#matches.setConsent(c);
  }
  agreementEntries(matchRid: number) {
    return this.#matches.agreementEntries(matchRid);
  }
  matchesWithAgreements() {
    return this.#matches.matchesWithAgreements();
  }
  appendAgreementEntry(e: AgreementEntryRow) {
    return this.#matches.appendAgreementEntry(e);
  }

  // --- events, deliveries ------------------------------------------------------------------------

  appendEvent(e: Omit<EventRow, 'cursor'>) {
    return this.#events.appendEvent(e);
  }
  eventsAfter(organisationRid: number, afterCursor: number, limit: number) {
    return this.#events.eventsAfter(organisationRid, afterCursor, limit);
  }
  deleteEventsBefore(at: number) {
    return this.#events.deleteEventsBefore(at);
  }
  insertMailNotice(n: NewMailNotice) {
    return this.#mail.insertMailNotice(n);
  }
  claimMailNotices(now: number, claim: OutboxClaim, limit: number) {
    return this.#mail.claimMailNotices(now, claim, limit);
  }
  getMailNotice(id: string) {
    return this.#mail.getMailNotice(id);
  }
  listMailNotices(status: MailNoticeStatus | undefined, limit: number) {
    return this.#mail.listMailNotices(status, limit);
  }
  updateMailNotice(id: string, p: MailNoticePatch) {
    return this.#mail.updateMailNotice(id, p);
  }
  deleteDoneMailNoticesBefore(at: number) {
    return this.#mail.deleteDoneMailNoticesBefore(at);
  }
  insertDelivery(d: NewDelivery) {
    return this.#events.insertDelivery(d);
  }
  claimDeliveries(now: number, claim: OutboxClaim, limit: number) {
    return this.#events.claimDeliveries(now, claim, limit);
  }
  getDelivery(id: string) {
    return this.#events.getDelivery(id);
  }
  listDeliveries(status: DeliveryStatus | undefined, limit: number) {
    return this.#events.listDeliveries(status, limit);
  }
  updateDelivery(
    id: string,
    p: Pick<DeliveryRow, 'status' | 'attempts' | 'nextAttemptAt' | 'lastErrorCode' | 'deliveredAt'>,
  ) {
    return this.#events.updateDelivery(id, p);
  }
  deleteDeliveredBefore(at: number) {
    return this.#events.deleteDeliveredBefore(at);
  }

  // --- logbook, nonces, budget, counts -----------------------------------------------------------

  lastLogEntry() {
    return this.#bookkeeping.lastLogEntry();
  }
  logbookHead() {
    return this.#bookkeeping.logbookHead();
  }
  fenceGeneration(used: number) {
    return this.#bookkeeping.fenceGeneration(used);
  }
  logEntries(fromSeq: number, limit: number) {
    return this.#bookkeeping.logEntries(fromSeq, limit);
  }
  logCheckpoint() {
    return this.#bookkeeping.logCheckpoint();
  }
  lastRevealLogged(keyId: string, matchId: string) {
    return this.#bookkeeping.lastRevealLogged(keyId, matchId);
  }
  purgeLogThrough(c: LogCheckpoint) {
    return this.#bookkeeping.purgeLogThrough(c);
  }
  setRevealLogged(keyId: string, matchId: string, at: number) {
    return this.#bookkeeping.setRevealLogged(keyId, matchId, at);
  }
  deleteRevealMarksBefore(at: number) {
    return this.#bookkeeping.deleteRevealMarksBefore(at);
  }
  insertLogEntry(e: LogRow) {
    return this.#bookkeeping.insertLogEntry(e);
  }
  appendLogEntry(entry: (head: LogHead | undefined) => LogRow) {
    return this.#bookkeeping.appendLogEntry(entry);
  }
  unexpiredNonces(now: number) {
    return this.#bookkeeping.unexpiredNonces(now);
  }
  insertNonces(rows: readonly NonceRow[]) {
    return this.#bookkeeping.insertNonces(rows);
  }
  deleteExpiredNonces(now: number) {
    return this.#bookkeeping.deleteExpiredNonces(now);
  }
  placementHour(organisationRid: number, hour: number) {
    return this.#bookkeeping.placementHour(organisationRid, hour);
  }
  placementsSince(organisationRid: number, fromHour: number) {
    return this.#bookkeeping.placementsSince(organisationRid, fromHour);
  }
  setPlacementHour(organisationRid: number, hour: number, p: PlacementHourRow) {
    return this.#bookkeeping.setPlacementHour(organisationRid, hour, p);
  }
  addToPlacementHour(organisationRid: number, hour: number, by: number) {
    return this.#bookkeeping.addToPlacementHour(organisationRid, hour, by);
  }
  deletePlacementHoursBefore(hour: number) {
    return this.#bookkeeping.deletePlacementHoursBefore(hour);
  }
  signalStateCounts(organisationRid: number) {
    return this.#bookkeeping.signalStateCounts(organisationRid);
  }
  matchCount(status: MatchStatus, kind: MatchKind) {
    return this.#bookkeeping.matchCount(status, kind);
  }

  // --- key lifecycle (docs/keys.md) --------------------------------------------------------------

  latestSecretRotation() {
    return this.#rotation.latestSecretRotation();
  }
  maxSignalRid() {
    return this.#rotation.maxSignalRid();
  }
  signalHashesInRange(afterRid: number, upToRid: number, limit: number) {
    return this.#rotation.signalHashesInRange(afterRid, upToRid, limit);
  }
  pseudonymsInRange(afterRid: number, upToRid: number) {
    return this.#rotation.pseudonymsInRange(afterRid, upToRid);
  }
  pendingRotationCatchUps(limit: number) {
    return this.#rotation.pendingRotationCatchUps(limit);
  }
  epochDependants(epoch: number) {
    return this.#rotation.epochDependants(epoch);
  }
  activeSignalCounts() {
    return this.#rotation.activeSignalCounts();
  }
  activeSignalRidsOnlyUnder(epoch: number) {
    return this.#rotation.activeSignalRidsOnlyUnder(epoch);
  }
  rekeyPseudonym(row: StoredPseudonymRow, stored: Uint8Array, generation: number) {
    this.#erased = true;
    return this.#rotation.rekeyPseudonym(row, stored, generation);
  }
  updateRequestHash(rid: number, requestHash: Uint8Array) {
    this.#erased = true;
    return this.#rotation.updateRequestHash(rid, requestHash);
  }
  insertSecretRotation(r: SecretRotationRow) {
    return this.#rotation.insertSecretRotation(r);
  }
  updateSecretRotation(
    generation: number,
    p: Pick<SecretRotationRow, 'cursorRid' | 'rowsRekeyed' | 'hashesRekeyed' | 'completedAt'>,
  ) {
    return this.#rotation.updateSecretRotation(generation, p);
  }
  noteRotationCatchUp(signalRid: number) {
    return this.#rotation.noteRotationCatchUp(signalRid);
  }
  deleteRotationCatchUps(signalRids: readonly number[]) {
    return this.#rotation.deleteRotationCatchUps(signalRids);
  }
  counts() {
    return this.#bookkeeping.counts();
  }
}
