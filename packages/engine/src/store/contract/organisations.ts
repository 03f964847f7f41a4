// The Store's part for organisations, their keys, the pseudonymisation epochs and people
// (docs/engine.md "People and roles"). Key and organisation status are read from the store on
// every request, never cached past it (contract clause 5, store.ts), so a revocation or a
// suspension takes effect on every instance at the next request.

import type {
  EpochRow,
  KeyRow,
  NewOrganisation,
  NewPerson,
  OrganisationRow,
  PersonPatch,
  PersonRow,
} from '../rows.js';

/** Reads (contract: store.ts). */
export interface OrganisationReader {
  getOrganisation(id: string): Promise<OrganisationRow | undefined>;
  getOrganisationByRid(rid: number): Promise<OrganisationRow | undefined>;
  listOrganisations(): Promise<OrganisationRow[]>;
  getKey(keyId: string): Promise<KeyRow | undefined>;
  /** undefined: every key; null: admin keys; a rid: that organisation's keys. */
  listKeys(organisationRid?: number | null): Promise<KeyRow[]>;
  listEpochs(): Promise<EpochRow[]>;
  getEpoch(epoch: number): Promise<EpochRow | undefined>;

  // people (docs/engine.md "People and roles")
  /** The person with public id `id`, removed or not; `organisationId` joined from organisations. */
  getPerson(id: string): Promise<PersonRow | undefined>;
  /**
   * The people of one organisation (a rid) or of the municipality (null), removed ones
   * included, in rid (creation) order.
   */
  listPeople(organisationRid: number | null): Promise<PersonRow[]>;

  /** The person with row id `rid`, removed or not (the mail outbox names people by rid). */
  getPersonByRid(rid: number): Promise<PersonRow | undefined>;
  /**
   * The rids of up to `limit` people removed before `before` who hold no signal, in rid
   * order: rows past their term (docs/privacy.md §4). A signal's holder is a person of the
   * signal's organisation (domain/context.ts), so each is looked up by (organisation,
   * person), the signals' index; people are few and scanned.
   */
  removedPeopleBefore(before: number, limit: number): Promise<number[]>;
}

/** Writes, only inside Store.write. */
export interface OrganisationWriter {
  insertOrganisation(row: NewOrganisation): Promise<number>;
  updateOrganisation(
    rid: number,
    patch: Partial<Pick<OrganisationRow, 'status' | 'webhookUrl' | 'placementBudgetPerDay' | 'matchEmail'>>,
  ): Promise<void>;
  insertKey(row: Omit<KeyRow, 'organisationId'>): Promise<void>;
  updateKey(keyId: string, patch: Pick<KeyRow, 'status' | 'revokedAt'>): Promise<void>;
  insertEpoch(row: EpochRow): Promise<void>;
  /**
   * Inserts a person; returns its rid. A duplicate `id` is a 'conflict'. `roles` is stored
   * as given (the domain has validated it) and read back in the same order.
   */
  insertPerson(row: NewPerson): Promise<number>;
  /**
   * Enters the people section of an organisation, or with null of the municipality (contract
   * clause 4, store.ts): two writes that count an organisation's coordinators, or the
   * municipality's administrators, before removing one run one after the other, so the
   * second sees the first's removal. SQLite: the single writer; PostgreSQL: a
   * transaction-scoped advisory lock per organisation (the municipality's: key 0, no
   * organisation's rid).
   */
  enterPeopleSection(organisationRid: number | null): Promise<void>;
  /** Changes the given fields of the person with `rid` (absent fields stay); no-op for an unknown rid. */
  updatePerson(rid: number, patch: PersonPatch): Promise<void>;
  /**
   * Deletes the person `rid` and the match notices addressed to them (the outbox names
   * people by rid); the caller deletes their sign-in and handover rows first. Only for a
   * removed person past their term (removedPeopleBefore).
   */
  deletePerson(rid: number): Promise<void>;
  /**
   * Enters the epochs section (contract clause 4, store.ts): two writes that read an epoch's
   * status before registering or retiring it run one after the other, so a retirement run on
   * two instances at once is retired, and logged, once. SQLite: the single writer;
   * PostgreSQL: a transaction-scoped advisory lock.
   */
  enterEpochSection(): Promise<void>;
  updateEpoch(epoch: number, patch: Pick<EpochRow, 'status' | 'retiredAt'>): Promise<void>;
}
