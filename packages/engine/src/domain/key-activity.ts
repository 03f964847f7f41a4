// The review of a key's activity (docs/keys.md, docs/threat-model.md: `key-placements`) and the
// logbook entries of webhook key events: an admin's forensic read of the logbook, itself logged
// (`key.activity_reviewed`). Invariant: nothing here returns or logs more than ids, times and
// the signals' states.

import type { Actor, KeyActivity, KeyEventAction, LogbookEntry, WebhookKeyRecord } from '../api.js';
import { EngineError } from '../errors.js';
import type { IndexedLogAction, StoreReader } from '../store/store.js';
import { fail } from '../validation.js';
import { type EngineContext, requireAdmin } from './context.js';
import { appendLog, readLogbook } from './logbook.js';

const MAX_ACTIVITY = 10_000;
const KEY_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Logbook entries made with one key in [from, to), and the signals it placed then with
 * their current state. A linear scan of the logbook in pages: a rare forensic query,
 * not worth an index on every entry (docs/engine.md "Size").
 */
export async function keyActivity(
  ctx: EngineContext,
  actor: Actor,
  keyId: string,
  from: number,
  to: number,
): Promise<KeyActivity> {
  requireAdmin(actor);
  const bad: string[] = [];
  if (typeof keyId !== 'string' || !KEY_ID_RE.test(keyId)) bad.push('keyId');
  if (!Number.isSafeInteger(from) || from < 0) bad.push('from');
  if (!Number.isSafeInteger(to) || to <= from) bad.push('to');
  if (bad.length > 0) fail(bad);
  const result = await ctx.store.read(async (tx) => {
    if ((await tx.getKey(keyId)) === undefined) throw new EngineError('not_found', 'not found');
    const entries: LogbookEntry[] = [];
    const placed: { signalId: string; at: number; seq: number }[] = [];
    let truncated = false;
    for (let seq = 1; ; ) {
      const page = await readLogbook(tx, seq, 5000);
      for (const e of page) {
        if (e.at < from || e.at >= to || !actedWith(e, keyId)) continue;
        if (entries.length >= MAX_ACTIVITY) {
          truncated = true;
          break;
        }
        entries.push(e);
        if (e.action === 'signal.placed' && e.refs.signalId !== undefined) {
          placed.push({ signalId: e.refs.signalId, at: e.at, seq: e.seq });
        } else if (e.action === 'signals.placed' && e.refs.signalIds !== undefined) {
          for (const id of e.refs.signalIds.split(',')) placed.push({ signalId: id, at: e.at, seq: e.seq });
        }
      }
      if (truncated || page.length < 5000) break;
      seq = page[page.length - 1]!.seq + 1;
    }
    return { entries, placed, truncated };
  });
  const placements = await ctx.store.read(async (tx: StoreReader) => {
    const out: KeyActivity['placements'][number][] = [];
    for (const p of result.placed) {
      const s = await tx.getSignal(p.signalId);
      out.push({ ...p, status: s === undefined ? 'deleted' : s.status });
    }
    return out;
  });
  await ctx.store.write((tx) =>
    appendLog(
      tx,
      ctx.clock(),
      actor,
      'key.activity_reviewed',
      { keyId },
      {
        from,
        to,
        entries: result.entries.length,
      },
    ),
  );
  return { keyId, from, to, placements, entries: result.entries, truncated: result.truncated };
}

function actedWith(e: LogbookEntry, keyId: string): boolean {
  return (e.actor.kind === 'organisation' || e.actor.kind === 'admin') && e.actor.keyId === keyId;
}

const KEY_EVENTS: readonly KeyEventAction[] = [
  'webhook_key.added',
  'webhook_key.signing',
  'webhook_key.retired',
];

export async function recordKeyEvent(
  ctx: EngineContext,
  actor: Actor,
  action: KeyEventAction,
  refs: Readonly<Record<string, string>>,
): Promise<void> {
  requireAdmin(actor);
  if (!KEY_EVENTS.includes(action)) fail(['action']);
  const keyId = refs.keyId;
  if (typeof keyId !== 'string' || !KEY_ID_RE.test(keyId) || Object.keys(refs).length !== 1) fail(['refs']);
  await ctx.store.write((tx) => appendLog(tx, ctx.clock(), actor, action, { keyId }));
}

const RECORDED: readonly IndexedLogAction[] = ['webhook_key.added', 'webhook_key.retired'];
const RECORD_PAGE = 1000;

/**
 * The logbook's webhook key additions and retirements after `afterSeq` (0: all that retention
 * left), up to the head when the read began, for an instance to compare its keys/ with
 * (docs/keys.md §4.5 "Several instances"): key ids and seqs only. An instance reads from a
 * cursor, so a read while running covers the entries written since its last one.
 */
export async function webhookKeyRecord(ctx: EngineContext, afterSeq: number): Promise<WebhookKeyRecord> {
  if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) fail(['afterSeq']);
  return ctx.store.read(async (tx) => {
    const head = (await tx.lastLogEntry())?.seq ?? afterSeq;
    const events: WebhookKeyRecord['events'][number][] = [];
    for (let from = afterSeq; from < head; ) {
      const page = await tx.logEntriesWithAction(from, RECORDED, RECORD_PAGE);
      for (const r of page) {
        if (r.seq > head) break;
        const keyId = (JSON.parse(r.refs) as { keyId?: unknown }).keyId;
        if (typeof keyId === 'string') {
          events.push({
            seq: r.seq,
            action: r.action as WebhookKeyRecord['events'][number]['action'],
            keyId,
          });
        }
      }
      if (page.length < RECORD_PAGE) break;
      from = page[page.length - 1]!.seq;
    }
    return { events, throughSeq: Math.max(head, afterSeq) };
  });
}
