// Wire shapes from both sides of the API, in one small form that can be compared: the
// SDK's declared response types (read with the TypeScript compiler API, since the SDK
// mirrors the server's shapes on purpose instead of depending on it) and the server's
// OpenAPI response schemas (JSON Schema 2020-12). Only JSON matters: strings (with their
// literal values when closed), numbers, booleans, null, arrays and objects with their
// properties and whether each is required.

import { dirname } from 'node:path';
import ts from 'typescript';

export type Shape =
  | { readonly kind: 'string'; readonly values?: readonly string[] }
  | { readonly kind: 'number' }
  | { readonly kind: 'boolean'; readonly value?: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'array'; readonly items: Alternatives }
  | { readonly kind: 'object'; readonly props: Readonly<Record<string, Property>> }
  | { readonly kind: 'any' };

/** The JSON values a position may hold: one shape per alternative. */
export type Alternatives = readonly Shape[];

export interface Property {
  readonly optional: boolean;
  readonly type: Alternatives;
}

const MAX_DEPTH = 32;

/** One string shape for all string alternatives, one boolean shape for `true | false`. */
function normalise(alternatives: readonly Shape[]): Shape[] {
  const out: Shape[] = [];
  let text: Set<string> | 'open' | undefined;
  let flag: Set<boolean> | 'open' | undefined;
  for (const s of alternatives) {
    if (s.kind === 'string') {
      if (s.values === undefined || text === 'open') text = 'open';
      else text = new Set([...(text ?? []), ...s.values]);
    } else if (s.kind === 'boolean') {
      if (s.value === undefined || flag === 'open') flag = 'open';
      else flag = new Set([...(flag ?? []), s.value]);
    } else if (!out.some((o) => o.kind === s.kind && (s.kind === 'number' || s.kind === 'null'))) {
      out.push(s);
    }
  }
  if (text !== undefined)
    out.push(text === 'open' ? { kind: 'string' } : { kind: 'string', values: [...text].sort() });
  if (flag !== undefined)
    out.push(
      flag === 'open' || flag.size === 2 ? { kind: 'boolean' } : { kind: 'boolean', value: [...flag][0]! },
    );
  return out;
}

/**
 * The shapes of TypeScript type expressions over the SDK's public exports, e.g.
 * `Page<Signal>` or `Consent | null`, as a caller of the SDK would write them.
 */
export function sdkShapes(sdkIndex: string, expressions: readonly string[]): Map<string, Alternatives> {
  const probe = `${dirname(sdkIndex)}/__wire-shapes-probe__.ts`;
  const names = [...new Set(expressions.join(' ').match(/\b[A-Z]\w*/g) ?? [])];
  const text = [
    `import type { ${names.join(', ')} } from './index.js';`,
    ...expressions.map((e, i) => `export type Probe${i} = ${e};`),
  ].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['sluis-source'],
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, version, ...rest) =>
    file === probe ? ts.createSourceFile(file, text, version) : getSourceFile(file, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === probe || fileExists(file);
  const program = ts.createProgram([probe], options, host);
  const errors = ts.getPreEmitDiagnostics(program, program.getSourceFile(probe));
  if (errors.length > 0) {
    throw new Error(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  }
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(probe)!;
  const out = new Map<string, Alternatives>();
  for (const statement of source.statements) {
    if (!ts.isTypeAliasDeclaration(statement) || !statement.name.text.startsWith('Probe')) continue;
    const index = Number(statement.name.text.slice('Probe'.length));
    out.set(expressions[index]!, fromType(checker, checker.getTypeAtLocation(statement.name), 0));
  }
  return out;
}

function fromType(checker: ts.TypeChecker, type: ts.Type, depth: number): Shape[] {
  if (depth > MAX_DEPTH) throw new Error(`type too deep: ${checker.typeToString(type)}`);
  const f = type.flags;
  if (type.isUnion()) return normalise(type.types.flatMap((t) => fromType(checker, t, depth + 1)));
  if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Never)) return [];
  if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [{ kind: 'any' }];
  if (type.isStringLiteral()) return [{ kind: 'string', values: [type.value] }];
  if (f & ts.TypeFlags.StringLike) return [{ kind: 'string' }];
  if (f & ts.TypeFlags.NumberLike) return [{ kind: 'number' }];
  if (f & ts.TypeFlags.BooleanLiteral) {
    return [{ kind: 'boolean', value: checker.typeToString(type) === 'true' }];
  }
  if (f & ts.TypeFlags.BooleanLike) return [{ kind: 'boolean' }];
  if (f & ts.TypeFlags.Null) return [{ kind: 'null' }];
  if (checker.isArrayType(type)) {
    const [item] = checker.getTypeArguments(type as ts.TypeReference);
    return [
      { kind: 'array', items: item === undefined ? [{ kind: 'any' }] : fromType(checker, item, depth + 1) },
    ];
  }
  if (f & ts.TypeFlags.Object) {
    const props: Record<string, Property> = {};
    for (const p of checker.getPropertiesOfType(type)) {
      props[p.name] = {
        optional: (p.flags & ts.SymbolFlags.Optional) !== 0,
        type: fromType(checker, checker.getTypeOfSymbol(p), depth + 1),
      };
    }
    return [{ kind: 'object', props }];
  }
  throw new Error(`no JSON shape for the type ${checker.typeToString(type)}`);
}

type JsonSchema = Readonly<Record<string, unknown>>;

/** The shapes a JSON Schema (as in the OpenAPI document, without $ref) allows. */
export function schemaShapes(schema: JsonSchema, depth = 0): Shape[] {
  if (depth > MAX_DEPTH) throw new Error('schema too deep');
  if (schema.$ref !== undefined) throw new Error(`$ref is not followed: ${String(schema.$ref)}`);
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches !== undefined) return normalise(branches.flatMap((b) => schemaShapes(b, depth + 1)));
  if ('const' in schema) {
    const c = schema.const;
    if (typeof c === 'string') return [{ kind: 'string', values: [c] }];
    if (typeof c === 'boolean') return [{ kind: 'boolean', value: c }];
    if (typeof c === 'number') return [{ kind: 'number' }];
    if (c === null) return [{ kind: 'null' }];
  }
  const types = schema.type === undefined ? [] : ([] as unknown[]).concat(schema.type);
  if (types.length === 0) return [{ kind: 'any' }];
  return normalise(
    types.map((t): Shape => {
      switch (t) {
        case 'string':
          return Array.isArray(schema.enum)
            ? { kind: 'string', values: [...(schema.enum as string[])].sort() }
            : { kind: 'string' };
        case 'integer':
        case 'number':
          return { kind: 'number' };
        case 'boolean':
          return { kind: 'boolean' };
        case 'null':
          return { kind: 'null' };
        case 'array':
          return { kind: 'array', items: schemaShapes((schema.items ?? {}) as JsonSchema, depth + 1) };
        case 'object': {
          const required = new Set((schema.required ?? []) as string[]);
          const props: Record<string, Property> = {};
          for (const [k, v] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
            props[k] = { optional: !required.has(k), type: schemaShapes(v, depth + 1) };
          }
          return { kind: 'object', props };
        }
        default:
          throw new Error(`unknown JSON Schema type ${String(t)}`);
      }
    }),
  );
}

export interface Drift {
  /** One line per difference, with its path: empty when the two sides agree. */
  readonly problems: string[];
  /** The SDK-only paths met (each was absent from the schema, as declared). */
  readonly sdkOnlyMet: string[];
}

const kinds = (a: Alternatives) => [...new Set(a.map((s) => s.kind))].sort().join('|') || 'nothing';

/** The literal members of an object shape (a union's discriminants), as `key=value`. */
function literals(s: Shape): string[] {
  if (s.kind !== 'object') return [];
  return Object.entries(s.props).flatMap(([k, p]) => {
    const [only] = p.type;
    if (p.type.length !== 1 || only === undefined) return [];
    if (only.kind === 'boolean' && only.value !== undefined) return [`${k}=${only.value}`];
    if (only.kind === 'string' && only.values?.length === 1) return [`${k}=${only.values[0]}`];
    return [];
  });
}

/**
 * Compares what the SDK declares (`sdk`) with what the server documents (`api`): every
 * property the SDK declares must exist in the schema with the same JSON types (and the same
 * closed set of strings where both sides close it), every property of the schema must be
 * declared by the SDK, and a property the schema may omit must be optional in the SDK.
 * `sdkOnly` names the paths the SDK adds itself (and that the schema must not have).
 */
export function compareShapes(
  sdk: Alternatives,
  api: Alternatives,
  path: string,
  sdkOnly: ReadonlySet<string> = new Set(),
): Drift {
  const drift: Drift = { problems: [], sdkOnlyMet: [] };
  compare(sdk, api, path, sdkOnly, drift);
  return drift;
}

function compare(sdk: Alternatives, api: Alternatives, path: string, sdkOnly: ReadonlySet<string>, d: Drift) {
  if (sdk.some((s) => s.kind === 'any') || api.some((s) => s.kind === 'any')) return;
  if (kinds(sdk) !== kinds(api)) {
    d.problems.push(`${path}: the SDK declares ${kinds(sdk)}, the OpenAPI schema ${kinds(api)}`);
    return;
  }
  for (const a of api) {
    if (a.kind === 'string') {
      const s = sdk.find((x) => x.kind === 'string') as Extract<Shape, { kind: 'string' }>;
      if (a.values !== undefined && s.values !== undefined && a.values.join() !== s.values.join()) {
        d.problems.push(
          `${path}: the SDK allows ${s.values.join('|')}, the OpenAPI schema ${a.values.join('|')}`,
        );
      }
    } else if (a.kind === 'boolean') {
      const s = sdk.find((x) => x.kind === 'boolean') as Extract<Shape, { kind: 'boolean' }>;
      if (a.value !== undefined && s.value !== undefined && a.value !== s.value) {
        d.problems.push(`${path}: the SDK declares ${s.value}, the OpenAPI schema ${a.value}`);
      }
    } else if (a.kind === 'array') {
      const s = sdk.find((x) => x.kind === 'array') as Extract<Shape, { kind: 'array' }>;
      compare(s.items, a.items, `${path}[]`, sdkOnly, d);
    }
  }
  const sdkObjects = sdk.filter((x) => x.kind === 'object');
  const apiObjects = api.filter((x) => x.kind === 'object');
  if (sdkObjects.length !== apiObjects.length) {
    d.problems.push(
      `${path}: the SDK declares ${sdkObjects.length} object forms, the schema ${apiObjects.length}`,
    );
    return;
  }
  if (apiObjects.length === 1) {
    compareObjects(sdkObjects[0]!, apiObjects[0]!, path, sdkOnly, d);
    return;
  }
  // A union of objects: pair the forms by their literal members (e.g. ok=true / ok=false).
  for (const a of apiObjects) {
    const keys = literals(a);
    const label = `${path}{${keys.join(',')}}`;
    const partners = sdkObjects.filter((s) => {
      const mine = literals(s);
      return keys.length > 0 && keys.every((k) => mine.includes(k));
    });
    if (partners.length !== 1)
      d.problems.push(`${label}: ${partners.length} SDK forms have these literal members`);
    else compareObjects(partners[0]!, a, label, sdkOnly, d);
  }
}

function compareObjects(sdk: Shape, api: Shape, path: string, sdkOnly: ReadonlySet<string>, d: Drift) {
  if (sdk.kind !== 'object' || api.kind !== 'object') return;
  for (const [k, p] of Object.entries(sdk.props)) {
    const at = `${path}.${k}`;
    const q = api.props[k];
    if (sdkOnly.has(at)) {
      if (q === undefined) d.sdkOnlyMet.push(at);
      else d.problems.push(`${at}: declared SDK-only, but the OpenAPI schema has it`);
      continue;
    }
    if (q === undefined) {
      d.problems.push(`${at}: declared by the SDK, not in the OpenAPI schema`);
      continue;
    }
    if (!p.optional && q.optional)
      d.problems.push(`${at}: required in the SDK, optional in the OpenAPI schema`);
    compare(p.type, q.type, at, sdkOnly, d);
  }
  for (const [k, q] of Object.entries(api.props)) {
    if (sdk.props[k] === undefined) {
      d.problems.push(
        `${path}.${k}: ${q.optional ? 'optional' : 'required'} in the OpenAPI schema, not declared by the SDK`,
      );
    }
  }
}
