// The tamper-evident logbook (Jeugdwet art. 7.1.2.3 f; docs/engine.md "Logbook").
// hash = SHA-256(prevHash ‖ canonical JSON of {seq, at, actor, action, refs, details}),
// prevHash being the hex hash of the previous entry ('' for the first). Entries hold ids,
// codes and counts only — never a pseudonym or contact detail — so an erasure is never
// defeated by the log. Appended in the same transaction as the change it records.

import { createHash } from 'node:crypto';
import type { Actor, LogbookEntry, LogbookVerification } from '../api.js';
import { canonicalJson, type Json } from '../canonical-json.js';
import { isEngineError } from '../errors.js';
import type { LogRow, StoreReader, StoreWriter } from '../store/store.js';

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
  return createHash('sha256').update(prevHash, 'utf8').update(body, 'utf8').digest();
}

export async function appendLog(
  tx: StoreWriter,
  at: number,
  actor: Actor,
  action: string,
  refs: Refs,
  details: Details = {},
): Promise<void> {
  const last = await tx.lastLogEntry();
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last === undefined ? '' : Buffer.from(last.hash).toString('hex');
  const texts = {
    seq,
    at,
    actor: canonicalJson(normaliseActor(actor) as unknown as Json),
    action,
    refs: canonicalJson(refs),
    details: canonicalJson(details),
  };
  await tx.insertLogEntry({ ...texts, hash: entryHashOfTexts(prevHash, texts) });
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
  let prev = '';
  for (const r of rows) {
    if (r.seq >= from) out.push(toEntry(r, prev));
    prev = Buffer.from(r.hash).toString('hex');
  }
  return out.slice(0, limit);
}

/**
 * Recomputes the chain. An edited entry fails its own hash; a removed entry leaves a gap
 * in seq (and breaks the next entry's prevHash); a reordered entry fails both. Removing
 * the newest entries is detected only against a head hash kept elsewhere (an auditor's
 * copy of `headHash`). An entry the store cannot decode is bad as well.
 */
export async function verifyLogbook(tx: StoreReader, pageSize = 2000): Promise<LogbookVerification> {
  let prev = '';
  let expected = 1;
  let entries = 0;
  for (;;) {
    const { rows, unreadable } = await readPage(tx, expected, pageSize);
    for (const r of rows) {
      let ok = r.seq === expected;
      if (ok) {
        try {
          const h = entryHash(prev, {
            seq: r.seq,
            at: r.at,
            actor: JSON.parse(r.actor) as Actor,
            action: r.action,
            refs: JSON.parse(r.refs) as Refs,
            details: JSON.parse(r.details) as Details,
          });
          ok = h.equals(Buffer.from(r.hash));
        } catch {
          ok = false;
        }
      }
      if (!ok) return { ok: false, entries, headHash: prev, firstBadSeq: expected };
      prev = Buffer.from(r.hash).toString('hex');
      expected++;
      entries++;
    }
    if (unreadable) return { ok: false, entries, headHash: prev, firstBadSeq: expected };
    if (rows.length < pageSize) break;
  }
  // A row with a seq below 1 or a duplicate cannot exist (INTEGER PRIMARY KEY); rows
  // beyond a gap are caught above because logEntries(from) starts at `expected`.
  const tail = await tx.logEntries(expected, 1);
  if (tail.length > 0) return { ok: false, entries, headHash: prev, firstBadSeq: expected };
  return { ok: true, entries, headHash: prev };
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
