// Generates the OpenAPI 3.1 document from the route table — the same zod schemas that
// validate requests — so the document cannot list a route or field the server does not
// have, nor miss one it has (checked by openapi.test.ts).

import { principalKinds } from './access.js';
import { z } from 'zod';
import { PUBLIC_PROBLEM_CODES, statusOf } from './problem.js';
import type { AnyRoute } from './route.js';
import { ProblemOut } from './schemas.js';

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
  const key = route.role === 'organisation' ? 'an organisation key' : 'an admin key';
  if (route.roles.length === 0) return `Access: ${key} only; no person may call this route.`;
  const roles = route.roles.join(', ');
  return route.role === 'organisation'
    ? `Access: ${key}, or the key on behalf of a person of the organisation with a role of: ${roles}.`
    : `Access: ${key}. Roles of the municipality's people for this route: ${roles}.`;
}

function problemResponses(route: AnyRoute): Record<string, unknown> {
  const codes = new Set<string>(['internal', 'unavailable']);
  if (route.role !== 'public') {
    for (const c of AUTH_CODES) codes.add(c);
    codes.add('forbidden');
    if (route.roles.length > 0) codes.add('role_not_permitted');
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
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return out;
}

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
}

export function buildOpenApi(routes: readonly AnyRoute[], info: OpenApiInfo): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
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
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      responses[status] =
        r.schema === undefined
          ? { description: r.description }
          : route.path === '/metrics'
            ? { description: r.description, content: { 'text/plain': { schema: { type: 'string' } } } }
            : {
                description: r.description,
                content: { 'application/json': { schema: jsonSchema(r.schema, 'output') } },
              };
    }
    Object.assign(responses, problemResponses(route));
    const body = route.bodyDoc ?? route.body;
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
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
      ...(route.role === 'public' ? {} : { description: accessText(route) }),
    };
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation;
    paths[route.path] = item;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description:
        'sluis match server. Requests are signed (RFC 9421 profile, docs/protocol.md §5); ' +
        'organisation keys work on /v1/* except /v1/admin/*, admin keys only on /v1/admin/*. ' +
        'Pseudonyms appear only in request bodies, never in a path or query string. ' +
        'HEAD is answered 405 method_not_allowed (with Allow) on every path, before authentication: ' +
        'a GET may write (a match read is logged), so HEAD is never dispatched to it.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: { Problem: jsonSchema(ProblemOut, 'output') },
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
