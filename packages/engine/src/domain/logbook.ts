// The tamper-evident logbook (Jeugdwet art. 7.1.2.3 f; docs/engine.md "Logbook").
// hash = SHA-256(prevHash ‖ canonical JSON of {seq, at, actor, action, refs, details}),
// prevHash being the hex hash of the previous entry ('' for the first). Entries hold ids,
// codes and counts only — never a pseudonym or contact detail — so an erasure is never
// defeated by the log. Appended in the same transaction as the change it records. Entries
// older than the retention term are purged behind a checkpointed head (purgeLogbook), and
// verification starts from that head (docs/engine.md "Logbook retention").

import { hash } from 'node:crypto';
import {
  type Actor,
  LOGBOOK_COLUMNS,
  type LogbookColumn,
  type LogbookEntry,
  type LogbookVerification,
} from '../api.js';
import { canonicalJson, type Json } from '../canonical-json.js';
import { isEngineError } from '../errors.js';
import type { LogRow, StoreReader, StoreWriter } from '../store/store.js';
import { DAY_MS } from '../time.js';
import { fail } from '../validation.js';
import type { EngineContext } from './context.js';
import type { LogAction } from './logbook-actions.js';

export type Refs = Readonly<Record<string, string>>;
export type Details = Readonly<Record<string, string | number | boolean>>;

export function entryHash(
  prevHash: string,
  e: { seq: number; at: number; actor: Actor; action: string; refs: Refs; details: Details },
): Buffer {
  return entryHashOfTexts(prevHash, {
    seq: e.seq,
    at: e.at,
    actor: canonicalJson(e.actor as unknown as Json),
    action: e.action,
    refs: canonicalJson(e.refs),
    details: canonicalJson(e.details),
  });
}

/**
 * The same hash from the entry's canonical texts, as stored: the canonical JSON of the
 * whole entry is those texts between its keys in sorted order (action, actor, at, details,
 * refs, seq), so an append serialises each part once (test: "the hash of the texts is the
 * hash of the canonical entry").
 */
export function entryHashOfTexts(
  prevHash: string,
  e: { seq: number; at: number; actor: string; action: string; refs: string; details: string },
): Buffer {
  const body = `{"action":${canonicalJson(e.action)},"actor":${e.actor},"at":${canonicalJson(e.at)},"details":${e.details},"refs":${e.refs},"seq":${canonicalJson(e.seq)}}`;
  // One-shot: the UTF-8 bytes of prevHash ‖ body, as two updates would hash them, without a
  // Hash object per entry (docs/performance.md "Twenty-seventh pass: bulk, the logbook's head read once").
  return hash('sha256', prevHash + body, 'buffer');
}

export async function appendLog(
  tx: StoreWriter,
  at: number,
  actor: Actor,
  action: LogAction,
  refs: Refs,
  details: Details = {},
): Promise<void> {
  const actorJson = actorText(actor);
  const refsJson = canonicalJson(refs);
  const detailsJson = canonicalJson(details);
  // The store chains the entry onto its head, possibly only just before COMMIT (store.ts,
  // appendLogEntry). After a purge the newest entry always remains (purgeLogThrough), but a
  // store whose entries are all gone continues from the checkpointed head, never from 1.
  // Each object is written out once, its keys in the order the entry always had.
  await tx.appendLogEntry((last) => {
    const seq = (last?.seq ?? 0) + 1;
    const texts = { at, actor: actorJson, action, refs: refsJson, details: detailsJson, seq };
    const prevHash = last === undefined ? '' : Buffer.from(last.hash).toString('hex');
    return {
      at,
      actor: actorJson,
      action,
      refs: refsJson,
      details: detailsJson,
      seq,
      hash: entryHashOfTexts(prevHash, texts),
    };
  });
}

/**
 * appendLog for an operation that derived stored values at server-secret generation `used`:
 * the write fails with `secret_generation_stale` when the store's generation, read under the
 * logbook section the append enters, is newer (tx.fenceGeneration; docs/engine.md "Storage
 * contract", clause 5). A store may check at the deferred append, just before COMMIT, so
 * the refusal can come from the write itself; secret-generation.ts runs it again either way.
 */
export async function appendLogFenced(
  tx: StoreWriter,
  used: number,
  at: number,
  actor: Actor,
  action: LogAction,
  refs: Refs,
  details: Details = {},
): Promise<void> {
  await tx.fenceGeneration(used);
  await appendLog(tx, at, actor, action, refs, details);
}

/** How many actors actorText remembers; the memo starts afresh when full. */
const ACTORS_MAX = 1024;
/** How many actors one key id is remembered with (a key acts for one organisation, a session key for one person). */
const ACTORS_PER_KEY = 8;

/** An actor's fields that normaliseActor can keep, and its text. */
interface RememberedActor {
  readonly kind: unknown;
  readonly organisationId: string | undefined;
  readonly personId: string | undefined;
  readonly personRole: string | undefined;
  readonly text: string;
}
/** By key id (undefined: an actor without one). */
const actorTexts = new Map<string | undefined, RememberedActor[]>();
let actorsRemembered = 0;

/**
 * The canonical JSON of the normalised actor, remembered per actor: an organisation's key
 * writes most entries (one per placement), always with the same actor text (docs/performance.md
 * "Seventh pass"). An actor is found by its key id, then compared field by field on every field
 * normaliseActor can keep, so no two actors share a text (test: "the remembered actor text is
 * the canonical JSON"); no key string is built per entry ("Thirty-seventh pass").
 */
function actorText(a: Actor): string {
  const organisationId: unknown = 'organisationId' in a ? a.organisationId : undefined;
  const keyId: unknown = 'keyId' in a ? a.keyId : undefined;
  const personId: unknown = 'personId' in a ? a.personId : undefined;
  const personRole: unknown = 'personRole' in a ? a.personRole : undefined;
  // Anything but a string or nothing in the kept fields is serialised as it is, not remembered.
  if (!(typeof organisationId === 'string' || organisationId === undefined))
    return canonicalJson(normaliseActor(a) as unknown as Json);
  if (!(typeof keyId === 'string' || keyId === undefined))
    return canonicalJson(normaliseActor(a) as unknown as Json);
  const kind: unknown = a.kind;
  const id = typeof personId === 'string' ? personId : undefined;
  const role = typeof personRole === 'string' ? personRole : undefined;
  let known = actorTexts.get(keyId);
  if (known !== undefined) {
    for (const m of known) {
      if (
        m.kind === kind &&
        m.organisationId === organisationId &&
        m.personId === id &&
        m.personRole === role
      )
        return m.text;
    }
  }
  const text = canonicalJson(normaliseActor(a) as unknown as Json);
  if (actorsRemembered >= ACTORS_MAX) {
    actorTexts.clear();
    actorsRemembered = 0;
    known = undefined;
  }
  if (known === undefined || known.length >= ACTORS_PER_KEY) {
    actorsRemembered -= known?.length ?? 0;
    known = [];
    actorTexts.set(keyId, known);
  }
  known.push({ kind, organisationId, personId: id, personRole: role, text });
  actorsRemembered++;
  return text;
}

/**
 * Only the fields of the actor type are logged, whatever else the object carries. A
 * person is named by id and the role acted in — never by name — so erasing the person's
 * details never needs the chain rewritten.
 */
function normaliseActor(a: Actor): Actor {
  const person =
    a.kind !== 'system' && typeof a.personId === 'string' && typeof a.personRole === 'string'
      ? { personId: a.personId, personRole: a.personRole }
      : {};
  if (a.kind === 'organisation')
    return { kind: a.kind, organisationId: a.organisationId, keyId: a.keyId, ...person };
  if (a.kind === 'admin') return { kind: a.kind, keyId: a.keyId, ...person };
  return { kind: 'system' };
}

export function toEntry(row: LogRow, prevHash: string): LogbookEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: JSON.parse(row.actor) as Actor,
    action: row.action,
    refs: JSON.parse(row.refs) as Refs,
    details: JSON.parse(row.details) as Details,
    prevHash,
    hash: Buffer.from(row.hash).toString('hex'),
  };
}

export async function readLogbook(tx: StoreReader, fromSeq: number, limit: number): Promise<LogbookEntry[]> {
  const from = Math.max(1, fromSeq);
  const rows = await tx.logEntries(from - 1, limit + 1);
  const out: LogbookEntry[] = [];
  // The first entry after a purge chains to the checkpointed head.
  const checkpoint = await tx.logCheckpoint();
  let prev = checkpoint !== undefined && rows[0]?.seq === checkpoint.seq + 1 ? hex(checkpoint.hash) : '';
  for (const r of rows) {
    if (r.seq >= from) out.push(toEntry(r, prev));
    prev = Buffer.from(r.hash).toString('hex');
  }
  return out.slice(0, limit);
}

/** Engine.logbook: up to `limit` (1–5000) entries from `fromSeq` on. */
export async function logbookPage(
  ctx: EngineContext,
  fromSeq: number,
  limit: number,
): Promise<LogbookEntry[]> {
  if (!Number.isInteger(fromSeq) || fromSeq < 1) fail(['fromSeq']);
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000) fail(['limit']);
  return ctx.store.read((tx) => readLogbook(tx, fromSeq, limit));
}

/** Engine.verifyLogbook: the stored chain, verified. */
export async function verifyStoredLogbook(ctx: EngineContext): Promise<LogbookVerification> {
  return ctx.store.read((tx) => verifyLogbook(tx));
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The logbook entry that attests a purge: its checkpoint, inside the chain. */
export const LOGBOOK_PURGED = 'logbook.purged';

/**
 * Recomputes the chain. An edited entry fails its own hash; a removed entry leaves a gap
 * in seq (and breaks the next entry's prevHash); a reordered entry fails both. Removing
 * the newest entries is detected only against a head hash kept elsewhere (an auditor's
 * copy of `headHash`). An entry the store cannot decode is bad as well. After a purge the
 * chain starts from the checkpointed head, and the newest `logbook.purged` entry must name
 * exactly that head (seq and hash): a checkpoint moved on to hide more entries, or one
 * without its entry, is bad (firstBadSeq: the first entry after the checkpoint). A failure
 * names its `reason` (LogbookBreak), and a column only for `stored_form`: never a value.
 */
export async function verifyLogbook(tx: StoreReader, pageSize = 2000): Promise<LogbookVerification> {
  const checkpoint = await tx.logCheckpoint();
  // The chain as it stood when the verification began: on a store whose reads are not one
  // snapshot (PostgreSQL, several instances) entries appended meanwhile are not part of it,
  // and must not read as rows beyond a gap.
  const head = await tx.lastLogEntry();
  let prev = checkpoint === undefined ? '' : hex(checkpoint.hash);
  let expected = (checkpoint?.seq ?? 0) + 1;
  let entries = 0;
  let attested: { throughSeq: unknown; headHash: unknown } | undefined;
  /** The chain verified so far, broken at `expected`. */
  const broken = (why: Pick<LogbookVerification, 'reason' | 'column'>): LogbookVerification => ({
    ok: false,
    entries,
    headHash: prev,
    firstBadSeq: expected,
    ...why,
  });
  for (;;) {
    const { rows, unreadable } = await readPage(tx, expected, pageSize);
    for (const r of rows) {
      if (head !== undefined && r.seq > head.seq) break;
      if (r.seq !== expected) return broken({ reason: 'missing_entry' });
      let ok = false;
      try {
        ok = entryHash(prev, toEntry(r, prev)).equals(Buffer.from(r.hash));
      } catch {
        // A text that is not JSON: bad, like any other edit.
      }
      if (!ok) {
        const column = controlColumn(r);
        return broken(column === undefined ? { reason: 'hash_mismatch' } : { reason: 'stored_form', column });
      }
      if (r.action === LOGBOOK_PURGED) attested = JSON.parse(r.details) as typeof attested;
      prev = Buffer.from(r.hash).toString('hex');
      expected++;
      entries++;
    }
    if (unreadable) return broken({ reason: 'unreadable' });
    if (rows.length < pageSize || (head !== undefined && expected > head.seq)) break;
  }
  // A row with a seq below 1 or a duplicate cannot exist (INTEGER PRIMARY KEY); rows
  // beyond a gap are caught above because logEntries(from) starts at `expected`.
  const tail = await tx.logEntries(expected, 1);
  if (head !== undefined ? expected <= head.seq : tail.length > 0) {
    return broken({ reason: 'missing_entry' });
  }
  if (
    checkpoint !== undefined &&
    (attested?.throughSeq !== checkpoint.seq || attested.headHash !== hex(checkpoint.hash))
  ) {
    return { ok: false, entries, headHash: prev, firstBadSeq: checkpoint.seq + 1, reason: 'checkpoint' };
  }
  return { ok: true, entries, headHash: prev };
}

/**
 * The first text column of `r`, an entry that fails its hash, that starts with U+0001: the
 * leading byte of SQLite's compact stored form (logbook-codec.ts, docs/engine.md "Logbook")
 * read back as TEXT instead of BLOB, e.g. an edit undone with replace(), which answers TEXT
 * (docs/operations.md "When logbook-verify fails"). No text the engine writes starts so
 * (canonical JSON escapes control characters, actions are codes); any other hand-written
 * control character, a pasted newline say, is an ordinary `hash_mismatch`, for which casting
 * the cell to a BLOB would be no repair. The column is named, its value never.
 */
function controlColumn(r: LogRow): LogbookColumn | undefined {
  return LOGBOOK_COLUMNS.find((c) => r[c].charCodeAt(0) === 0x01);
}

/** Entries purged per write: short transactions, each attested by its own entry. */
const PURGE_CHUNK = 10_000;

/**
 * Purges the entries older than `logbookRetentionDays` (docs/engine.md "Logbook
 * retention"): a prefix of the chain, in chunks. Each chunk records the newest purged
 * entry as the checkpointed head (seq, at, hash) and appends a `logbook.purged` entry
 * naming it (throughSeq, headHash, count), in the same write, so the chain itself vouches
 * for where it now starts; the access requests' rows of the purged time go with them. The newest entry is never purged. Returns the entries purged.
 */
export async function purgeLogbook(ctx: EngineContext, actor: Actor, at: number): Promise<number> {
  const cutoff = at - ctx.config.logbookRetentionDays * DAY_MS;
  let purged = 0;
  for (;;) {
    const n = await ctx.store.write(async (tx) => {
      const checkpoint = await tx.logCheckpoint();
      const last = await tx.lastLogEntry();
      if (last === undefined) return 0;
      const rows = await tx.logEntries((checkpoint?.seq ?? 0) + 1, PURGE_CHUNK);
      let through: LogRow | undefined;
      for (const r of rows) {
        // A prefix only: the first entry inside the term ends it, whatever follows.
        if (r.at >= cutoff || r.seq >= last.seq) break;
        through = r;
      }
      if (through === undefined) return 0;
      const count = await tx.purgeLogThrough({ seq: through.seq, at: through.at, hash: through.hash });
      // The link from signals to the access requests goes with the requests' entries
      // (docs/leakage.md §3.5): the request's row and its entry share their time.
      await tx.deleteAccessRequestsThrough(through.at);
      await appendLog(
        tx,
        at,
        actor,
        LOGBOOK_PURGED,
        {},
        {
          throughSeq: through.seq,
          headHash: hex(through.hash),
          entries: count,
        },
      );
      return count;
    });
    purged += n;
    if (n < PURGE_CHUNK) return purged;
  }
}

/**
 * A page of rows; when the store cannot decode one (`database_corrupt`: an entry's stored
 * form was damaged or forged), the rows before it one by one and `unreadable`, so the
 * verification still names the first bad entry instead of failing as a whole.
 */
async function readPage(
  tx: StoreReader,
  from: number,
  limit: number,
): Promise<{ rows: LogRow[]; unreadable: boolean }> {
  try {
    return { rows: await tx.logEntries(from, limit), unreadable: false };
  } catch (e) {
    if (!isEngineError(e, 'database_corrupt')) throw e;
  }
  const rows: LogRow[] = [];
  let next = from;
  while (rows.length < limit) {
    let one: LogRow[];
    try {
      one = await tx.logEntries(next, 1);
    } catch (e) {
      if (!isEngineError(e, 'database_corrupt')) throw e;
      return { rows, unreadable: true };
    }
    const r = one[0];
    if (r === undefined) break;
    rows.push(r);
    next = r.seq + 1;
  }
  return { rows, unreadable: false };
}
