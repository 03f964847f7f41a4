// The Engine over one context: the domain functions of engine-operations.ts bound to it,
// each behind the closed check (and the second table at the store's secret generation),
// plus what spans modules: the authenticator, the in-process counters for /metrics
// (updated only after a commit, never for a rollback; per instance), the secret-generation
// catch-up before a rotation's status, the job lock, and close.

import type {
  AuthenticationHooks,
  BatchAnswerOptions,
  BatchItemResult,
  Engine,
  EngineMetrics,
  MigrateSignalInput,
  PlacementResult,
  PlaceSignalInput,
  SignalRef,
  SignedRequest,
} from './api.js';
import { ID_ANSWER, type ItemAnswer, VIEW_ANSWER } from './domain/batch-plan.js';
import { Authenticator } from './auth/authenticator.js';
import { vocabulary } from './domain/agreements.js';
import type { EngineContext, OrganisationActor } from './domain/context.js';
import { reconcileSecretRotation, secretRotationStatus } from './domain/key-lifecycle.js';
import { verifySecretChecks } from './domain/secret-check.js';
import { SecretGenerations } from './domain/secret-generation.js';
import { migrateSignalBatch } from './domain/signal-migration.js';
import { placeSignal, placeSignalBatch } from './domain/signal-placement.js';
import { AT_GENERATION, bindOperations, OPERATIONS } from './engine-operations.js';
import { EngineError, isEngineError } from './errors.js';

type Placed = { result: PlacementResult<SignalRef>; created: boolean; alerted: boolean };

/** Placements and rate alerts per organisation since start, counted after their commit. */
class PlacementCounters {
  readonly placements = new Map<string, number>();
  readonly alerts = new Map<string, number>();
  /** The sum of `alerts`. */
  alertsTotal = 0;

  count(done: Placed, orgId: string): void {
    if (done.created) this.placements.set(orgId, (this.placements.get(orgId) ?? 0) + 1);
    if (done.alerted) {
      this.alerts.set(orgId, (this.alerts.get(orgId) ?? 0) + 1);
      this.alertsTotal++;
    }
  }
}

/** The Engine over `ctx`, with the secrets' check values verified and an interrupted rotation reconciled first. */
export async function openEngine(ctx: EngineContext): Promise<Engine> {
  const auth = new Authenticator(ctx);
  /** Operations that derive stored values run at the store's secret generation (secret-generation.ts). */
  const generations = new SecretGenerations(ctx, ctx.loadServerSecret);
  const counters = new PlacementCounters();
  let closed = false;
  const assertOpen = (): void => {
    if (closed) throw new EngineError('store_closed', 'the engine is closed');
  };
  const open = async <T>(call: () => Promise<T>): Promise<T> => {
    assertOpen();
    return call();
  };
  const atGeneration = async <T>(call: () => Promise<T>): Promise<T> => {
    assertOpen();
    return generations.run(call);
  };

  // Check values first: a key file of another installation must not start a rotation.
  await verifySecretChecks(ctx);
  await reconcileSecretRotation(ctx);

  const engine: Engine = {
    ...bindOperations(OPERATIONS, open, ctx),
    ...bindOperations(AT_GENERATION, atGeneration, ctx),

    authenticate: (request: SignedRequest, hooks?: AuthenticationHooks) =>
      open(() => auth.authenticate(request, hooks)),

    async placeSignal(actor: OrganisationActor, input: PlaceSignalInput) {
      const done = await atGeneration(() => placeSignal(ctx, actor, input));
      counters.count(done, actor.organisationId);
      return done.result;
    },
    // One implementation of the interface's three signatures: `minimal` answers each placed
    // item with ID_ANSWER's id, every other call with VIEW_ANSWER's view (batch-plan.ts).
    placeSignals: (async (
      actor: OrganisationActor,
      inputs: readonly PlaceSignalInput[],
      options?: BatchAnswerOptions,
    ): Promise<BatchItemResult<SignalRef>[]> => {
      const answer: ItemAnswer<SignalRef> = options?.minimal === true ? ID_ANSWER : VIEW_ANSWER;
      const { results, done } = await atGeneration(() => placeSignalBatch(ctx, actor, inputs, answer));
      for (const d of done) counters.count(d, actor.organisationId);
      return results;
    }) as Engine['placeSignals'],
    async migrateSignals(
      actor: OrganisationActor,
      inputs: readonly MigrateSignalInput[],
    ): Promise<BatchItemResult[]> {
      assertOpen();
      // Each item runs at the store's secret generation on its own.
      const { results, done } = await migrateSignalBatch(ctx, actor, inputs, (op) => generations.run(op));
      // A migration that added pseudonyms is counted like a placement (budget, alert).
      for (const d of done) counters.count(d, actor.organisationId);
      return results;
    },

    // The agreement vocabulary is configuration: answered even after close.
    vocabulary: () => vocabulary(ctx.config),
    organisationTypes: () => ctx.config.organisationTypes,

    secretRotationStatus: () =>
      open(async () => {
        // An admin asks before rotating: the next generation is counted from the store's. A
        // progress read derives nothing, so it is answered also while this instance lacks the
        // newest key file (docs/operations.md "High availability"); the status shows the
        // store's generation either way.
        try {
          await generations.catchUp();
        } catch (e) {
          if (!isEngineError(e, 'secret_generation_missing') && !isEngineError(e, 'server_secret_mismatch'))
            throw e;
        }
        return secretRotationStatus(ctx);
      }),

    exclusive: <T>(name: string, fn: () => Promise<T>) => open(() => ctx.store.exclusive(name, fn)),

    placementRateAlertsSinceStart: () => counters.alertsTotal,

    async ready() {
      if (closed) return { ready: false, reason: 'closed' };
      const store = await ctx.store.ready();
      if (!store.ready) return store;
      // Every placement here would be refused 503 until the key file is there: not ready, so
      // the load balancer sends them to an instance that has it (docs/operations.md "Monitor").
      const refusal = await generations.refusal();
      return refusal === undefined ? store : { ready: false, reason: 'server_secret', code: refusal.code };
    },

    metrics(): EngineMetrics {
      const s = ctx.store.stats();
      return {
        placementsTotal: Object.fromEntries(counters.placements),
        placementRateAlertsTotal: Object.fromEntries(counters.alerts),
        commits: s.commits,
        writeOperations: s.operations,
        failedWriteOperations: s.failedOperations,
        nonceCacheSize: s.noncesInMemory ?? 0,
        signatureVerifications: auth.verifications,
      };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await ctx.store.close();
    },
  };
  return engine;
}
