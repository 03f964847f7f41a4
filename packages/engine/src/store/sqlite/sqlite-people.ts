// People (docs/engine.md "People and roles") on one better-sqlite3 connection (part of
// SqliteTx). Roles are stored as a bit set over PERSON_ROLES (bit i = PERSON_ROLES[i]), so
// a role list always reads back in PERSON_ROLES order; an unknown bit is a corrupt row.

import { PERSON_ROLES, type PersonRole } from '../../api.js';
import { EngineError } from '../../errors.js';
import type { NewPerson, PersonPatch, PersonRow } from '../store.js';
import type { Row } from './sqlite-rows.js';
import { SqliteOrganisations } from './sqlite-organisations.js';

const COLS = 'p.*, o.id AS org_id FROM people p LEFT JOIN organisations o ON o.rid = p.org';

/**
 * The statement of `removedPeopleBefore` (before, limit): the due removed people by
 * people_removed (schema step 31), which holds only rows with `status = 1` — the term stays a
 * literal here, as SQLite uses a partial index only when the query repeats its condition. Named
 * (INDEXED BY): without statistics the planner would rather scan every person in rid order than
 * sort, and the due ones are few (retention deleted the earlier ones) beside the people removed
 * within the term, which the index passes over. Exported for the plan test.
 */
export const REMOVED_PEOPLE_SQL = `SELECT p.rid FROM people p INDEXED BY people_removed WHERE p.status = 1 AND p.removed_at < ?
  AND NOT EXISTS (SELECT 1 FROM signals s WHERE s.org = p.org AND s.person = p.rid)
  ORDER BY p.rid LIMIT ?`;

export function encodeRoles(roles: readonly PersonRole[]): number {
  let bits = 0;
  for (const r of roles) {
    const i = PERSON_ROLES.indexOf(r);
    if (i < 0) throw new EngineError('internal', 'unknown role');
    bits |= 1 << i;
  }
  return bits;
}

export function decodeRoles(bits: number): PersonRole[] {
  if (!Number.isInteger(bits) || bits <= 0 || bits >= 1 << PERSON_ROLES.length) {
    throw new EngineError('database_corrupt', 'a person row is unreadable');
  }
  return PERSON_ROLES.filter((_, i) => (bits & (1 << i)) !== 0);
}

export function person(r: Row): PersonRow {
  return {
    rid: r.rid,
    id: r.id,
    organisationRid: r.org,
    organisationId: r.org_id ?? null,
    displayName: r.display_name,
    email: r.email,
    roles: decodeRoles(r.roles),
    status: r.status === 0 ? 'active' : 'removed',
    createdAt: r.created_at,
    removedAt: r.removed_at,
  };
}

export class SqlitePeople extends SqliteOrganisations {
  async getPerson(id: string) {
    const r = this.st(`SELECT ${COLS} WHERE p.id = ?`).get(id);
    return r === undefined ? undefined : person(r);
  }
  async getPersonByRid(rid: number) {
    const r = this.st(`SELECT ${COLS} WHERE p.rid = ?`).get(rid);
    return r === undefined ? undefined : person(r);
  }
  async listPeople(organisationRid: number | null) {
    if (organisationRid === null)
      return this.st(`SELECT ${COLS} WHERE p.org IS NULL ORDER BY p.rid`).all().map(person);
    return this.st(`SELECT ${COLS} WHERE p.org = ? ORDER BY p.rid`).all(organisationRid).map(person);
  }
  async removedPeopleBefore(before: number, limit: number) {
    return this.st(REMOVED_PEOPLE_SQL)
      .all(before, limit)
      .map((r) => (r as Row).rid as number);
  }
  /** The single writer already runs one write at a time (contract clause 4, store.ts). */
  async enterPeopleSection(_organisationRid: number | null) {}
  async insertPerson(p: NewPerson) {
    const r = this.st(
      'INSERT INTO people (id, org, display_name, email, roles, status, created_at, removed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      p.id,
      p.organisationRid,
      p.displayName,
      p.email,
      encodeRoles(p.roles),
      p.status === 'active' ? 0 : 1,
      p.createdAt,
      p.removedAt,
    );
    return Number(r.lastInsertRowid);
  }
  async updatePerson(rid: number, patch: PersonPatch) {
    const r = this.st('SELECT rid, email, roles, status, removed_at FROM people WHERE rid = ?').get(
      rid,
    ) as Row;
    if (r === undefined) return;
    this.st('UPDATE people SET email = ?, roles = ?, status = ?, removed_at = ? WHERE rid = ?').run(
      patch.email === undefined ? r.email : patch.email,
      patch.roles === undefined ? r.roles : encodeRoles(patch.roles),
      patch.status === undefined ? r.status : patch.status === 'active' ? 0 : 1,
      patch.removedAt === undefined ? r.removed_at : patch.removedAt,
      rid,
    );
  }
  async deletePerson(rid: number) {
    this.st('DELETE FROM mail_outbox WHERE person = ?').run(rid);
    this.st('DELETE FROM people WHERE rid = ?').run(rid);
  }
}
