// The client SDK and its CSV import against the real server: the real Hono app, engine
// and SQLite file, reached through the SDK's injected fetch. Covers the SluiS flow
// through the typed client, typed server refusals, handover requests, covenant key rotation (migration and a
// cross-epoch match) and an interrupted and resumed import of 10,000 rows without a
// single duplicate.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type PseudonymKey,
  bytesToHex,
  type SluisClient,
  SluisError,
  base64url,
  createClient,
  type FetchLike,
} from '@sluis/client-sdk';
import { EXIT, IMPORT_COLUMNS, csvLine, main, runCsvJob } from '@sluis/client-sdk/node';
import { type Engine, ServerSecrets, createEngine, openSqliteStore } from '@sluis/engine';
import { AdminClient, Metrics, createApp, createLogger } from '@sluis/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casePseudonymKey, caseSigningKey } from './support/case-keys.js';

const BASE = 'http://127.0.0.1:8080';
let dir: string;
let engine: Engine;
let serverSecrets: ServerSecrets | undefined;
let appFetch: FetchLike;
let admin: AdminClient;
const pseudonymKeyBytes = randomBytes(32);
const key1 = casePseudonymKey(pseudonymKeyBytes, 1);
const key2 = casePseudonymKey(randomBytes(32), 2);

function validBsn(n: number): string {
  for (let base = 10_000_000 + n * 10; ; base++) {
    const d = String(base).padStart(8, '0');
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (9 - i) * Number(d[i]);
    if (sum % 11 < 10) return `${d}${sum % 11}`;
  }
}

async function organisation(name: string, keys: PseudonymKey[], fetch = appFetch): Promise<SluisClient> {
  const signingKey = caseSigningKey();
  await admin.request('POST', '/v1/admin/organisations', {
    body: {
      name,
      type: 'youth_care',
      publicKeys: [base64url.encode(signingKey.publicKey)],
      placementBudgetPerDay: 50_000,
    },
  });
  return createClient({
    serverUrl: BASE,
    signingKey,
    pseudonymKeys: keys,
    fetch,
    retries: 2,
    sleep: async () => {},
  });
}

const adminKey = caseSigningKey();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-sdk-it-'));
  const store = openSqliteStore({ path: join(dir, 'sluis.db'), clock: Date.now });
  serverSecrets = new ServerSecrets(new Map([[1, randomBytes(32)]]));
  engine = await createEngine({ store, serverSecrets });
  await engine.addKey({ kind: 'system' }, null, base64url.encode(adminKey.publicKey));
  const app = createApp({
    engine,
    logger: createLogger({ write: () => {} }, 'error', Date.now),
    clock: Date.now,
    metrics: new Metrics({ placementAlertPerHour: 1_000_000 }),
    config: {
      corsOrigins: [],
      rateLimit: { perSecond: 0, burst: 1 },
      metricsToken: randomBytes(24).toString('base64url'),
    },
  });
  appFetch = async (url, init) => app.request(url, init);
  admin = new AdminClient({ baseUrl: BASE, key: adminKey, fetch: appFetch as typeof fetch });
});

afterAll(async () => {
  await engine?.close();
  serverSecrets?.destroy();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const contact = (name: string) => ({
  name,
  role: 'jeugdconsulent',
  email: `${name.toLowerCase()}@example.nl`,
});

describe('SDK against the real server', () => {
  it('a person placing for a signal they do not hold gets no signal, and reading it throws', async () => {
    const org = await organisation('Jeugdzorg Delta', [key1]);
    const organisationId = (await org.whoami()).organisation.id;
    const signingKey = caseSigningKey();
    await engine.addKey({ kind: 'system' }, organisationId, base64url.encode(signingKey.publicKey));
    const bsn = validBsn(7);
    const alone = await org.placeSignal({
      bsn,
      contact: contact('Systeem'),
      informed: { status: 'not_yet' },
    });
    const system = { kind: 'system' } as const;
    const personId = (
      await engine.addPerson(system, { organisationId, displayName: 'Prof', roles: ['professional'] })
    ).id;
    const onBehalf = createClient({
      serverUrl: BASE,
      signingKey,
      pseudonymKeys: [key1],
      fetch: appFetch,
      onBehalfOf: personId,
    });
    const r = await onBehalf.placeSignal({ bsn, contact: contact('Prof'), informed: { status: 'not_yet' } });
    expect(r).toEqual({ outcome: 'existing', heldByYou: false, requestId: r.requestId });
    expect(JSON.stringify(r)).not.toContain(alone.signal.id);
    expect(() => r.signal).toThrow(expect.objectContaining({ code: 'signal_not_held' }));
  });

  it('handover requests: a professional asks, the coordinator lists and declines, the asker reads the decline', async () => {
    const org = await organisation('Jeugdzorg Epsilon', [key1]);
    const organisationId = (await org.whoami()).organisation.id;
    const signingKey = caseSigningKey();
    await engine.addKey({ kind: 'system' }, organisationId, base64url.encode(signingKey.publicKey));
    const system = { kind: 'system' } as const;
    const professional = async (displayName: string) => {
      const personId = (
        await engine.addPerson(system, { organisationId, displayName, roles: ['professional'] })
      ).id;
      let calls = 0;
      const client = createClient({
        serverUrl: BASE,
        signingKey,
        pseudonymKeys: [key1],
        fetch: async (url, init) => {
          calls++;
          return appFetch(url, init);
        },
        onBehalfOf: personId,
      });
      return { personId, client, calls: () => calls };
    };
    const holder = await professional('Hanna Houder');
    const asker = await professional('Vera Vrager');
    const bsn = validBsn(11);
    const held = await holder.client.placeSignal({
      bsn,
      contact: contact('Hanna'),
      informed: { status: 'not_yet' },
    });
    const refused = await asker.client.placeSignal({
      bsn,
      contact: contact('Vera'),
      informed: { status: 'not_yet' },
    });
    expect(refused.heldByYou).toBe(false);

    expect(await org.listHandoverRequests()).toEqual([]);
    await expect(asker.client.requestHandover(refused.requestId)).resolves.toBeUndefined();
    // Asked again, or for a request id nothing was refused under: the same answer.
    await expect(asker.client.requestHandover(refused.requestId)).resolves.toBeUndefined();
    await expect(asker.client.requestHandover(crypto.randomUUID())).resolves.toBeUndefined();
    const open = await org.listHandoverRequests();
    expect(open).toEqual([
      {
        id: expect.any(String),
        requestedBy: asker.personId,
        requestedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        heldBy: holder.personId,
        signal: expect.objectContaining({ id: held.signal.id, status: 'active' }),
      },
    ]);
    expect(await asker.client.declinedHandoverRequests()).toEqual([]);

    await expect(org.declineHandoverRequest(open[0]!.id)).resolves.toBeUndefined();
    expect(await org.listHandoverRequests()).toEqual([]);
    const declined = await asker.client.declinedHandoverRequests();
    expect(declined).toEqual([{ requestedAt: open[0]!.requestedAt, declinedAt: expect.any(String) }]);
    expect(await holder.client.declinedHandoverRequests()).toEqual([]);
    expect(await org.declinedHandoverRequests()).toEqual([]);

    // Typed refusals: a declined (gone) request is not_found; a professional may not list or
    // decline; a bad id never leaves the process and is not echoed.
    const refusal = (status: number, problemCode: string) => ({
      code: 'server_error',
      details: { status, problemCode },
    });
    await expect(org.declineHandoverRequest(open[0]!.id)).rejects.toMatchObject(refusal(404, 'not_found'));
    await expect(asker.client.listHandoverRequests()).rejects.toMatchObject(
      refusal(403, 'role_not_permitted'),
    );
    await expect(asker.client.declineHandoverRequest(open[0]!.id)).rejects.toMatchObject(
      refusal(403, 'role_not_permitted'),
    );
    const before = asker.calls();
    for (const [call, field] of [
      [() => asker.client.requestHandover(bsn), 'requestId'],
      [() => asker.client.declineHandoverRequest(`${bsn}/x`), 'handoverRequestId'],
    ] as const) {
      const e = await call().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SluisError);
      expect(e).toMatchObject({ code: 'input_invalid', details: { fields: [field] } });
      expect(`${(e as Error).message} ${JSON.stringify(e)}`).not.toContain(bsn);
    }
    expect(asker.calls()).toBe(before);
  });

  it('place, match, follow up, withdraw — through the typed client', async () => {
    const a = await organisation('Jeugdzorg Rijnmond', [key1]);
    const b = await organisation('Wijkteam Noord', [key1]);
    expect((await a.whoami()).organisation.name).toBe('Jeugdzorg Rijnmond');
    const bsn = validBsn(1);
    const placed = await a.placeSignal({
      bsn,
      contact: contact('Vries'),
      informed: { status: 'citizen', date: '2026-01-01' },
      dateOfBirth: '2014-06-15',
    });
    expect(placed.outcome).toBe('created');
    expect(placed.signal.expiresAt <= '2037-06-15').toBe(true);
    expect(
      (await a.placeSignal({ bsn, contact: contact('Vries'), informed: { status: 'not_yet' } })).outcome,
    ).toBe('existing');
    const again = await a.placeSignal({
      bsn,
      contact: contact('Vries'),
      informed: { status: 'citizen', date: '2026-01-01' },
      dateOfBirth: '2014-06-15',
      requestId: placed.requestId,
    });
    expect(again.outcome).toBe('replayed');

    const events = [];
    for await (const e of a.inbox()) events.push(e);
    expect(events).toEqual([]);
    await b.placeSignal({ bsn, contact: contact('Jansen'), informed: { status: 'not_yet' } });
    for await (const e of a.inbox()) events.push(e);
    expect(events).toHaveLength(1);
    const match = events[0]!.match!;
    expect(match.counterpart).toMatchObject({
      organisationName: 'Wijkteam Noord',
      contact: contact('Jansen'),
    });
    expect((await a.contactMade(match.id)).followUp.contactMadeByMe).not.toBeNull();
    expect((await a.getMatch(match.id)).id).toBe(match.id);

    const signals = [];
    for await (const s of a.iterateSignals({ status: 'active', limit: 1 })) signals.push(s);
    expect(signals.map((s) => s.id)).toEqual([placed.signal.id]);
    expect((await a.withdraw(placed.signal.id, 'ended'))?.status).toBe('inactive');
    const refused = await a.withdraw(placed.signal.id, 'ended').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SluisError);
    expect((refused as SluisError).details.problemCode).toMatch(/signal_inactive|not_found/);
    const stranger = await b.getSignal(placed.signal.id).catch((e: unknown) => e);
    expect((stranger as SluisError).details).toMatchObject({ status: 404, problemCode: 'not_found' });
    expect((stranger as SluisError).details.correlationId).toBeTypeOf('string');
  });

  it('key rotation: an organisation migrates its signal to epoch 2, which then matches an epoch-2-only signal', async () => {
    await admin.request('POST', '/v1/admin/epochs', { body: { epoch: 2 } });
    const bsn = validBsn(2);
    const school = await organisation('School', [key1]);
    const placed = await school.placeSignal({
      bsn,
      contact: contact('Old'),
      informed: { status: 'not_yet' },
    });
    expect(placed.signal.epochs).toEqual([1]);

    // Someone else cannot migrate it: not found, existence not revealed.
    const other = await organisation('Huisartsenpraktijk', [key1, key2]);
    expect((await other.migrateSignals([{ signalId: placed.signal.id, bsn }]))[0]).toMatchObject({
      ok: false,
      code: 'not_found',
    });

    // The school's own client during the overlap: both keys, same signing key.
    const rotated = school.withPseudonymKeys([key1, key2]);
    const migrated = await rotated.migrateSignals([{ signalId: placed.signal.id, bsn }]);
    expect(migrated[0]).toMatchObject({ ok: true });
    expect((await rotated.getSignal(placed.signal.id)).epochs).toEqual([1, 2]);

    const onlyNew = await organisation('Wijkteam Zuid', [key2]);
    await onlyNew.placeSignal({ bsn, contact: contact('New'), informed: { status: 'not_yet' } });
    const seen = [];
    for await (const e of rotated.inbox()) seen.push(e.match?.counterpart.organisationName);
    expect(seen).toContain('Wijkteam Zuid');
  });

  it('minimal: true — each placed or migrated item with its signal’s id only; the full answer on a replay without it', async () => {
    const exchanges: { prefer: string | null; applied: string | null }[] = [];
    const recording: FetchLike = async (url, init) => {
      const res = await appFetch(url, init);
      exchanges.push({
        prefer: new Headers(init.headers).get('prefer'),
        applied: res.headers.get('preference-applied'),
      });
      return res;
    };
    const a = await organisation('Minimaal', [key1, key2], recording);
    const items = [validBsn(301), '123456789', validBsn(302)].map((bsn, i) => ({
      bsn,
      requestId: `00000000-0000-4000-8000-00000000030${i}`,
      contact: contact('Minimaal'),
      informed: { status: 'not_yet' as const },
    }));
    const minimal = await a.placeSignals(items, { minimal: true });
    expect(exchanges.at(-1)).toEqual({ prefer: 'return=minimal', applied: 'return=minimal' });
    expect(minimal.map((r) => (r.ok ? Object.keys(r.signal) : r.code))).toEqual([
      ['id'],
      'bsn_checksum',
      ['id'],
    ]);
    expect(minimal[0]).toMatchObject({
      index: 0,
      ok: true,
      outcome: 'created',
      requestId: items[0]!.requestId,
    });
    // A replay without the option: the same signals, each with its full view.
    const full = await a.placeSignals(items);
    expect(exchanges.at(-1)).toEqual({ prefer: null, applied: null });
    expect(full.map((r) => (r.ok ? [r.outcome, r.signal.id, r.signal.status] : r.code))).toEqual(
      minimal.map((r) => (r.ok ? ['replayed', r.signal.id, 'active'] : r.code)),
    );
    const ids = minimal.flatMap((r) => (r.ok ? [r.signal.id] : []));
    const migrated = await a.migrateSignals(
      ids.map((signalId, i) => ({ signalId, bsn: validBsn(301 + i) })),
      { epochs: [2], minimal: true },
    );
    expect(exchanges.at(-1)).toEqual({ prefer: 'return=minimal', applied: 'return=minimal' });
    // Placed under both epochs already: nothing to add (`existing`), still in the minimal form.
    expect(migrated).toEqual(
      ids.map((id, index) => ({ index, ok: true, outcome: 'existing', signal: { id } })),
    );
  });

  it('imports 10,000 rows, interrupted by a lost answer and a network outage, resumed without duplicates', async () => {
    const rows = 10_000;
    const path = join(dir, 'caseload.csv');
    // The BSN columns (people without a BSN: packages/client-sdk/src/node/csv-job.test.ts).
    let text = csvLine(IMPORT_COLUMNS.slice(0, 11));
    for (let i = 0; i < rows; i++) {
      const bsn = i % 1000 === 17 ? '123456789' : validBsn(10_000 + i);
      text += csvLine([
        bsn,
        `Prof ${i}`,
        'jeugdconsulent',
        '',
        `p${i}@example.nl`,
        'citizen',
        '2026-01-02',
        '',
        '',
        '',
        '',
      ]);
    }
    writeFileSync(path, text);
    const bad = 10;

    // Batch 7 reaches the server, which places it, but the answer is lost; then the network is down.
    let batch = 0;
    let down = false;
    const flaky: FetchLike = async (url, init) => {
      if (down) throw new TypeError('network down');
      const res = await appFetch(url, init);
      if (url.endsWith('/v1/signals/batch') && ++batch === 7) {
        down = true;
        throw new TypeError('connection reset');
      }
      return res;
    };
    const signingKey = caseSigningKey();
    await admin.request('POST', '/v1/admin/organisations', {
      body: {
        name: 'Bulk',
        type: 'youth_care',
        publicKeys: [base64url.encode(signingKey.publicKey)],
        placementBudgetPerDay: 50_000,
      },
    });
    const make = (fetch: FetchLike) =>
      createClient({
        serverUrl: BASE,
        signingKey,
        pseudonymKeys: [key1],
        fetch,
        retries: 1,
        sleep: async () => {},
      });

    const first = await runCsvJob({ kind: 'import', client: make(flaky), csvPath: path, batchSize: 500 });
    expect(first.error?.code).toBe('network_error');
    expect(first.outcomes.pending).toBe(rows - 3000);

    // The import asks for the minimal answers (docs/sdk.md "CSV import") and the server applies it.
    const asked: (string | null)[] = [];
    const applied: (string | null)[] = [];
    const recording: FetchLike = async (url, init) => {
      const res = await appFetch(url, init);
      if (url.endsWith('/v1/signals/batch')) {
        asked.push(new Headers(init.headers).get('prefer'));
        applied.push(res.headers.get('preference-applied'));
      }
      return res;
    };
    const client = make(recording);
    const second = await runCsvJob({ kind: 'import', client, csvPath: path, batchSize: 500 });
    // 7,000 pending rows and the first run's 3 invalid ones (tried again): 15 batches.
    expect(asked).toHaveLength(15);
    expect(new Set([...asked, ...applied])).toEqual(new Set(['return=minimal']));
    expect(second.error).toBeUndefined();
    expect(second.outcomes.pending).toBe(0);
    expect(second.outcomes.invalid).toBe(bad);
    expect(second.outcomes.created + second.outcomes.replayed).toBe(rows - bad);
    expect(second.outcomes.replayed).toBe(499); // batch 7 (one bad row in it)
    expect(second.outcomes.existing).toBe(0);

    const ids = new Set<string>();
    let count = 0;
    for await (const s of client.iterateSignals({ status: 'active', limit: 500 })) {
      ids.add(s.id);
      count++;
    }
    expect(count).toBe(rows - bad);
    expect(ids.size).toBe(rows - bad);
  }, 120_000);

  it('the sluis CLI end to end: keygen, admission, signal (BSN on stdin), matches, import', async () => {
    const cli = async (argv: string[], env: Record<string, string>, input?: string) => {
      let stdout = '';
      let stderr = '';
      const code = await main(argv, env, {
        stdout: {
          write: (t) => {
            stdout += t;
          },
        },
        stderr: {
          write: (t) => {
            stderr += t;
          },
        },
        readLine: async () => input,
        fetch: appFetch,
        sleep: async () => {},
      });
      return { code, stdout, stderr };
    };
    const keyFile = join(dir, 'cli-signing.pem');
    const gen = await cli(['keygen', '--out', keyFile, '--json'], {});
    expect(gen.code).toBe(EXIT.ok);
    const { publicKey, keyId } = JSON.parse(gen.stdout);
    await admin.request('POST', '/v1/admin/organisations', {
      body: { name: 'CLI Zorg', type: 'youth_care', publicKeys: [publicKey] },
    });
    const pseudonymKeyFile = join(dir, 'cli-pseudonym.key');
    writeFileSync(pseudonymKeyFile, bytesToHex(pseudonymKeyBytes), { mode: 0o600 });
    const env = {
      SLUIS_SERVER_URL: BASE,
      SLUIS_SIGNING_KEY_FILE: keyFile,
      SLUIS_PSEUDONYM_KEY_FILE: pseudonymKeyFile,
      SLUIS_PSEUDONYM_KEY_EPOCH: '1',
    };
    const who = await cli(['whoami', '--json'], env);
    expect(JSON.parse(who.stdout).key.keyId).toBe(keyId);

    const bsn = validBsn(5);
    const other = await organisation('Andere Zorg', [key1]);
    await other.placeSignal({ bsn, contact: contact('Other'), informed: { status: 'not_yet' } });
    const sig = await cli(
      ['signal', '--name', 'Cli', '--role', 'r', '--email', 'cli@example.nl', '--informed', 'not_yet'],
      env,
      bsn,
    );
    expect(sig.code).toBe(EXIT.ok);
    expect(sig.stdout + sig.stderr).not.toContain(bsn);
    const m = await cli(['matches'], env);
    expect(m.stdout).toContain('Andere Zorg');

    const csv = join(dir, 'cli.csv');
    writeFileSync(
      csv,
      `bsn,name,role,email,informed_status\n${validBsn(6)},A,r,a@example.nl,not_yet\n999999999,B,r,b@example.nl,not_yet\n`,
    );
    const imp = await cli(['import', csv], env);
    expect(imp.code).toBe(EXIT.partial);
    expect(readFileSync(`${csv}.results.csv`, 'utf8')).toMatch(
      /\r\n2,[0-9a-f-]{36},created,,\r\n3,,invalid,bsn_checksum,bsn\r\n$/,
    );
    const refused = await cli(['withdraw', '00000000-0000-4000-8000-000000000000', '--reason', 'ended'], env);
    expect(refused.code).toBe(EXIT.refused);
    expect(refused.stderr).toContain('not_found');
  });
});
