// `sluis keygen`, `sluis covenant-key` and `sluis whoami`: creating the organisation's
// signing key, the covenant key ceremony, and checking credentials against the server.
// Invariant: keys go to 0600 files only; the signing key's public half and key id and the
// covenant key's check value are printed, never a secret key.

import { base64url } from '../protocol/encoding.js';
import { SigningKey } from '../protocol/signing-key.js';
import { usageError } from './cli-config.js';
import { type Ctx, EXIT, clientAndService, intFlag, out } from './cli-context.js';
import { EPOCH_ADVICE } from './cli-errors.js';
import { COVENANT_KEY_BYTES, keyCheckValue, writeNewCovenantKeyFile } from './covenant-key.js';
import { loadPseudonymKeyFile, writeSigningKeyFile } from './key-files.js';

export async function keygen(ctx: Ctx): Promise<number> {
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
export async function covenantKey(ctx: Ctx): Promise<number> {
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

export async function whoami(ctx: Ctx): Promise<number> {
  // The configured pseudonym keys are loaded (and so checked) to report their epochs.
  const { client: c, pseudonymService } = await clientAndService(ctx, 'if-configured');
  const w = await c.whoami();
  const active = new Set(w.epochs.filter((e) => e.status === 'active').map((e) => e.epoch));
  const notActive = c.epochs.filter((e) => !active.has(e));
  out(
    ctx,
    `organisation: ${w.organisation.name} (${w.organisation.type}, ${w.organisation.status})\n` +
      (w.authenticatedBy === 'key'
        ? `key:          ${w.key.keyId} (${w.key.status})\n`
        : `session:      person ${w.session.personId} (${w.session.role}), until ${w.session.expiresAt}\n`) +
      `budget:       ${w.budget.usedToday}/${w.budget.perDay} used today (UTC; one unit per person looked up, parents included)\n` +
      `epochs:       ${w.epochs.map((e) => `${e.epoch} (${e.status})`).join(', ')}\n` +
      `local epochs: ${c.epochs.join(', ') || 'none configured'}` +
      // Which pseudonym service the OPRF epochs are evaluated by: its URL, never a key or credential.
      (pseudonymService === undefined
        ? ''
        : `\noprf service: ${pseudonymService.url} (local epoch${pseudonymService.epochs.length > 1 ? 's' : ''} ${pseudonymService.epochs.join(', ')})`),
    {
      ...w,
      localEpochs: c.epochs,
      localEpochsNotActive: notActive,
      pseudonymServiceUrl: pseudonymService?.url ?? null,
    },
  );
  if (notActive.length === 0) return EXIT.ok;
  // Every placement carries a pseudonym under each configured epoch, and the server refuses
  // all of them while one epoch is retired or unknown (docs/engine.md "Stored pseudonyms and
  // epochs"): whoami fails too, so a scripted check catches it before the first signal does.
  const retired = notActive.filter((e) => w.epochs.some((s) => s.epoch === e));
  const unknown = notActive.filter((e) => !retired.includes(e));
  const what = [
    ...(retired.length > 0 ? [`local epoch ${retired.join(', ')} is retired at the server`] : []),
    ...(unknown.length > 0 ? [`local epoch ${unknown.join(', ')} is unknown to the server`] : []),
  ];
  const label = retired.length > 0 ? 'epoch_retired' : 'epoch_unknown';
  ctx.io.stderr.write(`error: ${label}: ${what.join('; ')}; ${EPOCH_ADVICE}\n`);
  return EXIT.epoch;
}
