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

export function org(r: Row): OrganisationRow {
  return {
    rid: r.rid,
    id: r.id,
    name: r.name,
    type: r.type,
    status: r.status === 0 ? 'active' : 'suspended',
    webhookUrl: r.webhook_url,
    placementBudgetPerDay: r.budget,
    createdAt: r.created_at,
    matchEmail: r.match_email === 1 || r.match_email === true,
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
  const { status, endReason } = decodeState(r.state);
  const flags = decodeFlags(r.flags);
  return {
    rid: r.rid,
    id: uuidFromBytes(r.id),
    organisationRid: r.org,
    status,
    endReason,
    contact: contactOf(r.contact),
    informed: decodeInformed(r.informed),
    placedAt: r.placed_at,
    expiresAt: r.expires_at,
    endedAt: r.ended_at,
    purgeAt: r.purge_at,
    ...flags,
    requestId: uuidFromBytes(r.request_id),
    requestHash: r.request_hash,
    personRid: r.person === null || r.person === undefined ? null : Number(r.person),
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
  return {
    epoch: r.epoch,
    status: r.status === 0 ? 'active' : 'retired',
    kind: r.kind === 1 ? 'oprf' : 'hmac',
    publicKey: r.public_key === null || r.public_key === undefined ? null : new Uint8Array(r.public_key),
    registeredAt: r.registered_at,
    retiredAt: r.retired_at,
  };
}
