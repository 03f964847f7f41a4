// The test-only `allowLoopbackHttpWebhooks` option: off by default, passed to the engine
// only when on, and refused in production from every source (flag, environment, file).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServerError } from '../errors.js';
import { engineOverrides, loadConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('allowLoopbackHttpWebhooks', () => {
  it('is off by default and not passed to the engine', () => {
    const c = loadConfig({ flags: {}, env: {}, cwd: dir });
    expect(c.allowLoopbackHttpWebhooks).toBe(false);
    expect(engineOverrides(c)).not.toHaveProperty('allowLoopbackHttpWebhooks');
  });

  it('is turned on by the flag, the environment or the file in tests', () => {
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ allowLoopbackHttpWebhooks: true }));
    for (const inputs of [
      { flags: { 'allow-loopback-http-webhooks': true }, env: { NODE_ENV: 'test' } },
      { flags: {}, env: { NODE_ENV: 'test', SLUIS_ALLOW_LOOPBACK_HTTP_WEBHOOKS: '1' } },
      { flags: { config: 'c.json' }, env: { NODE_ENV: 'test' } },
    ]) {
      const c = loadConfig({ ...inputs, cwd: dir });
      expect(engineOverrides(c)).toMatchObject({ allowLoopbackHttpWebhooks: true });
    }
  });

  it('is refused when NODE_ENV=production, from every source', () => {
    for (const inputs of [
      { flags: { 'allow-loopback-http-webhooks': true }, env: {} },
      { flags: {}, env: { SLUIS_ALLOW_LOOPBACK_HTTP_WEBHOOKS: 'true' } },
      { flags: { config: 'c.json' }, env: {} },
    ]) {
      const load = () =>
        loadConfig({ flags: inputs.flags, env: { ...inputs.env, NODE_ENV: 'production' }, cwd: dir });
      expect(load).toThrow(ServerError);
      expect(load).toThrow(/allowLoopbackHttpWebhooks is refused/);
    }
    expect(
      loadConfig({ flags: {}, env: { NODE_ENV: 'production' }, cwd: dir }).allowLoopbackHttpWebhooks,
    ).toBe(false);
  });
});

describe('the PostgreSQL database option', () => {
  it('takes a postgres:// URL from --database or SLUIS_DATABASE_URL; SQLite stays the default', () => {
    expect(loadConfig({ flags: {}, env: {}, cwd: dir }).databaseUrl).toBeUndefined();
    const url = 'postgres://sluis@db.example.nl:5432/sluis';
    expect(loadConfig({ flags: { database: url }, env: {}, cwd: dir }).databaseUrl).toBe(url);
    expect(loadConfig({ flags: {}, env: { SLUIS_DATABASE_URL: url }, cwd: dir }).databaseUrl).toBe(url);
    expect(loadConfig({ flags: {}, env: {}, cwd: dir }).databaseTls).toBe('auto');
  });

  it('refuses a URL that holds a password, naming the option and never the value', () => {
    const secret = 'hunter2-not-here';
    for (const inputs of [
      { flags: { 'database-url': `postgres://sluis:${secret}@db.example.nl/sluis` }, env: {} },
      { flags: { database: `postgresql://sluis:${secret}@db.example.nl/sluis` }, env: {} },
      { flags: {}, env: { SLUIS_DATABASE_URL: `postgres://sluis:${secret}@db.example.nl/sluis` } },
    ]) {
      let err: unknown;
      try {
        loadConfig({ ...inputs, cwd: dir });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ServerError);
      expect((err as Error).message).toContain('databaseUrl');
      expect((err as Error).message).not.toContain(secret);
    }
  });
});
