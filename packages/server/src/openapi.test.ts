// The OpenAPI document is generated from the route table; this checks that every route
// the app registers is in it (and nothing else), that it is valid 3.1 in shape, that
// docs/api.md names every path, and what the NL API Design Rules ask of the wire
// (docs/api.md "The Dutch API Design Rules"): API-Version on every response, the document
// at /v1/openapi.json readable from any origin (and nothing else), problem+json with detail.

import { readFileSync } from 'node:fs';
import { MUNICIPALITY_ROLES } from '@sluis/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from './app.js';
import { API_VERSION } from './http/api-version.js';
import { TestClock } from './clock.js';
import { type Harness, makeHarness } from './testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(async () => h.close());

const toTemplate = (p: string) => p.replace(/:([A-Za-z]+)/g, '{$1}');

interface Doc {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown> & { servers?: { url: string }[] }>;
}

/** Operations by full path: the document lists paths relative to their server. */
function fullPaths(doc: Doc): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    const base = (item.servers?.[0]?.url ?? doc.servers[0]!.url).replace(/\/$/, '');
    const { servers: _servers, ...ops } = item;
    out[`${base}${path}`] = ops;
  }
  return out;
}

describe('openapi.json', () => {
  it('contains every registered route with its method, and only those', async () => {
    const r = await h.call(undefined, 'GET', '/v1/openapi.json');
    expect(r.status).toBe(200);
    const doc = (await r.json()) as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/v1' })]);
    const undocumented = new Set(
      routeTable({})
        .filter((r) => r.undocumented)
        .map((r) => `${r.method} ${r.path}`),
    );
    expect([...undocumented]).toEqual(['GET /openapi.json']);
    const registered = new Set(
      h.app.routes
        .filter((x) => x.method !== 'ALL' && x.path !== '/*' && !undocumented.has(`${x.method} ${x.path}`))
        .map((x) => `${x.method} ${toTemplate(x.path)}`),
    );
    const documented = new Set(
      Object.entries(fullPaths(doc)).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    expect(registered.size).toBeGreaterThan(40);
    expect([...registered].filter((x) => !documented.has(x))).toEqual([]);
    expect([...documented].filter((x) => !registered.has(x))).toEqual([]);
  });

  it('documents request bodies as strict objects and every protected route with its security', async () => {
    const doc = (await (await h.call(undefined, 'GET', '/v1/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
            security: unknown[];
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    const place = doc.paths['/signals']!.post!;
    expect(place.requestBody!.content['application/json']!.schema.additionalProperties).toBe(false);
    expect(place.security).toEqual([{ sluisSignature: [] }]);
    expect(Object.keys(place.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '413', '415', '429']),
    );
    expect(doc.paths['/healthz']!.get!.security).toEqual([]);
  });

  it('sends API-Version on every response: answers, refusals, unknown paths, preflights', async () => {
    const cors = await makeHarness({ corsOrigins: ['https://portal.example.nl'] });
    try {
      const answers = [
        await h.call(undefined, 'GET', '/healthz'),
        await h.call(undefined, 'GET', '/v1/whoami'),
        await h.call(undefined, 'GET', '/v1/nothing-here'),
        await h.call(undefined, 'DELETE', '/healthz'),
        await h.call(undefined, 'GET', '/openapi.json'),
        await cors.app.request('http://sluis.test/v1/signals', {
          method: 'OPTIONS',
          headers: { origin: 'https://portal.example.nl' },
        }),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 401, 404, 405, 308, 204]);
      for (const a of answers) expect(a.headers.get('api-version')).toBe('1.12.0');
      const doc = (await (await h.call(undefined, 'GET', '/v1/openapi.json')).json()) as {
        info: { version: string };
      };
      expect(doc.info.version).toBe('1.12.0');
    } finally {
      await cors.close();
    }
  });

  it('docs/api.md states API_VERSION wherever it says which version this is, and lists it first under "Versions"', () => {
    const api = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
    // The statements of the current version (historical "(API 1.4.0)" notes are not these).
    const stated = [
      ...api.matchAll(/API version \*\*([^*]+)\*\*|API-Version: ([^`\s]+)`|`info\.version` `([^`]+)`/g),
    ].map((m) => m[1] ?? m[2] ?? m[3]);
    // The title line, Conventions and the ADR table (twice): none may go unchecked.
    expect(stated.length).toBeGreaterThanOrEqual(4);
    for (const v of stated) expect(v, 'a version docs/api.md states').toBe(API_VERSION);
    const versions = api.slice(api.indexOf('\n### Versions\n'));
    expect(versions.match(/^- \*\*(\d+\.\d+\.\d+)\*\*/m)?.[1], 'the newest entry of "Versions"').toBe(
      API_VERSION,
    );
  });

  it('documents Sluis-Session-Expires-In on the answers a session may receive, and only there', async () => {
    const doc = (await (await h.call(undefined, 'GET', '/v1/openapi.json')).json()) as Doc & {
      components: { headers: Record<string, { required: boolean; schema: Record<string, unknown> }> };
    };
    const HEADER = 'Sluis-Session-Expires-In';
    expect(doc.components.headers[HEADER]).toMatchObject({
      required: false,
      schema: { type: 'integer', minimum: 0 },
    });
    const paths = fullPaths(doc) as Record<
      string,
      Record<string, { 'x-sluis-principals': string[]; responses: Record<string, { headers: object }> }>
    >;
    let documented = 0;
    for (const r of routeTable({}).filter((x) => !x.undocumented)) {
      const op = paths[r.path]![r.method.toLowerCase()]!;
      const session = op['x-sluis-principals'].some((p) => p.endsWith('_session'));
      for (const [status, response] of Object.entries(op.responses)) {
        // Sent once the request is authenticated, refusals included; a 401 never was.
        const expected = session && status !== '401';
        expect(HEADER in response.headers, `${r.method} ${r.path} ${status}`).toBe(expected);
        if (expected) documented++;
      }
    }
    expect(documented).toBeGreaterThan(100);
    // A session route's answer and refusal, e.g. GET /v1/me; a key-only route has none.
    expect(paths['/v1/me']!.get!.responses['200']!.headers).toHaveProperty(HEADER);
    expect(paths['/v1/me']!.get!.responses['403']!.headers).toHaveProperty(HEADER);
    expect(paths['/v1/me']!.get!.responses['401']!.headers).not.toHaveProperty(HEADER);
    expect(paths['/healthz']!.get!.responses['200']!.headers).not.toHaveProperty(HEADER);
  });

  it('refusals are problem+json with a fixed detail that echoes nothing', async () => {
    const r = await h.call(undefined, 'GET', '/v1/whoami?bsn=123456782');
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 401, code: 'auth_missing' });
    expect(typeof body.detail).toBe('string');
    expect(JSON.stringify(body)).not.toContain('123456782');
  });

  it('publishes the document at /v1/openapi.json for every origin; /openapi.json redirects there', async () => {
    const doc = await h.call(undefined, 'GET', '/v1/openapi.json', {
      override: { origin: 'https://elsewhere.example' },
    });
    expect(doc.status).toBe(200);
    expect(doc.headers.get('access-control-allow-origin')).toBe('*');
    expect(doc.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const old = await h.call(undefined, 'GET', '/openapi.json');
    expect(old.status).toBe(308);
    expect(old.headers.get('location')).toBe('/v1/openapi.json');
    // Nothing else is opened up: the API keeps same-origin and no CORS without an allow-list.
    for (const path of ['/healthz', '/v1/server-keys', '/v1/whoami']) {
      const other = await h.call(undefined, 'GET', path, {
        override: { origin: 'https://elsewhere.example' },
      });
      expect(other.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(other.headers.get('cross-origin-resource-policy'), path).toBe('same-origin');
    }
  });

  it('/readyz answers 503 unavailable as problem+json when the database does not answer, and logs why', async () => {
    const broken = await makeHarness();
    try {
      await broken.engine.close();
      const r = await broken.call(undefined, 'GET', '/readyz');
      expect(r.status).toBe(503);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
      expect(await r.json()).toMatchObject({ status: 503, code: 'unavailable', detail: expect.any(String) });
      // The log says why, once per reason (docs/operations.md "Logs": `not_ready`).
      expect((await broken.call(undefined, 'GET', '/readyz')).status).toBe(503);
      const notReady = broken.logs.map((l) => JSON.parse(l)).filter((l) => l.event === 'not_ready');
      expect(notReady).toEqual([expect.objectContaining({ level: 'warn', reason: 'closed' })]);
    } finally {
      await broken.close().catch(() => {});
    }
  });

  it('the test clock routes appear only when enabled; docs/api.md lists every other path', () => {
    const withClock = routeTable({ testClock: new TestClock() }).map((r) => r.path);
    expect(withClock).toContain('/v1/admin/test/clock');
    const api = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
    for (const r of routeTable({})) {
      const path = r.path.replace(/\{organisationId\}/, '{id}');
      expect(api.includes(path), `${r.method} ${r.path} in docs/api.md`).toBe(true);
    }
  });

  it('shows every route’s principals and roles as the route table has them (docs/api.md "Roles")', async () => {
    const doc = (await (await h.call(undefined, 'GET', '/v1/openapi.json')).json()) as Doc;
    const paths = fullPaths(doc) as Record<string, Record<string, Record<string, unknown>>>;
    for (const r of routeTable({}).filter((x) => !x.undocumented)) {
      const op = paths[r.path]![r.method.toLowerCase()]!;
      expect(op['x-sluis-roles'], `${r.method} ${r.path}`).toEqual([...r.roles]);
      const principals = op['x-sluis-principals'] as string[];
      if (r.role === 'public') expect(principals).toEqual([]);
      else if (r.role === 'session') {
        // A person's own routes: sessions of either side, never a key (docs/protocol.md §10.4).
        expect(principals).toEqual(['organisation_session', 'admin_session']);
        expect(op.description, `${r.method} ${r.path}`).toMatch(/ Access: /);
      } else {
        expect(principals).toContain(r.role === 'admin' ? 'admin_key' : 'organisation_key');
        expect(principals.includes('organisation_key_on_behalf')).toBe(
          r.role === 'organisation' && r.roles.length > 0,
        );
        // A session is a person: admitted exactly where people are (never a key-only route).
        expect(principals.includes(r.role === 'admin' ? 'admin_session' : 'organisation_session')).toBe(
          r.roles.length > 0,
        );
        // An organisation route admits municipality sessions exactly when it names a municipality role.
        if (r.role === 'organisation') {
          expect(principals.includes('admin_session'), `${r.method} ${r.path}`).toBe(
            r.roles.some((x) => (MUNICIPALITY_ROLES as readonly string[]).includes(x)),
          );
        }
        expect(op.description, `${r.method} ${r.path}`).toMatch(/ Access: /);
        for (const role of r.roles) expect(op.description).toContain(role);
        if (r.roles.length > 0) expect(JSON.stringify(op.responses)).toContain('role_not_permitted');
      }
    }
    expect(paths['/v1/signals/transfer']!.post!['x-sluis-roles']).toEqual(['organisation_coordinator']);
    expect(paths['/v1/admin/logbook']!.get!['x-sluis-roles']).toEqual(['auditor']);
    // The GDPR desk's credential (docs/protocol.md §9.7): its session, never the admin key.
    const credential = paths['/v1/pseudonym-credentials']!.post!;
    expect(credential['x-sluis-roles']).toEqual(['professional', 'gdpr_desk']);
    expect(credential['x-sluis-principals']).toContain('admin_session');
    expect(credential['x-sluis-principals']).not.toContain('admin_key');
    expect(JSON.stringify(credential.responses)).toContain('gdpr_desk_unconfigured');
  });
});
