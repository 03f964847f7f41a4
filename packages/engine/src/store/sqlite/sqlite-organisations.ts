// Organisations, their signing keys and the pseudonym epochs on one better-sqlite3 connection
// (part of SqliteTx). Statements come from the shared cache and are bound with parameters, never
// string-built from values.

import type { EpochRow, KeyRow, NewOrganisation, OrganisationRow } from '../store.js';
import { org, key, epochRow } from './sqlite-rows.js';
import { SqliteCore } from './sqlite-core.js';

export class SqliteOrganisations extends SqliteCore {
  async getOrganisation(id: string) {
    const r = this.st('SELECT * FROM organisations WHERE id = ?').get(id);
    return r === undefined ? undefined : org(r);
  }
  async getOrganisationByRid(rid: number) {
    const hit = this.keyState?.organisation(rid);
    if (hit !== undefined) return hit;
    const r = this.st('SELECT * FROM organisations WHERE rid = ?').get(rid);
    if (r === undefined) return undefined;
    return this.keyState === undefined ? org(r) : this.keyState.rememberOrganisation(org(r));
  }
  async listOrganisations() {
    return this.st('SELECT * FROM organisations ORDER BY rid').all().map(org);
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
    return this.st('SELECT * FROM epochs ORDER BY epoch').all().map(epochRow);
  }
  async getEpoch(epoch: number) {
    const r = this.st('SELECT * FROM epochs WHERE epoch = ?').get(epoch);
    return r === undefined ? undefined : epochRow(r);
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
