// The covenant: admitting organisations, their keys, suspension and reinstatement. Only
// the municipality (admin or system actor) may call these. Public keys are checked
// strictly at registration (canonical, not of small order). Reinstatement catches up the
// matches the organisation's active signals missed while it was suspended.

import type {
  Actor,
  AdmitOrganisationInput,
  Organisation,
  PublicKeyRecord,
  StepUpProof,
  UpdateOrganisationInput,
} from '../api.js';
import { EngineError } from '../errors.js';
import { newUuid } from '../ids.js';
import { fromBase64url } from '../protocol/bytes.js';
import { isValidPublicKey, keyIdFromPublicKey } from '../protocol/request-signature.js';
import type { KeyRow, OrganisationRow, StoreReader, StoreWriter } from '../store/store.js';
import { INPUT_RULES } from '../input-rules.js';
import { Faults, fail } from '../validation.js';
import { type EngineContext, notFound, requireAdmin } from './context.js';
import { commitSessionStepUp, sessionStepUp } from './step-up.js';
import { appendLog, appendLogFenced } from './logbook.js';
import { catchUp } from './matching.js';
import { webhookOk } from './webhook-url.js';

export function toOrganisation(o: OrganisationRow): Organisation {
  return {
    id: o.id,
    name: o.name,
    type: o.type,
    status: o.status,
    webhookUrl: o.webhookUrl,
    placementBudgetPerDay: o.placementBudgetPerDay,
    createdAt: o.createdAt,
    matchEmail: o.matchEmail,
  };
}

export function toKey(k: KeyRow): PublicKeyRecord {
  return {
    keyId: k.keyId,
    role: k.role,
    organisationId: k.organisationId,
    publicKey: Buffer.from(k.publicKey).toString('base64url'),
    status: k.status,
    addedAt: k.addedAt,
    revokedAt: k.revokedAt,
  };
}

const budgetOk = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 1_000_000;

function decodeKey(publicKey: unknown): Buffer {
  const bytes = typeof publicKey === 'string' ? fromBase64url(publicKey) : undefined;
  if (bytes === undefined || !isValidPublicKey(bytes)) {
    throw new EngineError('public_key_invalid', 'the public key is invalid');
  }
  return bytes;
}

async function addKeyRow(
  tx: StoreWriter,
  orgRid: number | null,
  bytes: Buffer,
  now: number,
): Promise<KeyRow> {
  const keyId = keyIdFromPublicKey(bytes);
  if ((await tx.getKey(keyId)) !== undefined)
    throw new EngineError('conflict', 'the key is already registered');
  await tx.insertKey({
    keyId,
    role: orgRid === null ? 'admin' : 'organisation',
    organisationRid: orgRid,
    publicKey: bytes,
    status: 'active',
    addedAt: now,
    revokedAt: null,
  });
  return (await tx.getKey(keyId))!;
}

/**
 * Admits an organisation with its signing keys. A municipality person's session needs a
 * step-up made for `organisation-admit <keys>` (docs/protocol.md §10.6): the keys outlive it.
 */
export async function admitOrganisation(
  ctx: EngineContext,
  actor: Actor,
  input: AdmitOrganisationInput,
  proof?: StepUpProof,
): Promise<Organisation> {
  requireAdmin(actor);
  const faults = new Faults();
  faults.check(INPUT_RULES.organisationName, input?.name, 'name');
  if (typeof input?.type !== 'string' || !ctx.config.organisationTypes.includes(input.type))
    faults.add('type');
  if (!Array.isArray(input?.publicKeys) || input.publicKeys.length < 1 || input.publicKeys.length > 2)
    faults.add('publicKeys');
  if (input?.webhookUrl !== undefined && !webhookOk(input.webhookUrl, ctx.config.allowLoopbackHttpWebhooks)) {
    faults.add('webhookUrl');
  }
  if (input?.placementBudgetPerDay !== undefined && !budgetOk(input.placementBudgetPerDay))
    faults.add('placementBudgetPerDay');
  faults.throwIfAny();
  const keys = input.publicKeys.map(decodeKey);
  if (keys.length === 2 && keys[0]!.equals(keys[1]!)) fail(['publicKeys']);
  const stepUp = await sessionStepUp(
    ctx,
    actor,
    { kind: 'organisation_admit', publicKeys: input.publicKeys },
    proof,
  );
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    await commitSessionStepUp(tx, actor, stepUp, now);
    const id = newUuid(ctx.random);
    const rid = await tx.insertOrganisation({
      id,
      name: input.name,
      type: input.type,
      status: 'active',
      webhookUrl: input.webhookUrl ?? null,
      placementBudgetPerDay: input.placementBudgetPerDay ?? ctx.config.defaultPlacementBudgetPerDay,
      createdAt: now,
    });
    const keyIds: string[] = [];
    for (const k of keys) keyIds.push((await addKeyRow(tx, rid, k, now)).keyId);
    await appendLog(
      tx,
      now,
      actor,
      'organisation.admitted',
      { organisationId: id, keyIds: keyIds.join(',') },
      { type: input.type },
    );
    return toOrganisation((await tx.getOrganisationByRid(rid))!);
  });
}

export async function getOrganisation(ctx: EngineContext, id: string): Promise<Organisation> {
  const o = await ctx.store.read((tx) => tx.getOrganisation(id));
  if (o === undefined) notFound();
  return toOrganisation(o);
}

export async function listOrganisations(ctx: EngineContext): Promise<Organisation[]> {
  return (await ctx.store.read((tx) => tx.listOrganisations())).map(toOrganisation);
}

async function orgOr404(tx: StoreReader, id: string): Promise<OrganisationRow> {
  const o = typeof id === 'string' ? await tx.getOrganisation(id) : undefined;
  if (o === undefined) notFound();
  return o;
}

export async function updateOrganisation(
  ctx: EngineContext,
  actor: Actor,
  id: string,
  input: UpdateOrganisationInput,
): Promise<Organisation> {
  requireAdmin(actor);
  const bad: string[] = [];
  if (input?.webhookUrl !== undefined && !webhookOk(input.webhookUrl, ctx.config.allowLoopbackHttpWebhooks)) {
    bad.push('webhookUrl');
  }
  if (input?.placementBudgetPerDay !== undefined && !budgetOk(input.placementBudgetPerDay))
    bad.push('placementBudgetPerDay');
  if (input?.matchEmail !== undefined && typeof input.matchEmail !== 'boolean') bad.push('matchEmail');
  if (bad.length > 0) fail(bad);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const o = await orgOr404(tx, id);
    await tx.updateOrganisation(o.rid, {
      ...(input.webhookUrl !== undefined ? { webhookUrl: input.webhookUrl } : {}),
      ...(input.placementBudgetPerDay !== undefined
        ? { placementBudgetPerDay: input.placementBudgetPerDay }
        : {}),
      ...(input.matchEmail !== undefined ? { matchEmail: input.matchEmail } : {}),
    });
    const details: Record<string, string | number | boolean> = {};
    if (input.webhookUrl !== undefined) details.webhook = input.webhookUrl !== null;
    if (input.placementBudgetPerDay !== undefined)
      details.placementBudgetPerDay = input.placementBudgetPerDay;
    if (input.matchEmail !== undefined) details.matchEmail = input.matchEmail;
    await appendLog(tx, now, actor, 'organisation.updated', { organisationId: o.id }, details);
    return toOrganisation((await tx.getOrganisationByRid(o.rid))!);
  });
}

export async function setOrganisationStatus(
  ctx: EngineContext,
  actor: Actor,
  id: string,
  status: 'active' | 'suspended',
): Promise<Organisation> {
  requireAdmin(actor);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    // The catch-up's lookups are derived at this generation or later: fenced below.
    const used = ctx.secrets.current;
    const o = await orgOr404(tx, id);
    if (o.status === status) return toOrganisation(o);
    await tx.updateOrganisation(o.rid, { status });
    let caughtUp = 0;
    if (status === 'active') {
      // Catch up: every active signal of the organisation (before its expiresAt) is matched as if placed now.
      for (let after = 0; ; ) {
        const page = await tx.listSignals(o.rid, { status: 'active', at: now }, after, 500);
        for (const s of page) caughtUp += await catchUp(ctx, tx, s, now);
        if (page.length < 500) break;
        after = page[page.length - 1]!.rid;
      }
    }
    if (status === 'active') {
      await appendLogFenced(
        tx,
        used,
        now,
        actor,
        'organisation.reinstated',
        { organisationId: o.id },
        {
          matchesCreated: caughtUp,
        },
      );
    } else {
      // A suspension derives nothing from the server secret, so it is not fenced: it holds at
      // once even on an instance that has not loaded a newer generation yet (docs/engine.md
      // "Storage contract", server-secret generation).
      await appendLog(tx, now, actor, 'organisation.suspended', { organisationId: o.id });
    }
    return toOrganisation((await tx.getOrganisationByRid(o.rid))!);
  });
}

export const suspendOrganisation = (ctx: EngineContext, actor: Actor, id: string) =>
  setOrganisationStatus(ctx, actor, id, 'suspended');

/** Reinstating catches up matching from stored values: run at the store's secret generation. */
export const reinstateOrganisation = (ctx: EngineContext, actor: Actor, id: string) =>
  setOrganisationStatus(ctx, actor, id, 'active');

/**
 * Registers another key of an organisation (or, organisationId null, an admin key). A
 * municipality person's session needs a step-up made for `organisation-key-add <id> <key>`
 * or `admin-key-add <key>` (docs/protocol.md §10.6): the key outlives it.
 */
export async function addKey(
  ctx: EngineContext,
  actor: Actor,
  organisationId: string | null,
  publicKey: string,
  proof?: StepUpProof,
): Promise<PublicKeyRecord> {
  requireAdmin(actor);
  const bytes = decodeKey(publicKey);
  const stepUp = await sessionStepUp(
    ctx,
    actor,
    organisationId === null
      ? { kind: 'admin_key_add', publicKey }
      : { kind: 'organisation_key_add', organisationId, publicKey },
    proof,
  );
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    await commitSessionStepUp(tx, actor, stepUp, now);
    let orgRid: number | null = null;
    if (organisationId !== null) {
      const o = await orgOr404(tx, organisationId);
      orgRid = o.rid;
      const active = (await tx.listKeys(o.rid)).filter((k) => k.status === 'active');
      if (active.length >= 2)
        throw new EngineError('conflict', 'the organisation already has two active keys');
    }
    const k = await addKeyRow(tx, orgRid, bytes, now);
    await appendLog(
      tx,
      now,
      actor,
      'key.added',
      organisationId === null ? { keyId: k.keyId } : { keyId: k.keyId, organisationId },
      { role: k.role },
    );
    return toKey(k);
  });
}

export async function revokeKey(ctx: EngineContext, actor: Actor, keyId: string): Promise<PublicKeyRecord> {
  requireAdmin(actor);
  return ctx.store.write(async (tx) => {
    const now = ctx.clock();
    const k = typeof keyId === 'string' ? await tx.getKey(keyId) : undefined;
    if (k === undefined) notFound();
    if (k.status === 'revoked') return toKey(k);
    if (k.role === 'admin') {
      // Revoking the last admin key would lock the municipality out of its own server.
      const admins = (await tx.listKeys(null)).filter((x) => x.status === 'active');
      if (admins.length <= 1)
        throw new EngineError('conflict', 'the last active admin key cannot be revoked');
    }
    await tx.updateKey(k.keyId, { status: 'revoked', revokedAt: now });
    await appendLog(
      tx,
      now,
      actor,
      'key.revoked',
      k.organisationId === null ? { keyId: k.keyId } : { keyId: k.keyId, organisationId: k.organisationId },
      { role: k.role },
    );
    return toKey((await tx.getKey(k.keyId))!);
  });
}

export async function listKeys(
  ctx: EngineContext,
  organisationId: string | null,
): Promise<PublicKeyRecord[]> {
  return ctx.store.read(async (tx) => {
    if (organisationId === null) return (await tx.listKeys(null)).map(toKey);
    const o = await orgOr404(tx, organisationId);
    return (await tx.listKeys(o.rid)).map(toKey);
  });
}
