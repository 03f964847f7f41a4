// The slow-client bounds of the HTTP server (docs/reliability.md §5): defaults, configurability, and
// the checking interval that makes Node enforce the headers timeout on time.

import { describe, expect, it } from 'vitest';
import { loadConfig } from './cli/config.js';
import { slowClientOptions } from './server.js';

const load = (flags: Record<string, string> = {}) => loadConfig({ flags, env: {}, cwd: '/' });

describe('slow-client bounds', () => {
  it('have sane defaults: 10 s headers, 30 s request, 5 s keep-alive, 30 s idle, 1000 connections', () => {
    const config = load();
    expect(slowClientOptions(config)).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: 1_000,
    });
    expect(config.idleTimeoutSeconds).toBe(30);
    expect(config.maxConnections).toBe(1000);
  });

  it('are configurable, and Node checks them at least four times per headers timeout', () => {
    const config = load({ 'headers-timeout': '1', 'request-timeout': '0.5', 'max-connections': '5' });
    const o = slowClientOptions(config);
    expect(o.headersTimeout).toBe(1_000);
    expect(o.requestTimeout).toBe(1_000); // never below the headers timeout
    expect(o.connectionsCheckingInterval).toBe(250);
    expect(config.maxConnections).toBe(5);
  });

  it('refuse nonsense values', () => {
    expect(() => load({ 'max-connections': '0' })).toThrow(/maxConnections/);
    expect(() => load({ 'headers-timeout': '0' })).toThrow(/headersTimeoutSeconds/);
  });
});
