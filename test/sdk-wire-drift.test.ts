// The SDK mirrors the server's response shapes instead of importing them (it must not
// depend on the engine or the server). This keeps the mirror honest: for every response
// the SDK decodes, the type it declares is compared with the schema in the server's
// OpenAPI document, which the server generates from the zod schemas of its route table.
// A field renamed, added, dropped, retyped or made optional on either side fails here.

import { join } from 'node:path';
import { buildOpenApi, routeTable } from '@sluis/server';
import { describe, expect, it } from 'vitest';
import { type DocumentLike, fullPaths } from './support/openapi-paths.js';
import { ROOT } from './support/server-process.js';
import {
  type Alternatives,
  compareShapes,
  type Shape,
  schemaShapes,
  sdkShapes,
} from './support/wire-shapes.js';

const SDK_INDEX = join(ROOT, 'packages', 'client-sdk', 'src', 'index.ts');

const RESULTS = ['properties', 'results', 'items'];
/** A batch route's two answer forms (docs/api.md "POST /v1/signals/batch"): full, then minimal. */
const FULL_RESULTS = ['anyOf', '0', ...RESULTS];
const MINIMAL_RESULTS = ['anyOf', '1', ...RESULTS];
const CONSENT = ['properties', 'consent'];
const ITEMS = ['properties', 'items'];

/**
 * The SDK type a client method returns, the response it decodes ("METHOD path status"),
 * and the JSON Schema keys from that response's schema down to the part the type describes.
 */
type Pairing = readonly [sdk: string, response: string, at?: readonly string[]];

const PAIRINGS: readonly Pairing[] = [
  ['Whoami', 'GET /v1/whoami 200'],
  ['PlacementResult', 'POST /v1/signals 201'],
  ['PlacementResult', 'POST /v1/signals 200'],
  ['BatchItemResult', 'POST /v1/signals/batch 200', FULL_RESULTS],
  ['MinimalBatchItemResult', 'POST /v1/signals/batch 200', MINIMAL_RESULTS],
  ['BatchItemResult', 'POST /v1/signals/migrate 200', FULL_RESULTS],
  ['MinimalBatchItemResult', 'POST /v1/signals/migrate 200', MINIMAL_RESULTS],
  ['Signal', 'GET /v1/signals/{signalId} 200'],
  ['Page<Signal>', 'GET /v1/signals 200'],
  ['HandoverRequest[]', 'GET /v1/signals/handover-requests 200', ITEMS],
  ['HandoverDecline[]', 'GET /v1/signals/handover-requests/declined 200', ITEMS],
  ['Signal', 'POST /v1/signals/{signalId}/withdraw 200'],
  ['Signal', 'PUT /v1/signals/{signalId}/contact 200'],
  ['Signal', 'PUT /v1/signals/{signalId}/informed 200'],
  ['Page<InboxEvent>', 'GET /v1/matches 200'],
  ['MatchView', 'GET /v1/matches/{matchId} 200'],
  ['MatchView', 'POST /v1/matches/{matchId}/contact-made 200'],
  ['MatchView', 'POST /v1/matches/{matchId}/follow-up 200'],
  ['MatchView', 'POST /v1/matches/{matchId}/regie 200'],
  ['Consent | null', 'GET /v1/signals/{signalId}/consent 200', CONSENT],
  ['Consent', 'PUT /v1/signals/{signalId}/consent 200', CONSENT],
  ['Consent', 'POST /v1/signals/{signalId}/consent/withdraw 200', CONSENT],
  ['Vocabulary', 'GET /v1/agreements/vocabulary 200'],
  ['Agreement[]', 'GET /v1/matches/{matchId}/agreements 200', ITEMS],
  ['Agreement', 'POST /v1/matches/{matchId}/agreements 201'],
  ['Agreement', 'POST /v1/matches/{matchId}/agreements/{agreementId}/status 200'],
];

/** What the SDK adds on its own side: never on the wire, so never in the schema. */
const SDK_ONLY: Readonly<Record<string, string>> = {
  'PlacementResult{heldByYou=true}.requestId':
    'the requestId the SDK used (generated when the caller gave none), for a safe retry',
  'PlacementResult{heldByYou=false}.requestId': 'likewise, on an answer without the signal',
  'PlacementResult{heldByYou=false}.signal': 'a getter that throws signal_not_held (docs/sdk.md "Errors")',
  'BatchItemResult{ok=true}.requestId': 'likewise, per batch item',
  'BatchItemResult{ok=false}.requestId': 'likewise, per refused batch item',
  'BatchItemResult{ok=false}.local': 'true when the SDK refused the item before sending it',
  'MinimalBatchItemResult{ok=true}.requestId': 'likewise, per batch item in the minimal form',
  'MinimalBatchItemResult{ok=false}.requestId': 'likewise, per refused batch item in the minimal form',
  'MinimalBatchItemResult{ok=false}.local': 'likewise, in the minimal form',
};

type JsonSchema = Record<string, unknown>;

function responseSchema(doc: JsonSchema, response: string, at: readonly string[] = []): JsonSchema {
  const [method = '', path = '', status = ''] = response.split(' ');
  const paths = fullPaths<JsonSchema>(doc as unknown as DocumentLike);
  const responses = paths[path]?.[method.toLowerCase()]?.responses as Record<string, JsonSchema> | undefined;
  const content = responses?.[status]?.content as Record<string, JsonSchema> | undefined;
  let schema = content?.['application/json']?.schema as JsonSchema | undefined;
  for (const key of at) schema = schema?.[key] as JsonSchema | undefined;
  if (schema === undefined) throw new Error(`no JSON response for ${response}`);
  return schema;
}

describe('SDK wire types against the server OpenAPI document', () => {
  const doc = buildOpenApi(routeTable({}), { title: 'sluis match server', version: 'drift-test' });
  const sdk = sdkShapes(SDK_INDEX, [...new Set(PAIRINGS.map(([type]) => type))]);

  it('declares every field of each decoded response, with the same JSON types, and nothing else', () => {
    const problems: string[] = [];
    const sdkOnlyMet = new Set<string>();
    for (const [type, response, at] of PAIRINGS) {
      const drift = compareShapes(
        sdk.get(type)!,
        schemaShapes(responseSchema(doc, response, at)),
        type,
        new Set(Object.keys(SDK_ONLY)),
      );
      for (const line of drift.problems) problems.push(`${response}: ${line}`);
      for (const path of drift.sdkOnlyMet) sdkOnlyMet.add(path);
    }
    expect(problems).toEqual([]);
    // Every SDK-only field is still declared by the SDK (the list cannot go stale).
    expect([...sdkOnlyMet].sort()).toEqual(Object.keys(SDK_ONLY).sort());
  });

  it('covers the main shapes with their fields (the comparison is not vacuous)', () => {
    const fields = (s: Alternatives | undefined): string[] => {
      const o = s?.find((x): x is Extract<Shape, { kind: 'object' }> => x.kind === 'object');
      return Object.keys(o?.props ?? {}).sort();
    };
    // Every object alternative's fields (a key's whoami and a session's).
    const alternatives = (s: Alternatives | undefined): string[][] =>
      (s ?? [])
        .filter((x): x is Extract<Shape, { kind: 'object' }> => x.kind === 'object')
        .map((o) => Object.keys(o.props).sort());
    const whoami = [
      ['authenticatedBy', 'budget', 'epochs', 'key', 'organisation'],
      ['authenticatedBy', 'budget', 'epochs', 'organisation', 'session'],
    ];
    expect(fields(sdk.get('Signal'))).toContain('placedAt');
    expect(alternatives(sdk.get('Whoami'))).toEqual(whoami);
    expect(fields(sdk.get('MatchView'))).toContain('counterpart');
    expect(alternatives(schemaShapes(responseSchema(doc, 'GET /v1/whoami 200')))).toEqual(whoami);
  });
});

describe('the shape comparison itself', () => {
  const signal = (
    props: Record<string, Partial<{ optional: boolean; type: Alternatives }>>,
  ): Alternatives => [
    {
      kind: 'object',
      props: Object.fromEntries(
        Object.entries(props).map(([k, p]) => [
          k,
          { optional: p.optional ?? false, type: p.type ?? [{ kind: 'string' }] },
        ]),
      ),
    },
  ];
  const string: Alternatives = [{ kind: 'string' }];
  const nullableString: Alternatives = [{ kind: 'string' }, { kind: 'null' }];

  it('agrees with itself', () => {
    const s = signal({ id: {}, endedAt: { type: nullableString } });
    expect(compareShapes(s, s, 'Signal').problems).toEqual([]);
  });

  it('reports a field renamed on either side, in both directions', () => {
    const sdk = signal({ id: {}, placedAt: {} });
    const api = signal({ id: {}, placed_at: {} });
    expect(compareShapes(sdk, api, 'Signal').problems).toEqual([
      'Signal.placedAt: declared by the SDK, not in the OpenAPI schema',
      'Signal.placed_at: required in the OpenAPI schema, not declared by the SDK',
    ]);
  });

  it('reports a changed JSON type, a lost null, a field the schema may omit and drifting literals', () => {
    const sdk = signal({
      id: { type: [{ kind: 'number' }] },
      endedAt: { type: string },
      email: {},
      status: { type: [{ kind: 'string', values: ['active', 'inactive'] }] },
    });
    const api = signal({
      id: { type: string },
      endedAt: { type: nullableString },
      email: { optional: true },
      status: { type: [{ kind: 'string', values: ['active', 'inactive', 'paused'] }] },
    });
    expect(compareShapes(sdk, api, 'Signal').problems).toEqual([
      'Signal.id: the SDK declares number, the OpenAPI schema string',
      'Signal.endedAt: the SDK declares string, the OpenAPI schema null|string',
      'Signal.email: required in the SDK, optional in the OpenAPI schema',
      'Signal.status: the SDK allows active|inactive, the OpenAPI schema active|inactive|paused',
    ]);
  });

  it('refuses an SDK-only field that the schema has after all', () => {
    const s = signal({ requestId: {} });
    expect(compareShapes(s, s, 'X', new Set(['X.requestId'])).problems).toEqual([
      'X.requestId: declared SDK-only, but the OpenAPI schema has it',
    ]);
  });
});
