// Attacks (docs/reliability.md §4), each its own test with the exact expected answer, against the real
// server process over loopback: replay, timestamp skew, nonce reuse, a foreign key id under
// my signature, a swapped body, a suspended organisation, a revoked key, organisation keys
// on admin routes, cross-organisation access (404: existence is not revealed), enumeration
// stopped by the placement budget (429 + Retry-After, visible in /metrics and the logbook),
// and SQL injection strings in every string field (refused or stored verbatim, DB intact).

import { randomUUID } from 'node:crypto';
import { base64url, type SigningKey, signRequest } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, waitOverBoundary } from '../support/clock-boundary.js';
import { type DocumentLike, fullPaths } from '../support/openapi-paths.js';
import { type ServerProcess, startServer } from '../support/server-process.js';
import {
  admit,
  adminClient,
  contact,
  destroyKeys,
  metric,
  metricsText,
  type Org,
  placementBody,
  randomPerson,
  type SignedClient,
  summary,
} from './support.js';
import { caseSigningKey } from '../support/case-keys.js';

let server: ServerProcess;
let admin: SignedClient;
let A: Org;
let B: Org;
let C: Org;
/** A's signal matched with C's; B is the outsider. */
let signalA: string;
let matchAC: string;
const refused: Record<string, string> = {};

const enc = (v: unknown) => new TextEncoder().encode(v === undefined ? '' : JSON.stringify(v));

async function raw(
  method: string,
  target: string,
  headers: Record<string, string>,
  body: Uint8Array,
): Promise<{ status: number; code: string | undefined; headers: Headers; text: string }> {
  const res = await fetch(`${server.url}${target}`, {
    method,
    headers: { ...headers, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    ...(method === 'GET' ? {} : { body: body as Uint8Array<ArrayBuffer> }),
  });
  const text = await res.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { code?: string }).code;
  } catch {
    code = undefined;
  }
  return { status: res.status, code, headers: res.headers, text };
}

function signed(
  key: SigningKey,
  method: string,
  target: string,
  body: Uint8Array,
  o: { created?: number; nonce?: string } = {},
): Record<string, string> {
  const q = target.indexOf('?');
  return {
    ...signRequest(
      key,
      { method, path: q === -1 ? target : target.slice(0, q), query: q === -1 ? '' : target.slice(q + 1) },
      body,
      o,
    ),
  };
}

function expectRefusal(
  name: string,
  a: { status: number; code: string | undefined },
  status: number,
  code: string,
) {
  expect({ status: a.status, code: a.code }).toEqual({ status, code });
  refused[name] = `${status} ${code}`;
}

beforeAll(async () => {
  server = await startServer({
    args: ['--rate-limit', '0', '--retention-interval', '0', '--placement-alert-per-hour', '10'],
  });
  admin = adminClient(server.adminKeyFile, () => server.url);
  A = await admit(admin, 'Jeugdzorg', () => server.url);
  B = await admit(admin, 'Wijkteam', () => server.url);
  C = await admit(admin, 'Schoolarts', () => server.url);
  const person = randomPerson();
  const a = await A.client.call('POST', '/v1/signals', placementBody(randomUUID(), person));
  signalA = a.json<{ signal: { id: string } }>().signal.id;
  await C.client.call('POST', '/v1/signals', placementBody(randomUUID(), person));
  const inbox = (await A.client.call('GET', '/v1/matches')).json<{ items: { matchId: string }[] }>();
  matchAC = inbox.items[0]!.matchId;
});
afterAll(async () => {
  summary('attacks', { refused: Object.keys(refused).length, codes: JSON.stringify(refused) });
  try {
    await server?.stop();
  } finally {
    destroyKeys();
  }
});

describe('attacks on request authentication', () => {
  it('replay of a captured request → 401 nonce_reused', async () => {
    const body = enc(placementBody(randomUUID(), randomPerson()));
    const h = signed(A.client.key, 'POST', '/v1/signals', body);
    expect((await raw('POST', '/v1/signals', h, body)).status).toBe(201);
    expectRefusal('replay', await raw('POST', '/v1/signals', h, body), 401, 'nonce_reused');
  });

  it('timestamp skew beyond 300 s, either way → 401 timestamp_out_of_window', async () => {
    // A minute beyond the window: the client's whole seconds and a loaded machine's delay
    // before the server reads its clock must not bring a future time back inside (it did
    // with +301 s once under load). The exact boundary is unit-tested with a fixed clock.
    const now = Math.floor(Date.now() / 1000);
    for (const created of [now - 360, now + 360]) {
      const h = signed(A.client.key, 'GET', '/v1/whoami', enc(undefined), { created });
      expectRefusal(
        'timestamp skew',
        await raw('GET', '/v1/whoami', h, enc(undefined)),
        401,
        'timestamp_out_of_window',
      );
    }
  });

  it('nonce reused on a different request → 401 nonce_reused', async () => {
    const nonce = base64url.encode(globalThis.crypto.getRandomValues(new Uint8Array(16)));
    const h1 = signed(A.client.key, 'GET', '/v1/whoami', enc(undefined), { nonce });
    expect((await raw('GET', '/v1/whoami', h1, enc(undefined))).status).toBe(200);
    const h2 = signed(A.client.key, 'GET', '/v1/signals', enc(undefined), { nonce });
    expectRefusal('nonce reuse', await raw('GET', '/v1/signals', h2, enc(undefined)), 401, 'nonce_reused');
  });

  it("another organisation's key id with my signature → 401 signature_invalid", async () => {
    const impostor = {
      keyId: B.client.key.keyId,
      sign: (m: Uint8Array) => A.client.key.sign(m),
    } as unknown as SigningKey;
    const h = signed(impostor, 'GET', '/v1/signals', enc(undefined));
    expectRefusal(
      'foreign key id',
      await raw('GET', '/v1/signals', h, enc(undefined)),
      401,
      'signature_invalid',
    );
  });

  it('body swapped under a valid signature → 401 digest_mismatch (or signature_invalid with a fresh digest)', async () => {
    const body = enc(placementBody(randomUUID(), randomPerson()));
    const swapped = enc(placementBody(randomUUID(), randomPerson()));
    const h = signed(A.client.key, 'POST', '/v1/signals', body);
    expectRefusal('body swap', await raw('POST', '/v1/signals', h, swapped), 401, 'digest_mismatch');
    const h2 = signed(A.client.key, 'POST', '/v1/signals', body);
    const digest = signRequest(A.client.key, { method: 'POST', path: '/', query: '' }, swapped)[
      'content-digest'
    ];
    expectRefusal(
      'body swap with fresh digest',
      await raw('POST', '/v1/signals', { ...h2, 'content-digest': digest }, swapped),
      401,
      'signature_invalid',
    );
  });

  it('suspended organisation → 403 organisation_suspended, at once; reinstated → allowed again', async () => {
    const S = await admit(admin, 'Te schorsen', () => server.url);
    expect((await S.client.call('GET', '/v1/whoami')).status).toBe(200);
    expect((await admin.call('POST', `/v1/admin/organisations/${S.id}/suspend`, {})).status).toBe(200);
    for (const [m, t, b] of [
      ['GET', '/v1/whoami', undefined],
      ['POST', '/v1/signals', placementBody(randomUUID(), randomPerson())],
    ] as const) {
      const a = await S.client.call(m, t, b);
      expectRefusal(
        'suspended',
        { status: a.status, code: a.json<{ code: string }>().code },
        403,
        'organisation_suspended',
      );
    }
    expect((await admin.call('POST', `/v1/admin/organisations/${S.id}/reinstate`, {})).status).toBe(200);
    expect((await S.client.call('GET', '/v1/whoami')).status).toBe(200);
  });

  it('revoked key → 401 key_revoked, at once', async () => {
    const R = await admit(admin, 'Sleutel kwijt', () => server.url);
    expect((await R.client.call('GET', '/v1/whoami')).status).toBe(200);
    expect((await admin.call('POST', `/v1/admin/keys/${R.client.key.keyId}/revoke`, {})).status).toBe(200);
    const a = await R.client.call('GET', '/v1/whoami');
    expectRefusal(
      'revoked key',
      { status: a.status, code: a.json<{ code: string }>().code },
      401,
      'key_revoked',
    );
  });

  it('organisation key on every admin route → 403 forbidden', async () => {
    const doc = (await (await fetch(`${server.url}/v1/openapi.json`)).json()) as DocumentLike;
    let n = 0;
    for (const [template, ops] of Object.entries(fullPaths(doc))) {
      if (!template.startsWith('/v1/admin/')) continue;
      for (const method of Object.keys(ops)) {
        const target = template.replace(/\{[^}]+\}/g, A.id);
        const m = method.toUpperCase();
        const a = await A.client.call(m, target, m === 'GET' ? undefined : {});
        expectRefusal(
          'organisation key on admin route',
          { status: a.status, code: a.json<{ code: string }>().code },
          403,
          'forbidden',
        );
        n++;
      }
    }
    expect(n).toBeGreaterThan(10);
  });
});

describe("attacks on another organisation's data: 404, existence not revealed", () => {
  const ghost = '00000000-0000-4000-8000-000000000000';
  const cases: [string, string, (id: string) => string, unknown][] = [
    ['read signal', 'GET', (id) => `/v1/signals/${id}`, undefined],
    ['withdraw signal', 'POST', (id) => `/v1/signals/${id}/withdraw`, { reason: 'error' }],
    ['rectify contact', 'PUT', (id) => `/v1/signals/${id}/contact`, { contact: contact('Indringer') }],
    [
      'update informed',
      'PUT',
      (id) => `/v1/signals/${id}/informed`,
      { informed: { status: 'both', date: '2026-01-01' } },
    ],
  ];
  for (const [name, method, target, body] of cases) {
    it(`B cannot ${name} of A → 404 not_found, the same answer as for a signal that does not exist`, async () => {
      const foreign = await B.client.call(method, target(signalA), body);
      const missing = await B.client.call(method, target(ghost), body);
      expectRefusal(
        `cross-organisation: ${name}`,
        { status: foreign.status, code: foreign.json<{ code: string }>().code },
        404,
        'not_found',
      );
      expect(missing.status).toBe(404);
      expect(foreign.json<{ code: string }>().code).toBe(missing.json<{ code: string }>().code);
    });
  }

  it("B cannot transfer A's signal → 404 not_found, and A's signal is unchanged", async () => {
    const a = await B.client.call('POST', '/v1/signals/transfer', {
      signalIds: [signalA],
      contact: contact('Indringer'),
    });
    expectRefusal(
      'cross-organisation: transfer',
      { status: a.status, code: a.json<{ code: string }>().code },
      404,
      'not_found',
    );
    const mine = await A.client.call('GET', `/v1/signals/${signalA}`);
    expect(mine.json<{ contact: { name: string } }>().contact.name).toBe('J. de Vries');
  });

  for (const [name, method, suffix, body] of [
    ['read', 'GET', '', undefined],
    ['record contact on', 'POST', '/contact-made', {}],
    ['take regie of', 'POST', '/regie', { action: 'propose', for: 'me' }],
  ] as const) {
    it(`B cannot ${name} the A–C match → 404 not_found`, async () => {
      const a = await B.client.call(method, `/v1/matches/${matchAC}${suffix}`, body);
      expectRefusal(
        `cross-organisation: match ${name}`,
        { status: a.status, code: a.json<{ code: string }>().code },
        404,
        'not_found',
      );
    });
  }
});

describe('enumeration: placing and withdrawing for many pseudonyms', () => {
  it('is stopped by the budget (429 budget_exceeded + Retry-After) and visible in /metrics and the logbook', async () => {
    const budget = 25;
    // The budget is per UTC day on the server's wall clock: a day that turned during the run
    // would let a 26th through. Its ≈ 50 requests take seconds; 15 s of room fits in the 30 s case.
    await waitOverBoundary(Date.now, DAY_MS, 15_000);
    const E = await admit(admin, 'Vissers', () => server.url, { placementBudgetPerDay: budget });
    let placed = 0;
    let stopped: { status: number; code: string; retryAfter: string | null } | undefined;
    for (let i = 0; i < budget * 4 && stopped === undefined; i++) {
      const a = await E.client.call('POST', '/v1/signals', placementBody(randomUUID(), randomPerson()));
      if (a.status === 201) {
        placed++;
        const id = a.json<{ signal: { id: string } }>().signal.id;
        // Withdrawing in error does not give the budget back.
        expect((await E.client.call('POST', `/v1/signals/${id}/withdraw`, { reason: 'error' })).status).toBe(
          204,
        );
      } else {
        stopped = {
          status: a.status,
          code: a.json<{ code: string }>().code,
          retryAfter: a.headers.get('retry-after'),
        };
      }
    }
    expect(placed).toBe(budget);
    expect(stopped).toMatchObject({ status: 429, code: 'budget_exceeded' });
    expect(Number(stopped!.retryAfter)).toBeGreaterThan(0);
    refused['enumeration (budget)'] = '429 budget_exceeded';

    const metrics = await metricsText(server);
    expect(
      metric(metrics, 'sluis_placement_rate_alerts_total', `organisation="${E.id}"`),
    ).toBeGreaterThanOrEqual(1);
    const log = await admin.all<{ action: string; refs: Record<string, string> }>(
      '/v1/admin/logbook?fromSeq=1&limit=500',
      'fromSeq',
    );
    const alerts = log.filter(
      (e) => e.action === 'alert.placement_rate' && Object.values(e.refs).includes(E.id),
    );
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    summary('enumeration', {
      budget,
      placedBeforeStop: placed,
      retryAfterSeconds: Number(stopped!.retryAfter),
      alerts: alerts.length,
    });
  });
});

describe('SQL injection strings in every string field', () => {
  const injections = [
    "'; DROP TABLE signals; --",
    "' OR '1'='1",
    '"; DELETE FROM matches WHERE 1=1; --',
    "Robert'); DROP TABLE organisations;--",
    '1; UPDATE logbook SET hash=0',
    "\\'; ATTACH DATABASE '/tmp/x.db' AS x; --",
  ];

  it('are refused or stored verbatim; nothing else changes and the database stays intact', async () => {
    const stats = async () =>
      (await admin.call('GET', '/v1/admin/statistics')).json<{ signals: { active: number } }>();
    const before = await stats();
    let accepted = 0;
    let refusedCount = 0;
    for (const inj of injections) {
      const base = placementBody(randomUUID(), randomPerson()) as Record<string, unknown>;
      const variants: Record<string, unknown>[] = [
        { ...base, requestId: inj },
        { ...base, subject: [{ epoch: 1, value: inj }] },
        { ...base, informed: { status: inj } },
        { ...base, informed: { status: 'citizen', date: inj } },
        { ...base, endDate: inj },
      ];
      for (const field of ['name', 'role', 'phone', 'email'] as const) {
        variants.push({
          ...base,
          requestId: randomUUID(),
          subject: randomPerson(),
          contact: { ...contact('J. Jansen'), [field]: inj },
        });
      }
      for (const v of variants) {
        const a = await A.client.call('POST', '/v1/signals', v);
        expect(a.status, a.text).toBeLessThan(500);
        if (a.status === 201) {
          accepted++;
          const s = a.json<{ signal: { id: string } }>().signal;
          const back = await A.client.call('GET', `/v1/signals/${s.id}`);
          expect(back.json<{ contact: Record<string, string> }>().contact).toEqual(
            (v as { contact: unknown }).contact,
          );
        } else {
          expect(a.status).toBe(400);
          expect(a.text).not.toContain(inj); // a refusal never echoes
          refusedCount++;
        }
      }
      // Query strings and path ids (RFC 3986 encoded, so the URL layer sends what was signed).
      const e = (x: string) =>
        encodeURIComponent(x).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
      for (const t of [
        `/v1/signals?status=${e(inj)}`,
        `/v1/signals?cursor=${e(inj)}`,
        `/v1/matches?cursor=${e(inj)}`,
        `/v1/signals/${e(inj)}`,
      ]) {
        const a = await A.client.call('GET', t);
        expect([400, 404]).toContain(a.status);
        refusedCount++;
      }
      // Admin string fields.
      const org = await admin.call('POST', '/v1/admin/organisations', {
        name: inj,
        type: inj,
        publicKeys: [base64url.encode(caseSigningKey().publicKey)],
      });
      expect(org.status).toBe(400);
      const webhook = await admin.call('PATCH', `/v1/admin/organisations/${B.id}`, {
        webhookUrl: `https://x.example/${inj}`,
      });
      expect(webhook.status).toBeLessThan(500);
      refusedCount += 2;
    }
    const after = await stats();
    expect(after.signals.active).toBe(before.signals.active + accepted);
    const verify = (await admin.call('GET', '/v1/admin/logbook/verify')).json<{ ok: boolean }>();
    expect(verify.ok).toBe(true);
    // Every table still answers: A's earlier signal is listed, the A–C match is readable.
    expect((await A.client.call('GET', `/v1/signals/${signalA}`)).status).toBe(200);
    expect((await A.client.call('GET', `/v1/matches/${matchAC}`)).status).toBe(200);
    expect((await admin.call('GET', '/v1/admin/organisations')).status).toBe(200);
    refused['SQL injection'] = `400 validation_failed ×${refusedCount}, stored verbatim ×${accepted}`;
  });
});
