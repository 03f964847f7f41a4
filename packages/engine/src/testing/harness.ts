// Test harness (not part of the build): an engine on a fresh store with a movable clock, a
// deterministic random source, organisations with real Ed25519 key pairs, and builders for
// placements and signed requests. The store is SQLite (in memory, or a file with `file`),
// or with SLUIS_TEST_STORE=postgres a fresh PostgreSQL database (docs/engine.md "Testing on
// either store"); a case that reads the SQLite file itself asks for `file` and stays on SQLite.

import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type {
  Actor,
  Engine,
  EngineConfig,
  Organisation,
  PersonPseudonyms,
  PlaceSignalInput,
  SignedRequest,
} from '../api.js';
import { createEngine } from '../engine.js';
import { ServerSecrets } from '../protocol/stored-pseudonym.js';
import {
  contentDigest,
  ON_BEHALF_COMPONENTS,
  REQUEST_COMPONENTS,
  requestSignatureBase,
} from '../protocol/request-signature.js';
import { openPostgresStore } from '../store/postgres/pg-store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';
import { freshPostgresSchema } from './pg-databases.js';

/** The store the harness opens when a case does not ask for a SQLite file. */
export const TEST_STORE: 'sqlite' | 'postgres' =
  process.env.SLUIS_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

export const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
export const DAY = 86_400_000;

export const admin: Actor = { kind: 'admin', keyId: 'admin-key' };

export class TestClock {
  now = T0;
  readonly fn = () => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

export function seededRandom(seed = 'sluis-test'): (n: number) => Uint8Array {
  let counter = 0;
  return (n: number) => {
    const out = Buffer.alloc(n);
    let off = 0;
    while (off < n) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      off += block.copy(out, off);
    }
    return out;
  };
}

export interface OrgHandle {
  readonly org: Organisation;
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: string;
  readonly actor: Actor & { kind: 'organisation' };
}

export function newKeyPair(): { privateKey: KeyObject; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string };
  return { privateKey, publicKey: jwk.x };
}

export interface OrgOptions {
  readonly webhookUrl?: string | undefined;
  /** Placements per day; the engine's default when undefined. */
  readonly budget?: number | undefined;
  readonly type?: string | undefined;
}

/** Admits organisation `name` on `engine` with a new Ed25519 key pair (youth care by default). */
export async function admitOrganisation(
  engine: Engine,
  name: string,
  o: OrgOptions = {},
): Promise<OrgHandle> {
  const kp = newKeyPair();
  const org = await engine.admitOrganisation(admin, {
    name,
    type: o.type ?? 'youth_care',
    publicKeys: [kp.publicKey],
    ...(o.webhookUrl !== undefined ? { webhookUrl: o.webhookUrl } : {}),
    ...(o.budget !== undefined ? { placementBudgetPerDay: o.budget } : {}),
  });
  const keys = await engine.listKeys(org.id);
  const keyId = keys[0]!.keyId;
  return {
    org,
    keyId,
    privateKey: kp.privateKey,
    publicKey: kp.publicKey,
    actor: { kind: 'organisation', organisationId: org.id, keyId },
  };
}

export interface Harness {
  readonly engine: Engine;
  readonly store: Store;
  readonly clock: TestClock;
  readonly secrets: ServerSecrets;
  readonly dir: string | undefined;
  org(name?: string, opts?: OrgOptions): Promise<OrgHandle>;
  /** Closes the engine, then zeroes `secrets` (given or its own), as the server's stop does. */
  close(): Promise<void>;
}

export const SERVER_SECRET = Buffer.alloc(32, 0x5a);

export async function harness(
  opts: {
    config?: Partial<EngineConfig>;
    file?: boolean;
    /** The store's bound on deleted data lingering in the WAL (sqlite-store.ts). */
    scrubDelayMs?: number;
    /** Handed over: `close()` destroys them, as does a failed open (no caller gets a harness to close). */
    secrets?: ServerSecrets;
    onOutbox?: () => void;
  } = {},
): Promise<Harness> {
  const clock = new TestClock();
  const secrets = opts.secrets ?? new ServerSecrets(new Map([[1, SERVER_SECRET]]));
  const dir = opts.file ? mkdtempSync(join(tmpdir(), 'sluis-engine-')) : undefined;
  let pg: Awaited<ReturnType<typeof freshPostgresSchema>> | undefined;
  let store: Store | undefined;
  let engine: Engine;
  try {
    pg = dir === undefined && TEST_STORE === 'postgres' ? await freshPostgresSchema(clock.now) : undefined;
    store =
      pg !== undefined
        ? await openPostgresStore({ url: pg.url, schema: pg.schema, clock: clock.fn, maxConnections: 4 })
        : openSqliteStore({
            path: dir === undefined ? ':memory:' : join(dir, 'sluis.db'),
            clock: clock.fn,
            ...(opts.scrubDelayMs !== undefined ? { scrubDelayMs: opts.scrubDelayMs } : {}),
          });
    engine = await createEngine({
      store,
      serverSecrets: secrets,
      clock: clock.fn,
      random: seededRandom(),
      ...(opts.config !== undefined ? { config: opts.config } : {}),
      ...(opts.onOutbox !== undefined ? { onOutbox: opts.onOutbox } : {}),
    });
  } catch (e) {
    // No caller gets a harness to close: what `close()` would do, done here (the secrets, given
    // or its own, zeroed after the store is closed).
    await store?.close();
    secrets.destroy();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    pg?.release();
    throw e;
  }
  let n = 0;
  return {
    engine,
    store,
    clock,
    secrets,
    dir,
    org(name, o = {}) {
      n++;
      return admitOrganisation(engine, name ?? `Organisation ${n}`, o);
    },
    async close() {
      await engine.close();
      secrets.destroy();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      pg?.release();
    },
  };
}

/**
 * Server secrets (generation, secret) for an engine a case opens itself (a restart, a restore,
 * a second instance), zeroed once the case has finished, on every path: after afterEach closed
 * the case's harness and after the engines the case closed itself or registered with
 * onTestFinished later (those run first) — as the harness does. Handing them to a harness too
 * is harmless: destroy() is idempotent.
 */
export function caseSecrets(generations: readonly (readonly [number, Buffer])[]): ServerSecrets {
  const secrets = new ServerSecrets(new Map(generations));
  onTestFinished(() => secrets.destroy());
  return secrets;
}

/** A person's client pseudonym: 32 bytes fixed by (n, epoch), base64url. */
export function pseudonymBytes(n: number, epoch = 1): Buffer {
  return createHash('sha256').update(`person:${n}:epoch:${epoch}`).digest();
}

export function person(n: number, epochs: readonly number[] = [1]): PersonPseudonyms {
  return epochs.map((epoch) => ({ epoch, value: pseudonymBytes(n, epoch).toString('base64url') }));
}

export function requestId(): string {
  const h = randomBytes(16);
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function placement(subjectN: number, over: Partial<PlaceSignalInput> = {}): PlaceSignalInput {
  return {
    requestId: requestId(),
    subject: person(subjectN),
    contact: {
      name: 'J. de Vries',
      role: 'jeugdconsulent',
      phone: '+31 10 123 4567',
      email: 'j.devries@example.nl',
    },
    informed: { status: 'citizen', date: '2026-01-10' },
    ...over,
  };
}

/**
 * Opts organisation `o` in to the match notice e-mail (docs/engine.md "Match notice e-mail")
 * and adds a professional of it with the address `email`: the person's id.
 */
export async function optedInProfessional(h: Harness, o: OrgHandle, displayName: string, email: string) {
  await h.engine.updateOrganisation(admin, o.org.id, { matchEmail: true });
  return (
    await h.engine.addPerson(admin, { organisationId: o.org.id, displayName, email, roles: ['professional'] })
  ).id;
}

/**
 * Organisations A and B each place a signal about person 1, B's a second after A's: one
 * match, its id read from A's inbox.
 */
export async function matchedPair(h: Harness) {
  const [a, b] = [await h.org('A'), await h.org('B')];
  const sa = await h.engine.placeSignal(a.actor, placement(1));
  h.clock.advance(1000);
  const sb = await h.engine.placeSignal(b.actor, placement(1));
  const matchId = (await h.engine.inbox(a.actor, undefined, 10)).items[0]!.matchId;
  return { a, b, sa, sb, matchId };
}

export function signedRequest(
  h: { keyId: string; privateKey: KeyObject },
  r: {
    method?: string;
    path?: string;
    query?: string;
    body?: string;
    created: number;
    nonce?: string;
    onBehalfOf?: string;
  },
): SignedRequest {
  const body = Buffer.from(r.body ?? '{}', 'utf8');
  const digest = contentDigest(body);
  const target = { method: r.method ?? 'POST', path: r.path ?? '/v1/signals', query: r.query ?? '' };
  const nonce = r.nonce ?? randomBytes(16).toString('base64url');
  const params = { created: r.created, keyId: h.keyId, nonce };
  const base = requestSignatureBase(target, digest, params, r.onBehalfOf);
  const sig = sign(null, Buffer.from(base, 'utf8'), h.privateKey).toString('base64');
  const components = r.onBehalfOf === undefined ? REQUEST_COMPONENTS : ON_BEHALF_COMPONENTS;
  return {
    ...target,
    body,
    contentDigest: digest,
    signatureInput: `sluis=${components};created=${r.created};keyid="${h.keyId}";nonce="${nonce}";tag="sluis-request-v1"`,
    signature: `sluis=:${sig}:`,
    ...(r.onBehalfOf === undefined ? {} : { onBehalfOf: r.onBehalfOf }),
  };
}
