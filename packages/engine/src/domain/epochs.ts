// Covenant key epochs (docs/keys.md). A pseudonym under an unknown epoch is refused, under
// a retired one too. Retiring an epoch deletes every stored pseudonym of that epoch, so
// nothing derived from the old covenant key remains; a signal left without a subject
// pseudonym stays stored (its organisation still sees it) but can no longer match.

import type { Actor, EpochRecord } from '../api.js';
import { EngineError } from '../errors.js';
import type { EpochRow } from '../store/store.js';
import { fail } from '../validation.js';
import { type EngineContext, requireAdmin } from './context.js';
import { appendLog } from './logbook.js';

const toEpoch = (e: EpochRow): EpochRecord => ({ ...e });

function checkEpoch(epoch: unknown): asserts epoch is number {
  if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 1 || epoch > 0xffffffff)
    fail(['epoch']);
}

export async function listEpochs(ctx: EngineContext): Promise<EpochRecord[]> {
  return ctx.store.read(async (tx) => (await tx.listEpochs()).map(toEpoch));
}

export async function registerEpoch(ctx: EngineContext, actor: Actor, epoch: number): Promise<EpochRecord> {
  requireAdmin(actor);
  checkEpoch(epoch);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    if ((await tx.getEpoch(epoch)) !== undefined)
      throw new EngineError('conflict', 'the epoch is already registered');
    await tx.insertEpoch({ epoch, status: 'active', registeredAt: now, retiredAt: null });
    await appendLog(tx, now, actor, 'epoch.registered', {}, { epoch });
    return toEpoch((await tx.getEpoch(epoch))!);
  });
}

export async function retireEpoch(ctx: EngineContext, actor: Actor, epoch: number): Promise<EpochRecord> {
  requireAdmin(actor);
  checkEpoch(epoch);
  const record = await ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const e = await tx.getEpoch(epoch);
    if (e === undefined) throw new EngineError('epoch_unknown', 'the epoch is unknown');
    if (e.status === 'retired') return toEpoch(e);
    const active = (await tx.listEpochs()).filter((x) => x.status === 'active');
    if (active.length <= 1) throw new EngineError('conflict', 'the last active epoch cannot be retired');
    await tx.updateEpoch(epoch, { status: 'retired', retiredAt: now });
    const deleted = await tx.deletePseudonymsOfEpoch(epoch);
    await appendLog(tx, now, actor, 'epoch.retired', {}, { epoch, storedPseudonymsDeleted: deleted });
    return toEpoch((await tx.getEpoch(epoch))!);
  });
  await ctx.store.compact();
  return record;
}
