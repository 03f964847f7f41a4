// `sluis-server admin …`: the municipality's commands, sent to a running server over
// HTTP signed with the admin key. GDPR commands take the citizen's BSN locally (flag or
// standard input), pseudonymise it here with the covenant key(s) through
// @sluis/client-sdk and send only the pseudonyms. Invariant (brief property 1): the BSN
// is never sent, printed or logged — not even in an error message.

import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { canonicaliseIdentifier, PseudonymKey, isSluisError } from '@sluis/client-sdk';
import { describeArgvError, joinOptionValues } from '@sluis/client-sdk/node';
import { AdminClient } from './admin-client.js';
import { ADMIN_KEY_FILE, KEYS_DIR } from './bootstrap.js';
import { type CliIo, EXIT, exitCodeOf, redact, usageError } from './io.js';
import { isServerError } from '../errors.js';
import { loadSigningKeyFile, loadSymmetricKeyFile } from '../ops/key-files.js';

export const ADMIN_USAGE = `Usage: sluis-server admin <command> [options]

Connection (every command):
  --server URL             server base URL (env SLUIS_SERVER_URL, default http://127.0.0.1:8080)
  --admin-key-file FILE    admin signing key (env SLUIS_ADMIN_KEY_FILE, default <data-dir>/keys/admin.key)
  --data-dir DIR           only used to find the default admin key file (env SLUIS_DATA_DIR, default ./data)
  --json                   print the server's JSON answer instead of a summary

Commands:
  organisations                          list organisations
  organisation --id ID                   one organisation with its keys
  admit-organisation --name N --type T --public-key K [--public-key K2] [--webhook-url URL] [--budget N]
  update-organisation --id ID [--webhook-url URL | --no-webhook] [--budget N]
  suspend --id ID | reinstate --id ID
  add-key --id ORG_ID --public-key K     register another key of an organisation
  add-key --admin --public-key K         register another admin key
  revoke-key --key-id KEY_ID
  keys                                   all keys
  follow-up [--days N]                   matches without contact after N days (default 14)
  agreements-overview                    per match: agreement counts and overdue items (never the agreements)
  retention-run                          expire and purge now
  logbook-verify                         verify the hash chain (exit 1 when broken)
  logbook-export [--from-seq N] [--out FILE]   entries as JSON lines
  statistics                             counts only
  webhooks [--status pending|delivered]  webhook deliveries
  epochs | register-epoch --epoch N
  epoch-progress                         covenant key migration: active signals per organisation and epoch
  retire-epoch --epoch N [--force]       refused while signals exist only under epoch N; --force ends them
  server-secret                          server-secret generation and re-keying progress
  rotate-server-secret                   new server-secret generation; stored pseudonyms re-keyed in the background
  key-placements KEY_ID --from T --to T  what a key placed/did in [from, to) (ISO 8601 times), from the logbook
  server-keys                            the server's published webhook keys and their status
  rotate-webhook-key [--switch-after-seconds N]   new webhook signing key, signing after N s (default 7 days)
  retire-webhook-key --key-id KEY_ID     retire the previous webhook key
  gdpr access|erase|restrict|unrestrict|object --pseudonym-key-file F --epoch N [...] [--bsn BSN] [--status S]
      The BSN is read from standard input when --bsn is not given (preferred: a flag can end up in
      shell history). It is pseudonymised here; only pseudonyms go to the server. Repeat
      --pseudonym-key-file/--epoch in pairs during a covenant key rotation.
      object: --status pending|upheld|rejected
  test-clock [--advance-days N] [--advance-seconds N]   TEST ONLY (server started with --test-clock)

Exit codes: 0 ok, 1 refused by the server or check failed, 2 usage error, 3 server unreachable.
`;

const OPTIONS = {
  server: { type: 'string' },
  'admin-key-file': { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  id: { type: 'string' },
  name: { type: 'string' },
  type: { type: 'string' },
  'public-key': { type: 'string', multiple: true },
  'webhook-url': { type: 'string' },
  'no-webhook': { type: 'boolean' },
  budget: { type: 'string' },
  admin: { type: 'boolean' },
  'key-id': { type: 'string' },
  days: { type: 'string' },
  'from-seq': { type: 'string' },
  out: { type: 'string' },
  status: { type: 'string' },
  epoch: { type: 'string', multiple: true },
  'pseudonym-key-file': { type: 'string', multiple: true },
  bsn: { type: 'string' },
  'advance-days': { type: 'string' },
  force: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  'switch-after-seconds': { type: 'string' },
  'advance-seconds': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function need(v: string | undefined, flag: string): string {
  if (v === undefined || v === '') throw usageError(`--${flag} is required`);
  return v;
}

function int(v: string | undefined, flag: string, min = 0): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,12}$/.test(v) || Number(v) < min) throw usageError(`--${flag} must be an integer ≥ ${min}`);
  return Number(v);
}

function uuidArg(v: string | undefined, flag: string): string {
  const s = need(v, flag);
  if (!/^[0-9a-fA-F-]{36}$/.test(s)) throw usageError(`--${flag} must be an id (UUID)`);
  return s;
}

/** Reads the BSN from the flag or the first line of standard input; validates it locally. */
async function readBsnPseudonyms(values: Values, io: CliIo) {
  const files = values['pseudonym-key-file'] ?? [];
  const epochs = values.epoch ?? [];
  if (files.length === 0) throw usageError('--pseudonym-key-file is required (with --epoch)');
  if (files.length !== epochs.length) throw usageError('give one --epoch per --pseudonym-key-file');
  let raw = values.bsn;
  if (raw === undefined) {
    if (io.readStdin === undefined) throw usageError('give the BSN on standard input or with --bsn');
    raw = (await io.readStdin()).split(/\r?\n/)[0] ?? '';
  }
  let identifier: ReturnType<typeof canonicaliseIdentifier>;
  try {
    identifier = canonicaliseIdentifier('bsn', raw.trim());
  } catch (e) {
    // The SDK's codes and messages never contain the input.
    throw usageError(`the BSN is not valid (${isSluisError(e) ? e.code : 'invalid'})`);
  } finally {
    raw = '';
  }
  return files.map((file, i) => {
    const epoch = int(epochs[i], 'epoch', 1)!;
    const bytes = loadSymmetricKeyFile(resolve(io.cwd, file), 32, 64);
    const key = PseudonymKey.fromBytes(bytes, epoch);
    bytes.fill(0);
    try {
      return key.pseudonymise(identifier);
    } finally {
      key.destroy();
    }
  });
}

type Out = (body: unknown) => string;

const lines = (items: unknown[], f: (x: Record<string, unknown>) => string) =>
  items.length === 0 ? '(none)\n' : `${items.map((x) => f(x as Record<string, unknown>)).join('\n')}\n`;
const itemsOf = (b: unknown) => ((b as { items?: unknown[] }).items ?? []) as unknown[];
const orgLine = (o: Record<string, unknown>) =>
  `${o.id}  ${String(o.status).padEnd(9)}  ${String(o.type).padEnd(16)}  ${o.name}  budget/day ${o.placementBudgetPerDay}`;
const keyLine = (k: Record<string, unknown>) =>
  `${k.keyId}  ${String(k.role).padEnd(12)}  ${String(k.status).padEnd(7)}  ${k.organisationId ?? '-'}`;
const pretty: Out = (b) => `${JSON.stringify(b, null, 2)}\n`;

interface ProgressBody {
  epochs: { epoch: number; status: string }[];
  organisations: {
    organisationId: string;
    organisationName: string;
    activeSignals: number;
    byEpoch: { epoch: number; activeSignals: number }[];
    stranded: { epoch: number; activeSignals: number }[];
  }[];
}

const rotationLine: Out = (b) => {
  const s = b as {
    generation: number;
    rotation: null | {
      generation: number;
      status: string;
      signalsDone: number;
      signalsTotal: number;
      rowsRekeyed: number;
    };
  };
  const r = s.rotation;
  return r === null
    ? `server secret generation ${s.generation} (never rotated)\n`
    : `server secret generation ${s.generation}; rotation to ${r.generation} ${r.status}: ${r.signalsDone}/${r.signalsTotal} signals, ${r.rowsRekeyed} stored values re-keyed\n`;
};

export async function adminMain(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: joinOptionValues(argv, OPTIONS),
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    }));
  } catch (e) {
    // Never parseArgs' own text: it can repeat a typed value (a BSN, a key).
    io.stderr.write(`sluis-server admin: ${describeArgvError(e, OPTIONS)}\n${ADMIN_USAGE}`);
    return EXIT.usage;
  }
  const [command, sub] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.stdout.write(ADMIN_USAGE);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  try {
    const dataDir = resolve(io.cwd, values['data-dir'] ?? env.SLUIS_DATA_DIR ?? './data');
    const keyFile = resolve(
      io.cwd,
      values['admin-key-file'] ?? env.SLUIS_ADMIN_KEY_FILE ?? `${dataDir}/${KEYS_DIR}/${ADMIN_KEY_FILE}`,
    );
    const baseUrl = values.server ?? env.SLUIS_SERVER_URL ?? 'http://127.0.0.1:8080';
    if (!/^https?:\/\/[^\s]+$/.test(baseUrl)) throw usageError('--server must be an http(s) URL');
    // Parse the command's own arguments before touching keys, so usage errors come first.
    const plan = await planCommand(command, sub, values, io);
    const client = new AdminClient({
      baseUrl,
      key: loadSigningKeyFile(keyFile),
      ...(io.fetch === undefined ? {} : { fetch: io.fetch }),
    });
    return await plan(client, values.json === true ? pretty : undefined);
  } catch (e) {
    if (isServerError(e, 'admin_refused')) {
      const d = e.details;
      const fields = e.fields.length > 0 ? ` fields: ${e.fields.join(', ')}` : '';
      const corr = d.correlationId === undefined ? '' : ` (correlation id ${d.correlationId})`;
      io.stderr.write(`sluis-server admin: refused: ${d.problemCode}${fields}${corr}\n`);
      return exitCodeOf(e);
    }
    if (
      isServerError(e, 'usage_invalid') ||
      isServerError(e, 'admin_unreachable') ||
      (isServerError(e) && e.code.startsWith('key_file_'))
    ) {
      io.stderr.write(`sluis-server admin: ${e.message}\n`);
      return exitCodeOf(e);
    }
    io.stderr.write('sluis-server admin: unexpected error\n');
    return EXIT.unavailable;
  }
}

type Plan = (client: AdminClient, json: Out | undefined) => Promise<number>;

function simple(
  io: CliIo,
  method: string,
  path: string,
  opts: { query?: Record<string, string | number | undefined>; body?: unknown },
  human: Out,
): Plan {
  return async (client, json) => {
    const r = await client.request(method, path, opts);
    io.stdout.write((json ?? human)(r.body ?? {}));
    return EXIT.ok;
  };
}

async function planCommand(command: string, sub: string | undefined, v: Values, io: CliIo): Promise<Plan> {
  const orgPath = (action = '') => `/v1/admin/organisations/${uuidArg(v.id, 'id')}${action}`;
  switch (command) {
    case 'organisations':
      return simple(io, 'GET', '/v1/admin/organisations', {}, (b) => lines(itemsOf(b), orgLine));
    case 'organisation':
      return simple(io, 'GET', orgPath(), {}, pretty);
    case 'admit-organisation': {
      const keys = v['public-key'] ?? [];
      if (keys.length === 0) throw usageError('--public-key is required');
      const body = {
        name: need(v.name, 'name'),
        type: need(v.type, 'type'),
        publicKeys: keys,
        ...(v['webhook-url'] === undefined ? {} : { webhookUrl: v['webhook-url'] }),
        ...(v.budget === undefined ? {} : { placementBudgetPerDay: int(v.budget, 'budget') }),
      };
      return simple(io, 'POST', '/v1/admin/organisations', { body }, (b) => {
        const o = (b as { organisation: Record<string, unknown> }).organisation;
        return `admitted: ${orgLine(o)}\norganisation id: ${o.id}\n`;
      });
    }
    case 'update-organisation': {
      const body = {
        ...(v['no-webhook']
          ? { webhookUrl: null }
          : v['webhook-url'] === undefined
            ? {}
            : { webhookUrl: v['webhook-url'] }),
        ...(v.budget === undefined ? {} : { placementBudgetPerDay: int(v.budget, 'budget') }),
      };
      return simple(
        io,
        'PATCH',
        orgPath(),
        { body },
        (b) => `${orgLine((b as { organisation: Record<string, unknown> }).organisation)}\n`,
      );
    }
    case 'suspend':
    case 'reinstate':
      return simple(
        io,
        'POST',
        orgPath(`/${command}`),
        { body: {} },
        (b) => `${orgLine((b as { organisation: Record<string, unknown> }).organisation)}\n`,
      );
    case 'add-key': {
      const publicKey = need(v['public-key']?.[0], 'public-key');
      const path = v.admin ? '/v1/admin/keys' : orgPath('/keys');
      return simple(
        io,
        'POST',
        path,
        { body: { publicKey } },
        (b) => `added: ${keyLine((b as { key: Record<string, unknown> }).key)}\n`,
      );
    }
    case 'revoke-key': {
      const keyId = need(v['key-id'], 'key-id');
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(keyId)) throw usageError('--key-id is malformed');
      return simple(
        io,
        'POST',
        `/v1/admin/keys/${keyId}/revoke`,
        { body: {} },
        (b) => `revoked: ${keyLine((b as { key: Record<string, unknown> }).key)}\n`,
      );
    }
    case 'keys':
      return simple(io, 'GET', '/v1/admin/keys', {}, (b) => lines(itemsOf(b), keyLine));
    case 'agreements-overview':
      return simple(io, 'GET', '/v1/admin/agreements/overview', {}, (b) =>
        lines(itemsOf(b), (i) => {
          const c = i.counts as Record<string, number>;
          return `${i.matchId} ${i.matchStatus}: ${c.total} agreements, ${c.open} open, ${c.done} done, ${c.cancelled} cancelled, ${c.overdue} overdue`;
        }),
      );
    case 'follow-up':
      return simple(
        io,
        'GET',
        '/v1/admin/follow-up',
        { query: { noContactAfterDays: int(v.days, 'days') } },
        (b) =>
          lines(itemsOf(b), (i) => {
            const parties = (i.parties as { organisationName: string; contactMadeAt: string | null }[])
              .map(
                (p) =>
                  `${p.organisationName} (${p.contactMadeAt === null ? 'no contact' : `contact ${p.contactMadeAt}`})`,
              )
              .join(' / ');
            return `${i.matchId}  ${i.overdue ? 'OVERDUE' : 'ok     '}  ${i.kind}  ${i.createdAt}  ${parties}`;
          }),
      );
    case 'retention-run':
      return simple(io, 'POST', '/v1/admin/retention/run', { body: {} }, (b) => {
        const r = b as Record<string, unknown>;
        return `expired ${r.expired}, purged signals ${r.purgedSignals}, purged matches ${r.purgedMatches}\n`;
      });
    case 'logbook-verify':
      return async (client, json) => {
        const r = await client.request('GET', '/v1/admin/logbook/verify');
        const b = r.body as { ok: boolean; entries: number; headHash: string; firstBadSeq?: number };
        io.stdout.write(
          json !== undefined
            ? json(b)
            : b.ok
              ? `logbook ok: ${b.entries} entries, head ${b.headHash}\n`
              : `logbook BROKEN at entry ${b.firstBadSeq} (${b.entries} entries)\n`,
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
          writeFileSync(resolve(io.cwd, v.out), text, { mode: 0o600, flag: 'wx' });
          io.stderr.write(`wrote ${out.length} entries\n`);
        } else io.stdout.write(text);
        return EXIT.ok;
      };
    case 'statistics':
      return simple(io, 'GET', '/v1/admin/statistics', {}, pretty);
    case 'webhooks': {
      if (v.status !== undefined && v.status !== 'pending' && v.status !== 'delivered') {
        throw usageError('--status must be pending or delivered');
      }
      return simple(io, 'GET', '/v1/admin/webhooks', { query: { status: v.status } }, (b) =>
        lines(
          itemsOf(b),
          (d) =>
            `${d.id}  ${String(d.status).padEnd(9)}  attempts ${d.attempts}  ${d.organisationId}  ${(d.payload as { type: string }).type}  ${d.lastErrorCode ?? ''}`,
        ),
      );
    }
    case 'epochs':
      return simple(io, 'GET', '/v1/admin/epochs', {}, (b) =>
        lines(itemsOf(b), (e) => `epoch ${e.epoch}  ${e.status}`),
      );
    case 'register-epoch':
      return simple(
        io,
        'POST',
        '/v1/admin/epochs',
        { body: { epoch: int(v.epoch?.[0], 'epoch', 1) ?? need(undefined, 'epoch') } },
        pretty,
      );
    case 'retire-epoch': {
      const epoch = int(v.epoch?.[0], 'epoch', 1) ?? need(undefined, 'epoch');
      return async (client, json) => {
        try {
          const r = await client.request('POST', `/v1/admin/epochs/${epoch}/retire`, {
            body: v.force ? { force: true } : {},
          });
          const b = r.body as {
            signalsEnded: number;
            archivedUnlinked: number;
            storedPseudonymsDeleted: number;
          };
          io.stdout.write(
            (
              json ??
              (() =>
                `epoch ${epoch} retired: ${b.storedPseudonymsDeleted} stored pseudonyms deleted, ${b.signalsEnded} active signals ended, ${b.archivedUnlinked} archived signals unlinked\n`)
            )(b),
          );
          return EXIT.ok;
        } catch (e) {
          if (!isServerError(e, 'admin_refused') || e.details.problemCode !== 'epoch_in_use') throw e;
          // Say who has not migrated yet, so the municipality can chase them (or force).
          const p = (await client.request('GET', '/v1/admin/epochs/progress')).body as ProgressBody;
          io.stderr.write(`sluis-server admin: refused: epoch_in_use — not migrated off epoch ${epoch}:\n`);
          for (const o of p.organisations) {
            const n = o.stranded.find((x) => x.epoch === epoch)?.activeSignals ?? 0;
            if (n > 0)
              io.stderr.write(`  ${o.organisationId}  ${o.organisationName}: ${n} active signal(s)\n`);
          }
          io.stderr.write('migrate them first (sluis migrate), or retire with --force to end them\n');
          return EXIT.refused;
        }
      };
    }
    case 'epoch-progress':
      return simple(io, 'GET', '/v1/admin/epochs/progress', {}, (b) => {
        const p = b as ProgressBody;
        const head = `epochs: ${p.epochs.map((e) => `${e.epoch} ${e.status}`).join(', ')}\n`;
        return (
          head +
          lines(p.organisations, (o) => {
            const x = o as unknown as ProgressBody['organisations'][number];
            const per = x.byEpoch.map((e) => `epoch ${e.epoch}: ${e.activeSignals}`).join(', ');
            const only = x.stranded
              .filter((e) => e.activeSignals > 0)
              .map((e) => `only under ${e.epoch}: ${e.activeSignals}`)
              .join(', ');
            return `${x.organisationId}  ${x.organisationName}: ${x.activeSignals} active${per ? `; ${per}` : ''}${only ? `; ${only}` : ''}`;
          })
        );
      });
    case 'server-secret':
      return simple(io, 'GET', '/v1/admin/server-secret', {}, rotationLine);
    case 'rotate-server-secret':
      return simple(io, 'POST', '/v1/admin/server-secret/rotate', { body: {} }, rotationLine);
    case 'key-placements': {
      const keyId = need(sub ?? v['key-id'], 'key-id');
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(keyId)) throw usageError('the key id is malformed');
      const from = need(v.from, 'from');
      const to = need(v.to, 'to');
      if (!Number.isFinite(Date.parse(from)) || !Number.isFinite(Date.parse(to)))
        throw usageError('--from and --to must be ISO 8601 times, e.g. 2026-03-01T00:00:00Z');
      return simple(io, 'GET', `/v1/admin/keys/${keyId}/placements`, { query: { from, to } }, (b) => {
        const r = b as {
          placements: { signalId: string; at: string; status: string }[];
          entries: unknown[];
          truncated: boolean;
        };
        return (
          `key ${keyId}, ${from} – ${to}: ${r.placements.length} placement(s), ${r.entries.length} logbook entr${r.entries.length === 1 ? 'y' : 'ies'}${r.truncated ? ' (truncated)' : ''}\n` +
          r.placements.map((p) => `  ${p.at}  ${p.signalId}  ${p.status}\n`).join('')
        );
      });
    }
    case 'server-keys':
      return simple(io, 'GET', '/v1/server-keys', {}, (b) =>
        lines(
          (b as { webhookKeys: unknown[] }).webhookKeys,
          (k) => `${k.keyId}  ${String(k.status).padEnd(8)}  signs from ${k.signFrom}  ${k.publicKey}`,
        ),
      );
    case 'rotate-webhook-key': {
      const after = int(v['switch-after-seconds'], 'switch-after-seconds');
      return simple(
        io,
        'POST',
        '/v1/admin/webhook-keys/rotate',
        { body: after === undefined ? {} : { switchAfterSeconds: after } },
        (b) => {
          const k = (b as { key: Record<string, unknown> }).key;
          return `new webhook key ${k.keyId} (${k.status}), signs from ${k.signFrom}; public key ${k.publicKey}\ngive it to every organisation that receives webhooks before then\n`;
        },
      );
    }
    case 'retire-webhook-key': {
      const keyId = need(v['key-id'], 'key-id');
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(keyId)) throw usageError('--key-id is malformed');
      return simple(
        io,
        'POST',
        `/v1/admin/webhook-keys/${keyId}/retire`,
        { body: {} },
        () => `retired webhook key ${keyId}\n`,
      );
    }
    case 'test-clock': {
      const days = int(v['advance-days'], 'advance-days');
      const seconds = int(v['advance-seconds'], 'advance-seconds');
      if (days === undefined && seconds === undefined)
        return simple(io, 'GET', '/v1/admin/test/clock', {}, pretty);
      const body = {
        ...(days === undefined ? {} : { advanceDays: days }),
        ...(seconds === undefined ? {} : { advanceSeconds: seconds }),
      };
      return simple(
        io,
        'POST',
        '/v1/admin/test/clock',
        { body },
        (b) => `server time now ${(b as { now: string }).now}\n`,
      );
    }
    case 'gdpr': {
      const actions = ['access', 'erase', 'restrict', 'unrestrict', 'object'];
      if (sub === undefined || !actions.includes(sub))
        throw usageError(`gdpr needs one of: ${actions.join(', ')}`);
      if (sub === 'object' && !['pending', 'upheld', 'rejected'].includes(v.status ?? '')) {
        throw usageError('gdpr object needs --status pending|upheld|rejected');
      }
      const subject = await readBsnPseudonyms(v, io);
      const given = new Set(subject.map((p) => p.epoch));
      const [path, body] =
        sub === 'access' || sub === 'erase'
          ? [`/v1/admin/gdpr/${sub}`, { subject }]
          : sub === 'object'
            ? ['/v1/admin/gdpr/object', { subject, status: v.status }]
            : ['/v1/admin/gdpr/restrict', { subject, restricted: sub === 'restrict' }];
      const send = simple(io, 'POST', path, { body }, (b) => {
        if (sub === 'access') {
          const r = b as { signals: Record<string, unknown>[]; matches: Record<string, unknown>[] };
          const s = r.signals.map(
            (x) =>
              `  signal ${x.signalId}  ${x.organisationName}  ${x.status}  placed ${x.placedAt}${x.restricted ? '  restricted' : ''}`,
          );
          const m = r.matches.map(
            (x) =>
              `  match ${x.matchId}  ${x.kind}  ${x.status}  ${(x.organisationNames as string[]).join(' / ')}`,
          );
          return `signals: ${r.signals.length}\n${s.join('\n')}${s.length ? '\n' : ''}matches: ${r.matches.length}\n${m.join('\n')}${m.length ? '\n' : ''}`;
        }
        const r = b as { signals: number; matches?: number };
        return `${sub}: ${r.signals} signal(s)${r.matches === undefined ? '' : `, ${r.matches} match(es)`}\n`;
      });
      // During a key rotation the person's signals may exist under any active epoch: a
      // request without all of them would be silently incomplete (the server refuses it).
      return async (client, json) => {
        const epochs = itemsOf((await client.request('GET', '/v1/admin/epochs', {})).body) as {
          epoch: number;
          status: string;
        }[];
        const missing = epochs
          .filter((e) => e.status === 'active' && !given.has(e.epoch))
          .map((e) => e.epoch);
        if (missing.length > 0) {
          throw usageError(
            `active key epoch ${missing.join(', ')} has no --pseudonym-key-file: give one key file with --epoch for every active epoch (see 'admin epochs')`,
          );
        }
        return send(client, json);
      };
    }
    default:
      throw usageError(`unknown admin command: ${redact(command.slice(0, 40))}`);
  }
}
