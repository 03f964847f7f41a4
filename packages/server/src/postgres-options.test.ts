// The PostgreSQL connection options the server derives from its configuration
// (docs/operations.md "PostgreSQL"): the password from the file (its final newline dropped),
// else SLUIS_DATABASE_PASSWORD, else PGPASSWORD — never from the URL — and TLS off only on
// loopback under `auto`, verified everywhere else unless configured otherwise.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from './cli/config.js';
import { systemClock } from './clock.js';
import { postgresOptions } from './ops/postgres-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-pg-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

const options = (flags: Record<string, string>) =>
  postgresOptions(loadConfig({ flags, env: {}, cwd: dir }), systemClock);

describe('postgresOptions', () => {
  it('takes the password from the file, else SLUIS_DATABASE_PASSWORD, else PGPASSWORD', () => {
    const file = join(dir, 'db-password');
    writeFileSync(file, 'from-file\n', { mode: 0o600 });
    vi.stubEnv('SLUIS_DATABASE_PASSWORD', 'from-env');
    vi.stubEnv('PGPASSWORD', 'from-pg');
    const url = 'postgres://sluis@db.example.nl:5432/sluis';
    expect(options({ 'database-url': url, 'database-password-file': file }).password).toBe('from-file');
    expect(options({ 'database-url': url }).password).toBe('from-env');
    vi.stubEnv('SLUIS_DATABASE_PASSWORD', undefined);
    expect(options({ 'database-url': url }).password).toBe('from-pg');
    vi.stubEnv('PGPASSWORD', undefined);
    expect(options({ 'database-url': url })).not.toHaveProperty('password');
    // The URL carries no password: the options' URL is the configured one, unchanged.
    expect(options({ 'database-url': url }).url).toBe(url);
  });

  it('TLS: auto is off on loopback and verify-full elsewhere; an explicit mode wins', () => {
    expect(options({ 'database-url': 'postgres://sluis@127.0.0.1:5432/sluis' }).tls).toBe(false);
    expect(options({ 'database-url': 'postgres://sluis@localhost/sluis' }).tls).toBe(false);
    expect(options({ 'database-url': 'postgres://sluis@db.example.nl/sluis' }).tls).toBe('verify-full');
    expect(
      options({ 'database-url': 'postgres://sluis@db.example.nl/sluis', 'database-tls': 'off' }).tls,
    ).toBe(false);
    expect(
      options({ 'database-url': 'postgres://sluis@127.0.0.1/sluis', 'database-tls': 'require' }).tls,
    ).toBe('require');
  });

  it('TLS auto with several hosts: off only when every host is loopback', () => {
    const both = 'postgres://sluis@127.0.0.1:5432,localhost:5433/sluis?target_session_attrs=read-write';
    expect(options({ 'database-url': both }).tls).toBe(false);
    const mixed = 'postgres://sluis@127.0.0.1:5432,db2.example.nl:5432/sluis';
    expect(options({ 'database-url': mixed }).tls).toBe('verify-full');
  });

  it('names the instance in application_name: sluis/<host>/<pid>', () => {
    const name = options({ 'database-url': 'postgres://sluis@127.0.0.1/sluis' }).applicationName;
    expect(name).toMatch(new RegExp(`^sluis/[A-Za-z0-9._-]{1,40}/${process.pid}$`));
  });
});
