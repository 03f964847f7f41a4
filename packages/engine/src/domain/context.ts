// What every domain operation receives: the store, the server secrets for re-keying, the
// validated configuration and the injected clock and random source. Also the actor
// checks that keep admin-only operations closed to organisations (defence in depth).

import type { Actor, Clock, EngineConfig, RandomSource } from '../api.js';
import { EngineError } from '../errors.js';
import type { ServerSecrets } from '../protocol/stored-pseudonym.js';
import type { OrganisationRow, PersonRow, Store, StoreReader } from '../store/store.js';

export interface EngineContext {
  readonly store: Store;
  readonly secrets: ServerSecrets;
  readonly config: EngineConfig;
  readonly clock: Clock;
  readonly random: RandomSource;
  /**
   * Reads server-secret generation `g` from the keys directory (32 bytes) or undefined when
   * the file is not there: how an instance learns a generation another one began
   * (secret-generation.ts). Absent: only the generations given at start are known.
   */
  readonly loadServerSecret?: (generation: number) => Uint8Array | undefined;
}

export type OrganisationActor = Actor & { kind: 'organisation' };

export function requireAdmin(actor: Actor): void {
  if (actor === null || typeof actor !== 'object' || (actor.kind !== 'admin' && actor.kind !== 'system')) {
    throw new EngineError('forbidden', 'this operation is for the municipality only');
  }
}

export function requireOrganisationActor(actor: Actor): asserts actor is OrganisationActor {
  if (actor === null || typeof actor !== 'object' || actor.kind !== 'organisation') {
    throw new EngineError('forbidden', 'this operation is for organisations only');
  }
}

/** The acting organisation, which must exist and not be suspended. */
export async function actingOrganisation(
  tx: StoreReader,
  actor: OrganisationActor,
): Promise<OrganisationRow> {
  const org = await tx.getOrganisation(actor.organisationId);
  if (org === undefined) throw new EngineError('forbidden', 'unknown organisation');
  if (org.status !== 'active')
    throw new EngineError('organisation_suspended', 'the organisation is suspended');
  return org;
}

/**
 * Whether signals may name this person as their holder (signals.person): only a
 * professional places signals and sees their matches (docs/api.md "Need to know"); signals
 * held by a coordinator-only person would have matches no session shows.
 */
export function canHoldSignals(p: Pick<PersonRow, 'roles'>): boolean {
  return p.roles.includes('professional');
}

/**
 * The row id of the person the actor names (on behalf, or by a session), or null when an
 * organisation key acted alone: the holder of a signal it places. Authentication admitted
 * only an active person of this organisation in a professional's route; checked again here
 * (defence in depth), since the id is stored on the signal.
 */
export async function actingPersonRid(
  tx: StoreReader,
  actor: OrganisationActor,
  org: OrganisationRow,
): Promise<number | null> {
  if (actor.personId === undefined) return null;
  const p = await tx.getPerson(actor.personId);
  if (p === undefined || p.status !== 'active' || p.organisationRid !== org.rid || !canHoldSignals(p)) {
    throw new EngineError('forbidden', 'the person does not act on signals for this organisation');
  }
  return p.rid;
}

/**
 * The person whose signals alone the actor may see and act on (docs/api.md "Need to know"),
 * or undefined for the organisation-wide view. A professional's portal session holds only
 * the signals that name them as holder (signals.person: placed by them, or transferred to
 * them) and the matches of those; the organisation's key, also on a person's behalf (the
 * case system is the organisation and keeps its own need-to-know), and an organisation
 * coordinator (who moves a leaver's signals and so needs the list and its holders) see the
 * organisation's. What lies outside answers not_found, like another organisation's.
 */
export async function heldBy(
  tx: StoreReader,
  actor: OrganisationActor,
  org: OrganisationRow,
): Promise<number | undefined> {
  if (actor.session !== true || actor.personRole === 'organisation_coordinator') return undefined;
  const rid = await actingPersonRid(tx, actor, org);
  if (rid === null) throw new EngineError('forbidden', 'a session acts for a person');
  return rid;
}

export function notFound(): never {
  throw new EngineError('not_found', 'not found');
}
