// Test harness: a real engine on a temporary SQLite file (or a store the test opens) behind
// the real Hono app, with real Ed25519 signatures from @sluis/client-sdk. Nothing is mocked;
// the clock is the server's test clock so tests can move time.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import {
  base64url,
  canonicaliseIdentifier,
  PseudonymKey,
  SigningKey,
  signRequest,
  signRequestWith,
} from '@sluis/client-sdk';
import { createEngine, type Engine, type EngineOptions, openSqliteStore, ServerSecrets } from '@sluis/engine';
import { createApp } from '../app.js';
import { TestClock } from '../clock.js';
import { createLogger } from '../ops/logger.js';
import { Metrics } from '../ops/metrics.js';
import { advanceOverBoundary } from '../../../../test/support/clock-boundary.js';
import { SoftAuthenticator } from '../../../../test/support/soft-authenticator.js';

/** The portal origin and RP id the harness's engine accepts passkeys for. */
export const PORTAL_ORIGIN = 'http://localhost:5173';
export const RP_ID = 'localhost';

/** A signed-in session: its id (the request key id) and the session key (docs/protocol.md §10.4). */
export interface Session {
  readonly sessionId: string;
  readonly key: SigningKey;
  readonly authenticator: SoftAuthenticator;
  readonly deviceId: string;
}

export const BSN_A = '123456782';
export const BSN_B = '111222333';

export interface CallOptions {
  readonly body?: unknown;
  /** Raw body bytes (sent and signed as given). */
  readonly rawBody?: Uint8Array;
  readonly contentType?: string | null;
  readonly created?: number;
  readonly nonce?: string;
  /** Headers that replace the signed ones after signing (tampering). */
  readonly override?: Record<string, string>;
  readonly omitSignature?: boolean;
  /** Sign this path instead of the one requested. */
  readonly signedPath?: string;
  /** Act on behalf of this person of the signing organisation (docs/protocol.md §5.6). */
  readonly onBehalfOf?: string;
  /** Sign with `key` as this session's key (keyid = the session id, docs/protocol.md §10.4). */
  readonly sessionId?: string;
  /**
   * The peer address the request comes from, as node's server hands it over (a stream of
   * the body with a socket); without it an in-process request has no known address.
   */
  readonly clientAddress?: string;
}

export interface Harness {
  readonly dir: string;
  readonly engine: Engine;
  readonly app: ReturnType<typeof createApp>;
  readonly clock: TestClock;
  readonly admin: SigningKey;
  /** Signs pseudonym-service credentials (docs/protocol.md §9.7). */
  readonly credentialIssuer: SigningKey;
  readonly logs: string[];
  readonly metrics: Metrics;
  readonly pseudonymKey: PseudonymKey;
  /** The bearer token /metrics requires. */
  readonly metricsToken: string;
  /** GET /metrics with the token. */
  scrape(): Promise<Response>;
  call(key: SigningKey | undefined, method: string, target: string, options?: CallOptions): Promise<Response>;
  admit(name: string, options?: { budget?: number; type?: string; webhookUrl?: string }): Promise<Admitted>;
  pseudonym(bsn: string): { epoch: number; value: string };
  placement(bsn: string, contactName: string, extra?: Record<string, unknown>): Record<string, unknown>;
  /** Enrols a software passkey for the person and signs in through the public routes. */
  signInAs(personId: string): Promise<Session>;
  /** A request signed with a session's key. */
  sessionCall(s: Session, method: string, target: string, options?: CallOptions): Promise<Response>;
  close(): Promise<void>;
}

export async function makeHarness(
  options: {
    rateLimitPerSecond?: number;
    rateLimitBurst?: number;
    authFailureLimit?: { perMinute: number; burst: number };
    testClockRoutes?: boolean;
    corsOrigins?: string[];
    signInRateLimit?: { perSecond: number; burst: number };
    engineConfig?: Record<string, unknown>;
    /** Opens the store instead of a SQLite file in the harness's directory (a PostgreSQL one). */
    openStore?: (clock: () => number) => Promise<EngineOptions['store']>;
    /** The municipality's organisation id at the pseudonym service (the GDPR desk's credentials). */
    gdprDeskServiceOrganisationId?: string;
    /** The server secret's generation 1 (random unless given: a second harness on one store). */
    serverSecret?: Uint8Array;
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'sluis-server-test-'));
  const clock = new TestClock();
  const serverSecrets = new ServerSecrets(new Map([[1, options.serverSecret ?? randomBytes(32)]]));
  const admin = SigningKey.generate();
  const credentialIssuer = SigningKey.generate();
  const pseudonymKey = PseudonymKey.fromBytes(randomBytes(32), 1);
  /** The organisations' keys `admit` made, and the session keys and passkeys `signInAs` made. */
  const handedOut: { destroy(): void }[] = [];
  // Zeroed after the engine that derives with the secrets is closed, as the server's stop does;
  // with them every key the harness made for its callers (the administrator's, the credential
  // issuer's, the pseudonym key, those handed out): once closed, nothing signs with them.
  const zeroKeys = () => {
    serverSecrets.destroy();
    admin.destroy();
    credentialIssuer.destroy();
    pseudonymKey.destroy();
    for (const key of handedOut) key.destroy();
  };
  const logs: string[] = [];
  const metrics = new Metrics({ placementAlertPerHour: 3 });
  const metricsToken = randomBytes(24).toString('base64url');
  let store: EngineOptions['store'] | undefined;
  let engine: Engine | undefined;
  let app: ReturnType<typeof createApp>;
  try {
    store =
      options.openStore === undefined
        ? openSqliteStore({ path: join(dir, 'sluis.db'), clock: clock.now })
        : await options.openStore(clock.now);
    engine = await createEngine({
      store,
      serverSecrets,
      clock: clock.now,
      // Low, so the tests can raise the placement-rate alert (counted by the engine).
      config: {
        placementAlertPerHour: 3,
        webauthn: { rpId: RP_ID, rpName: 'sluis test', origins: [PORTAL_ORIGIN] },
        ...options.engineConfig,
      },
    });
    await engine.addKey({ kind: 'system' }, null, base64url.encode(admin.publicKey));
    const logger = createLogger({ write: (l: string) => logs.push(l) }, 'debug', clock.now);
    app = createApp({
      engine,
      logger,
      clock: clock.now,
      metrics,
      credentialIssuer,
      ...(options.gdprDeskServiceOrganisationId === undefined
        ? {}
        : { gdprDeskServiceOrganisationId: options.gdprDeskServiceOrganisationId }),
      config: {
        corsOrigins: options.corsOrigins ?? [],
        rateLimit: { perSecond: options.rateLimitPerSecond ?? 0, burst: options.rateLimitBurst ?? 1 },
        metricsToken,
        ...(options.authFailureLimit === undefined ? {} : { authFailureLimit: options.authFailureLimit }),
        ...(options.testClockRoutes === true ? { testClock: clock } : {}),
        signInRateLimit: options.signInRateLimit ?? { perSecond: 0, burst: 1 },
      },
    });
  } catch (e) {
    // No caller gets a harness to close: the engine closed (it closes its store) or, when it
    // did not open, the store; then the keys zeroed, as close() does.
    // A close that fails (its error is not this start's) still zeroes the keys and removes the folder.
    try {
      if (engine !== undefined) await engine.close();
      else await store?.close();
    } catch {
      // The start's own error is thrown below.
    } finally {
      zeroKeys();
      rmSync(dir, { recursive: true, force: true });
    }
    throw e;
  }
  const opened = engine;

  async function callAt(key: SigningKey | undefined, method: string, target: string, o: CallOptions = {}) {
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    const query = q === -1 ? '' : target.slice(q + 1);
    const bytes =
      o.rawBody ??
      (o.body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(o.body)));
    const headers: Record<string, string> = {};
    if (key !== undefined && o.omitSignature !== true) {
      const signTarget = { method, path: o.signedPath ?? path, query };
      const signOptions = {
        created: o.created ?? Math.floor(clock.now() / 1000),
        ...(o.nonce === undefined ? {} : { nonce: o.nonce }),
        ...(o.onBehalfOf === undefined ? {} : { onBehalfOf: o.onBehalfOf }),
      };
      Object.assign(
        headers,
        o.sessionId === undefined
          ? signRequest(key, signTarget, bytes, signOptions)
          : await signRequestWith(
              { keyId: o.sessionId, sign: async (m) => key.sign(m) },
              signTarget,
              bytes,
              signOptions,
            ),
      );
    }
    const contentType =
      o.contentType === undefined
        ? bytes.length > 0 || method !== 'GET'
          ? 'application/json'
          : null
        : o.contentType;
    if (contentType !== null) headers['content-type'] = contentType;
    Object.assign(headers, o.override ?? {});
    const init = {
      method,
      headers,
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: bytes as Uint8Array<ArrayBuffer> }),
    };
    if (o.clientAddress === undefined) return app.request(`http://sluis.test${target}`, init);
    const incoming = Object.assign(Readable.from(bytes.length === 0 ? [] : [Buffer.from(bytes)]), {
      url: target,
      socket: { remoteAddress: o.clientAddress },
    });
    return app.request(`http://sluis.test${target}`, init, { incoming });
  }
  const call = callAt;
  let signIns = 0;

  return {
    dir,
    engine: opened,
    app,
    clock,
    admin,
    credentialIssuer,
    logs,
    metrics,
    pseudonymKey,
    metricsToken,
    scrape: () =>
      call(undefined, 'GET', '/metrics', { override: { authorization: `Bearer ${metricsToken}` } }),
    call,
    async admit(name, o = {}) {
      const key = SigningKey.generate();
      handedOut.push(key);
      const res = await call(admin, 'POST', '/v1/admin/organisations', {
        body: {
          name,
          type: o.type ?? 'youth_care',
          publicKeys: [base64url.encode(key.publicKey)],
          ...(o.budget === undefined ? {} : { placementBudgetPerDay: o.budget }),
          ...(o.webhookUrl === undefined ? {} : { webhookUrl: o.webhookUrl }),
        },
      });
      if (res.status !== 201) throw new Error(`admit failed: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { organisation: { id: string } };
      return { id: body.organisation.id, key };
    },
    pseudonym(bsn) {
      return pseudonymKey.pseudonymise(canonicaliseIdentifier('bsn', bsn));
    },
    placement(bsn, contactName, extra = {}) {
      return {
        requestId: uuid(),
        subject: [pseudonymKey.pseudonymise(canonicaliseIdentifier('bsn', bsn))],
        contact: {
          name: contactName,
          role: 'jeugdconsulent',
          phone: '+31 10 123 4567',
          email: `${contactName.replace(/\W/g, '').toLowerCase()}@example.nl`,
        },
        informed: { status: 'not_yet' },
        ...extra,
      };
    },
    async signInAs(personId) {
      const { code } = await opened.issueEnrolmentCode({ kind: 'system' }, personId);
      // Each sign-in from an address of its own, so the per-address limit (docs/protocol.md
      // §10.5) is not what a test of something else runs into.
      signIns++;
      const clientAddress = `2001:db8:${(signIns >>> 16).toString(16)}:${(signIns & 0xffff).toString(16)}::1`;
      const call: typeof callAt = (k, m, t, o = {}) => callAt(k, m, t, { ...o, clientAddress });
      const authenticator = new SoftAuthenticator(PORTAL_ORIGIN, RP_ID);
      handedOut.push(authenticator);
      const json = async (r: Response, status: number) => {
        if (r.status !== status) throw new Error(`sign-in step answered ${r.status}: ${await r.text()}`);
        // biome-ignore lint/suspicious/noExplicitAny: the ceremony's JSON answers, read field by field
        return (await r.json()) as Record<string, any>;
      };
      const creation = await json(
        await call(undefined, 'POST', '/v1/enrolment/options', { body: { code } }),
        200,
      );
      const enrolled = await json(
        await call(undefined, 'POST', '/v1/enrolment', {
          body: { code, deviceName: 'Testapparaat', response: authenticator.create(creation.options) },
        }),
        201,
      );
      const key = SigningKey.generate();
      handedOut.push(key);
      const request = await json(
        await call(undefined, 'POST', '/v1/sessions/options', {
          body: { sessionPublicKey: base64url.encode(key.publicKey) },
        }),
        200,
      );
      const session = await json(
        await call(undefined, 'POST', '/v1/sessions', {
          body: { challengeId: request.challengeId, response: authenticator.get(request.options) },
        }),
        201,
      );
      return { sessionId: session.sessionId, key, authenticator, deviceId: enrolled.deviceId };
    },
    sessionCall: (s, method, target, o = {}) => call(s.key, method, target, { ...o, sessionId: s.sessionId }),
    async close() {
      // A close that rejects still zeroes the keys and removes the folder, then rejects.
      try {
        await opened.close();
      } finally {
        zeroKeys();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** An organisation admitted through the harness, with its signing key. */
export interface Admitted {
  readonly id: string;
  readonly key: SigningKey;
}

/**
 * The cast most route tests use: a harness with three organisations of different types —
 * A (youth care) and B (social services) to match, C (a school) as the third party that
 * must see nothing.
 */
export async function makeHarnessWithThreeOrganisations(): Promise<{
  h: Harness;
  A: Admitted;
  B: Admitted;
  C: Admitted;
}> {
  const h = await makeHarness();
  try {
    const A = await h.admit('Jeugdzorg Rijnmond');
    const B = await h.admit('Wijkteam Noord', { type: 'social_services' });
    const C = await h.admit('Basisschool De Linde', { type: 'school' });
    return { h, A, B, C };
  } catch (e) {
    // No caller gets the harness to close.
    await h.close();
    throw e;
  }
}

/**
 * Moves the harness clock (wall time plus an offset) over the next whole `unitMs` — a UTC hour
 * or day — when less than `roomMs` is left before it, so that a case counting per hour (the
 * placement-rate alert) or per day (the budget) runs within one (test/support/clock-boundary.ts).
 */
export function keepClearOfBoundary(h: Pick<Harness, 'clock'>, unitMs: number, roomMs: number): void {
  h.clock.advance(advanceOverBoundary(h.clock.now(), unitMs, roomMs));
}

/** Reads a JSON answer loosely: the tests assert on its members. */
// biome-ignore lint/suspicious/noExplicitAny: test reads of JSON answers
export const json = async (r: Response) => (await r.json()) as Record<string, any>;

/** A fresh random UUID v4 for request ids. */
export function uuid(): string {
  return globalThis.crypto.randomUUID();
}
