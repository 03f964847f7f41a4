// The route table's shape. One RouteDef both registers a route in the app (app.ts) and
// describes it in the OpenAPI document (openapi.ts), so no route can exist without its
// schema and its access rule. `role` names the route's side and so the key that may call it
// (organisation keys never reach an admin route, admin keys never an organisation route);
// `roles` names the people who may call it — on behalf through their organisation's key
// (docs/protocol.md §5.6) — checked by http/access.ts and shown in the OpenAPI document.

import type { Actor, Engine, MunicipalityRole, PersonRole, Principal } from '@sluis/engine';
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import type { CachedGauges } from '../ops/gauge-cache.js';
import type { Logger } from '../ops/logger.js';
import type { Metrics } from '../ops/metrics.js';
import type { ServerKeys } from '../ops/server-keys.js';
import type { SigningKey } from '@sluis/client-sdk';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A documented response of a route: its description, and its body schema when it has one. */
export const ok = (description: string, schema?: z.ZodType) =>
  schema === undefined ? { description } : { description, schema };
/**
 * `session`: a person's own routes (/v1/me…), callable only with a session key
 * (docs/protocol.md §10.4), whichever side the person is on.
 */
export type Role = 'organisation' | 'admin' | 'session' | 'public';

/** The person a request acts for and the one role of theirs the route accepted it in. */
export interface ActingAs {
  readonly personId: string;
  readonly role: PersonRole;
}

/** What an organisation route's handler sees: the organisation and, when a person acted, who. */
export type OrganisationPrincipal = Omit<Extract<Principal, { kind: 'organisation' }>, 'onBehalfOf'> & {
  readonly person?: ActingAs;
};
/** What an admin route's handler sees: the admin key and, when a person acted, who. */
export type AdminPrincipal = Omit<Extract<Principal, { kind: 'admin' }>, 'onBehalfOf'> & {
  readonly person?: ActingAs;
};
/** What a session route's handler sees: the signed-in person and their logbook actor. */
export interface SessionPrincipal {
  readonly kind: 'session';
  readonly sessionId: string;
  readonly personId: string;
  /** Null: a person of the municipality. */
  readonly organisationId: string | null;
  readonly actor: Exclude<Actor, { kind: 'system' }>;
}
/**
 * A municipality person's session on an organisation route whose `roles` name a municipality
 * role (only the pseudonym-service credential route: docs/protocol.md §9.7): the person, the
 * session id (= keyId) and the session key that verified this request. No organisation.
 */
export interface MunicipalitySessionPrincipal {
  readonly kind: 'municipality_session';
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  readonly person: ActingAs;
}
/** L: the route's roles. An organisation route naming a municipality role also sees that role's sessions. */
type PrincipalFor<R extends Role, L extends PersonRole> = R extends 'organisation'
  ? [Extract<L, MunicipalityRole>] extends [never]
    ? OrganisationPrincipal
    : OrganisationPrincipal | MunicipalitySessionPrincipal
  : R extends 'admin'
    ? AdminPrincipal
    : R extends 'session'
      ? SessionPrincipal
      : undefined;

export interface Reply {
  readonly status: number;
  /** Omitted for 204. */
  readonly body?: unknown;
  readonly contentType?: string;
  /** Extra response headers (a redirect's Location; Vary and Preference-Applied of a batch route). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RouteServices {
  readonly engine: Engine;
  readonly clock: Clock;
  readonly metrics: Metrics;
  /** The server's log (docs/operations.md "Logs"): events with ids and counts, never a value. */
  readonly logger: Logger;
  /** The cached /metrics gauges; never queries the database (ops/gauge-cache.ts). */
  readonly gauges: () => CachedGauges | undefined;
  /** The OpenAPI document (lazy, it is built from the route table itself). */
  readonly openapi: () => unknown;
  readonly ready: () => Promise<boolean>;
  /** Server-held keys (webhook keys, server secret files); absent when not configured. */
  readonly serverKeys?: ServerKeys;
  /** Signs pseudonym-service credentials (docs/protocol.md §9.7); absent: the route answers 503. */
  readonly credentialIssuer?: SigningKey;
  /**
   * The municipality's organisation id at the pseudonym service, which a GDPR desk's credential
   * names (docs/operations.md "The GDPR desk in the portal"); absent: `gdpr_desk_unconfigured`.
   */
  readonly gdprDeskServiceOrganisationId?: string;
  /** Wakes the background re-keying. */
  readonly wakeRekey: () => void;
  /**
   * Takes one passkey ceremony from the address or person budget of `key`; rate_limited when
   * spent (docs/protocol.md §10.5).
   */
  readonly signInLimit: (budget: 'address' | 'person', key: string) => void;
  /**
   * Takes one step-up challenge from the limit of the session, then of its person
   * (docs/protocol.md §10.6); rate_limited when either is spent.
   */
  readonly stepUpLimit: (sessionId: string, personId: string) => void;
}

export interface HandlerInput<R extends Role, P, Q, B, L extends PersonRole = PersonRole> {
  readonly principal: PrincipalFor<R, L>;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly services: RouteServices;
  /** The client address as the failure limits key it (docs/protocol.md §5.4); undefined behind an unnamed proxy. */
  readonly clientAddress: string | undefined;
  /**
   * The request asked for `Prefer: return=minimal` (http/prefer.ts) and the route honours it
   * (`returnMinimal`); always false on other routes.
   */
  readonly returnMinimal: boolean;
}

export interface RouteDef<
  R extends Role = Role,
  P = unknown,
  Q = unknown,
  B = unknown,
  L extends PersonRole = PersonRole,
> {
  readonly method: Method;
  /** OpenAPI path template, e.g. `/v1/signals/{signalId}`; also the log and metrics label. */
  readonly path: string;
  readonly role: R;
  /**
   * The people who may call (docs/api.md "Roles"): a person must hold one of these roles.
   * Empty: the route's key only (and nobody for a public route). A municipality role on an
   * organisation route admits that role's sessions too (http/access.ts).
   */
  readonly roles: readonly L[];
  /**
   * A public route that requires `Authorization: Bearer <metrics token>`, always (only
   * /metrics: it names organisations and their placement counts).
   */
  readonly metricsToken?: true;
  /**
   * A public passkey ceremony route (docs/protocol.md §10.5): a `signInPerMinute` budget of
   * its own per client address, taken after the content-type header and before the body is
   * read or checked.
   */
  readonly signInLimited?: true;
  readonly operationId: string;
  readonly summary: string;
  /** More than the summary says, for the document; the role's authentication is added to it. */
  readonly description?: string;
  readonly tag: string;
  /**
   * A public document any origin may read from a browser (the OpenAPI document only, NL API
   * Design Rules /core/publish-openapi): `Access-Control-Allow-Origin: *` and
   * `Cross-Origin-Resource-Policy: cross-origin` on its answers, nothing else relaxed.
   */
  readonly crossOrigin?: true;
  /**
   * Left out of the OpenAPI document: only the old `/openapi.json` redirect, whose path
   * relative to its server would collide with the document's own `openapi.json` under `/v1`.
   */
  readonly undocumented?: true;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  /**
   * A direct check of the parsed body in front of `body` that only ever ACCEPTS
   * (docs/performance.md "Eighth pass"): the schema's output for a body it vouches for,
   * undefined for "ask the schema", which decides and words every refusal. Invariant:
   * whatever it accepts, `body` accepts with the same output.
   */
  readonly bodyCheck?: (body: unknown) => B | undefined;
  /** Replaces `body` in the document when the handler validates parts itself (batch routes). */
  readonly bodyDoc?: z.ZodType;
  readonly bodyLimit?: number;
  /**
   * The route honours `Prefer: return=minimal` (RFC 7240 §4.2; the batch routes, docs/api.md
   * "POST /v1/signals/batch"): the app tells the handler, answers `Vary: Prefer` always and
   * `Preference-Applied: return=minimal` when it applied it.
   */
  readonly returnMinimal?: true;
  readonly responses: Readonly<
    Record<
      number,
      {
        readonly description: string;
        readonly schema?: z.ZodType;
        /** Response headers besides API-Version, as OpenAPI header objects (a redirect's Location). */
        readonly headers?: Readonly<Record<string, unknown>>;
        /** Also answered as text/csv (the route's `format=csv` query), documented beside the JSON. */
        readonly csv?: true;
      }
    >
  >;
  /** Problem codes this route can answer besides the authentication ones. */
  readonly problems?: readonly string[];
  readonly handler: (input: HandlerInput<R, P, Q, B, L>) => Promise<Reply>;
}

// biome-ignore lint/suspicious/noExplicitAny: the table is heterogeneous; each entry is checked by defineRoute.
export type AnyRoute = RouteDef<Role, any, any, any, any>;

/** Identity function that infers and checks one route's types. */
export function defineRoute<
  R extends Role,
  P = undefined,
  Q = undefined,
  B = undefined,
  L extends PersonRole = never,
>(route: RouteDef<R, P, Q, B, L>): AnyRoute {
  return route as AnyRoute;
}

/** `/v1/signals/{signalId}` → `/v1/signals/:signalId` (hono's syntax). */
export function honoPath(template: string): string {
  return template.replace(/\{([A-Za-z]+)\}/g, ':$1');
}
