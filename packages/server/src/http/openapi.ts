// Generates the OpenAPI 3.1 document from the route table — the same zod schemas that
// validate requests — so the document cannot list a route or field the server does not
// have, nor miss one it has (checked by openapi.test.ts). It follows the NL API Design
// Rules (docs/api.md "The Dutch API Design Rules"; the lint runs in `pnpm check`): the
// versioned routes under `servers: /v1`, the operational routes under their own server `/`,
// `API-Version` documented on every response, problem+json with `detail` on every refusal.

import { ORGANISATION_ROLES } from '@sluis/engine';
import { admitsMunicipalitySessions, principalKinds } from './access.js';
import { z } from 'zod';
import { API_BASE_PATH, API_VERSION_HEADER } from './api-version.js';
import { PUBLIC_PROBLEM_CODES, statusOf } from './problem.js';
import type { AnyRoute } from './route.js';
import { ProblemOut } from './schemas.js';
import { PREFERENCE_APPLIED_HEADER, RETURN_MINIMAL } from './prefer.js';
import { SESSION_EXPIRES_IN_HEADER } from './security-headers.js';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  if (schema === undefined) return {};
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
}

const AUTH_CODES = [
  'auth_missing',
  'auth_malformed',
  'digest_mismatch',
  'timestamp_out_of_window',
  'nonce_reused',
  'key_unknown',
  'key_revoked',
  'signature_invalid',
];

/** The access rule in words (http/access.ts), for readers of the document. */
function accessText(route: AnyRoute): string {
  const roles = route.roles.join(', ');
  if (route.role === 'session') {
    return `Access: a person's session key only (docs/protocol.md §10.4), any role of: ${roles}.`;
  }
  const key = route.role === 'organisation' ? 'an organisation key' : 'an admin key';
  if (route.roles.length === 0) return `Access: ${key} only; no person or session may call this route.`;
  if (route.role === 'admin') {
    return `Access: ${key}, or the session of a person of the municipality (docs/protocol.md §10.4) with a role of: ${roles}.`;
  }
  const own = route.roles.filter((r) => (ORGANISATION_ROLES as readonly string[]).includes(r)).join(', ');
  const municipality = route.roles.filter((r) => !(ORGANISATION_ROLES as readonly string[]).includes(r));
  return `Access: ${key}, or the key on behalf of a person of the organisation, or that person's session (docs/protocol.md §10.4), with a role of: ${own}${
    admitsMunicipalitySessions(route)
      ? `; or the session of a person of the municipality with a role of: ${municipality.join(', ')} (never the admin key)`
      : ''
  }.`;
}

/** Whether a person's session may sign a request to `route` (http/access.ts). */
function sessionMayCall(route: AnyRoute): boolean {
  return principalKinds(route).some((k) => k === 'organisation_session' || k === 'admin_session');
}

/**
 * The headers of one response of `route`: API-Version always; `Sluis-Session-Expires-In` where a
 * session may sign the request, on every status but 401 — the server sends it once the request is
 * authenticated, refusals after that included, and a 401 is a request that was not
 * (docs/api.md "Conventions").
 */
function responseHeaders(route: AnyRoute, status: number): Record<string, unknown> {
  return sessionMayCall(route) && status !== 401
    ? { ...VERSION_HEADER_REF, ...SESSION_HEADER_REF }
    : VERSION_HEADER_REF;
}

function problemResponses(route: AnyRoute): Record<string, unknown> {
  // A public route without a query schema refuses any query string (400 validation_failed).
  const codes = new Set<string>(['internal', 'unavailable', 'validation_failed']);
  if (route.role !== 'public') {
    for (const c of AUTH_CODES) codes.add(c);
    codes.add('forbidden');
    if (route.roles.length > 0) codes.add('role_not_permitted');
    codes.add('session_expired');
    if (route.role === 'organisation') codes.add('on_behalf_invalid');
    codes.add('rate_limited');
    if (route.role === 'organisation') codes.add('organisation_suspended');
    codes.add('validation_failed');
  }
  if (route.params !== undefined) codes.add('not_found');
  if (route.body !== undefined) {
    codes.add('body_too_large');
    codes.add('unsupported_media_type');
  }
  for (const c of route.problems ?? []) codes.add(c);
  if (route.operationId.startsWith('get') || route.params !== undefined) codes.add('not_found');
  const byStatus = new Map<number, string[]>();
  for (const code of PUBLIC_PROBLEM_CODES) {
    if (!codes.has(code)) continue;
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, unknown> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    if (route.responses[status] !== undefined) continue;
    out[String(status)] = {
      description: `Problem: ${list.join(', ')}`,
      headers: responseHeaders(route, status),
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return out;
}

const VERSION_HEADER_REF = { [API_VERSION_HEADER]: { $ref: `#/components/headers/${API_VERSION_HEADER}` } };
const SESSION_HEADER_REF = {
  [SESSION_EXPIRES_IN_HEADER]: { $ref: `#/components/headers/${SESSION_EXPIRES_IN_HEADER}` },
};

/** The answer headers of a route that honours `Prefer` (route.ts `returnMinimal`). */
const PREFER_HEADER_REFS = {
  Vary: { $ref: '#/components/headers/Vary-Prefer' },
  [PREFERENCE_APPLIED_HEADER]: { $ref: `#/components/headers/${PREFERENCE_APPLIED_HEADER}` },
};

const ROLE_TEXT: Record<AnyRoute['role'], string> = {
  organisation:
    'Signed with an organisation key (RFC 9421 profile, docs/protocol.md §5); an admin key is refused with 403.',
  admin:
    'Signed with an admin (municipality) key (docs/protocol.md §5); an organisation key is refused with 403.',
  session:
    'Signed with a session key of a signed-in person (docs/protocol.md §10.4); every other key is refused with 403.',
  public: 'Unsigned; carries no citizen data.',
};

/** Tags in the order of the document, each with what its operations are for. */
const TAGS: Readonly<Record<string, string>> = {
  signals: 'Placing, reading, changing and withdrawing signals',
  matches: 'Matches and the contact details they reveal',
  collaboration: 'Regie, contact made and process agreements after a match',
  organisation: 'The calling organisation itself',
  people: "An organisation's or the municipality's people and their roles",
  'sign-in': 'Passkey enrolment, sign-in and the signed-in person’s own session and devices',
  keys: 'Public keys of the server, and key and epoch management',
  admin: 'Administration by the municipality (admin keys only)',
  gdpr: "A citizen's GDPR requests, by pseudonym (admin keys only)",
  logbook: 'The hash-chained logbook: export and verification (admin keys only)',
  operations: 'Health, readiness, metrics and this document (unsigned)',
  test: 'Test-only routes (present only with the test clock)',
};

export interface OpenApiContact {
  readonly name?: string;
  readonly url?: string;
  readonly email?: string;
}

export interface OpenApiInfo {
  readonly title: string;
  /** The API contract's version (http/api-version.ts), not the software's. */
  readonly version: string;
  /** Who publishes this instance of the API (the operator); /core/doc-openapi-contact. */
  readonly contact?: OpenApiContact;
}

/** Where a route sits in the document: under the versioned base, or under its own server. */
function documentPath(path: string): { path: string; ownServer: boolean } {
  return path.startsWith(`${API_BASE_PATH}/`)
    ? { path: path.slice(API_BASE_PATH.length), ownServer: false }
    : { path, ownServer: true };
}

export function buildOpenApi(routes: readonly AnyRoute[], info: OpenApiInfo): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.undocumented) continue;
    const parameters = [
      ...Object.entries(shapeOf(route.params)).map(([name, s]) => ({
        name,
        in: 'path',
        required: true,
        schema: jsonSchema(s, 'input'),
      })),
      ...Object.entries(shapeOf(route.query)).map(([name, s]) => ({
        name,
        in: 'query',
        required: !s.safeParse(undefined).success,
        schema: jsonSchema(s, 'input'),
      })),
      ...(route.returnMinimal ? [{ $ref: '#/components/parameters/Prefer' }] : []),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      const headers = {
        ...responseHeaders(route, Number(status)),
        ...(route.returnMinimal && r.schema !== undefined ? PREFER_HEADER_REFS : {}),
        ...(r.headers ?? {}),
      };
      responses[status] =
        r.schema === undefined
          ? { description: r.description, headers }
          : route.path === '/metrics'
            ? {
                description: r.description,
                headers,
                content: { 'text/plain': { schema: { type: 'string' } } },
              }
            : {
                description: r.description,
                headers,
                content: {
                  'application/json': { schema: jsonSchema(r.schema, 'output') },
                  ...(r.csv === true ? { 'text/csv': { schema: { type: 'string' } } } : {}),
                },
              };
    }
    Object.assign(responses, problemResponses(route));
    const body = route.bodyDoc ?? route.body;
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      description: [
        route.description,
        ROLE_TEXT[route.role],
        route.role === 'public' ? undefined : accessText(route),
      ]
        .filter((t) => t !== undefined)
        .join(' '),
      tags: [route.tag],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(body, 'input') } },
            },
          }),
      responses,
      security: route.role === 'public' ? [] : [{ sluisSignature: [] }],
      'x-sluis-role': route.role,
      'x-sluis-principals': principalKinds(route),
      'x-sluis-roles': [...route.roles],
    };
    const at = documentPath(route.path);
    const item = paths[at.path] ?? {};
    if (at.ownServer)
      item.servers = [{ url: '/', description: 'Operational routes, outside the versioned base' }];
    item[route.method.toLowerCase()] = operation;
    paths[at.path] = item;
  }
  const used = new Set(routes.map((r) => r.tag));
  const undescribed = [...used].filter((t) => TAGS[t] === undefined);
  if (undescribed.length > 0)
    throw new Error(`OpenAPI tags without a description: ${undescribed.join(', ')}`);
  const contact = Object.fromEntries(Object.entries(info.contact ?? {}).filter(([, v]) => v !== undefined));
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description:
        'sluis matchserver: organisaties melden met een pseudoniem dat zij bij een persoon betrokken zijn, ' +
        'en horen van elkaar bij een match. Verzoeken zijn ondertekend (RFC 9421-profiel); ' +
        'pseudoniemen staan alleen in de body, nooit in een pad of query. ' +
        'Documentatie (Engels): docs/api.md en docs/protocol.md. ' +
        'sluis match server. Requests are signed (RFC 9421 profile, docs/protocol.md §5); ' +
        'organisation keys work on /v1/* except /v1/admin/*, admin keys only on /v1/admin/*. ' +
        'Pseudonyms appear only in request bodies, never in a path or query string. ' +
        'HEAD is answered 405 method_not_allowed (with Allow) on every path, before authentication: ' +
        'a GET may write (a match read is logged), so HEAD is never dispatched to it.',
      ...(Object.keys(contact).length > 0 ? { contact } : {}),
      license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: API_BASE_PATH, description: `Version ${info.version.split('.')[0]} of the API` }],
    tags: Object.entries(TAGS)
      .filter(([name]) => used.has(name))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: { Problem: jsonSchema(ProblemOut, 'output') },
      parameters: {
        Prefer: {
          name: 'Prefer',
          in: 'header',
          required: false,
          description:
            'RFC 7240. `return=minimal` asks for each placed item’s result with its signal’s id only ' +
            '(the answer’s minimal form); `return=representation`, no header, or any other preference: ' +
            'the full form. Unknown preferences are ignored. Not signed: it changes only the answer’s form ' +
            '(docs/protocol.md §5.5). Since API 1.11.0.',
          schema: { type: 'string' },
          example: 'return=minimal',
        },
      },
      headers: {
        'Vary-Prefer': {
          description:
            'The answer’s form depends on the Prefer request header (RFC 7240 §2): lists Prefer, and Origin as well for a CORS request.',
          required: true,
          schema: { type: 'string' },
        },
        [PREFERENCE_APPLIED_HEADER]: {
          description:
            'Present when the server answered in the minimal form (RFC 7240 §3). Since API 1.11.0.',
          required: false,
          schema: { type: 'string', const: RETURN_MINIMAL },
        },
        [API_VERSION_HEADER]: {
          description: 'The full version of the API contract (NL API Design Rules /core/version-header).',
          required: true,
          schema: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' },
        },
        [SESSION_EXPIRES_IN_HEADER]: {
          description:
            "On every answer to a request signed by a person's session key once the request is authenticated " +
            '(signature, nonce, organisation active), refusals after that included; never on a key’s answer, ' +
            'a 401 or a refusal during authentication (rate_limited, organisation_suspended). The whole seconds ' +
            'the session lives on without another request, counted from the answer: its idle expiry as this ' +
            'request moved it, never past its absolute expiry (docs/api.md "Conventions"). Since API 1.2.0; ' +
            'a client may ignore it.',
          required: false,
          schema: { type: 'integer', minimum: 0 },
        },
      },
      securitySchemes: {
        sluisSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'Signature',
          description:
            'Ed25519 HTTP Message Signature (RFC 9421) over @method, @path, @query and Content-Digest ' +
            '(RFC 9530), with Signature-Input parameters created, keyid, nonce and tag="sluis-request-v1".',
        },
      },
    },
  };
}
