// The proof that a migrate-store copy holds what the source held (docs/operations.md
// "Moving to PostgreSQL"): the row count of every table, and then — through each store's
// own reader, so the comparison is of what the engine will read, not of bytes — the
// store's counts, the logbook head and checkpoint, and a random sample of matches with
// both signals, their stored pseudonyms, consents and agreement entries. Failures name a
// table or a sample position, never a value.

import type Database from 'better-sqlite3';
import { uuidFromBytes } from '../../ids.js';
import type { Sql } from '../postgres/pg-core.js';
import { PgTx } from '../postgres/pg-tx.js';
import { SqliteTx } from '../sqlite/sqlite-tx.js';
import type { StoreReader } from '../store.js';
import { quote, type TableCopy } from './transfer-plan.js';

export interface TransferVerification {
  readonly ok: boolean;
  /** Rows per table in the target (equal to the source's when ok). */
  readonly rows: Readonly<Record<string, number>>;
  /** The logbook head both stores report (seq, hash in hex), or null for an empty logbook. */
  readonly logHead: { readonly seq: number; readonly hash: string } | null;
  readonly sampledMatches: number;
  /** What differs (a table, a check, a sample position); empty when ok. */
  readonly failures: readonly string[];
}

/** The modulus of a merged table's checksum; the sums are compared as text (SQLite's integer sum, PostgreSQL's numeric). */
const RESIDUE = 1_000_000_007;

/** A row as comparable text: byte arrays as hex, keys in a fixed order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x !== null && typeof x === 'object' && 'type' in x && (x as { type: unknown }).type === 'Buffer') {
      return Buffer.from((x as unknown as { data: number[] }).data).toString('hex');
    }
    if (ArrayBuffer.isView(x)) return Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('hex');
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      return Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return x;
  });
}

/** Everything one match brings along, read through a store reader. */
async function matchBundle(r: StoreReader, matchId: string): Promise<string> {
  const m = await r.getMatch(matchId);
  if (m === undefined) return 'missing';
  const sides = [];
  for (const rid of [m.a, m.b]) {
    const pseudonyms = (await r.pseudonymsOf(rid)).map(canonical).sort();
    sides.push({
      signal: await r.getSignalByRid(rid),
      pseudonyms,
      consent: await r.getConsent(rid),
    });
  }
  return canonical({ match: m, sides, agreements: await r.agreementEntries(m.rid) });
}

export async function verifyTransfer(
  source: Database.Database,
  target: Sql,
  plan: readonly TableCopy[],
  sample: number,
): Promise<TransferVerification> {
  const failures: string[] = [];
  const rows: Record<string, number> = {};
  for (const { table, merge } of plan) {
    const [to] = await target.unsafe(`SELECT count(*)::bigint AS n FROM ${quote(table)}`);
    rows[table] = Number(to?.n);
    if (merge === undefined) {
      const from = (source.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }).n;
      if (from !== rows[table]) failures.push(`row count of ${table}`);
      continue;
    }
    // A table whose SQLite rows may repeat PostgreSQL's key: one row per key there, with the
    // largest `wins` value (compared as a count and a sum of residues, as text, so exact).
    const key = merge.key.map((c) => quote(c.name)).join(', ');
    const wins = quote(merge.wins.name);
    const expected = source
      .prepare(
        `SELECT count(*) AS n, CAST(coalesce(sum(m % ${RESIDUE}), 0) AS TEXT) AS s FROM (SELECT max(${wins}) AS m FROM ${quote(table)} GROUP BY ${key})`,
      )
      .get() as { n: number; s: string };
    const [got] = await target.unsafe(
      `SELECT coalesce(sum(${wins} % ${RESIDUE}), 0)::text AS s FROM ${quote(table)}`,
    );
    if (expected.n !== rows[table]) failures.push(`row count of ${table}`);
    else if (expected.s !== got?.s) failures.push(`merged values of ${table}`);
  }

  const s = new SqliteTx(source);
  const p = new PgTx(target, false);
  if (canonical(await s.counts()) !== canonical(await p.counts())) failures.push('store counts');
  // Every stored active signal at time 0 (none is due then): each epoch's stored values agree.
  if (canonical(await s.epochSignalCounts(0)) !== canonical(await p.epochSignalCounts(0)))
    failures.push('epoch counts');
  const head = await s.lastLogEntry();
  if (canonical(head) !== canonical(await p.lastLogEntry())) failures.push('logbook head');
  if (canonical(await s.logCheckpoint()) !== canonical(await p.logCheckpoint()))
    failures.push('logbook checkpoint');

  const ids = source.prepare('SELECT id FROM matches ORDER BY random() LIMIT ?').all(sample) as {
    id: Buffer;
  }[];
  let i = 0;
  for (const { id } of ids) {
    const matchId = uuidFromBytes(id);
    if ((await matchBundle(s, matchId)) !== (await matchBundle(p, matchId)))
      failures.push(`sampled match ${i}`);
    i++;
  }
  return {
    ok: failures.length === 0,
    rows,
    logHead: head === undefined ? null : { seq: head.seq, hash: Buffer.from(head.hash).toString('hex') },
    sampledMatches: ids.length,
    failures,
  };
}
