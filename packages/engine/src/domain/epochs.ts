// Covenant key epochs (docs/keys.md). A pseudonym under an unknown epoch is refused, under
// a retired one too. Retiring an epoch deletes every stored pseudonym of that epoch, so
// nothing derived from the old covenant key remains. Retirement is refused while live
// signals have a subject pseudonym under that epoch only (not migrated); forced, those
// signals end ('key_retired'). A due signal (past its expiresAt) has ended already: it never
// holds the epoch in use, and the retirement records its expiry. Archived signals left
// without a subject pseudonym stay until their purge but can no longer be found by person
// (reported as archivedUnlinked, the due ones among them).

import { ristretto255 } from '@noble/curves/ed25519.js';
import type { Actor, EpochKind, EpochRecord, EpochRetirement, StepUpProof } from '../api.js';
import { EngineError } from '../errors.js';
import type { EpochRow } from '../store/store.js';
import { fail } from '../validation.js';
import { type EngineContext, requireAdmin } from './context.js';
import { deactivate, expire } from './lifecycle.js';
import { appendLog } from './logbook.js';
import { commitSessionStepUp, sessionStepUp } from './step-up.js';
import { isDue } from './views.js';

const toEpoch = (e: EpochRow): EpochRecord => ({ ...e });

function checkEpoch(epoch: unknown): asserts epoch is number {
  if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 1 || epoch > 0xffffffff)
    fail(['epoch']);
}

export async function listEpochs(ctx: EngineContext): Promise<EpochRecord[]> {
  return ctx.store.read(async (tx) => (await tx.listEpochs()).map(toEpoch));
}

/**
 * An OPRF epoch's public key: the canonical encoding of a non-identity ristretto255
 * element (RFC 9496 §4.3.1), the key every client pins (docs/protocol.md §9.5).
 */
export function isValidOprfPublicKey(publicKey: unknown): publicKey is Uint8Array {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
  try {
    return !ristretto255.Point.fromBytes(publicKey).is0();
  } catch {
    return false;
  }
}

export interface EpochRegistration {
  /** Default 'hmac'. */
  readonly kind?: EpochKind;
  /** Required for 'oprf', refused for 'hmac'. */
  readonly publicKey?: Uint8Array;
}

/**
 * Registers a covenant key epoch. A municipality person's session needs a step-up made for
 * `epoch-register <epoch> <kind> [<key>]` (docs/protocol.md §10.6): an OPRF epoch's public
 * key decides which pseudonym-service key every client trusts from then on.
 */
export async function registerEpoch(
  ctx: EngineContext,
  actor: Actor,
  epoch: number,
  registration: EpochRegistration = {},
  proof?: StepUpProof,
): Promise<EpochRecord> {
  requireAdmin(actor);
  checkEpoch(epoch);
  const kind = registration.kind ?? 'hmac';
  if (kind !== 'hmac' && kind !== 'oprf') fail(['kind']);
  const publicKey = registration.publicKey ?? null;
  if (kind === 'oprf' ? !isValidOprfPublicKey(publicKey) : publicKey !== null) fail(['publicKey']);
  const stepUp = await sessionStepUp(
    ctx,
    actor,
    {
      kind: 'epoch_register',
      epoch,
      epochKind: kind,
      ...(publicKey === null ? {} : { publicKey: Buffer.from(publicKey).toString('base64url') }),
    },
    proof,
  );
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    await commitSessionStepUp(tx, actor, stepUp, now);
    await tx.enterEpochSection();
    if ((await tx.getEpoch(epoch)) !== undefined)
      throw new EngineError('conflict', 'the epoch is already registered');
    await tx.insertEpoch({
      epoch,
      status: 'active',
      kind,
      publicKey: publicKey === null ? null : Uint8Array.from(publicKey),
      registeredAt: now,
      retiredAt: null,
    });
    await appendLog(tx, now, actor, 'epoch.registered', {}, { epoch, kind });
    return toEpoch((await tx.getEpoch(epoch))!);
  });
}

export async function retireEpoch(
  ctx: EngineContext,
  actor: Actor,
  epoch: number,
  options: { readonly force?: boolean } = {},
): Promise<EpochRetirement> {
  requireAdmin(actor);
  checkEpoch(epoch);
  const force = options?.force === true;
  const report = await ctx.store.write(async (tx) => {
    const now = ctx.clock();
    // Read under the epochs section (docs/engine.md "Storage contract", clause 4): a retirement
    // run on two instances at once finds the other's retirement and changes nothing.
    await tx.enterEpochSection();
    const e = await tx.getEpoch(epoch);
    if (e === undefined) throw new EngineError('epoch_unknown', 'the epoch is unknown');
    if (e.status === 'retired') {
      return {
        epoch: toEpoch(e),
        storedPseudonymsDeleted: 0,
        signalsEnded: 0,
        archivedUnlinked: 0,
        organisations: [],
      };
    }
    const active = (await tx.listEpochs()).filter((x) => x.status === 'active');
    if (active.length <= 1) throw new EngineError('conflict', 'the last active epoch cannot be retired');
    // What retiring strands: signals with no subject pseudonym under another active epoch.
    // A due one has ended already (docs/engine.md "The life of a signal"): it does not hold
    // the epoch in use, it is archived and unlinked like any ended one.
    const dependants = await tx.epochDependants(epoch, now);
    const unmigrated = dependants.reduce((n, d) => n + d.active, 0);
    const due = dependants.reduce((n, d) => n + d.due, 0);
    if (unmigrated > 0 && !force) {
      throw new EngineError('epoch_in_use', 'active signals exist only under this epoch');
    }
    // A due signal's expiry is recorded here, as retention would have (ended at its
    // expiresAt, `signal.expired`), so no signal stays stored active without a subject
    // pseudonym. Forced, the live ones can never match again, so they end now (their matches
    // end, the counterparts are told) instead of looking active to their organisation.
    let signalsEnded = 0;
    for (const rid of unmigrated + due > 0 ? await tx.activeSignalRidsOnlyUnder(epoch) : []) {
      const s = await tx.getSignalByRid(rid);
      if (s === undefined || s.status !== 'active') continue;
      if (isDue(s, now)) {
        await expire(ctx, tx, s, now);
        continue;
      }
      await deactivate(ctx, tx, s, 'key_retired', now);
      signalsEnded++;
    }
    await tx.updateEpoch(epoch, { status: 'retired', retiredAt: now });
    const deleted = await tx.deletePseudonymsOfEpoch(epoch);
    const organisations = dependants.map((d) => ({
      organisationId: d.organisationId,
      signalsEnded: d.active,
      archivedUnlinked: d.due + d.inactive,
    }));
    for (const o of organisations) {
      await appendLog(
        tx,
        now,
        actor,
        'epoch.signals_stranded',
        { organisationId: o.organisationId },
        {
          epoch,
          signalsEnded: o.signalsEnded,
          archivedUnlinked: o.archivedUnlinked,
        },
      );
    }
    const archivedUnlinked = dependants.reduce((n, d) => n + d.due + d.inactive, 0);
    await appendLog(
      tx,
      now,
      actor,
      'epoch.retired',
      {},
      {
        epoch,
        storedPseudonymsDeleted: deleted,
        signalsEnded,
        archivedUnlinked,
        forced: force,
      },
    );
    return {
      epoch: toEpoch((await tx.getEpoch(epoch))!),
      storedPseudonymsDeleted: deleted,
      signalsEnded,
      archivedUnlinked,
      organisations,
    };
  });
  // secure_delete overwrote the deleted values in the file; the checkpoint takes them out of the WAL.
  await ctx.store.compact();
  return report;
}
