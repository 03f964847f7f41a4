// Sign-in rows (docs/protocol.md §10) on one better-sqlite3 connection (part of SqliteTx):
// enrolment codes, devices, challenges and sessions. The row mappers are shared with the
// PostgreSQL store, so both read a row the same way. Single-use steps are one statement
// each (store/contract/sign-in.ts); SQLite's single writer makes them exact.

import { EngineError } from '../../errors.js';
import type {
  ChallengePurpose,
  ChallengeRow,
  DeviceRow,
  EnrolmentCodeRow,
  NewDevice,
  NewEnrolmentCode,
  NewSession,
  SessionRow,
} from '../contract/sign-in.js';
import type { Row } from './sqlite-rows.js';
import { SqliteNotices } from './sqlite-notices.js';

export const CHALLENGE_PURPOSES: readonly ChallengePurpose[] = ['enrol', 'sign_in', 'add_device', 'step_up'];

const bytes = (b: unknown): Uint8Array => new Uint8Array(b as Uint8Array);

export function purposeCode(p: ChallengePurpose): number {
  return CHALLENGE_PURPOSES.indexOf(p);
}

export function enrolmentCodeRow(r: Row): EnrolmentCodeRow {
  return {
    personRid: Number(r.person),
    personId: r.person_id,
    selector: r.selector,
    verifierHash: bytes(r.verifier_hash),
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
  };
}

export function deviceRow(r: Row): DeviceRow {
  return {
    rid: Number(r.rid),
    id: r.id,
    personRid: Number(r.person),
    personId: r.person_id,
    credentialId: r.credential_id,
    publicKey: bytes(r.public_key),
    counter: Number(r.counter),
    name: r.name,
    transports: r.transports === '' ? [] : String(r.transports).split(','),
    createdAt: Number(r.created_at),
    lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
  };
}

export function challengeRow(r: Row): ChallengeRow {
  const purpose = CHALLENGE_PURPOSES[Number(r.purpose)];
  if (purpose === undefined) throw new EngineError('database_corrupt', 'a challenge row is unreadable');
  return {
    id: r.id,
    purpose,
    challenge: r.challenge,
    personRid: r.person === null ? null : Number(r.person),
    sessionKey: r.session_key === null ? null : bytes(r.session_key),
    expiresAt: Number(r.expires_at),
  };
}

export function sessionRow(r: Row): SessionRow {
  return {
    id: r.id,
    personRid: Number(r.person),
    personId: r.person_id,
    deviceRid: Number(r.device),
    publicKey: bytes(r.public_key),
    createdAt: Number(r.created_at),
    idleExpiresAt: Number(r.idle_expires_at),
    expiresAt: Number(r.expires_at),
  };
}

const DEVICE_COLS = 'd.*, p.id AS person_id FROM devices d JOIN people p ON p.rid = d.person';
const SESSION_COLS = 's.*, p.id AS person_id FROM sessions s JOIN people p ON p.rid = s.person';

export class SqliteSignIn extends SqliteNotices {
  async getEnrolmentCode(selector: string) {
    const r = this.st(
      'SELECT c.*, p.id AS person_id FROM enrolment_codes c JOIN people p ON p.rid = c.person WHERE c.selector = ?',
    ).get(selector);
    return r === undefined ? undefined : enrolmentCodeRow(r);
  }
  async getDevice(id: string) {
    const r = this.st(`SELECT ${DEVICE_COLS} WHERE d.id = ?`).get(id);
    return r === undefined ? undefined : deviceRow(r);
  }
  async getDeviceByCredential(credentialId: string) {
    const r = this.st(`SELECT ${DEVICE_COLS} WHERE d.credential_id = ?`).get(credentialId);
    return r === undefined ? undefined : deviceRow(r);
  }
  async listDevices(personRid: number) {
    return this.st(`SELECT ${DEVICE_COLS} WHERE d.person = ? ORDER BY d.rid`).all(personRid).map(deviceRow);
  }
  async getSession(id: string) {
    const r = this.st(`SELECT ${SESSION_COLS} WHERE s.id = ?`).get(id);
    return r === undefined ? undefined : sessionRow(r);
  }

  async setEnrolmentCode(c: NewEnrolmentCode) {
    this.st(
      'INSERT OR REPLACE INTO enrolment_codes (person, selector, verifier_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ).run(c.personRid, c.selector, Buffer.from(c.verifierHash), c.createdAt, c.expiresAt);
  }
  async deleteEnrolmentCode(personRid: number, selector: string) {
    return (
      this.st('DELETE FROM enrolment_codes WHERE person = ? AND selector = ?').run(personRid, selector)
        .changes === 1
    );
  }
  async insertDevice(d: NewDevice) {
    const r = this.st(
      'INSERT INTO devices (id, person, credential_id, public_key, counter, name, transports, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      d.id,
      d.personRid,
      d.credentialId,
      Buffer.from(d.publicKey),
      d.counter,
      d.name,
      d.transports.join(','),
      d.createdAt,
      d.lastUsedAt,
    );
    return Number(r.lastInsertRowid);
  }
  async advanceDeviceCounter(rid: number, expected: number, counter: number, at: number) {
    return (
      this.st('UPDATE devices SET counter = ?, last_used_at = ? WHERE rid = ? AND counter = ?').run(
        counter,
        at,
        rid,
        expected,
      ).changes === 1
    );
  }
  async deleteDevice(rid: number) {
    this.st('DELETE FROM sessions WHERE device = ?').run(rid);
    return this.st('DELETE FROM devices WHERE rid = ?').run(rid).changes === 1;
  }
  async insertChallenge(c: ChallengeRow) {
    this.st(
      'INSERT INTO challenges (id, purpose, challenge, person, session_key, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(
      c.id,
      purposeCode(c.purpose),
      c.challenge,
      c.personRid,
      c.sessionKey === null ? null : Buffer.from(c.sessionKey),
      c.expiresAt,
    );
  }
  async takeChallenge(id: string, now: number) {
    const r = this.st('DELETE FROM challenges WHERE id = ? RETURNING *').get(id);
    if (r === undefined) return undefined;
    const c = challengeRow(r);
    return c.expiresAt > now ? c : undefined;
  }
  async deleteExpiredChallenges(now: number) {
    return this.st('DELETE FROM challenges WHERE expires_at <= ?').run(now).changes;
  }
  async insertSession(s: NewSession) {
    this.st(
      'INSERT INTO sessions (id, person, device, public_key, created_at, idle_expires_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(
      s.id,
      s.personRid,
      s.deviceRid,
      Buffer.from(s.publicKey),
      s.createdAt,
      s.idleExpiresAt,
      s.expiresAt,
    );
  }
  async touchSession(id: string, idleExpiresAt: number) {
    this.st('UPDATE sessions SET idle_expires_at = MIN(?, expires_at) WHERE id = ?').run(idleExpiresAt, id);
  }
  async deleteSession(id: string) {
    return this.st('DELETE FROM sessions WHERE id = ?').run(id).changes === 1;
  }
  async deleteSignInOfPerson(personRid: number) {
    // Sessions first: each references its device.
    this.st('DELETE FROM sessions WHERE person = ?').run(personRid);
    this.st('DELETE FROM devices WHERE person = ?').run(personRid);
    this.st('DELETE FROM enrolment_codes WHERE person = ?').run(personRid);
    this.st('DELETE FROM challenges WHERE person = ?').run(personRid);
  }
  async deleteExpiredSessions(now: number) {
    return this.st('DELETE FROM sessions WHERE idle_expires_at <= ? OR expires_at <= ?').run(now, now)
      .changes;
  }
}
