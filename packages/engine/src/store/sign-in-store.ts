// The Store's part for sign-in (docs/protocol.md §10): enrolment codes, passkeys
// ("devices"), pending WebAuthn challenges and sessions. Split from store.ts so the
// contract of each part stays readable; StoreReader/StoreWriter extend these.
//
// Concurrency (docs/engine.md "Storage contract"): every single-use step is one statement
// whose answer tells the caller whether it won — `deleteEnrolmentCode`, `takeChallenge`
// and `advanceDeviceCounter` — so of two concurrent writes, on one instance or two, exactly
// one consumes a code, takes a challenge or moves a counter on (SQLite: the single writer;
// PostgreSQL at READ COMMITTED: the row lock of the DELETE/UPDATE, the loser re-reads the
// row and finds it gone or changed). Sessions are read from the store on every request
// (clause 5), so an ended session is refused on every instance at its next request.

import type {
  ChallengeRow,
  DeviceRow,
  EnrolmentCodeRow,
  NewDevice,
  NewEnrolmentCode,
  NewSession,
  SessionRow,
} from './rows.js';

export type {
  ChallengePurpose,
  ChallengeRow,
  DeviceRow,
  EnrolmentCodeRow,
  NewDevice,
  NewEnrolmentCode,
  NewSession,
  SessionRow,
} from './rows.js';

export interface SignInReader {
  /** The outstanding code with this selector, expired or not. */
  getEnrolmentCode(selector: string): Promise<EnrolmentCodeRow | undefined>;
  /** The device with public id `id`. */
  getDevice(id: string): Promise<DeviceRow | undefined>;
  /** The device with WebAuthn credential id `credentialId` (base64url). */
  getDeviceByCredential(credentialId: string): Promise<DeviceRow | undefined>;
  /** A person's devices in rid (registration) order. */
  listDevices(personRid: number): Promise<DeviceRow[]>;
  /** The session with id `id`, expired or not; undefined once ended (deleted). */
  getSession(id: string): Promise<SessionRow | undefined>;
}

export interface SignInWriter {
  /** Stores the person's code, replacing any earlier one (a new code supersedes the old). */
  setEnrolmentCode(row: NewEnrolmentCode): Promise<void>;
  /**
   * Deletes the person's code when its selector is `selector`; true when this call deleted
   * it. Of two concurrent calls exactly one answers true (single use).
   */
  deleteEnrolmentCode(personRid: number, selector: string): Promise<boolean>;
  /** Inserts a device; returns its rid. A credential id registered before is a 'conflict'. */
  insertDevice(row: NewDevice): Promise<number>;
  /**
   * Sets the counter to `counter` and last use to `at` when the stored counter is still
   * `expected` (compare and set); true when it did. Two concurrent sign-ins with one
   * counter value: exactly one moves it on.
   */
  advanceDeviceCounter(rid: number, expected: number, counter: number, at: number): Promise<boolean>;
  /** Deletes the device and every session signed in with it; false for an unknown rid. */
  deleteDevice(rid: number): Promise<boolean>;
  insertChallenge(row: ChallengeRow): Promise<void>;
  /**
   * Deletes and returns the challenge `id` when it exists and has not expired at `now`
   * (an expired one is deleted too); exactly one of two concurrent takers gets it.
   */
  takeChallenge(id: string, now: number): Promise<ChallengeRow | undefined>;
  /** Deletes challenges expired at `now`; returns how many. */
  deleteExpiredChallenges(now: number): Promise<number>;
  insertSession(row: NewSession): Promise<void>;
  /** Moves the session's idle expiry to `idleExpiresAt` (never past its absolute expiry). */
  touchSession(id: string, idleExpiresAt: number): Promise<void>;
  /** Ends the session; true when it existed. */
  deleteSession(id: string): Promise<boolean>;
  /**
   * Deletes everything the person signs in with: every session, every device (passkey: the
   * credential id and public key), the outstanding enrolment code and pending registration
   * challenges — for a removed person (docs/privacy.md §4, "People"). Runs in the caller's
   * write, so the removal and this deletion commit together. Concurrency: a sign-in that is
   * moving one of these devices' counters on commits first and its session is deleted here
   * (PostgreSQL: the devices are row-locked before the sessions are deleted), or runs after
   * and finds the device gone (its compare and set answers false). A device that a write
   * which read the person as active adds concurrently can still land on PostgreSQL; it never
   * signs in (sign-in reads the person's status) and a repeated removal deletes it.
   */
  deleteSignInOfPerson(personRid: number): Promise<void>;
  /** Deletes sessions idle or past their absolute expiry at `now`; returns how many. */
  deleteExpiredSessions(now: number): Promise<number>;
}
