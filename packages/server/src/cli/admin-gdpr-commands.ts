// `sluis-server admin gdpr …`: GDPR requests about one citizen. The BSN is taken locally
// (flag or standard input), pseudonymised here with the covenant key(s) through
// @sluis/client-sdk, and only the pseudonyms are sent. Invariant (docs/leakage.md §1): the
// BSN is never sent, printed or logged — not even in an error message.

import { resolve } from 'node:path';
import { canonicaliseIdentifier, isSluisError, PseudonymKey } from '@sluis/client-sdk';
import { type AdminValues as Values, int } from './admin-options.js';
import { itemsOf, type Plan, simple } from './admin-output.js';
import { type CliIo, usageError } from './io.js';
import { loadSymmetricKeyFile } from '../ops/key-files.js';

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

export async function planGdprCommand(sub: string | undefined, v: Values, io: CliIo): Promise<Plan> {
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
    const missing = epochs.filter((e) => e.status === 'active' && !given.has(e.epoch)).map((e) => e.epoch);
    if (missing.length > 0) {
      throw usageError(
        `active key epoch ${missing.join(', ')} has no --pseudonym-key-file: give one key file with --epoch for every active epoch (see 'admin epochs')`,
      );
    }
    return send(client, json);
  };
}
