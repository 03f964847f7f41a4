// Sign-in rows (docs/protocol.md §10) on PostgreSQL (part of PgTx, pg-core.ts: the first class after PgCore), read with the SQLite
// store's row mappers. Each single-use step is one DELETE or UPDATE whose row count answers
// who won (store/contract/sign-in.ts): at READ COMMITTED a second concurrent statement waits
// for the first's row lock, then re-reads the row and finds it gone or changed.

import {
  challengeRow,
  deviceRow,
  enrolmentCodeRow,
  purposeCode,
  sessionRow,
} from '../sqlite/sqlite-sign-in.js';
import type { ChallengeRow, NewDevice, NewEnrolmentCode, NewSession } from '../contract/sign-in.js';
import { buf, PgCore } from './pg-core.js';

export class PgSignIn extends PgCore {
  async getEnrolmentCode(selector: string) {
    const [r] = await this.q(
      (sql) =>
        sql`SELECT c.*, p.id AS person_id FROM enrolment_codes c JOIN people p ON p.rid = c.person WHERE c.selector = ${selector}`,
    );
    return r === undefined ? undefined : enrolmentCodeRow(r);
  }
  async getDevice(id: string) {
    const [r] = await this.q(
      (sql) =>
        sql`SELECT d.*, p.id AS person_id FROM devices d JOIN people p ON p.rid = d.person WHERE d.id = ${id}`,
    );
    return r === undefined ? undefined : deviceRow(r);
  }
  async getDeviceByCredential(credentialId: string) {
    const [r] = await this.q(
      (sql) =>
        sql`SELECT d.*, p.id AS person_id FROM devices d JOIN people p ON p.rid = d.person WHERE d.credential_id = ${credentialId}`,
    );
    return r === undefined ? undefined : deviceRow(r);
  }
  async listDevices(personRid: number) {
    const rows = await this.q(
      (sql) =>
        sql`SELECT d.*, p.id AS person_id FROM devices d JOIN people p ON p.rid = d.person WHERE d.person = ${personRid} ORDER BY d.rid`,
    );
    return rows.map(deviceRow);
  }
  async getSession(id: string) {
    const [r] = await this.q(
      (sql) =>
        sql`SELECT s.*, p.id AS person_id FROM sessions s JOIN people p ON p.rid = s.person WHERE s.id = ${id}`,
    );
    return r === undefined ? undefined : sessionRow(r);
  }

  async setEnrolmentCode(c: NewEnrolmentCode) {
    await this.q(
      (sql) => sql`INSERT INTO enrolment_codes (person, selector, verifier_hash, created_at, expires_at)
        VALUES (${c.personRid}, ${c.selector}, ${buf(c.verifierHash)}, ${c.createdAt}, ${c.expiresAt})
        ON CONFLICT (person) DO UPDATE SET selector = EXCLUDED.selector, verifier_hash = EXCLUDED.verifier_hash,
        created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at`,
    );
  }
  async deleteEnrolmentCode(personRid: number, selector: string) {
    const rows = await this.q(
      (sql) =>
        sql`DELETE FROM enrolment_codes WHERE person = ${personRid} AND selector = ${selector} RETURNING person`,
    );
    return rows.length === 1;
  }
  async insertDevice(d: NewDevice) {
    const [r] = await this.q(
      (
        sql,
      ) => sql`INSERT INTO devices (id, person, credential_id, public_key, counter, name, transports, created_at, last_used_at)
        VALUES (${d.id}, ${d.personRid}, ${d.credentialId}, ${buf(d.publicKey)}, ${d.counter}, ${d.name},
        ${d.transports.join(',')}, ${d.createdAt}, ${d.lastUsedAt}) RETURNING rid`,
    );
    return Number(r.rid);
  }
  async advanceDeviceCounter(rid: number, expected: number, counter: number, at: number) {
    const rows = await this.q(
      (sql) => sql`UPDATE devices SET counter = ${counter}, last_used_at = ${at}
        WHERE rid = ${rid} AND counter = ${expected} RETURNING rid`,
    );
    return rows.length === 1;
  }
  async deleteDevice(rid: number) {
    await this.q((sql) => sql`DELETE FROM sessions WHERE device = ${rid}`);
    const rows = await this.q((sql) => sql`DELETE FROM devices WHERE rid = ${rid} RETURNING rid`);
    return rows.length === 1;
  }
  async insertChallenge(c: ChallengeRow) {
    await this.q(
      (sql) => sql`INSERT INTO challenges (id, purpose, challenge, person, session_key, expires_at)
        VALUES (${c.id}, ${purposeCode(c.purpose)}, ${c.challenge}, ${c.personRid},
        ${c.sessionKey === null ? null : buf(c.sessionKey)}, ${c.expiresAt})`,
    );
  }
  async takeChallenge(id: string, now: number) {
    const [r] = await this.q((sql) => sql`DELETE FROM challenges WHERE id = ${id} RETURNING *`);
    if (r === undefined) return undefined;
    const c = challengeRow(r);
    return c.expiresAt > now ? c : undefined;
  }
  async deleteExpiredChallenges(now: number) {
    const rows = await this.q((sql) => sql`DELETE FROM challenges WHERE expires_at <= ${now} RETURNING id`);
    return rows.length;
  }
  async insertSession(s: NewSession) {
    await this.q(
      (
        sql,
      ) => sql`INSERT INTO sessions (id, person, device, public_key, created_at, idle_expires_at, expires_at)
        VALUES (${s.id}, ${s.personRid}, ${s.deviceRid}, ${buf(s.publicKey)}, ${s.createdAt},
        ${s.idleExpiresAt}, ${s.expiresAt})`,
    );
  }
  async touchSession(id: string, idleExpiresAt: number) {
    await this.q(
      (sql) =>
        sql`UPDATE sessions SET idle_expires_at = LEAST(${idleExpiresAt}::bigint, expires_at) WHERE id = ${id}`,
    );
  }
  async deleteSession(id: string) {
    const rows = await this.q((sql) => sql`DELETE FROM sessions WHERE id = ${id} RETURNING id`);
    return rows.length === 1;
  }
  async deleteSignInOfPerson(personRid: number) {
    // The devices are locked first, so a sign-in moving one's counter on either commits
    // before the sessions are deleted (its session goes too) or waits and finds the device
    // gone; then sessions, which reference their device (contract/sign-in.ts).
    await this.q((sql) => sql`SELECT rid FROM devices WHERE person = ${personRid} FOR UPDATE`);
    await this.q((sql) => sql`DELETE FROM sessions WHERE person = ${personRid}`);
    await this.q((sql) => sql`DELETE FROM devices WHERE person = ${personRid}`);
    await this.q((sql) => sql`DELETE FROM enrolment_codes WHERE person = ${personRid}`);
    await this.q((sql) => sql`DELETE FROM challenges WHERE person = ${personRid}`);
  }
  async deleteExpiredSessions(now: number) {
    const rows = await this.q(
      (sql) => sql`DELETE FROM sessions WHERE idle_expires_at <= ${now} OR expires_at <= ${now} RETURNING id`,
    );
    return rows.length;
  }
}
