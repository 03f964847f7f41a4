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

/** A person's one outstanding enrolment code: its selector and SHA-256 of its verifier (§10.1). */
export interface EnrolmentCodeRow {
  readonly personRid: number;
  /** The person's public id (joined on read). */
  readonly personId: string;
  readonly selector: string;
  /** 32 bytes; the verifier itself is never stored. */
  readonly verifierHash: Uint8Array;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** A registered passkey (a "device"). Only its public key is held. */
export interface DeviceRow {
  readonly rid: number;
  /** Public id (a UUID). */
  readonly id: string;
  readonly personRid: number;
  /** The person's public id (joined on read). */
  readonly personId: string;
  /** The WebAuthn credential id, base64url. */
  readonly credentialId: string;
  /** The COSE public key as the authenticator gave it. */
  readonly publicKey: Uint8Array;
  /** The last signature counter seen (0: the authenticator keeps none). */
  readonly counter: number;
  readonly name: string;
  readonly transports: readonly string[];
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}
export type NewDevice = Omit<DeviceRow, 'rid' | 'personId'>;
export type NewEnrolmentCode = Omit<EnrolmentCodeRow, 'personId'>;

/** Stored as the index in this order (0 enrol, 1 sign_in, 2 add_device, 3 step_up); append only. */
export type ChallengePurpose = 'enrol' | 'sign_in' | 'add_device' | 'step_up';

/** A WebAuthn challenge handed out and not yet answered (single use, short-lived). */
export interface ChallengeRow {
  readonly id: string;
  readonly purpose: ChallengePurpose;
  /** base64url of the challenge bytes the authenticator signs over. */
  readonly challenge: string;
  /** The person it was issued for (enrol, add_device, step_up); null for sign-in (discoverable). */
  readonly personRid: number | null;
  /** Sign-in: the 32-byte Ed25519 session key the challenge commits to (§10.3). */
  readonly sessionKey: Uint8Array | null;
  readonly expiresAt: number;
}

/** A signed-in session: its Ed25519 public key signs every request (§10.4). */
export interface SessionRow {
  /** The request key id of the session (§10.4): 32 base64url characters. */
  readonly id: string;
  readonly personRid: number;
  /** The person's public id (joined on read). */
  readonly personId: string;
  readonly deviceRid: number;
  readonly publicKey: Uint8Array;
  readonly createdAt: number;
  /** Ends unless a request comes before it; moved on by requests. */
  readonly idleExpiresAt: number;
  /** Ends at the latest. */
  readonly expiresAt: number;
}
export type NewSession = Omit<SessionRow, 'personId'>;

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
