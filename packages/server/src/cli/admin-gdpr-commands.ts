// `sluis-server admin gdpr …`: GDPR requests about one citizen. The BSN — or for a person
// without one (--without-bsn) surname, date of birth and gender — is taken locally
// (flag or standard input), pseudonymised here through @sluis/client-sdk — with the
// covenant key file of an HMAC epoch, or by the pseudonym service for an OPRF epoch
// (docs/protocol.md §9; the evaluate request is signed with the admin key, which must be
// on the service's admission list) — and only the pseudonyms are sent. Invariant
// (docs/leakage.md §1): the identifier is never sent, printed or logged — not even in an error message.

import { type AccessReportInput, renderAccessReport } from '@sluis/client-sdk';
import { resolve } from 'node:path';
import {
  base64url,
  type CanonicalIdentifier,
  canonicaliseIdentifier,
  createPseudonymServiceClient,
  isSluisError,
  isValidOprfPublicKey,
  OprfPseudonymiser,
  type Pseudonym,
  PseudonymKey,
  type SigningKey,
  SUBSTITUTE_SCHEME,
} from '@sluis/client-sdk';
import { type AdminValues as Values, int } from './admin-options.js';
import { itemsOf, type Plan, simple } from './admin-output.js';
import { type CliIo, usageError } from './io.js';
import { loadSymmetricKeyFile } from '../ops/key-files.js';
import { ServerError } from '../errors.js';

interface OprfRef {
  readonly epoch: number;
  readonly publicKey: string;
}

/**
 * Reads the BSN from the flag or the first line of standard input, validates it locally,
 * pseudonymises it under every HMAC epoch given, and returns what the OPRF epochs need
 * (evaluated once the admin signing key is loaded).
 */
async function readBsnPseudonyms(values: Values, io: CliIo) {
  const files = values['pseudonym-key-file'] ?? [];
  const epochs = values.epoch ?? [];
  const oprfEpochs = values['oprf-epoch'] ?? [];
  const oprfKeys = values['oprf-public-key'] ?? [];
  if (files.length === 0 && oprfEpochs.length === 0)
    throw usageError(
      '--pseudonym-key-file (with --epoch) or --oprf-epoch (with --oprf-public-key) is required',
    );
  if (files.length !== epochs.length) throw usageError('give one --epoch per --pseudonym-key-file');
  if (oprfEpochs.length !== oprfKeys.length) throw usageError('give one --oprf-public-key per --oprf-epoch');
  const serviceUrl = values['pseudonym-service-url'];
  if (oprfEpochs.length > 0 && serviceUrl === undefined)
    throw usageError('an OPRF epoch needs --pseudonym-service-url');
  const oprf: OprfRef[] = oprfEpochs.map((e, i) => {
    const publicKey = oprfKeys[i]!;
    if (!isValidOprfPublicKey(base64url.decode(publicKey)))
      throw usageError('--oprf-public-key is not valid');
    return { epoch: int(e, 'oprf-epoch', 1)!, publicKey };
  });
  const withoutBsn = values['without-bsn'] === true;
  // docs/protocol.md §2.2: an identifier without BSN is never HMACed with a covenant key.
  if (withoutBsn && files.length > 0)
    throw usageError(
      'scheme_requires_oprf: a person without a BSN is pseudonymised under OPRF epochs only; give --oprf-epoch, not --pseudonym-key-file',
    );
  if (withoutBsn && oprfEpochs.length === 0)
    throw usageError(
      'scheme_requires_oprf: a person without a BSN needs --oprf-epoch (with --oprf-public-key)',
    );
  const identifier = withoutBsn ? await readSubstitute(values, io) : await readBsn(values, io);
  const hmac = files.map((file, i) => {
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
  const pseudonymisers = oprf.map(
    (o) => (signingKey: SigningKey) =>
      OprfPseudonymiser.create({
        epoch: o.epoch,
        publicKey: o.publicKey,
        service: createPseudonymServiceClient({
          serviceUrl: serviceUrl!,
          signingKey,
          ...(io.fetch === undefined ? {} : { fetch: io.fetch }),
        }),
      }),
  );
  return { hmac, oprf, identifier, pseudonymisers, oprfOnly: withoutBsn };
}

/** The BSN from --bsn or the first line of standard input. */
async function readBsn(values: Values, io: CliIo): Promise<CanonicalIdentifier> {
  if (values.surname !== undefined || values['date-of-birth'] !== undefined || values.gender !== undefined)
    throw usageError('--surname, --date-of-birth and --gender go with --without-bsn');
  let raw = values.bsn;
  if (raw === undefined) {
    if (io.readStdin === undefined) throw usageError('give the BSN on standard input or with --bsn');
    raw = (await io.readStdin()).split(/\r?\n/)[0] ?? '';
  }
  try {
    return canonicaliseIdentifier('bsn', raw.trim());
  } catch (e) {
    // The SDK's codes and messages never contain the input.
    throw usageError(`the BSN is not valid (${isSluisError(e) ? e.code : 'invalid'})`);
  } finally {
    raw = '';
  }
}

/**
 * A person without a BSN (docs/protocol.md §2.2): --surname, --date-of-birth and --gender
 * together, or the first three lines of standard input in that order. Errors name the part
 * (the SDK's substitute_* code), never the value.
 */
async function readSubstitute(values: Values, io: CliIo): Promise<CanonicalIdentifier> {
  if (values.bsn !== undefined) throw usageError('--bsn and --without-bsn exclude each other');
  const flags = [values.surname, values['date-of-birth'], values.gender];
  let parts: (string | undefined)[];
  if (flags.every((f) => f === undefined)) {
    if (io.readStdin === undefined)
      throw usageError('give surname, date of birth and gender on standard input (three lines)');
    parts = (await io.readStdin()).split(/\r?\n/).slice(0, 3);
  } else if (flags.some((f) => f === undefined)) {
    throw usageError(
      '--without-bsn needs --surname, --date-of-birth and --gender together (or standard input)',
    );
  } else parts = flags;
  const [surname, dateOfBirth, gender] = parts.map((p) => (p ?? '').trim());
  try {
    return canonicaliseIdentifier(SUBSTITUTE_SCHEME, { surname, dateOfBirth, gender });
  } catch (e) {
    throw usageError(`the person without a BSN is not valid (${isSluisError(e) ? e.code : 'invalid'})`);
  } finally {
    parts = [];
  }
}

/** What to do about the pseudonym service's refusals of the admin key (docs/keys.md §4.6 step 4). */
const SERVICE_REFUSAL_HINTS: Readonly<Record<string, string>> = {
  key_unknown:
    "the pseudonym service does not know this admin key: its operator admits the admin key's public key (sluis-server admin keys shows it) with sluis-pseudonym-service admit --name … --public-key=<public key> --organisation-id <the municipality's uuid> (docs/keys.md §4.6 step 4)",
  key_revoked:
    'the pseudonym service has removed this admin key: its operator admits the current admin key (docs/keys.md §4.6 step 4)',
};

/** The OPRF epochs' pseudonyms, evaluated by the pseudonym service under the admin key. */
async function oprfPseudonyms(
  identifier: CanonicalIdentifier,
  make: readonly ((k: SigningKey) => OprfPseudonymiser)[],
  signingKey: SigningKey,
): Promise<Pseudonym[]> {
  const out: Pseudonym[] = [];
  for (const m of make) {
    let p: OprfPseudonymiser;
    try {
      p = m(signingKey);
    } catch {
      throw usageError('--oprf-public-key or --pseudonym-service-url is not valid');
    }
    try {
      out.push(...(await p.pseudonymiseBatch([identifier])));
    } catch (e) {
      // Exit codes as docs/operations.md "The admin CLI" gives them: the service refused (1),
      // could not be reached (3); anything else (a proof that does not verify against the
      // pinned key, an answer of the wrong shape) is this command's configuration (2).
      if (isSluisError(e) && e.details.problemCode !== undefined && e.details.status !== undefined) {
        throw new ServerError('admin_refused', {
          problemCode: e.details.problemCode,
          status: e.details.status,
          source: 'pseudonym service',
          ...(SERVICE_REFUSAL_HINTS[e.details.problemCode] === undefined
            ? {}
            : { hint: SERVICE_REFUSAL_HINTS[e.details.problemCode] }),
          ...(e.details.correlationId === undefined ? {} : { correlationId: e.details.correlationId }),
        });
      }
      if (isSluisError(e, 'pseudonym_service_unavailable') || isSluisError(e, 'network_error')) {
        throw new ServerError('admin_unreachable', { path: 'pseudonym service (--pseudonym-service-url)' });
      }
      const code = isSluisError(e) ? e.code : 'failed';
      throw usageError(`the pseudonym service did not evaluate (${code})`);
    } finally {
      // Its evaluation is over (answered or not): it forgets what it holds (docs/keys.md §7).
      p.destroy();
    }
  }
  return out;
}

export async function planGdprCommand(sub: string | undefined, v: Values, io: CliIo): Promise<Plan> {
  const actions = ['access', 'erase', 'restrict', 'unrestrict', 'object'];
  if (sub === undefined || !actions.includes(sub))
    throw usageError(`gdpr needs one of: ${actions.join(', ')}`);
  if (sub === 'object' && !['pending', 'upheld', 'rejected'].includes(v.status ?? '')) {
    throw usageError('gdpr object needs --status pending|upheld|rejected');
  }
  if ((v['received-on'] !== undefined || v['late-excused'] !== undefined) && v.status !== 'pending') {
    throw usageError('--received-on and --late-excused go with gdpr object --status pending');
  }
  if (v['received-on'] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v['received-on'])) {
    throw usageError('--received-on must be a date YYYY-MM-DD');
  }
  if (v.lang !== undefined && (sub !== 'access' || (v.lang !== 'nl' && v.lang !== 'en'))) {
    throw usageError('--lang nl|en is for gdpr access only');
  }
  const read = await readBsnPseudonyms(v, io);
  const given = new Set([...read.hmac.map((p) => p.epoch), ...read.oprf.map((o) => o.epoch)]);
  // docs/api.md "Admin (municipality) routes": a person without a BSN has pseudonyms under OPRF epochs only.
  const scope = read.oprfOnly ? { oprfOnly: true } : {};
  const request = (subject: Pseudonym[]): [string, unknown] =>
    sub === 'access' || sub === 'erase'
      ? [`/v1/admin/gdpr/${sub}`, { subject, ...scope }]
      : sub === 'object'
        ? [
            '/v1/admin/gdpr/object',
            {
              subject,
              status: v.status,
              ...(v['received-on'] === undefined ? {} : { receivedOn: v['received-on'] }),
              ...(v['late-excused'] === true ? { lateExcused: true } : {}),
              ...scope,
            },
          ]
        : ['/v1/admin/gdpr/restrict', { subject, restricted: sub === 'restrict', ...scope }];
  const send = (subject: Pseudonym[]) => {
    const [path, body] = request(subject);
    return simple(io, 'POST', path, { body }, render);
  };
  // API 1.9.0: an archive notice or an `existing` answer names the citizen's signal it concerned.
  const accessVia = (x: Record<string, unknown>) =>
    x.via === 'archive_notice' || x.via === 'existing'
      ? `  via ${String(x.via).replace('_', ' ')}  signal ${x.signalId}`
      : '';
  const informedPart = (i: unknown) => {
    const x = i as { status?: string; date?: string } | undefined;
    if (x?.status === undefined) return '';
    return `  informed ${x.status.replace('_', ' ')}${x.date === undefined ? '' : ` ${x.date}`}`;
  };
  const render = (b: unknown) => {
    // The citizen's report, in Dutch or English (docs/privacy.md "Who saw the signal").
    if (sub === 'access' && (v.lang === 'nl' || v.lang === 'en'))
      return renderAccessReport(b as AccessReportInput, v.lang);
    if (sub === 'access') {
      const r = b as { signals: Record<string, unknown>[]; matches: Record<string, unknown>[] };
      // Each own signal with what privacy.md §2 art. 15 lists besides: informed, restriction, objection.
      const s = r.signals.map(
        (x) =>
          `  signal ${x.signalId}  ${x.organisationName}  ${x.status}  placed ${x.placedAt}${informedPart(x.informed)}${x.restricted ? '  restricted' : ''}${x.objection == null ? '' : `  objection ${x.objection}`}`,
      );
      const p = ((b as { parentLinks?: Record<string, unknown>[] }).parentLinks ?? []).map(
        (x) => `  signal ${x.signalId}  ${x.organisationName}  ${x.status}  placed ${x.placedAt}`,
      );
      const m = r.matches.map(
        (x) =>
          `  match ${x.matchId}  ${x.kind}  ${x.status}  ${(x.organisationNames as string[]).join(' / ')}${x.via === 'parent' ? '  via parent' : ''}`,
      );
      const a = ((b as { access?: Record<string, unknown>[] }).access ?? []).map(
        (x) =>
          `  ${x.kind} ${x.at}  ${x.organisationName ?? 'municipality'}  ${x.role}${x.personName === null ? '' : `  ${x.personName}`}${accessVia(x)}`,
      );
      return `signals: ${r.signals.length}\n${s.join('\n')}${s.length ? '\n' : ''}as a parent: ${p.length}\n${p.join('\n')}${p.length ? '\n' : ''}matches: ${r.matches.length}\n${m.join('\n')}${m.length ? '\n' : ''}received or viewed: ${a.length}\n${a.join('\n')}${a.length ? '\n' : ''}`;
    }
    // API 1.4.0 adds the parent links changed and, on registering an objection, whether it was on time.
    const r = b as { signals: number; matches?: number; parentLinks?: number; onTime?: boolean };
    const parts = [`${r.signals} signal(s)`];
    if (r.matches !== undefined) parts.push(`${r.matches} match(es)`);
    if (r.parentLinks !== undefined) parts.push(`${r.parentLinks} parent link(s)`);
    if (r.onTime !== undefined) parts.push(r.onTime ? 'on time' : 'late, excused');
    return `${sub}: ${parts.join(', ')}\n`;
  };
  // During a key rotation the person's signals may exist under any active epoch: a
  // request without all of them would be silently incomplete (the server refuses it).
  return async (client, json) => {
    const epochs = itemsOf((await client.request('GET', '/v1/admin/epochs', {})).body) as {
      epoch: number;
      status: string;
      kind: string;
    }[];
    const missing = epochs.filter(
      (e) => e.status === 'active' && (!read.oprfOnly || e.kind === 'oprf') && !given.has(e.epoch),
    );
    // Each missing epoch is named with the flag its kind takes: an OPRF epoch is evaluated by
    // the pseudonym service (--oprf-epoch), an HMAC epoch needs its covenant key file.
    const oprfMissing = missing.filter((e) => e.kind === 'oprf').map((e) => e.epoch);
    const hmacMissing = missing.filter((e) => e.kind !== 'oprf').map((e) => e.epoch);
    if (oprfMissing.length > 0) {
      throw usageError(
        read.oprfOnly
          ? `active OPRF epoch ${oprfMissing.join(', ')} has no --oprf-epoch: a person without a BSN is named under every active OPRF epoch (see 'admin epochs')`
          : `active OPRF epoch ${oprfMissing.join(', ')} has no --oprf-epoch: give --oprf-epoch with --oprf-public-key (and --pseudonym-service-url) for every active OPRF epoch (see 'admin epochs')`,
      );
    }
    if (hmacMissing.length > 0) {
      throw usageError(
        `active key epoch ${hmacMissing.join(', ')} has no --pseudonym-key-file: give one key file with --epoch for every active epoch (see 'admin epochs')`,
      );
    }
    const oprf = await oprfPseudonyms(read.identifier, read.pseudonymisers, client.signingKey);
    return send([...read.hmac, ...oprf])(client, json);
  };
}
