// Organisations, their signing keys and the pseudonym epochs on one better-sqlite3 connection
// (part of SqliteTx). Statements come from the shared cache and are bound with parameters, never
// string-built from values.

import type { EpochRow, KeyRow, NewOrganisation, OrganisationRow } from '../store.js';
import { EPOCH_COLS, ORG_COLS, epochOfColumns, key, orgOfColumns } from './sqlite-rows.js';
import { SqliteCore } from './sqlite-core.js';

// Read as arrays (sqlite-rows.ts ORG_COLS): each placement reads its organisation and its epoch.
const ORGANISATION_BY_ID = `SELECT ${ORG_COLS} FROM organisations WHERE id = ?`;
const ORGANISATION_BY_RID = `SELECT ${ORG_COLS} FROM organisations WHERE rid = ?`;
const ORGANISATIONS = `SELECT ${ORG_COLS} FROM organisations ORDER BY rid`;
const EPOCH = `SELECT ${EPOCH_COLS} FROM epochs WHERE epoch = ?`;
const EPOCHS = `SELECT ${EPOCH_COLS} FROM epochs ORDER BY epoch`;

export class SqliteOrganisations extends SqliteCore {
  async getOrganisation(id: string) {
    const r = this.array(ORGANISATION_BY_ID).get(id);
    return r === undefined ? undefined : orgOfColumns(r);
  }
  async getOrganisationByRid(rid: number) {
    const hit = this.keyState?.organisation(rid);
    if (hit !== undefined) return hit;
    const r = this.array(ORGANISATION_BY_RID).get(rid);
    if (r === undefined) return undefined;
    const o = orgOfColumns(r);
    return this.keyState === undefined ? o : this.keyState.rememberOrganisation(o);
  }
  async listOrganisations() {
    return this.array(ORGANISATIONS).all().map(orgOfColumns);
  }
  async insertOrganisation(o: NewOrganisation) {
    const r = this.st(
      'INSERT INTO organisations (id, name, type, status, webhook_url, budget, created_at, match_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      o.id,
      o.name,
      o.type,
      o.status === 'active' ? 0 : 1,
      o.webhookUrl,
      o.placementBudgetPerDay,
      o.createdAt,
      o.matchEmail === true ? 1 : 0,
    );
    return Number(r.lastInsertRowid);
  }
  async updateOrganisation(
    rid: number,
    p: Partial<Pick<OrganisationRow, 'status' | 'webhookUrl' | 'placementBudgetPerDay' | 'matchEmail'>>,
  ) {
    const cur = await this.getOrganisationByRid(rid);
    if (cur === undefined) return;
    const n = { ...cur, ...p };
    this.st(
      'UPDATE organisations SET status = ?, webhook_url = ?, budget = ?, match_email = ? WHERE rid = ?',
    ).run(n.status === 'active' ? 0 : 1, n.webhookUrl, n.placementBudgetPerDay, n.matchEmail ? 1 : 0, rid);
  }

  async getKey(keyId: string) {
    const hit = this.keyState?.key(keyId);
    if (hit !== undefined) return hit;
    const r = this.st(
      'SELECT k.*, o.id AS org_id FROM keys k LEFT JOIN organisations o ON o.rid = k.org WHERE key_id = ?',
    ).get(keyId);
    if (r === undefined) return undefined;
    return this.keyState === undefined ? key(r) : this.keyState.rememberKey(key(r));
  }
  async listKeys(organisationRid?: number | null) {
    const base = 'SELECT k.*, o.id AS org_id FROM keys k LEFT JOIN organisations o ON o.rid = k.org';
    if (organisationRid === undefined) return this.st(`${base} ORDER BY added_at, key_id`).all().map(key);
    if (organisationRid === null)
      return this.st(`${base} WHERE k.org IS NULL ORDER BY added_at, key_id`).all().map(key);
    return this.st(`${base} WHERE k.org = ? ORDER BY added_at, key_id`).all(organisationRid).map(key);
  }
  async insertKey(k: Omit<KeyRow, 'organisationId'>) {
    this.st(
      'INSERT INTO keys (key_id, role, org, public_key, status, added_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(
      k.keyId,
      k.role === 'organisation' ? 0 : 1,
      k.organisationRid,
      Buffer.from(k.publicKey),
      k.status === 'active' ? 0 : 1,
      k.addedAt,
      k.revokedAt,
    );
  }
  async updateKey(keyId: string, p: Pick<KeyRow, 'status' | 'revokedAt'>) {
    this.st('UPDATE keys SET status = ?, revoked_at = ? WHERE key_id = ?').run(
      p.status === 'active' ? 0 : 1,
      p.revokedAt,
      keyId,
    );
  }

  async listEpochs() {
    return this.array(EPOCHS).all().map(epochOfColumns);
  }
  async getEpoch(epoch: number) {
    const r = this.array(EPOCH).get(epoch);
    return r === undefined ? undefined : epochOfColumns(r);
  }
  async insertEpoch(e: EpochRow) {
    this.st(
      'INSERT INTO epochs (epoch, status, kind, public_key, registered_at, retired_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(
      e.epoch,
      e.status === 'active' ? 0 : 1,
      e.kind === 'oprf' ? 1 : 0,
      e.publicKey === null ? null : Buffer.from(e.publicKey),
      e.registeredAt,
      e.retiredAt,
    );
  }
  /** The single writer already runs one write at a time (contract clause 4, store.ts). */
  async enterEpochSection() {}
  async updateEpoch(epoch: number, p: Pick<EpochRow, 'status' | 'retiredAt'>) {
    this.st('UPDATE epochs SET status = ?, retired_at = ? WHERE epoch = ?').run(
      p.status === 'active' ? 0 : 1,
      p.retiredAt,
      epoch,
    );
  }
}
