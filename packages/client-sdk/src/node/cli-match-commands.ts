// `sluis matches` and `sluis followup`: the match inbox as a table (optionally watched,
// resuming from a cursor file) and recording follow-up outcomes and regie. Invariant: the cursor
// file is written 0600 and atomically after each page written to stdout, never after one whose
// reader had gone, so a rerun misses no event (docs/sdk.md "CLI reference (`sluis`)").

import { promises as fs } from 'node:fs';
import {
  FOLLOW_UP_OUTCOMES,
  type FollowUpOutcome,
  type FollowUpRecord,
  type InboxEvent,
  type Party,
  type RegieAction,
} from '../client/types.js';
import { usageError } from './cli-config.js';
import { type Ctx, EXIT, client, intFlag, out, positional, table } from './cli-context.js';

function eventRow(e: InboxEvent): string[] {
  const m = e.match;
  const regie =
    m === null
      ? ''
      : m.regie.holder === null
        ? m.regie.proposal === null
          ? '-'
          : 'proposed'
        : m.regie.holder;
  return [
    e.cursor,
    e.type,
    e.matchId,
    m?.kind ?? '',
    m?.counterpart.organisationName ?? '',
    // No contact for three reasons (docs/engine.md "What a match reveals"): under objection or
    // restricted, each said as such and nothing more (docs/sdk.md "Under objection"); else the
    // counterpart's signal ended: "-".
    m === null
      ? ''
      : m.underObjection
        ? 'UNDER OBJECTION'
        : m.restricted
          ? 'RESTRICTED'
          : m.counterpart.contact === null
            ? '-'
            : `${m.counterpart.contact.name} (${m.counterpart.contact.role})`,
    m?.counterpart.contact?.phone ?? '',
    m?.counterpart.contact?.email ?? '',
    regie,
  ];
}

const EVENT_HEADER = [
  'CURSOR',
  'EVENT',
  'MATCH',
  'KIND',
  'ORGANISATION',
  'CONTACT',
  'PHONE',
  'EMAIL',
  'REGIE',
];

export async function matches(ctx: Ctx): Promise<number> {
  const v = ctx.values;
  const limit = intFlag(v.limit, 'limit', 1, 500);
  const interval = intFlag(v.interval, 'interval', 1, 86_400) ?? 30;
  const cursorFile = v['cursor-file'];
  let cursor = v.cursor;
  if (cursor === undefined && cursorFile !== undefined) {
    try {
      cursor = (await fs.readFile(cursorFile, 'utf8')).trim() || undefined;
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT') throw usageError('cursor file cannot be read');
    }
  }
  const c = await client(ctx, false);
  const watch = v.watch === true;
  let printedHeader = false;
  for (;;) {
    const rows: string[][] = [];
    let shown = 0;
    for await (const e of c.inbox({
      ...(cursor === undefined ? {} : { from: cursor }),
      ...(limit === undefined ? {} : { limit }),
    })) {
      if (ctx.json) ctx.io.stdout.write(`${JSON.stringify(e)}\n`);
      else rows.push(eventRow(e));
      cursor = e.cursor;
      // --limit n: at most n events (per poll with --watch); the cursor file resumes after them.
      if (ctx.io.signal?.aborted === true || (limit !== undefined && ++shown >= limit)) break;
    }
    if (!ctx.json && (rows.length > 0 || (!watch && !printedHeader))) {
      ctx.io.stdout.write(table(printedHeader ? rows : [EVENT_HEADER, ...rows]));
      printedHeader = true;
    }
    // The cursor stands for what reached stdout: when the reader has gone (EPIPE), some of these
    // events never did, so the file keeps the last cursor and the next run shows them again.
    const closed = (await ctx.io.stdoutClosed?.()) === true;
    if (cursorFile !== undefined && cursor !== undefined && !closed) await saveCursor(cursorFile, cursor);
    if (!watch || closed || ctx.io.signal?.aborted === true) break;
    await (ctx.io.sleep ?? defaultSleep)(interval * 1000, ctx.io.signal);
    if (aborted(ctx)) break;
  }
  return EXIT.ok;
}

/** Temp file + rename: an interrupted save leaves the old cursor, never an empty or partial file. */
async function saveCursor(path: string, cursor: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await fs.writeFile(tmp, `${cursor}\n`, { mode: 0o600 });
  await fs.rename(tmp, path);
}

function aborted(ctx: Ctx): boolean {
  return ctx.io.signal?.aborted === true;
}

export async function followup(ctx: Ctx): Promise<number> {
  const sub = positional(ctx, 1, 'followup action (contact-made, outcome or regie)');
  const matchId = positional(ctx, 2, 'match id');
  let action: RegieAction | undefined;
  let outcome: FollowUpOutcome = 'contact_made';
  if (sub === 'regie') {
    const a = ctx.values.action;
    if (a === 'propose') {
      const f = ctx.values.for ?? 'me';
      if (f !== 'me' && f !== 'counterpart') throw usageError('--for must be me or counterpart');
      action = { action: 'propose', for: f as Party };
    } else if (a === 'accept' || a === 'decline' || a === 'handover') {
      action = { action: a };
    } else {
      throw usageError('--action must be propose, accept, decline or handover');
    }
  } else if (sub === 'outcome') {
    const o = positional(ctx, 3, 'outcome');
    if (!FOLLOW_UP_OUTCOMES.includes(o as FollowUpOutcome)) {
      throw usageError(`the outcome must be one of ${FOLLOW_UP_OUTCOMES.join(', ')}`);
    }
    outcome = o as FollowUpOutcome;
  } else if (sub !== 'contact-made') {
    throw usageError('followup needs contact-made, outcome or regie');
  }
  const c = await client(ctx, false);
  const m = action === undefined ? await c.recordFollowUp(matchId, outcome) : await c.regie(matchId, action);
  const p = m.regie.proposal;
  const said = (r: FollowUpRecord | null) => (r === null ? 'none' : `${r.outcome} ${r.at}`);
  out(
    ctx,
    `match ${m.id}: follow-up by me ${said(m.followUp.mine)}, by counterpart ` +
      `${said(m.followUp.counterpart)}; regie ${m.regie.holder ?? 'nobody'}` +
      (p === null ? '' : ` (open proposal by ${p.by} for ${p.for})`),
    m,
  );
  return EXIT.ok;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
