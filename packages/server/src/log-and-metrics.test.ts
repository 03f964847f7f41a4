// The log of a full scenario holds no pseudonym, BSN, contact detail or body: only
// route templates, codes and ids (docs/leakage.md §3.3, §3.4). /metrics is valid
// Prometheus text with template labels and the anomaly alert per organisation.

import type { Engine } from '@sluis/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../test/support/clock-boundary.js';
import { BSN_A, BSN_B, type Harness, keepClearOfBoundary, makeHarness } from './testing/harness.js';

let h: Harness;

/** The real engine, with its statistics call failing as `fail` says (every other call unchanged). */
function withStatistics(engine: Engine, fail: () => Promise<never>): Engine {
  return new Proxy(engine, {
    get(target, p) {
      if (p === 'statistics') return fail;
      const v = Reflect.get(target, p, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(async () => h.close());

describe('request log', () => {
  it('a full scenario logs one JSON line per request and no identifying value', async () => {
    const A = await h.admit('Jeugdzorg Rijnmond');
    const B = await h.admit('Wijkteam Noord');
    const pa = h.placement(BSN_A, 'Johanna de Vries');
    const pb = h.placement(BSN_A, 'Anton Jansen');
    const placed = (await (await h.call(A.key, 'POST', '/v1/signals', { body: pa })).json()) as {
      signal: { id: string };
    };
    await h.call(B.key, 'POST', '/v1/signals', { body: pb });
    await h.call(A.key, 'GET', '/v1/matches');
    await h.call(A.key, 'GET', `/v1/signals/${placed.signal.id}`);
    await h.call(A.key, 'POST', '/v1/signals', { body: { ...pa, reason: 'zorgen over thuissituatie' } });
    await h.call(h.admin, 'POST', '/v1/admin/gdpr/access', { body: { subject: [h.pseudonym(BSN_A)] } });
    await h.call(h.admin, 'POST', '/v1/admin/gdpr/erase', { body: { subject: [h.pseudonym(BSN_B)] } });
    await h.call(undefined, 'GET', '/v1/whoami');

    const log = h.logs.join('');
    const forbidden = [
      BSN_A,
      BSN_B,
      h.pseudonym(BSN_A).value,
      h.pseudonym(BSN_B).value,
      'Johanna',
      'Anton Jansen',
      'example.nl',
      '123 4567',
      'zorgen over thuissituatie',
      'reason',
      placed.signal.id,
    ];
    for (const value of forbidden) expect(log, value).not.toContain(value);
    const lines = h.logs.filter((l) => l.includes('"event":"request"')).map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThanOrEqual(9);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(
        expect.arrayContaining(['time', 'level', 'route', 'method', 'status', 'durationMs', 'correlationId']),
      );
    }
    expect(lines.map((l) => l.route)).toContain('/v1/signals/{signalId}');
    expect(lines.find((l) => l.route === '/v1/signals/{signalId}').organisationId).toBe(A.id);
    expect(lines.find((l) => l.route === '/v1/admin/gdpr/access').adminKeyId).toBe(h.admin.keyId);
    expect(lines.find((l) => l.status === 400).code).toBe('validation_failed');
    // --log-level debug adds why a request was refused and which key signed: paths and ids only
    // (the forbidden values above include the unknown field's name and value).
    const debug = h.logs.map((l) => JSON.parse(l)).filter((l) => l.level === 'debug');
    expect(debug.find((l) => l.event === 'request_refused' && l.code === 'validation_failed').fields).toBe(
      'body',
    );
    expect(debug.filter((l) => l.event === 'request_authenticated').map((l) => l.keyId)).toContain(
      A.key.keyId,
    );
  });

  it('an unexpected error is a 500 internal with a correlation id; details only in the log', async () => {
    const broken = withStatistics(h.engine, async () => Promise.reject(new Error('boom 123456782')));
    const { createApp } = await import('./app.js');
    const { Metrics } = await import('./ops/metrics.js');
    const { createLogger } = await import('./ops/logger.js');
    const lines: string[] = [];
    const app = createApp({
      engine: broken,
      logger: createLogger({ write: (l: string) => lines.push(l) }),
      clock: Date.now,
      metrics: new Metrics({ placementAlertPerHour: 10 }),
      config: { corsOrigins: [], rateLimit: { perSecond: 0, burst: 1 }, metricsToken: h.metricsToken },
    });
    const { signRequest } = await import('@sluis/client-sdk');
    const headers = signRequest(
      h.admin,
      { method: 'GET', path: '/v1/admin/statistics', query: '' },
      new Uint8Array(0),
      {
        created: Math.floor(h.clock.now() / 1000),
      },
    );
    const r = await app.request('http://sluis.test/v1/admin/statistics', { headers: { ...headers } });
    expect(r.status).toBe(500);
    const b = (await r.json()) as { code: string; correlationId: string };
    expect(b.code).toBe('internal');
    expect(JSON.stringify(b)).not.toContain('boom');
    const errLine = lines.find((l) => l.includes('unexpected_error'))!;
    expect(errLine).toContain(b.correlationId);
    // It is the statistics call that failed (not, say, a broken test engine).
    expect(JSON.parse(errLine)).toMatchObject({ errorName: 'Error', route: '/v1/admin/statistics' });
    expect(errLine).not.toContain('123456782');
  });

  it('a storage fault folded into internal/unavailable for the client is logged with its own code', async () => {
    const { EngineError } = await import('@sluis/engine');
    const { createApp } = await import('./app.js');
    const { Metrics } = await import('./ops/metrics.js');
    const { createLogger } = await import('./ops/logger.js');
    const { signRequest } = await import('@sluis/client-sdk');
    for (const [code, shown, status] of [
      ['database_corrupt', 'internal', 500],
      ['disk_full', 'unavailable', 503],
    ] as const) {
      const lines: string[] = [];
      const faulty = withStatistics(h.engine, async () =>
        Promise.reject(new EngineError(code, 'a storage fault')),
      );
      const app = createApp({
        engine: faulty,
        logger: createLogger({ write: (l: string) => lines.push(l) }),
        clock: Date.now,
        metrics: new Metrics(),
        config: { corsOrigins: [], rateLimit: { perSecond: 0, burst: 1 }, metricsToken: h.metricsToken },
      });
      const headers = signRequest(
        h.admin,
        { method: 'GET', path: '/v1/admin/statistics', query: '' },
        new Uint8Array(0),
        { created: Math.floor(h.clock.now() / 1000) },
      );
      const r = await app.request('http://sluis.test/v1/admin/statistics', { headers: { ...headers } });
      expect(r.status).toBe(status);
      const b = (await r.json()) as { code: string; correlationId: string };
      expect(b.code).toBe(shown);
      expect(JSON.stringify(b)).not.toContain(code);
      const fault = lines.map((l) => JSON.parse(l)).find((l) => l.event === 'server_fault');
      expect(fault).toMatchObject({ level: 'error', code, correlationId: b.correlationId });
      expect(lines.join('')).not.toContain('a storage fault');
    }
  });
});

describe('/metrics', () => {
  it('is Prometheus text with route templates, totals and a placement-rate alert', async () => {
    // The alert counts per UTC hour (more than 3 in one): the four placements must share one.
    // A minute is room enough: the case fails at its 30 s timeout before it could use it up.
    keepClearOfBoundary(h, HOUR_MS, 60_000);
    const O = await h.admit('Drukke organisatie');
    for (const bsn of ['123456782', '111222333', '999990019', '100000009']) {
      await h.call(O.key, 'POST', '/v1/signals', { body: h.placement(bsn, 'X. Y') });
    }
    // The gauges are refreshed in the background once the cache is a minute old; the
    // refresh counts in pieces with event-loop turns between them, so scrape until it landed.
    h.clock.advance(60_000);
    await h.scrape();
    let r = await h.scrape();
    let text = await r.text();
    for (let turn = 0; turn < 200 && !/sluis_signals\{status="active"\} [1-9]/.test(text); turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      r = await h.scrape();
      text = await r.text();
    }
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const sample = /^[a-z_][a-z0-9_]*(\{([a-z]+="([^"\\]|\\.)*",?)*\})? -?[0-9.e+-]+$/;
    for (const line of text.trim().split('\n')) {
      if (line.startsWith('#')) expect(line).toMatch(/^# (HELP|TYPE) [a-z_][a-z0-9_]* .+$/);
      else expect(line, line).toMatch(sample);
    }
    expect(text).toContain('sluis_http_requests_total{route="/v1/signals",method="POST",status="201"}');
    expect(text).toContain('sluis_http_request_duration_seconds_bucket{route="/v1/signals",le="+Inf"}');
    expect(text).toMatch(/sluis_signals\{status="active"\} [1-9]/);
    expect(text).toContain(`sluis_placements_total{organisation="${O.id}"} 4`);
    expect(text).toContain(`sluis_placement_rate_alerts_total{organisation="${O.id}"} 1`);
    // The group commit's counters: at least the four placements, in at most as many commits.
    const commits = Number(/^sluis_store_commits_total (\d+)$/m.exec(text)?.[1]);
    const operations = Number(/^sluis_store_write_operations_total (\d+)$/m.exec(text)?.[1]);
    expect(operations).toBeGreaterThanOrEqual(4);
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThanOrEqual(operations);
    // The alert is a log event too (for a log-based SIEM), naming only the organisation id.
    const alerts = h.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.event === 'placement_rate_alert');
    expect(alerts).toEqual([
      expect.objectContaining({ level: 'warn', organisationId: O.id, alertsSinceStart: 1 }),
    ]);
    expect(Object.keys(alerts[0]!).sort()).toEqual([
      'alertsSinceStart',
      'event',
      'level',
      'organisationId',
      'time',
    ]);
    expect(text).toContain('sluis_webhook_deliveries_total{result="delivered"}');
    expect(text).not.toMatch(/route="\/v1\/signals\/[0-9a-f]{8}-/);
  });

  it('a scrape never queries the database: one background refresh per interval at most', async () => {
    const { createApp } = await import('./app.js');
    const { Metrics } = await import('./ops/metrics.js');
    const { createLogger } = await import('./ops/logger.js');
    const calls = { gauges: 0, statistics: 0 };
    // The refresh in flight: it yields to the event loop between its pieces, and a refresh
    // still running is not started again — so the test waits for it before moving the clock.
    let inFlight: Promise<unknown> = Promise.resolve();
    const engine = new Proxy(h.engine, {
      get(target, k) {
        if (k === 'gauges' || k === 'statistics') {
          return () => {
            calls[k]++;
            const p = target[k]();
            inFlight = p;
            return p;
          };
        }
        const v = Reflect.get(target, k);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    let now = h.clock.now();
    const app = createApp({
      engine,
      logger: createLogger({ write: () => {} }),
      clock: () => now,
      metrics: new Metrics(),
      config: {
        corsOrigins: [],
        rateLimit: { perSecond: 0, burst: 1 },
        metricsRefreshSeconds: 30,
        metricsToken: h.metricsToken,
      },
    });
    const scrape = async () =>
      (
        await app.request('http://sluis.test/metrics', {
          headers: { authorization: `Bearer ${h.metricsToken}` },
        })
      ).status;
    for (let i = 0; i < 50; i++) expect(await scrape()).toBe(200);
    expect(calls).toEqual({ gauges: 1, statistics: 0 });
    await inFlight;
    now += 29_000;
    for (let i = 0; i < 50; i++) await scrape();
    expect(calls.gauges).toBe(1);
    now += 1_000;
    await Promise.all(Array.from({ length: 50 }, scrape));
    expect(calls).toEqual({ gauges: 2, statistics: 0 });
  });

  it('always requires the bearer token; a refusal is its own problem, not "not signed" (constant-time compare)', async () => {
    const { createApp, bearerCheck } = await import('./app.js');
    const { Metrics } = await import('./ops/metrics.js');
    const { createLogger } = await import('./ops/logger.js');
    const token = 'm3trics-t0ken-for-monitoring';
    const app = createApp({
      engine: h.engine,
      logger: createLogger({ write: () => {} }),
      clock: h.clock.now,
      metrics: new Metrics(),
      config: { corsOrigins: [], rateLimit: { perSecond: 0, burst: 1 }, metricsToken: token },
    });
    const get = (authorization?: string) =>
      app.request(
        'http://sluis.test/metrics',
        authorization === undefined ? {} : { headers: { authorization } },
      );
    for (const bad of [
      undefined,
      'Bearer wrong-token-0000000000',
      `Basic ${token}`,
      `Bearer ${token}x`,
      'Bearer ',
    ]) {
      const r = await get(bad);
      expect(r.status, String(bad)).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="sluis-metrics"');
      const body = (await r.json()) as { code: string; title: string };
      expect(body.code).toBe('metrics_token_required');
      expect(body.title).not.toMatch(/signed/i);
      expect(JSON.stringify(body)).not.toContain('sluis_');
    }
    expect((await get(`Bearer ${token}`)).status).toBe(200);
    expect((await app.request('http://sluis.test/healthz')).status).toBe(200);
    // the harness's app too: no scrape without its token
    expect((await h.call(undefined, 'GET', '/metrics')).status).toBe(401);
    expect((await h.scrape()).status).toBe(200);
    const matches = bearerCheck(token);
    expect(matches(`Bearer ${token}`)).toBe(true);
    expect(matches(undefined)).toBe(false);
    expect(bearerCheck('another-token-of-16+')(`Bearer ${token}`)).toBe(false);
  });

  it('healthz and readyz answer', async () => {
    expect(await (await h.call(undefined, 'GET', '/healthz')).json()).toEqual({ status: 'ok' });
    expect((await h.call(undefined, 'GET', '/readyz')).status).toBe(200);
  });
});
