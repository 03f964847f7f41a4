// Organisations, their keys, the pseudonym epochs, people, sign-in rows (pg-sign-in.ts),
// archive notices and the management statistics on PostgreSQL (part of PgTx, pg-core.ts).
// In a write a statistics increment joins the deferred tail (pg-tail.ts): the row is
// shared by every write of an organisation type, so it is touched just before COMMIT.

import { uuidFromBytes } from '../../ids.js';
import { statisticRow } from '../sqlite/sqlite-notices.js';
import { encodeRoles, person } from '../sqlite/sqlite-people.js';
import { epochRow, idBytes, key, org } from '../sqlite/sqlite-rows.js';
import type {
  ArchiveNoticeRow,
  EpochRow,
  KeyRow,
  NewOrganisation,
  NewPerson,
  OrganisationRow,
  PersonPatch,
} from '../store.js';
import { buf, type Row, type Sql } from './pg-core.js';
import { LOCK_EPOCHS, LOCK_PEOPLE } from './pg-locks.js';
import { PgSignIn } from './pg-sign-in.js';

/** The keys `ids` with their organisations' rows (one statement; rows in no order). */
export function keyStatement(sql: Sql, ids: readonly string[]): Promise<Row[]> {
  return sql`SELECT k.*, o.id AS org_id, o.name AS org_name, o.type AS org_type,
    o.status AS org_status, o.webhook_url AS org_webhook_url, o.budget AS org_budget,
    o.created_at AS org_created_at, o.match_email AS org_match_email
    FROM keys k LEFT JOIN organisations o ON o.rid = k.org WHERE key_id = ANY(${ids as string[]}::text[])`;
}

/**
 * The query of `removedPeopleBefore`: the due removed people by people_removed (schema step
 * 21), which holds only rows with `status = 1` — a literal here, so a prepared statement's
 * generic plan can use the partial index too. Ordered by `rid + 0`, the same order: by `rid`
 * itself the generic plan (a bound time it cannot see) walks people_pkey through every person
 * in the hope of an early page, where the due ones are few (retention deleted the earlier ones)
 * beside the people removed within the term. Exported for the plan test.
 */
export function removedPeopleQuery(sql: Sql, before: number, limit: number) {
  return sql`SELECT p.rid FROM people p WHERE p.status = 1 AND p.removed_at < ${before}
    AND NOT EXISTS (SELECT 1 FROM signals s WHERE s.org = p.org AND s.person = p.rid)
    ORDER BY p.rid + 0 LIMIT ${limit}`;
}

export class PgOrganisations extends PgSignIn {
  /**
   * In a read, the organisation rows that getKey's statement brought along: authentication
   * reads a key and then its organisation, twice per request, and here each pair is one
   * statement (docs/performance.md "PostgreSQL (case 8)"). A read sees committed data
   * statement by statement, so the row of an earlier statement of the same read is as
   * current as a new one would be; a write, which may change the row, reads it anew.
   */
  readonly #keyOrganisations = new Map<number, OrganisationRow>();

  // --- organisations, keys, epochs ---------------------------------------------------------------

  async getOrganisation(id: string) {
    const [r] = await this.q((sql) => sql`SELECT * FROM organisations WHERE id = ${id}`);
    return r === undefined ? undefined : org(r);
  }
  async getOrganisationByRid(rid: number) {
    const brought = this.#keyOrganisations.get(rid);
    if (brought !== undefined) return brought;
    const [r] = await this.q((sql) => sql`SELECT * FROM organisations WHERE rid = ${rid}`);
    return r === undefined ? undefined : org(r);
  }
  async listOrganisations() {
    return (await this.q((sql) => sql`SELECT * FROM organisations ORDER BY rid`)).map(org);
  }
  async insertOrganisation(o: NewOrganisation) {
    const [r] = await this.q(
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
    await this.q(
      (sql) => sql`UPDATE organisations SET status = ${n.status === 'active' ? 0 : 1},
        webhook_url = ${n.webhookUrl}, budget = ${n.placementBudgetPerDay},
        match_email = ${n.matchEmail ? 1 : 0} WHERE rid = ${rid}`,
    );
  }
  async getKey(keyId: string) {
    // A read asks the instance's shared key statement (pg-shared-statements.ts): requests
    // that authenticate at the same moment read their keys in one statement.
    const shared = this.write ? undefined : this.shared;
    const [r] = await this.q((sql) =>
      shared === undefined ? keyStatement(sql, [keyId]) : shared.key.call(keyId),
    );
    if (r === undefined) return undefined;
    if (!this.write && r.org_id !== null) {
      this.#keyOrganisations.set(
        Number(r.org),
        org({
          rid: r.org,
          id: r.org_id,
          name: r.org_name,
          type: r.org_type,
          status: r.org_status,
          webhook_url: r.org_webhook_url,
          budget: r.org_budget,
          created_at: r.org_created_at,
          match_email: r.org_match_email,
        }),
      );
    }
    return key(r);
  }
  async listKeys(organisationRid?: number | null) {
    const rows = await this.q((sql) => {
      const base = sql`SELECT k.*, o.id AS org_id FROM keys k LEFT JOIN organisations o ON o.rid = k.org`;
      if (organisationRid === undefined) return sql`${base} ORDER BY added_at, key_id`;
      if (organisationRid === null) return sql`${base} WHERE k.org IS NULL ORDER BY added_at, key_id`;
      return sql`${base} WHERE k.org = ${organisationRid} ORDER BY added_at, key_id`;
    });
    return rows.map(key);
  }
  async insertKey(k: Omit<KeyRow, 'organisationId'>) {
    await this.q(
      (sql) => sql`INSERT INTO keys (key_id, role, org, public_key, status, added_at, revoked_at)
        VALUES (${k.keyId}, ${k.role === 'organisation' ? 0 : 1}, ${k.organisationRid}, ${buf(k.publicKey)},
        ${k.status === 'active' ? 0 : 1}, ${k.addedAt}, ${k.revokedAt})`,
    );
  }
  async updateKey(keyId: string, p: Pick<KeyRow, 'status' | 'revokedAt'>) {
    await this.q(
      (sql) =>
        sql`UPDATE keys SET status = ${p.status === 'active' ? 0 : 1}, revoked_at = ${p.revokedAt} WHERE key_id = ${keyId}`,
    );
  }
  async listEpochs() {
    return (await this.q((sql) => sql`SELECT * FROM epochs ORDER BY epoch`)).map(epochRow);
  }
  async getEpoch(epoch: number) {
    const [r] = await this.q((sql) => sql`SELECT * FROM epochs WHERE epoch = ${epoch}`);
    return r === undefined ? undefined : epochRow(r);
  }
  async insertEpoch(e: EpochRow) {
    await this.q(
      (sql) => sql`INSERT INTO epochs (epoch, status, kind, public_key, registered_at, retired_at)
        VALUES (${e.epoch}, ${e.status === 'active' ? 0 : 1}, ${e.kind === 'oprf' ? 1 : 0},
        ${e.publicKey === null ? null : buf(e.publicKey)}, ${e.registeredAt}, ${e.retiredAt})`,
    );
  }
  async enterEpochSection() {
    await this.q((sql) => sql`SELECT pg_advisory_xact_lock(${LOCK_EPOCHS}, 0)`);
  }
  async updateEpoch(epoch: number, p: Pick<EpochRow, 'status' | 'retiredAt'>) {
    await this.q(
      (sql) =>
        sql`UPDATE epochs SET status = ${p.status === 'active' ? 0 : 1}, retired_at = ${p.retiredAt} WHERE epoch = ${epoch}`,
    );
  }

  // --- people (docs/engine.md "People and roles"; roles as sqlite/sqlite-people.ts encodes them) ---

  async getPerson(id: string) {
    const [r] = await this.q(
      (sql) =>
        sql`SELECT p.*, o.id AS org_id FROM people p LEFT JOIN organisations o ON o.rid = p.org WHERE p.id = ${id}`,
    );
    return r === undefined ? undefined : person(r);
  }
  async getPersonByRid(rid: number) {
    const [r] = await this.q(
      (sql) =>
        sql`SELECT p.*, o.id AS org_id FROM people p LEFT JOIN organisations o ON o.rid = p.org WHERE p.rid = ${rid}`,
    );
    return r === undefined ? undefined : person(r);
  }
  async listPeople(organisationRid: number | null) {
    const rows = await this.q((sql) => {
      const base = sql`SELECT p.*, o.id AS org_id FROM people p LEFT JOIN organisations o ON o.rid = p.org`;
      if (organisationRid === null) return sql`${base} WHERE p.org IS NULL ORDER BY p.rid`;
      return sql`${base} WHERE p.org = ${organisationRid} ORDER BY p.rid`;
    });
    return rows.map(person);
  }
  async removedPeopleBefore(before: number, limit: number) {
    const rows = await this.q((sql) => removedPeopleQuery(sql, before, limit));
    return rows.map((r) => Number(r.rid));
  }
  // --- archive notices, management information (docs/engine.md "Archive notice", "Management information")

  async archiveNoticesOf(signalRid: number) {
    const rows = await this.q(
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
    const rows = await this.q(
      (sql) => sql`INSERT INTO archive_notices (archived, org, id, signal, at)
        VALUES (${n.archivedSignalRid}, ${n.organisationRid}, ${idBytes(n.id)}, ${n.signalRid}, ${n.at})
        ON CONFLICT (archived, org) DO NOTHING RETURNING archived`,
    );
    return rows.length === 1;
  }
  async statistics(fromMonth: number, toMonth: number) {
    await this.flushTail();
    const rows = await this.q(
      (sql) => sql`SELECT * FROM statistics WHERE month >= ${fromMonth} AND month <= ${toMonth}
        ORDER BY month, org_type COLLATE "C", metric`,
    );
    return rows.map(statisticRow);
  }
  async addStatistic(month: number, organisationType: string, metric: number, by: number) {
    if (this.write) {
      this.tail.addStatistic(month, organisationType, metric, by);
      return;
    }
    await this.q(
      (sql) => sql`INSERT INTO statistics (month, org_type, metric, value)
        VALUES (${month}, ${organisationType}, ${metric}, ${by})
        ON CONFLICT (month, org_type, metric) DO UPDATE SET value = statistics.value + EXCLUDED.value`,
    );
  }

  async insertPerson(p: NewPerson) {
    const [r] = await this.q(
      (sql) => sql`INSERT INTO people (id, org, display_name, email, roles, status, created_at, removed_at)
        VALUES (${p.id}, ${p.organisationRid}, ${p.displayName}, ${p.email}, ${encodeRoles(p.roles)},
        ${p.status === 'active' ? 0 : 1}, ${p.createdAt}, ${p.removedAt}) RETURNING rid`,
    );
    return Number(r.rid);
  }
  async enterPeopleSection(organisationRid: number | null) {
    // Organisation rids start at 1: key 0 is the municipality's people.
    const key = organisationRid ?? 0;
    await this.q((sql) => sql`SELECT pg_advisory_xact_lock(${LOCK_PEOPLE}, ${key})`);
  }
  async updatePerson(rid: number, patch: PersonPatch) {
    const [r] = await this.q(
      (sql) => sql`SELECT email, roles, status, removed_at FROM people WHERE rid = ${rid}`,
    );
    if (r === undefined) return;
    await this.q(
      (sql) => sql`UPDATE people SET email = ${patch.email === undefined ? r.email : patch.email},
        roles = ${patch.roles === undefined ? r.roles : encodeRoles(patch.roles)},
        status = ${patch.status === undefined ? r.status : patch.status === 'active' ? 0 : 1},
        removed_at = ${patch.removedAt === undefined ? r.removed_at : patch.removedAt} WHERE rid = ${rid}`,
    );
  }
  async deletePerson(rid: number) {
    await this.q((sql) => sql`DELETE FROM mail_outbox WHERE person = ${rid}`);
    await this.q((sql) => sql`DELETE FROM people WHERE rid = ${rid}`);
  }
}
