// The organisation CLI `sluis` (docs/sdk.md, "CLI"). `main(argv, env, io)` is pure with
// respect to its inputs so tests run it in-process; runCli wires it to the real process.
// Invariant: no BSN, key or row content is ever printed; errors show codes, field
// names, statuses and correlation ids only.

import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { type SluisClient, createClient } from '../client/client.js';
import type { FetchLike } from '../client/transport.js';
import type {
  AgreementStatus,
  ConsentScope,
  InboxEvent,
  InformedStatus,
  Party,
  RegieAction,
} from '../client/types.js';
import { SluisError } from '../errors.js';
import { base64url } from '../protocol/encoding.js';
import { SigningKey } from '../protocol/signing-key.js';
import { renderCitizenReport } from '../report/citizen-report.js';
import { describeArgvError, isArgvError, joinOptionValues } from './argv.js';
import { type Env, resolveConfig, usageError } from './cli-config.js';
import { runCsvJob } from './csv-job.js';
import { COVENANT_KEY_BYTES, keyCheckValue, writeNewCovenantKeyFile } from './covenant-key.js';
import { readHiddenLine } from './hidden-line.js';
import { loadPseudonymKeyFile, loadSigningKeyFile, writeSigningKeyFile } from './key-files.js';
import { progressReporter } from './progress.js';
import { promises as fs } from 'node:fs';

/** Exit codes (documented in docs/sdk.md). */
export const EXIT = {
  ok: 0,
  /** The server refused the request (4xx). */
  refused: 1,
  /** Bad flags, configuration, key file or input (nothing was sent). */
  usage: 2,
  /** Network error, timeout, or the server unavailable (5xx) after retries. */
  network: 3,
  /** An import or migration finished, but some rows failed (see the results file). */
  partial: 4,
  /** The server's answer was not understood, or an unexpected failure. */
  internal: 5,
  /** Interrupted (Ctrl-C); rerun to resume an import. */
  interrupted: 130,
} as const;

export interface CliStream {
  write(text: string): void;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** Reads one line of input after showing the prompt; undefined at end of input. */
  readonly readLine?: (prompt: string) => Promise<string | undefined>;
  readonly fetch?: FetchLike;
  readonly clock?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Aborted on Ctrl-C: imports stop after the batch in flight, --watch ends. */
  readonly signal?: AbortSignal;
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  config: { type: 'string' },
  'server-url': { type: 'string' },
  'signing-key-file': { type: 'string' },
  'pseudonym-key-file': { type: 'string', multiple: true },
  'pseudonym-key-epoch': { type: 'string', multiple: true },
  'server-public-key': { type: 'string', multiple: true },
  'timeout-ms': { type: 'string' },
  retries: { type: 'string' },
  'warn-insecure-key-file': { type: 'boolean' },
  // keygen, covenant-key
  out: { type: 'string' },
  'key-file': { type: 'string' },
  // signal
  bsn: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  phone: { type: 'string' },
  email: { type: 'string' },
  informed: { type: 'string' },
  'informed-date': { type: 'string' },
  'date-of-birth': { type: 'string' },
  'end-date': { type: 'string' },
  'parent-bsn': { type: 'string', multiple: true },
  'request-id': { type: 'string' },
  // withdraw, signals
  reason: { type: 'string' },
  status: { type: 'string' },
  // matches
  cursor: { type: 'string' },
  'cursor-file': { type: 'string' },
  limit: { type: 'string' },
  watch: { type: 'boolean' },
  interval: { type: 'string' },
  // followup
  action: { type: 'string' },
  for: { type: 'string' },
  // consent, agreements, report
  date: { type: 'string' },
  scope: { type: 'string', multiple: true },
  'form-reference': { type: 'string' },
  owner: { type: 'string' },
  'action-kind': { type: 'string' },
  category: { type: 'string' },
  purpose: { type: 'string' },
  due: { type: 'string' },
  lang: { type: 'string' },
  // import, migrate
  'batch-size': { type: 'string' },
  restart: { type: 'boolean' },
  results: { type: 'string' },
  epoch: { type: 'string', multiple: true },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export const USAGE = `Usage: sluis <command> [options]

Commands:
  keygen --out <file>                 new Ed25519 signing key (file 0600); prints public key and key id
  covenant-key generate --out <file>  new covenant pseudonym key (32 random bytes, hex, file 0600); never printed
  covenant-key check --key-file <file> --epoch <n>
                                      the key's check value (pseudonym of test BSN 999900006), to compare keys
  whoami                              check credentials, budget and key epochs
  signal [--bsn <bsn>] --name --role [--phone] [--email] --informed <citizen|representative|both|not_yet>
         [--informed-date YYYY-MM-DD] [--date-of-birth YYYY-MM-DD] [--end-date YYYY-MM-DD]
         [--parent-bsn -|<bsn>]… [--request-id <uuid>]
                                      place a signal (prompts for the BSN when --bsn is absent,
                                      and for each parent given as --parent-bsn -; not echoed)
  withdraw <signalId> --reason <ended|error>
  signals [--status active|inactive]  list own signals
  matches [--cursor c | --cursor-file f] [--limit n] [--watch [--interval s]]
                                      the match inbox as a table
  followup contact-made <matchId>
  followup regie <matchId> --action <propose|accept|decline|handover> [--for me|counterpart]
  consent record <signalId> --date YYYY-MM-DD --scope <team_meeting|share_with_matched>… [--form-reference r]
  consent show <signalId> | consent withdraw <signalId>
  agreements list <matchId> | agreements vocabulary
  agreements add <matchId> --owner <me|counterpart> --action-kind k --category c --purpose p --due YYYY-MM-DD
  agreements status <matchId> <agreementId> --status <open|done|cancelled>
                                      process agreements: codes only, no free text
  report <matchId> [--lang nl|en]     plain-language report of one match for the citizen
  import <file.csv> [--batch-size n] [--restart] [--results file]
                                      bulk placement; resumable; writes <file>.results.csv
  migrate <file.csv> [--epoch n]… [--batch-size n] [--restart] [--results file]
                                      key rotation: add the new epoch's pseudonyms to own signals

Configuration (flags > environment > config file):
  --server-url            SLUIS_SERVER_URL
  --signing-key-file      SLUIS_SIGNING_KEY_FILE
  --pseudonym-key-file    SLUIS_PSEUDONYM_KEY_FILE (and SLUIS_PSEUDONYM_KEY_FILE_2 during rotation)
  --pseudonym-key-epoch   SLUIS_PSEUDONYM_KEY_EPOCH (and SLUIS_PSEUDONYM_KEY_EPOCH_2)
  --server-public-key     SLUIS_SERVER_PUBLIC_KEYS (comma-separated)
  --timeout-ms, --retries SLUIS_TIMEOUT_MS, SLUIS_RETRIES
  --config <file.json>    SLUIS_CONFIG
  --warn-insecure-key-file  only warn (instead of refusing) when a key file is group/other-readable
  --json                  machine-readable output on stdout

Exit codes: 0 ok, 1 refused by the server, 2 usage/config/input, 3 network or server unavailable,
  4 some rows of an import/migration failed, 5 unexpected answer, 130 interrupted.
`;

interface Ctx {
  readonly values: Values;
  readonly positionals: readonly string[];
  readonly env: Env;
  readonly io: CliIo;
  readonly json: boolean;
  readonly clock: () => number;
}

function out(ctx: Ctx, human: string, json: unknown): void {
  ctx.io.stdout.write(ctx.json ? `${JSON.stringify(json)}\n` : human.endsWith('\n') ? human : `${human}\n`);
}

function intFlag(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,10}$/.test(v) || Number(v) < min || Number(v) > max) {
    throw usageError(`--${name} must be an integer from ${min} to ${max}`);
  }
  return Number(v);
}

function positional(ctx: Ctx, i: number, what: string): string {
  const v = ctx.positionals[i];
  if (v === undefined) throw usageError(`missing ${what}`);
  return v;
}

async function client(ctx: Ctx, needPseudonymKeys: boolean): Promise<SluisClient> {
  const config = await resolveConfig(ctx.values, ctx.env);
  if (config.serverUrl === undefined) throw usageError('no server URL (--server-url or SLUIS_SERVER_URL)');
  if (config.signingKeyFile === undefined) {
    throw usageError('no signing key file (--signing-key-file or SLUIS_SIGNING_KEY_FILE)');
  }
  if (needPseudonymKeys && config.pseudonymKeys.length === 0) {
    throw usageError('no pseudonym key file (--pseudonym-key-file and --pseudonym-key-epoch)');
  }
  const keyOptions = {
    insecure: ctx.values['warn-insecure-key-file'] === true ? ('warn' as const) : ('refuse' as const),
    warn: (m: string) => ctx.io.stderr.write(`${m}\n`),
  };
  const signingKey = await loadSigningKeyFile(config.signingKeyFile, keyOptions);
  const pseudonymKeys = needPseudonymKeys
    ? await Promise.all(config.pseudonymKeys.map((k) => loadPseudonymKeyFile(k.file, k.epoch, keyOptions)))
    : [];
  return createClient({
    serverUrl: config.serverUrl,
    signingKey,
    pseudonymKeys,
    ...(config.serverPublicKeys.length > 0 ? { serverPublicKeys: config.serverPublicKeys } : {}),
    ...(ctx.io.fetch === undefined ? {} : { fetch: ctx.io.fetch }),
    ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
    ...(config.retries === undefined ? {} : { retries: config.retries }),
    clock: ctx.clock,
    ...(ctx.io.sleep === undefined ? {} : { sleep: (ms: number) => ctx.io.sleep!(ms) }),
  });
}

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

async function keygen(ctx: Ctx): Promise<number> {
  const path = ctx.values.out ?? ctx.env.SLUIS_SIGNING_KEY_FILE;
  if (path === undefined || path === '') throw usageError('keygen needs --out <file>');
  const key = SigningKey.generate();
  try {
    await writeSigningKeyFile(path, key);
    const publicKey = base64url.encode(key.publicKey);
    out(
      ctx,
      `Signing key written to ${path} (mode 0600). Keep it out of source control and backups you do not control.\n` +
        `Hand these to the municipality:\n  public key: ${publicKey}\n  key id:     ${key.keyId}`,
      { keyFile: path, publicKey, keyId: key.keyId },
    );
  } finally {
    key.destroy();
  }
  return EXIT.ok;
}

/**
 * The covenant key ceremony (docs/keys.md §2.1): `generate` writes a new key file and
 * never prints the key; `check` prints its key check value for custodians to compare.
 */
async function covenantKey(ctx: Ctx): Promise<number> {
  const sub = ctx.positionals[1];
  if (sub === 'generate') {
    const path = ctx.values.out;
    if (path === undefined || path === '') throw usageError('covenant-key generate needs --out <file>');
    await writeNewCovenantKeyFile(path);
    out(
      ctx,
      `Covenant key written to ${path} (mode 0600, ${COVENANT_KEY_BYTES} random bytes, hex); it is not shown.
` + `Key check value: sluis covenant-key check --key-file ${path} --epoch <e>`,
      { keyFile: path },
    );
    return EXIT.ok;
  }
  if (sub !== 'check') throw usageError('covenant-key needs generate or check');
  const path = ctx.values['key-file'];
  if (path === undefined || path === '') throw usageError('covenant-key check needs --key-file <file>');
  const epochs = ctx.values.epoch ?? [];
  if (epochs.length !== 1) throw usageError('covenant-key check needs one --epoch <n>');
  const epoch = intFlag(epochs[0], 'epoch', 1, 0xffffffff)!;
  const key = await loadPseudonymKeyFile(path, epoch, {
    insecure: ctx.values['warn-insecure-key-file'] === true ? 'warn' : 'refuse',
    warn: (m: string) => ctx.io.stderr.write(`${m}\n`),
  });
  try {
    const kcv = keyCheckValue(key);
    out(ctx, `key check value (epoch ${epoch}): ${kcv}`, { epoch, keyCheckValue: kcv });
  } finally {
    key.destroy();
  }
  return EXIT.ok;
}

async function whoami(ctx: Ctx): Promise<number> {
  const c = await client(ctx, false);
  const w = await c.whoami();
  out(
    ctx,
    `organisation: ${w.organisation.name} (${w.organisation.type}, ${w.organisation.status})\n` +
      `key:          ${w.key.keyId} (${w.key.status})\n` +
      `budget:       ${w.budget.usedToday}/${w.budget.perDay} placements today\n` +
      `epochs:       ${w.epochs.map((e) => `${e.epoch} (${e.status})`).join(', ')}\n` +
      `local epochs: ${c.epochs.join(', ') || 'none configured'}`,
    w,
  );
  return EXIT.ok;
}

/**
 * Parent BSNs: each `--parent-bsn -` is read from the (non-echoing) prompt or standard
 * input, one line each after the subject's BSN; a literal value works but is warned about,
 * like --bsn, because it can end up in shell history.
 */
async function readParentBsns(ctx: Ctx): Promise<string[] | undefined> {
  const given = ctx.values['parent-bsn'];
  if (given === undefined) return undefined;
  const out: string[] = [];
  if (given.some((value) => value !== '-')) {
    ctx.io.stderr.write(
      'warning: a BSN given as a flag can end up in shell history; use --parent-bsn - to be prompted\n',
    );
  }
  for (const [i, value] of given.entries()) {
    if (value !== '-') {
      out.push(value);
      continue;
    }
    if (ctx.io.readLine === undefined) throw usageError('no parent BSN: provide it on standard input');
    const line = await ctx.io.readLine(`Parent BSN ${i + 1}: `);
    if (line === undefined || line.trim() === '') throw usageError('no parent BSN on standard input');
    out.push(line.trim());
  }
  return out;
}

async function readBsn(ctx: Ctx): Promise<string> {
  if (ctx.values.bsn !== undefined) {
    ctx.io.stderr.write(
      'warning: a BSN given as a flag can end up in shell history; omit --bsn to be prompted\n',
    );
    return ctx.values.bsn;
  }
  if (ctx.io.readLine === undefined) throw usageError('no BSN: give --bsn or provide it on standard input');
  const line = await ctx.io.readLine('BSN: ');
  if (line === undefined || line.trim() === '') throw usageError('no BSN on standard input');
  return line.trim();
}

async function signal(ctx: Ctx): Promise<number> {
  const v = ctx.values;
  const c = await client(ctx, true);
  const bsn = await readBsn(ctx);
  const parentsBsn = await readParentBsns(ctx);
  const r = await c.placeSignal({
    bsn,
    contact: {
      name: v.name ?? '',
      role: v.role ?? '',
      ...(v.phone === undefined ? {} : { phone: v.phone }),
      ...(v.email === undefined ? {} : { email: v.email }),
    },
    informed: {
      status: (v.informed ?? '') as InformedStatus,
      ...(v['informed-date'] === undefined ? {} : { date: v['informed-date'] }),
    },
    ...(v['date-of-birth'] === undefined ? {} : { dateOfBirth: v['date-of-birth'] }),
    ...(v['end-date'] === undefined ? {} : { endDate: v['end-date'] }),
    ...(parentsBsn === undefined ? {} : { parentsBsn }),
    ...(v['request-id'] === undefined ? {} : { requestId: v['request-id'] }),
  });
  out(
    ctx,
    `${r.outcome}: signal ${r.signal.id} (active until ${r.signal.expiresAt}); request id ${r.requestId}`,
    { outcome: r.outcome, requestId: r.requestId, signal: r.signal },
  );
  return EXIT.ok;
}

async function withdraw(ctx: Ctx): Promise<number> {
  const id = positional(ctx, 1, 'signal id');
  const reason = ctx.values.reason;
  if (reason !== 'ended' && reason !== 'error') throw usageError('--reason must be ended or error');
  const c = await client(ctx, false);
  const s = await c.withdraw(id, reason);
  out(
    ctx,
    s === null ? `signal ${id} deleted (placed in error)` : `signal ${id} ended; archived until ${s.purgeAt}`,
    { signalId: id, reason, signal: s },
  );
  return EXIT.ok;
}

async function signals(ctx: Ctx): Promise<number> {
  const status = ctx.values.status;
  if (status !== undefined && status !== 'active' && status !== 'inactive') {
    throw usageError('--status must be active or inactive');
  }
  const c = await client(ctx, false);
  const rows: string[][] = [['SIGNAL', 'STATUS', 'PLACED', 'EXPIRES', 'EPOCHS', 'CONTACT']];
  for await (const s of c.iterateSignals(status === undefined ? {} : { status })) {
    if (ctx.json) ctx.io.stdout.write(`${JSON.stringify(s)}\n`);
    else rows.push([s.id, s.status, s.placedAt, s.expiresAt, s.epochs.join(','), s.contact.name]);
  }
  if (!ctx.json) ctx.io.stdout.write(table(rows));
  return EXIT.ok;
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) {
    for (const [i, c] of r.entries()) widths[i] = Math.max(widths[i] ?? 0, c.length);
  }
  return rows
    .map(
      (r) =>
        `${r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

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
    m === null ? '' : `${m.counterpart.contact.name} (${m.counterpart.contact.role})`,
    m?.counterpart.contact.phone ?? '',
    m?.counterpart.contact.email ?? '',
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

async function matches(ctx: Ctx): Promise<number> {
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
    for await (const e of c.inbox({
      ...(cursor === undefined ? {} : { from: cursor }),
      ...(limit === undefined ? {} : { limit }),
    })) {
      if (ctx.json) ctx.io.stdout.write(`${JSON.stringify(e)}\n`);
      else rows.push(eventRow(e));
      cursor = e.cursor;
      if (ctx.io.signal?.aborted === true) break;
    }
    if (!ctx.json && (rows.length > 0 || (!watch && !printedHeader))) {
      ctx.io.stdout.write(table(printedHeader ? rows : [EVENT_HEADER, ...rows]));
      printedHeader = true;
    }
    if (cursorFile !== undefined && cursor !== undefined)
      await fs.writeFile(cursorFile, `${cursor}\n`, { mode: 0o600 });
    if (!watch || ctx.io.signal?.aborted === true) break;
    await (ctx.io.sleep ?? defaultSleep)(interval * 1000, ctx.io.signal);
    if (aborted(ctx)) break;
  }
  return EXIT.ok;
}

function aborted(ctx: Ctx): boolean {
  return ctx.io.signal?.aborted === true;
}

async function followup(ctx: Ctx): Promise<number> {
  const sub = positional(ctx, 1, 'followup action (contact-made or regie)');
  const matchId = positional(ctx, 2, 'match id');
  let action: RegieAction | undefined;
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
  } else if (sub !== 'contact-made') {
    throw usageError('followup needs contact-made or regie');
  }
  const c = await client(ctx, false);
  const m = action === undefined ? await c.contactMade(matchId) : await c.regie(matchId, action);
  const p = m.regie.proposal;
  out(
    ctx,
    `match ${m.id}: contact made by me ${m.followUp.contactMadeByMe ?? 'no'}, by counterpart ` +
      `${m.followUp.contactMadeByCounterpart ?? 'no'}; regie ${m.regie.holder ?? 'nobody'}` +
      (p === null ? '' : ` (open proposal by ${p.by} for ${p.for})`),
    m,
  );
  return EXIT.ok;
}

async function consent(ctx: Ctx): Promise<number> {
  const sub = positional(ctx, 1, 'consent action (record, show or withdraw)');
  const signalId = positional(ctx, 2, 'signal id');
  if (!['record', 'show', 'withdraw'].includes(sub))
    throw usageError('consent needs record, show or withdraw');
  const c = await client(ctx, false);
  const r =
    sub === 'record'
      ? await c.recordConsent(signalId, {
          date: ctx.values.date ?? '',
          scopes: (ctx.values.scope ?? []) as ConsentScope[],
          ...(ctx.values['form-reference'] === undefined
            ? {}
            : { formReference: ctx.values['form-reference'] }),
        })
      : sub === 'withdraw'
        ? await c.withdrawConsent(signalId)
        : await c.getConsent(signalId);
  out(
    ctx,
    r === null
      ? `signal ${signalId}: no consent recorded (coordination stays anonymous)`
      : `signal ${signalId}: consent ${r.status} (${r.scopes.join(', ')}), given on ${r.date}` +
          (r.formReference === null ? '' : `, form ${r.formReference}`),
    { consent: r },
  );
  return EXIT.ok;
}

async function agreements(ctx: Ctx): Promise<number> {
  const sub = positional(ctx, 1, 'agreements action (list, add, status or vocabulary)');
  const v = ctx.values;
  const c = await client(ctx, false);
  if (sub === 'vocabulary') {
    const w = await c.vocabulary();
    out(
      ctx,
      `consent scopes:         ${w.consentScopes.join(', ')}\n` +
        `action kinds:           ${w.actionKinds.join(', ')}\n` +
        `information categories: ${w.informationCategories.join(', ')}\n` +
        `purposes:               ${w.purposes.join(', ')}`,
      w,
    );
    return EXIT.ok;
  }
  const matchId = positional(ctx, 2, 'match id');
  if (sub === 'add') {
    const owner = v.owner ?? 'me';
    if (owner !== 'me' && owner !== 'counterpart') throw usageError('--owner must be me or counterpart');
    const a = await c.addAgreement(matchId, {
      owner,
      actionKind: v['action-kind'] ?? '',
      informationCategory: v.category ?? '',
      purpose: v.purpose ?? '',
      dueDate: v.due ?? '',
    });
    out(ctx, `agreement ${a.id} added (${a.actionKind}, owner ${a.owner}, due ${a.dueDate})`, a);
    return EXIT.ok;
  }
  if (sub === 'status') {
    const agreementId = positional(ctx, 3, 'agreement id');
    const status = v.status;
    if (status !== 'open' && status !== 'done' && status !== 'cancelled') {
      throw usageError('--status must be open, done or cancelled');
    }
    const a = await c.setAgreementStatus(matchId, agreementId, status as AgreementStatus);
    out(ctx, `agreement ${a.id}: ${a.status}`, a);
    return EXIT.ok;
  }
  if (sub !== 'list') throw usageError('agreements needs list, add, status or vocabulary');
  const list = await c.listAgreements(matchId);
  if (ctx.json) {
    for (const a of list) ctx.io.stdout.write(`${JSON.stringify(a)}\n`);
  } else {
    const rows = [['AGREEMENT', 'OWNER', 'ACTION', 'INFORMATION', 'PURPOSE', 'DUE', 'STATUS']];
    for (const a of list)
      rows.push([a.id, a.owner, a.actionKind, a.informationCategory, a.purpose, a.dueDate, a.status]);
    ctx.io.stdout.write(table(rows));
  }
  return EXIT.ok;
}

/** Gathers the match, the own signal's contact and the agreements, then renders locally. */
async function report(ctx: Ctx): Promise<number> {
  const matchId = positional(ctx, 1, 'match id');
  const lang = ctx.values.lang ?? 'nl';
  if (lang !== 'nl' && lang !== 'en') throw usageError('--lang must be nl or en');
  const c = await client(ctx, false);
  const match = await c.getMatch(matchId);
  const [who, own, list] = await Promise.all([
    c.whoami(),
    c.getSignal(match.ownSignalId),
    c.listAgreements(matchId),
  ]);
  const text = renderCitizenReport({
    match,
    agreements: list,
    own: { organisationName: who.organisation.name, contact: own.contact },
    lang,
    date: new Date(ctx.clock()).toISOString().slice(0, 10),
  });
  out(ctx, text, { matchId, lang, report: text });
  return EXIT.ok;
}

async function csvJob(ctx: Ctx, kind: 'import' | 'migrate'): Promise<number> {
  const file = positional(ctx, 1, 'CSV file');
  const batchSize = intFlag(ctx.values['batch-size'], 'batch-size', 1, 500);
  const epochs = ctx.values.epoch?.map((e) => intFlag(e, 'epoch', 1, 0xffffffff)!);
  const c = await client(ctx, true);
  const reporter = progressReporter(ctx.json ? { write: () => {} } : ctx.io.stderr, ctx.clock, kind);
  const summary = await runCsvJob({
    kind,
    client: c,
    ...(epochs === undefined ? {} : { epochs }),
    csvPath: file,
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(ctx.values.restart === true ? { restart: true } : {}),
    ...(ctx.values.results === undefined ? {} : { resultsPath: ctx.values.results }),
    ...(ctx.io.signal === undefined ? {} : { signal: ctx.io.signal }),
    onProgress: reporter.onProgress,
  });
  reporter.finish();
  const o = summary.outcomes;
  const human =
    `${kind}: ${summary.rows} rows: ${o.created} created, ${o.replayed} replayed, ${o.existing} existing, ` +
    (kind === 'migrate' ? `${o.migrated} migrated, ` : '') +
    `${o.invalid} invalid, ${o.refused} refused, ${o.pending} pending\n` +
    summary.failures
      .slice(0, 20)
      .map((f) => `  line ${f.line}: ${f.code}${f.fields.length > 0 ? ` (${f.fields.join(', ')})` : ''}\n`)
      .join('') +
    (summary.failures.length > 20 ? `  … ${summary.failures.length - 20} more\n` : '') +
    `results: ${summary.resultsPath}`;
  out(ctx, human, {
    rows: summary.rows,
    skipped: summary.skipped,
    outcomes: summary.outcomes,
    failures: summary.failures,
    resultsPath: summary.resultsPath,
    interrupted: summary.interrupted,
    ...(summary.error === undefined ? {} : { error: errorJson(summary.error) }),
  });
  if (summary.error !== undefined) {
    ctx.io.stderr.write(`${kind} stopped; run the same command again to resume\n`);
    throw summary.error;
  }
  if (summary.interrupted) {
    ctx.io.stderr.write(`${kind} interrupted; run the same command again to resume\n`);
    return EXIT.interrupted;
  }
  return summary.failures.length > 0 ? EXIT.partial : EXIT.ok;
}

// ---------------------------------------------------------------------------
// Errors and dispatch
// ---------------------------------------------------------------------------

function errorJson(e: SluisError): Record<string, unknown> {
  return { code: e.code, message: e.message, ...e.details };
}

export function exitCodeFor(e: SluisError): number {
  switch (e.code) {
    case 'server_error':
      return (e.details.status ?? 0) >= 500 ? EXIT.network : EXIT.refused;
    case 'network_error':
    case 'timeout':
      return EXIT.network;
    case 'response_invalid':
      return EXIT.internal;
    default:
      return EXIT.usage;
  }
}

function describe(e: SluisError): string {
  const d = e.details;
  const parts = [
    e.code === 'usage_invalid' ? `error: ${d.hint ?? e.message}` : `error: ${e.code}: ${e.message}`,
  ];
  if (d.problemCode !== undefined) parts.push(`server code ${d.problemCode} (HTTP ${d.status})`);
  if (d.fields !== undefined && d.fields.length > 0) parts.push(`fields: ${d.fields.join(', ')}`);
  if (d.line !== undefined) parts.push(`line ${d.line}`);
  if (d.retryAfterSeconds !== undefined) parts.push(`retry after ${d.retryAfterSeconds}s`);
  if (d.correlationId !== undefined) parts.push(`correlation id ${d.correlationId}`);
  return `${parts.join('; ')}\n`;
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

const COMMANDS: Record<string, (ctx: Ctx) => Promise<number>> = {
  keygen,
  'covenant-key': covenantKey,
  whoami,
  signal,
  withdraw,
  signals,
  matches,
  followup,
  consent,
  agreements,
  report,
  import: (ctx) => csvJob(ctx, 'import'),
  migrate: (ctx) => csvJob(ctx, 'migrate'),
};

/** Runs one CLI invocation and returns its exit code. Never throws. */
export async function main(argv: readonly string[], env: Env, io: CliIo): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { values, positionals } = parseArgs({
      args: joinOptionValues(argv, OPTIONS),
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    json = values.json === true;
    const command = positionals[0];
    if (values.help === true || command === undefined || command === 'help') {
      io.stdout.write(USAGE);
      return command === undefined && values.help !== true ? EXIT.usage : EXIT.ok;
    }
    const run = COMMANDS[command];
    // The unknown word is not echoed: a BSN typed in the wrong place must not reach a log.
    if (run === undefined) throw usageError('unknown command (see sluis --help)');
    return await run({ values, positionals, env, io, json, clock: io.clock ?? Date.now });
  } catch (e) {
    if (e instanceof SluisError) {
      if (json) io.stdout.write(`${JSON.stringify({ error: errorJson(e) })}\n`);
      io.stderr.write(describe(e));
      return exitCodeFor(e);
    }
    if (isArgvError(e)) {
      const u = usageError(`${describeArgvError(e, OPTIONS)} (see sluis --help)`);
      if (json) io.stdout.write(`${JSON.stringify({ error: errorJson(u) })}\n`);
      io.stderr.write(describe(u));
      return exitCodeFor(u);
    }
    // Unexpected: say so without printing the error, which could hold input.
    if (json) io.stdout.write(`${JSON.stringify({ error: { code: 'internal' } })}\n`);
    io.stderr.write('error: unexpected failure\n');
    return EXIT.internal;
  }
}

/** The process entry used by bin/sluis.js. */
export async function runCli(): Promise<void> {
  const argv = process.argv.slice(2);
  // Long-running commands stop gracefully on the first Ctrl-C (an import finishes its
  // batch and records it); everything else, and a second Ctrl-C, exits at once.
  const graceful = argv.includes('import') || argv.includes('migrate') || argv.includes('--watch');
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (!graceful || controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write('\nstopping after the current batch (Ctrl-C again to quit at once)\n');
    controller.abort();
  });
  let rl: ReturnType<typeof createInterface> | undefined;
  // On a terminal the BSN is typed without echo (hidden-line.ts); piped input is read as lines.
  const readLine = (prompt: string) =>
    process.stdin.isTTY
      ? readHiddenLine(prompt)
      : new Promise<string | undefined>((resolve) => {
          rl ??= createInterface({
            input: process.stdin,
            output: process.stderr,
            terminal: process.stdin.isTTY,
          });
          rl.once('close', () => resolve(undefined));
          // Without a listener readline would only pause on Ctrl-C and the prompt would hang.
          rl.once('SIGINT', () => process.exit(EXIT.interrupted));
          rl.question(prompt, (answer) => resolve(answer));
        });
  const code = await main(argv, process.env, {
    stdout: process.stdout,
    stderr: process.stderr,
    readLine,
    signal: controller.signal,
  });
  rl?.close();
  process.exitCode = code;
}
