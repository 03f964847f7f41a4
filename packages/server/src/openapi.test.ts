// The OpenAPI document is generated from the route table; this checks that every route
// the app registers is in it (and nothing else), that it is valid 3.1 in shape, and
// that docs/api.md names every path.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from './app.js';
import { TestClock } from './clock.js';
import { type Harness, makeHarness } from './testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(async () => h.close());

const toTemplate = (p: string) => p.replace(/:([A-Za-z]+)/g, '{$1}');

describe('openapi.json', () => {
  it('contains every registered route with its method, and only those', async () => {
    const r = await h.call(undefined, 'GET', '/openapi.json');
    expect(r.status).toBe(200);
    const doc = (await r.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const registered = new Set(
      h.app.routes
        .filter((x) => x.method !== 'ALL' && x.path !== '/*')
        .map((x) => `${x.method} ${toTemplate(x.path)}`),
    );
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    expect(registered.size).toBeGreaterThan(40);
    expect([...registered].filter((x) => !documented.has(x))).toEqual([]);
    expect([...documented].filter((x) => !registered.has(x))).toEqual([]);
  });

  it('documents request bodies as strict objects and every protected route with its security', async () => {
    const doc = (await (await h.call(undefined, 'GET', '/openapi.json')).json()) as {
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
    const place = doc.paths['/v1/signals']!.post!;
    expect(place.requestBody!.content['application/json']!.schema.additionalProperties).toBe(false);
    expect(place.security).toEqual([{ sluisSignature: [] }]);
    expect(Object.keys(place.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '413', '415', '429']),
    );
    expect(doc.paths['/healthz']!.get!.security).toEqual([]);
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
    const doc = (await (await h.call(undefined, 'GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    for (const r of routeTable({})) {
      const op = doc.paths[r.path]![r.method.toLowerCase()]!;
      expect(op['x-sluis-roles'], `${r.method} ${r.path}`).toEqual([...r.roles]);
      const principals = op['x-sluis-principals'] as string[];
      if (r.role === 'public') expect(principals).toEqual([]);
      else {
        expect(principals).toContain(r.role === 'admin' ? 'admin_key' : 'organisation_key');
        expect(principals.includes('organisation_key_on_behalf')).toBe(
          r.role === 'organisation' && r.roles.length > 0,
        );
        expect(op.description, `${r.method} ${r.path}`).toMatch(/^Access: /);
        for (const role of r.roles) expect(op.description).toContain(role);
        if (r.roles.length > 0) expect(JSON.stringify(op.responses)).toContain('role_not_permitted');
      }
    }
    expect(doc.paths['/v1/signals/transfer']!.post!['x-sluis-roles']).toEqual(['organisation_coordinator']);
    expect(doc.paths['/v1/admin/logbook']!.get!['x-sluis-roles']).toEqual(['auditor']);
  });
});
