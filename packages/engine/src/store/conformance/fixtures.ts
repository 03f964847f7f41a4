// Shared fixtures of the store conformance suite: the factory and registrar types, the
// per-case store lifecycle (a fresh store, always closed) and rows that satisfy the
// schema's constraints. Stored values are fixed bytes, never derived from a pseudonym.

import type {
  NewDelivery,
  NewMailNotice,
  NewMatch,
  NewPerson,
  NewSignal,
  Store,
  StoreWriter,
} from '../store.js';

export type StoreFactory = () => Store | Promise<Store>;
export type TestRegistrar = (name: string, fn: () => Promise<void>) => void;

/** What every group of contract cases receives from runStoreConformance. */
export interface ConformanceContext {
  readonly factory: StoreFactory;
  readonly test: TestRegistrar;
  /** Wraps a case: a fresh store from the factory, closed afterwards whatever happens. */
  readonly withStore: (fn: (s: Store) => Promise<void>) => () => Promise<void>;
}

export function conformanceContext(factory: StoreFactory, test: TestRegistrar): ConformanceContext {
  const withStore = (fn: (s: Store) => Promise<void>) => async () => {
    const s = await factory();
    try {
      await fn(s);
    } finally {
      await s.close();
    }
  };
  return { factory, test, withStore };
}

export const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
export const stored = (n: number) => Buffer.alloc(32, n);

export async function org(tx: StoreWriter, n: number): Promise<number> {
  return tx.insertOrganisation({
    id: uuid(1000 + n),
    name: `Org ${n}`,
    type: 'youth_care',
    status: 'active',
    webhookUrl: null,
    placementBudgetPerDay: 10,
    createdAt: 1,
  });
}

export function newSignal(orgRid: number, n: number, over: Partial<NewSignal> = {}): NewSignal {
  return {
    id: uuid(n),
    organisationRid: orgRid,
    status: 'active',
    endReason: null,
    contact: { name: 'A', role: 'B', email: 'a@example.nl' },
    informed: { status: 'not_yet' },
    placedAt: 10,
    expiresAt: 1000,
    endedAt: null,
    purgeAt: null,
    restricted: false,
    objection: null,
    hasParents: false,
    parentsAtPlacement: 0,
    legalBasis: 'jeugdwet',
    objectionInherited: false,
    restrictionRegistered: false,
    requestId: uuid(5000 + n),
    requestHash: Buffer.alloc(16, n),
    ...over,
  };
}

/** A pending match notice `n` to the person `personRid` about `matchId`, due at 100. */
export function notice(
  n: number,
  personRid: number,
  matchId: string,
  over: Partial<NewMailNotice> = {},
): NewMailNotice {
  return {
    id: uuid(9000 + n),
    personRid,
    matchId,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: 100,
    lastErrorCode: null,
    createdAt: 100,
    doneAt: null,
    ...over,
  };
}

/** A match between signal rids `a` < `b`, with no follow-up and no regie. */
export function newMatch(n: number, a: number, b: number, over: Partial<NewMatch> = {}): NewMatch {
  return {
    id: uuid(70_000 + n),
    kind: 'person',
    status: 'active',
    a,
    b,
    createdAt: 1,
    endedAt: null,
    contactMadeA: null,
    contactMadeB: null,
    outcomeA: null,
    outcomeB: null,
    regieHolder: null,
    regieSince: null,
    proposalBy: null,
    proposalFor: null,
    proposalAt: null,
    ...over,
  };
}

/** A pending webhook delivery of organisation rid `orgRid`, created at 1, due at `nextAttemptAt`. */
export function newDelivery(orgRid: number, n: number, nextAttemptAt: number): NewDelivery {
  return {
    id: uuid(800 + n),
    organisationRid: orgRid,
    url: 'https://example.nl/hook',
    type: 'match.created',
    matchId: uuid(90 + n),
    cursor: n,
    status: 'pending',
    attempts: 0,
    nextAttemptAt,
    lastErrorCode: null,
    createdAt: 1,
    deliveredAt: null,
  };
}

/**
 * A concurrency case written for one or more instances of one store (the first made the
 * store): run on one instance by the contract suite, on two by the instances trait.
 */
export interface InstancesCase {
  readonly name: string;
  readonly run: (stores: readonly Store[]) => Promise<void>;
}

/** Writes spread over the store and, where there is one, a second instance on the same data. */
export function spread(stores: readonly Store[], i: number): Store {
  return stores[i % stores.length]!;
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A promise and the function that settles it, to hold one party at a point until another lets
 * it go (Promise.withResolvers, from Node 22 on; CI runs Node 20 too).
 */
export function latch<T = void>(): [Promise<T>, (value: T) => void] {
  let settle!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    settle = r;
  });
  return [promise, settle];
}

/** Person n of `organisationRid` (null: the municipality), active. */
export const person = (
  n: number,
  organisationRid: number | null,
  over: Partial<NewPerson> = {},
): NewPerson => ({
  id: uuid(5000 + n),
  organisationRid,
  displayName: `Person ${n}`,
  email: null,
  roles: organisationRid === null ? ['auditor'] : ['professional'],
  status: 'active',
  createdAt: 100 + n,
  removedAt: null,
  ...over,
});

/** Registers epoch 2, active, beside the store's first. */
export async function secondEpoch(s: Store): Promise<void> {
  await s.write((tx) =>
    tx.insertEpoch({
      epoch: 2,
      status: 'active',
      kind: 'hmac',
      publicKey: null,
      registeredAt: 1,
      retiredAt: null,
    }),
  );
}
