// Row decoding for the SQLite store: column lists and the mappers from better-sqlite3's untyped
// rows to the Store's row types. Ids are stored as 16-byte UUIDs and enums as small integers
// (codec.ts); each row type is decoded in one place, so every statement file reads it alike.

import { EngineError } from '../../errors.js';
import { uuidFromBytes, uuidToBytes } from '../../ids.js';
import type {
  DeliveryRow,
  EpochRow,
  KeyRow,
  MatchRow,
  OrganisationRow,
  SecretRotationRow,
  SignalRow,
} from '../store.js';
import {
  DELIVERY_STATUSES,
  EVENT_TYPES,
  MATCH_KINDS,
  MATCH_STATUSES,
  decodeContact,
  decodeFlags,
  decodeInformed,
  decodeOutcome,
  decodeSide,
  decodeState,
} from './codec.js';

// biome-ignore lint/suspicious/noExplicitAny: better-sqlite3 rows are untyped
export type Row = any;

/**
 * A signal's columns with its contact's JSON (from `contacts`, schema step 6), for queries
 * `FROM signals` without an alias. The contact row must be the signal's own organisation's:
 * a dangling or foreign number reads as no contact, which the mapper refuses.
 */
export const SIGNAL_COLS =
  'rid, id, org, state, flags, (SELECT body FROM contacts WHERE contacts.rid = signals.contact AND contacts.org = signals.org) AS contact, informed, placed_at, expires_at, ended_at, purge_at, request_id, request_hash, person';
export const MATCH_COLS =
  'rid, id, kind, status, a, b, created_at, ended_at, contact_a, contact_b, outcome_a, outcome_b, regie, regie_since, proposal_by, proposal_for, proposal_at';
export const DELIVERY_COLS =
  'd.id, d.org, o.id AS org_id, d.url, d.type, d.match, d.cursor, d.status, d.attempts, d.next_attempt_at, d.last_error, d.created_at, d.delivered_at, d.claim, d.claimed_until';

/**
 * The columns a placement's reads take as arrays (`.raw()`) instead of one object per row with a
 * property per column (docs/performance.md "Thirty-third pass: the national year's own work"):
 * the organisation's, the epoch's and the signal's (SIGNAL_COLS), each decoded by the same
 * function as its object form.
 */
export const ORG_COLS = 'rid, id, name, type, status, webhook_url, budget, created_at, match_email';
export const EPOCH_COLS = 'epoch, status, kind, public_key, registered_at, retired_at';

export function org(r: Row): OrganisationRow {
  return orgRow(r.rid, r.id, r.name, r.type, r.status, r.webhook_url, r.budget, r.created_at, r.match_email);
}

/** `org` of a row read as an array of ORG_COLS. */
export function orgOfColumns(a: Row): OrganisationRow {
  return orgRow(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
}

function orgRow(
  rid: number,
  id: string,
  name: string,
  type: string,
  status: number,
  webhookUrl: string | null,
  budget: number,
  createdAt: number,
  matchEmail: number | boolean,
): OrganisationRow {
  return {
    rid,
    id,
    name,
    type,
    status: status === 0 ? 'active' : 'suspended',
    webhookUrl,
    placementBudgetPerDay: budget,
    createdAt,
    matchEmail: matchEmail === 1 || matchEmail === true,
  };
}

export function key(r: Row): KeyRow {
  return {
    keyId: r.key_id,
    role: r.role === 0 ? 'organisation' : 'admin',
    organisationRid: r.org,
    organisationId: r.org_id ?? null,
    publicKey: r.public_key,
    status: r.status === 0 ? 'active' : 'revoked',
    addedAt: r.added_at,
    revokedAt: r.revoked_at,
  };
}

export function signal(r: Row): SignalRow {
  return signalRow(
    r.rid,
    r.id,
    r.org,
    r.state,
    r.flags,
    r.contact,
    r.informed,
    r.placed_at,
    r.expires_at,
    r.ended_at,
    r.purge_at,
    r.request_id,
    r.request_hash,
    r.person,
  );
}

/** `signal` of a row read as an array of SIGNAL_COLS. */
export function signalOfColumns(a: Row): SignalRow {
  return signalRow(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13]);
}

function signalRow(
  rid: number,
  id: Uint8Array,
  organisationRid: number,
  state: number,
  flags: number,
  contact: string | null,
  informed: number,
  placedAt: number,
  expiresAt: number,
  endedAt: number | null,
  purgeAt: number | null,
  requestId: Uint8Array,
  requestHash: Uint8Array,
  person: number | bigint | null | undefined,
): SignalRow {
  const { status, endReason } = decodeState(state);
  return {
    rid,
    id: uuidFromBytes(id),
    organisationRid,
    status,
    endReason,
    contact: contactOf(contact),
    informed: decodeInformed(informed),
    placedAt,
    expiresAt,
    endedAt,
    purgeAt,
    ...decodeFlags(flags),
    requestId: uuidFromBytes(requestId),
    requestHash,
    personRid: person === null || person === undefined ? null : Number(person),
  };
}

function contactOf(body: string | null): SignalRow['contact'] {
  // Never another organisation's professional, never a crash: a signal without its
  // contact row is a damaged database.
  if (typeof body !== 'string') {
    throw new EngineError('database_corrupt', 'the database file is corrupt or not a sluis database');
  }
  return decodeContact(body);
}

export function match(r: Row): MatchRow {
  return {
    rid: r.rid,
    id: uuidFromBytes(r.id),
    kind: MATCH_KINDS[r.kind]!,
    status: MATCH_STATUSES[r.status]!,
    a: r.a,
    b: r.b,
    createdAt: r.created_at,
    endedAt: r.ended_at,
    contactMadeA: r.contact_a,
    contactMadeB: r.contact_b,
    outcomeA: decodeOutcome(r.outcome_a),
    outcomeB: decodeOutcome(r.outcome_b),
    regieHolder: decodeSide(r.regie),
    regieSince: r.regie_since,
    proposalBy: decodeSide(r.proposal_by),
    proposalFor: decodeSide(r.proposal_for),
    proposalAt: r.proposal_at,
  };
}

export function delivery(r: Row): DeliveryRow {
  return {
    id: uuidFromBytes(r.id),
    organisationRid: r.org,
    organisationId: r.org_id,
    url: r.url,
    type: EVENT_TYPES[r.type]!,
    matchId: uuidFromBytes(r.match),
    cursor: r.cursor,
    status: DELIVERY_STATUSES[r.status]!,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastErrorCode: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    claim: r.claim === null ? null : uuidFromBytes(r.claim),
    claimedUntil: r.claimed_until === null ? null : Number(r.claimed_until),
  };
}

export const idBytes = (id: string): Buffer => uuidToBytes(id) ?? Buffer.alloc(0);

export function rotationRow(r: Row): SecretRotationRow {
  return {
    generation: r.generation,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    maxSignalRid: r.max_signal,
    cursorRid: r.cursor,
    rowsRekeyed: r.rows_rekeyed,
    hashesRekeyed: r.hashes_rekeyed,
  };
}

export function epochRow(r: Row): EpochRow {
  return epochOf(r.epoch, r.status, r.kind, r.public_key, r.registered_at, r.retired_at);
}

/** `epochRow` of a row read as an array of EPOCH_COLS. */
export function epochOfColumns(a: Row): EpochRow {
  return epochOf(a[0], a[1], a[2], a[3], a[4], a[5]);
}

function epochOf(
  epoch: number,
  status: number,
  kind: number,
  publicKey: Uint8Array | null | undefined,
  registeredAt: number,
  retiredAt: number | null,
): EpochRow {
  return {
    epoch,
    status: status === 0 ? 'active' : 'retired',
    kind: kind === 1 ? 'oprf' : 'hmac',
    publicKey: publicKey === null || publicKey === undefined ? null : new Uint8Array(publicKey),
    registeredAt,
    retiredAt,
  };
}
