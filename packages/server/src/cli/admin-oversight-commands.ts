// Admin commands for oversight: follow-up and agreement overviews, retention, the
// logbook (verify and export), statistics and webhook deliveries. Invariant: overviews
// print ids, dates and counts only — never an agreement or a professional's contact
// details; an export file is created 0600 and never overwrites an existing file.

import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DELIVERY_STATUSES, LOGBOOK_COLUMNS, type LogbookVerification } from '@sluis/engine';
import { isServerError, ServerError } from '../errors.js';
import { type AdminValues as Values, int } from './admin-options.js';
import { itemsOf, lines, type Plan, pretty, retentionLine, simple } from './admin-output.js';
import { type CliIo, EXIT, usageError } from './io.js';

type FollowUpParty = { organisationName: string; followUp: { outcome: string; at: string } | null };

function followUpLine(i: Record<string, unknown>): string {
  const parties = (i.parties as FollowUpParty[])
    .map(
      (p) =>
        `${p.organisationName} (${p.followUp === null ? 'no follow-up' : `${p.followUp.outcome} ${p.followUp.at}`})`,
    )
    .join(' / ');
  return `${i.matchId}  ${i.overdue ? 'OVERDUE' : 'ok     '}  ${i.kind}  ${i.createdAt}  ${parties}`;
}

const oneOf = (v: string | undefined, flag: string, allowed: readonly string[]): string | undefined => {
  if (v !== undefined && !allowed.includes(v)) throw usageError(`--${flag} must be ${allowed.join(', ')}`);
  return v;
};

/** One page of the follow-up overview (or every page with --all); the next cursor on stderr. */
function followUpPlan(v: Values, io: CliIo): Plan {
  const query = {
    noContactAfterDays: int(v.days, 'days'),
    status: oneOf(v.status, 'status', ['active', 'ended']),
    followUp: oneOf(v['follow-up'], 'follow-up', ['none', 'overdue', 'recorded']),
    outcome: oneOf(v.outcome, 'outcome', [
      'contact_made',
      'already_in_contact',
      'no_contact_needed',
      'client_refused',
    ]),
    minAgeDays: int(v['min-age-days'], 'min-age-days'),
    maxAgeDays: int(v['max-age-days'], 'max-age-days'),
    organisationType: v.type,
    sort: oneOf(v.sort, 'sort', ['oldest', 'newest']),
    limit: int(v.limit, 'limit', 1),
    cursor: v.cursor,
  };
  return async (client, json) => {
    let cursor = query.cursor;
    for (;;) {
      const r = await client.request('GET', '/v1/admin/follow-up', { query: { ...query, cursor } });
      const b = (r.body ?? {}) as { items?: unknown[]; nextCursor?: string };
      io.stdout.write(json !== undefined ? json(b) : lines(itemsOf(b), followUpLine));
      cursor = b.nextCursor;
      if (cursor === undefined) break;
      if (v.all !== true) {
        io.stderr.write(`more: --cursor ${cursor}\n`);
        break;
      }
    }
    return EXIT.ok;
  };
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * A median over fewer contacts than the threshold is suppressed as a whole: the answer's
 * "<n" there counts contacts, not days (docs/privacy.md §3a), so the table never prints it
 * where it would read as "under n days".
 */
function cellText(column: string, value: unknown): string {
  return column === 'medianDaysToContact' && typeof value !== 'number' ? 'none' : String(value);
}

/** A refused `--to` says the rule the operator most likely missed: closed months only. */
function closedMonthsOnly(e: unknown): unknown {
  if (!isServerError(e, 'admin_refused') || e.details.problemCode !== 'validation_failed') return e;
  if (!e.fields.includes('to')) return e;
  return new ServerError('admin_refused', {
    ...e.details,
    hint: '--to must be a closed month: one that ended at least a day ago (UTC), so never the current month (docs/operations.md "The admin CLI")',
  });
}

/**
 * Management information (docs/engine.md "Management information"): closed months,
 * small cells already suppressed by the server. CSV as the server wrote it, or a table.
 */
function managementInfoPlan(v: Values, io: CliIo): Plan {
  for (const flag of ['from', 'to'] as const) {
    if (v[flag] === undefined || !MONTH.test(v[flag])) throw usageError(`--${flag} YYYY-MM is required`);
  }
  const format = oneOf(v.format, 'format', ['csv', 'json', 'table']) ?? 'table';
  const query = { from: v.from, to: v.to, organisationType: v.type };
  return async (client, json) => {
    if (format === 'csv') {
      const r = await client
        .request('GET', '/v1/admin/management-information', {
          query: { ...query, format: 'csv' },
          accept: 'text/csv',
        })
        .catch((e: unknown) => {
          throw closedMonthsOnly(e);
        });
      io.stdout.write(r.text);
      return EXIT.ok;
    }
    const r = await client
      .request('GET', '/v1/admin/management-information', { query })
      .catch((e: unknown) => {
        throw closedMonthsOnly(e);
      });
    const b = r.body as { threshold: number; rows: Record<string, unknown>[] };
    if (format === 'json' || json !== undefined) {
      io.stdout.write((json ?? pretty)(b));
      return EXIT.ok;
    }
    const cols = [
      'signalsPlaced',
      'signalsWithdrawn',
      'matches',
      'contactMade',
      'alreadyInContact',
      'noContactNeeded',
      'clientRefused',
      'medianDaysToContact',
    ];
    io.stdout.write(
      `month    type              placed withdrawn matches contact already none refused median-days  (cells below ${b.threshold} suppressed)\n`,
    );
    io.stdout.write(
      lines(
        b.rows,
        (r) =>
          `${r.month}  ${String(r.organisationType).padEnd(16)}  ${cols.map((c) => cellText(c, r[c]).padStart(6)).join(' ')}`,
      ),
    );
    return EXIT.ok;
  };
}

/**
 * What a broken chain's reason tells the operator to do (docs/operations.md "When
 * logbook-verify fails"): the column, the entry number and the SQL that shows or restores the
 * storage class, never a stored value.
 */
export function brokenBecause(b: LogbookVerification): string {
  const seq = b.firstBadSeq;
  switch (b.reason) {
    case 'stored_form':
      // A column the logbook does not have (a newer or a foreign server) gets no statement:
      // the CLI prints SQL only with a name it knows (docs/operations.md "When logbook-verify fails").
      if (!(LOGBOOK_COLUMNS as readonly unknown[]).includes(b.column))
        return ': a cell is TEXT that starts with the stored form\'s byte 01, in a column this CLI does not know; no repair statement is printed — see docs/operations.md "When logbook-verify fails"';
      return `: its ${b.column} cell is TEXT that starts with the stored form's byte 01 — on SQLite the stored (encoded) form written back as TEXT (e.g. an edit undone with replace()); store it as a BLOB again: UPDATE logbook SET ${b.column} = CAST(${b.column} AS BLOB) WHERE seq = ${seq}`;
    case 'unreadable':
      return `: the entry cannot be decoded — on SQLite a cell is a BLOB that is not the stored form (e.g. a text written back as a BLOB); see which with SELECT typeof(actor), typeof(action), typeof(refs), typeof(details) FROM logbook WHERE seq = ${seq}`;
    case 'hash_mismatch':
      return ': the entry does not hash to its stored hash (a value of it, or the hash, differs from what was written)';
    case 'missing_entry':
      return ': the entry is missing';
    case 'checkpoint':
      return ': the purge checkpoint is not the head its logbook.purged entry names';
    default:
      return '';
  }
}

export function planOversightCommand(command: string, v: Values, io: CliIo): Plan | undefined {
  switch (command) {
    case 'agreements-overview':
      return simple(io, 'GET', '/v1/admin/agreements/overview', {}, (b) =>
        lines(itemsOf(b), (i) => {
          const c = i.counts as Record<string, number>;
          return `${i.matchId} ${i.matchStatus}: ${c.total} agreements, ${c.open} open, ${c.done} done, ${c.cancelled} cancelled, ${c.overdue} overdue`;
        }),
      );
    case 'follow-up':
      return followUpPlan(v, io);
    case 'retention-run':
      return simple(io, 'POST', '/v1/admin/retention/run', { body: {} }, (b) =>
        retentionLine(b as Parameters<typeof retentionLine>[0]),
      );
    case 'logbook-verify':
      return async (client, json) => {
        const r = await client.request('GET', '/v1/admin/logbook/verify');
        const b = r.body as LogbookVerification;
        io.stdout.write(
          json !== undefined
            ? json(b)
            : b.ok
              ? `logbook ok: ${b.entries} entries, head ${b.headHash}\n`
              : `logbook BROKEN at entry ${b.firstBadSeq} (${b.entries} entries)${brokenBecause(b)}\n`,
        );
        return b.ok ? EXIT.ok : EXIT.refused;
      };
    case 'logbook-export':
      return async (client) => {
        let fromSeq = int(v['from-seq'], 'from-seq', 1) ?? 1;
        const out: string[] = [];
        for (;;) {
          const r = await client.request('GET', '/v1/admin/logbook', { query: { fromSeq, limit: 500 } });
          const b = r.body as { items: unknown[]; nextCursor?: string };
          for (const e of b.items) out.push(JSON.stringify(e));
          if (b.nextCursor === undefined) break;
          fromSeq = Number(b.nextCursor);
        }
        const text = out.length === 0 ? '' : `${out.join('\n')}\n`;
        if (v.out !== undefined) {
          writeOutFile(resolve(io.cwd, v.out), text);
          io.stderr.write(`wrote ${out.length} entries\n`);
        } else io.stdout.write(text);
        return EXIT.ok;
      };
    case 'statistics':
      return simple(io, 'GET', '/v1/admin/statistics', {}, pretty);
    case 'management-info':
      return managementInfoPlan(v, io);
    case 'webhooks': {
      if (v.status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(v.status)) {
        throw usageError(
          `--status must be ${DELIVERY_STATUSES.slice(0, -1).join(', ')} or ${DELIVERY_STATUSES.at(-1)}`,
        );
      }
      return simple(io, 'GET', '/v1/admin/webhooks', { query: { status: v.status } }, (b) =>
        lines(
          itemsOf(b),
          (d) =>
            `${d.id}  ${String(d.status).padEnd(9)}  attempts ${d.attempts}  ${d.organisationId}  ${(d.payload as { type: string }).type}  ${d.lastErrorCode ?? ''}`,
        ),
      );
    }
    case 'mail-notices': {
      if (v.status !== undefined && !['pending', 'sent', 'dropped'].includes(v.status)) {
        throw usageError('--status must be pending, sent or dropped');
      }
      return simple(io, 'GET', '/v1/admin/mail-notices', { query: { status: v.status } }, (b) =>
        lines(
          itemsOf(b),
          (n) =>
            `${n.id}  ${String(n.status).padEnd(7)}  attempts ${n.attempts}  person ${n.personId}  next ${n.nextAttemptAt}  ${n.lastErrorCode ?? ''}`,
        ),
      );
    }
    default:
      return undefined;
  }
}

/**
 * Writes an export 0600, never over an existing file; a file that exists, a folder that does
 * not and one this user may not write are named as `backup` names them (exit 2: the operator's
 * own --out, docs/operations.md "The admin CLI").
 */
function writeOutFile(path: string, text: string): void {
  try {
    writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'EEXIST') throw new ServerError('out_file_exists', { path });
    if (code === 'ENOENT') throw new ServerError('out_folder_missing', { path: dirname(path) });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new ServerError('out_folder_unwritable', { path: dirname(path) });
    throw e;
  }
}
