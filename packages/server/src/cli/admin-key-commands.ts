// Admin commands for the key lifecycle (docs/keys.md): covenant key epochs (register,
// progress, retire), server-secret rotation, per-key placement review and webhook key
// rotation. Invariant: retiring an epoch that still holds signals is refused unless
// --force, and the refusal names who has not migrated (ids and names, never pseudonyms).

import { join } from 'node:path';
import { type AdminValues as Values, int, need } from './admin-options.js';
import { itemsOf, lines, type Out, type Plan, simple } from './admin-output.js';
import { type CliIo, EXIT, usageError } from './io.js';
import { isServerError, ServerError } from '../errors.js';
import { readWebhookKeyState, WEBHOOK_KEYS_STATE } from '../ops/webhook-key-files.js';

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

/** What the operator does after starting a rotation (docs/keys.md §4.2, operations.md "High availability"). */
const rotationStarted: Out = (b) => {
  const g = (b as { rotation: { generation: number } | null }).rotation?.generation;
  if (g === undefined) return rotationLine(b);
  return (
    rotationLine(b) +
    `next: copy keys/server-secret-${g}.key (mode 0600, owned by the service user) from this instance's data directory to the keys directory of every other instance now, unless they share this one — until it is there each answers the requests that need it and /readyz with 503 (docs/keys.md §4.2)\n` +
    `then: back it up with the key backup, apart from the database backups; keep every generation (docs/keys.md §2.2)\n`
  );
};

/**
 * The file webhook-keys.json of `keysDir` lists for `keyId`, or undefined (no such entry, or no
 * readable webhook-keys.json: a workstation, or the data directory of another instance). The
 * API answer does not name it; the data directory this command was given does (docs/keys.md §4.5).
 */
function webhookKeyFile(keysDir: string, keyId: string): string | undefined {
  try {
    return readWebhookKeyState(keysDir).find((k) => k.keyId === keyId)?.file;
  } catch {
    return undefined;
  }
}

/** The new webhook key and what to do with it (docs/keys.md §4.5): its switch time may be now. */
const webhookKeyAdded =
  (keysDir: string): Out =>
  (b) => {
    const k = (b as { key: { keyId: string; status: string; signFrom: string; publicKey: string } }).key;
    const head =
      k.status === 'signing'
        ? `new webhook key ${k.keyId} signs from now on (${k.signFrom}); public key ${k.publicKey}\n` +
          'next: give the public key to every organisation that receives webhooks at once — until then they refuse the deliveries signed with it (and retry them)\n'
        : `new webhook key ${k.keyId} (${k.status}), signs from ${k.signFrom}; public key ${k.publicKey}\n` +
          `next: give the public key to every organisation that receives webhooks before ${k.signFrom}\n`;
    const file = webhookKeyFile(keysDir, k.keyId);
    const copy =
      file === undefined
        ? `next: copy keys/webhook-keys.json and the new key's file — the webhook-signing-<n>.key that the webhook-keys.json of the instance that answered lists for ${k.keyId} (${join(keysDir, WEBHOOK_KEYS_STATE)} does not) — from that instance's keys directory (the key file first, mode 0600) to every other instance's keys directory now, unless they share this one (docs/keys.md §4.5)\n`
        : `next: copy ${join(keysDir, file)} and then ${join(keysDir, WEBHOOK_KEYS_STATE)} (the key file first, mode 0600) to every other instance's keys directory now, unless they share this one (docs/keys.md §4.5)\n`;
    return (
      head +
      copy +
      `then: back up ${file === undefined ? 'the new key file' : file} with the key backup; retire the old key (retire-webhook-key) once every organisation has the new one\n`
    );
  };

export function planKeyCommand(
  command: string,
  sub: string | undefined,
  v: Values,
  io: CliIo,
  keysDir: string,
): Plan | undefined {
  switch (command) {
    case 'epochs':
      return simple(io, 'GET', '/v1/admin/epochs', {}, (b) => {
        const items = itemsOf(b) as Record<string, unknown>[];
        const hmac = items.filter((e) => e.status === 'active' && e.kind === 'hmac').map((e) => e.epoch);
        return (
          lines(
            items,
            (e) => `epoch ${e.epoch}  ${e.status}  ${e.kind}${e.publicKey ? `  ${e.publicKey}` : ''}`,
          ) +
          // The portal's desk pseudonymises under OPRF epochs only; the server refuses a GDPR
          // request that misses an active epoch (docs/operations.md "The GDPR desk in the portal").
          (hmac.length === 0
            ? ''
            : `note: HMAC epoch ${hmac.join(', ')} active: the portal's GDPR desk is refused every request until no HMAC epoch is active; meanwhile use sluis-server admin gdpr (docs/operations.md "The GDPR desk in the portal")\n`)
        );
      });
    case 'register-epoch': {
      // docs/keys.md: an OPRF epoch is registered with the public key from the ceremony record.
      const kind = v.kind ?? 'hmac';
      if (kind !== 'hmac' && kind !== 'oprf') throw usageError('--kind must be hmac or oprf');
      const publicKey = v['public-key']?.[0];
      if (kind === 'oprf' && publicKey === undefined) throw usageError('--kind oprf needs --public-key');
      if (kind === 'hmac' && publicKey !== undefined)
        throw usageError('--public-key is for --kind oprf only');
      return simple(
        io,
        'POST',
        '/v1/admin/epochs',
        {
          body: {
            epoch: int(v.epoch?.[0], 'epoch', 1) ?? need(undefined, 'epoch'),
            ...(kind === 'oprf' ? { kind, publicKey } : {}),
          },
        },
        (b) => {
          const e = (
            b as { epoch: { epoch: number; kind: string; status: string; publicKey: string | null } }
          ).epoch;
          return (
            `epoch ${e.epoch} registered: ${e.kind}, ${e.status}${e.publicKey === null ? '' : `, public key ${e.publicKey}`}\n` +
            `next: organisations configure epoch ${e.epoch} and migrate their signals; follow with epoch-progress (docs/keys.md §4.1)\n`
          );
        },
      );
    }
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
          if (isServerError(e, 'admin_refused') && e.details.problemCode === 'conflict') {
            // The engine's only conflict here (docs/keys.md §4): without another active epoch,
            // no pseudonym could be placed or looked up at all.
            throw new ServerError('admin_refused', {
              ...e.details,
              hint: `epoch ${epoch} is the last active epoch and cannot be retired: register the next one first (admin register-epoch), then retire this one`,
            });
          }
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
      return simple(io, 'POST', '/v1/admin/server-secret/rotate', { body: {} }, rotationStarted);
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
        webhookKeyAdded(keysDir),
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
        () =>
          `retired webhook key ${keyId}\nnext: copy keys/webhook-keys.json to every other instance's keys directory and delete the retired key's file there, unless they share this one (docs/keys.md §4.5); tell the organisations to drop the key\n`,
      );
    }
    default:
      return undefined;
  }
}
