// Security-relevant configuration: test-only switches need NODE_ENV=test exactly
// (docs/operations.md "Test clock"), the archive term is capped at 5 years (docs/privacy.md
// §4), and a configured /metrics token (docs/operations.md "Monitor") is validated without its
// value ever reaching an error message (without one the server uses keys/metrics.token:
// server.test.ts).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServerError } from '../errors.js';
import { loadConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-config-sec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (flags: Record<string, string | boolean>, env: Record<string, string> = {}) =>
  loadConfig({ flags, env, cwd: dir });

describe('test-only switches', () => {
  it('are refused unless NODE_ENV is exactly "test", from the flag and the environment', () => {
    for (const nodeEnv of [undefined, '', 'production', 'staging', 'TEST', 'test ', 'development']) {
      const env: Record<string, string> = nodeEnv === undefined ? {} : { NODE_ENV: nodeEnv };
      expect(() => load({ 'test-clock': true }, env), String(nodeEnv)).toThrowError(ServerError);
      expect(() => load({}, { ...env, SLUIS_TEST_CLOCK: '1' })).toThrowError(/test clock is refused/);
      expect(() => load({ 'allow-loopback-http-webhooks': true }, env)).toThrowError(ServerError);
    }
    expect(load({ 'test-clock': true }, { NODE_ENV: 'test' }).testClock).toBe(true);
    expect(load({}, {}).testClock).toBe(false);
  });
});

describe('archive term', () => {
  it('is capped at 1827 days', () => {
    expect(load({ 'archive-term-days': '1827' }).archiveTermDays).toBe(1827);
    expect(() => load({ 'archive-term-days': '1828' })).toThrowError(/archiveTermDays .* at most 1827/);
    expect(() => load({}, { SLUIS_ARCHIVE_TERM_DAYS: '36500' })).toThrowError(ServerError);
  });
});

describe('metrics token', () => {
  it('is optional in the configuration, 16-256 printable characters, and never echoed', () => {
    expect(load({}).metricsToken).toBeUndefined();
    expect(load({}).metricsRefreshSeconds).toBe(60);
    const token = 'a-long-enough-metrics-token';
    expect(load({}, { SLUIS_METRICS_TOKEN: token }).metricsToken).toBe(token);
    for (const bad of ['short', 'with space in the token value', 'x'.repeat(257)]) {
      const e = (() => {
        try {
          load({ 'metrics-token': bad });
        } catch (x) {
          return x as Error;
        }
        return undefined;
      })();
      expect(e).toBeInstanceOf(ServerError);
      expect(e?.message).toContain('metricsToken');
      expect(e?.message).not.toContain(bad);
    }
    expect(load({ 'metrics-refresh': '5' }).metricsRefreshSeconds).toBe(5);
    expect(() => load({ 'metrics-refresh': '0' })).toThrowError(ServerError);
  });
});

describe('/metrics off loopback', () => {
  it('needs no token option on any address: /metrics always requires one (configured, or keys/metrics.token)', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost', '0.0.0.0', '192.0.2.10', '::']) {
      expect(load({ host }).host).toBe(host);
    }
  });
});

describe('failed-authentication limit and trusted proxies', () => {
  it('defaults to a proxy on this host; entries must be addresses or CIDR ranges', () => {
    const c = load({});
    expect(c.trustedProxies).toEqual(['127.0.0.0/8', '::1']);
    expect([c.authFailuresPerMinute, c.authFailureBurst]).toEqual([60, 20]);
    expect(load({}, { SLUIS_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '192.0.2.1',
    ]);
    expect(() => load({}, { SLUIS_TRUSTED_PROXIES: 'proxy.example.nl' })).toThrowError(
      /trustedProxies .* is malformed/,
    );
    expect(() => load({ 'auth-failure-burst': '0' })).toThrowError(/authFailureBurst/);
  });
});
