// What keeps a request signed for the match server from being accepted by the pseudonym
// service, and the other way round (docs/protocol.md §5.5): one organisation key is known to
// both (docs/keys.md §4.6) and `@authority` is not signed, so only the covered method and
// path separate them. The match server must have no route the service's `POST /v1/evaluate`
// matches, and the service — the real process — must refuse every signed match-server route,
// correctly signed by an admitted key, without evaluating or logging anything for it.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signRequest } from '@sluis/client-sdk';
import { routeTable } from '@sluis/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PseudonymServiceProcess } from './support/pseudonym-service-process.js';
import { caseSigningKey } from './support/case-keys.js';

const signed = routeTable({}).filter((r) => r.role !== 'public');
const matches = (template: string, path: string) =>
  new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path);

describe('signed routes of the match server and the pseudonym service are disjoint', () => {
  const service = new PseudonymServiceProcess(mkdtempSync(join(tmpdir(), 'sluis-disjoint-')));
  const key = caseSigningKey();
  beforeAll(async () => {
    await service.init(7);
    await service.admitKey('Org A', key.publicKey);
    await service.start();
  }, 60_000);
  afterAll(() => service.stop());

  it('the match server has no route for POST /v1/evaluate', () => {
    expect(signed.length).toBeGreaterThan(20);
    expect(signed.filter((r) => r.method === 'POST' && matches(r.path, '/v1/evaluate'))).toEqual([]);
  });

  it('the service refuses every signed match-server route, signed by an admitted key', async () => {
    for (const r of signed) {
      const path = r.path.replace(/\{[^}]+\}/g, '0d9b7c1e-5a4f-4e2b-9c3d-1f2e3a4b5c6d');
      const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : new TextEncoder().encode('{}');
      const headers = signRequest(key, { method: r.method, path, query: '' }, body ?? new Uint8Array(0));
      const res = await fetch(`${service.url}${path}`, {
        method: r.method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body }),
      });
      expect([`${r.method} ${r.path}`, res.status]).toEqual([`${r.method} ${r.path}`, 404]);
    }
    expect(service.logbook).not.toContain('"event":"evaluated"');
    expect(service.logbook).not.toContain('"event":"refused"');
  });
});
