// The PostgreSQL connection options the server derives from its configuration
// (docs/operations.md "PostgreSQL"): the password from the file (its final newline dropped),
// else SLUIS_DATABASE_PASSWORD, else PGPASSWORD — never from the URL, never empty — and TLS
// off only on loopback under `auto`, verified everywhere else unless configured otherwise; a
// CA file (--database-ca-file) verified on every host and refused, by name and reason, when
// unusable.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from './cli/config.js';
import { exitCodeOf } from './cli/io.js';
import { systemClock } from './clock.js';
import { ServerError } from './errors.js';
import { postgresOptions } from './ops/postgres-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-pg-options-'));
/** A CA certificate (the mail tests' throwaway CA): any valid PEM certificate will do here. */
const TEST_CA = join(import.meta.dirname, 'mail', 'testdata', 'ca.pem');
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

  it('refuses an empty password, from the file or a variable, naming where it came from (exit 2): never PGPASSWORD in its place', () => {
    const url = 'postgres://sluis@db.example.nl:5432/sluis';
    const refusal = (flags: Record<string, string>) => {
      try {
        options({ 'database-url': url, ...flags });
      } catch (e) {
        expect(e).toBeInstanceOf(ServerError);
        expect(exitCodeOf(e as ServerError)).toBe(2);
        return (e as Error).message;
      }
      throw new Error('not refused');
    };
    const none =
      '(or, where the server asks for none, give no password: no --database-password-file, SLUIS_DATABASE_PASSWORD or PGPASSWORD)';
    vi.stubEnv('PGPASSWORD', 'from-pg');
    for (const content of ['', '\n', '\r\n']) {
      const file = join(dir, 'empty-password');
      writeFileSync(file, content, { mode: 0o600 });
      expect(refusal({ 'database-password-file': file }), JSON.stringify(content)).toBe(
        `invalid configuration: databasePasswordFile (from --database-password-file) ${file} is empty: write the PostgreSQL password into it ${none}`,
      );
      rmSync(file);
    }
    vi.stubEnv('SLUIS_DATABASE_PASSWORD', '');
    expect(refusal({})).toBe(
      `invalid configuration: SLUIS_DATABASE_PASSWORD (from the environment) is set but empty: set the PostgreSQL password ${none}`,
    );
    vi.stubEnv('SLUIS_DATABASE_PASSWORD', undefined);
    vi.stubEnv('PGPASSWORD', '');
    expect(refusal({})).toBe(
      `invalid configuration: PGPASSWORD (from the environment) is set but empty: set the PostgreSQL password ${none}`,
    );
    // A password of blanks is a password (it is sent as written).
    vi.stubEnv('SLUIS_DATABASE_PASSWORD', ' ');
    expect(options({ 'database-url': url }).password).toBe(' ');
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
    const mixed = 'postgres://sluis@localhost:5432,db2.example.nl:5432/sluis';
    expect(options({ 'database-url': mixed }).tls).toBe('verify-full');
  });

  it('with a CA file: verify-full against it on every host, auto too (a CA asks for verification)', () => {
    const caFile = join(dir, 'db-ca.pem');
    writeFileSync(caFile, readFileSync(TEST_CA, 'utf8'));
    for (const [url, mode] of [
      ['postgres://sluis@db.example.nl/sluis', 'verify-full'],
      ['postgres://sluis@db.example.nl/sluis', 'auto'],
      ['postgres://sluis@localhost/sluis', 'auto'],
      ['postgres://sluis@localhost/sluis', 'verify-full'],
    ] as const) {
      const o = options({ 'database-url': url, 'database-tls': mode, 'database-ca-file': caFile });
      expect(o.tls).toBe('verify-full');
      expect(o.ca).toBe(readFileSync(TEST_CA, 'utf8'));
    }
    expect(options({ 'database-url': 'postgres://sluis@db.example.nl/sluis' })).not.toHaveProperty('ca');
  });

  it('refuses a CA file that cannot be used, naming the file and why, never its content (exit 2)', () => {
    const url = 'postgres://sluis@db.example.nl/sluis';
    const pem = readFileSync(TEST_CA, 'utf8');
    const files = {
      missing: join(dir, 'no-such-ca.pem'),
      folder: dir,
      text: join(dir, 'not-pem.txt'),
      key: join(dir, 'with-key.pem'),
      broken: join(dir, 'broken.pem'),
    };
    writeFileSync(files.text, 'secret-looking text, no certificate\n');
    writeFileSync(
      files.key,
      `${pem}-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWxvb2tpbmc=\n-----END PRIVATE KEY-----\n`,
    );
    writeFileSync(
      files.broken,
      '-----BEGIN CERTIFICATE-----\nc2VjcmV0LWxvb2tpbmc=\n-----END CERTIFICATE-----\n',
    );
    const refusal = (file: string) => {
      try {
        options({ 'database-url': url, 'database-ca-file': file });
      } catch (e) {
        expect(e).toBeInstanceOf(ServerError);
        expect(exitCodeOf(e as ServerError)).toBe(2);
        return (e as Error).message;
      }
      throw new Error('not refused');
    };
    const head = (file: string) => `invalid configuration: databaseCaFile (from --database-ca-file) ${file}`;
    expect(refusal(files.missing)).toBe(
      `${head(files.missing)} cannot be read: give a readable PEM file of the CA certificate(s) that signed the PostgreSQL server's certificate`,
    );
    expect(refusal(files.folder)).toMatch(/ cannot be read: /);
    expect(refusal(files.text)).toBe(
      `${head(files.text)} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA certificate(s) that signed the PostgreSQL server's certificate`,
    );
    expect(refusal(files.key)).toBe(
      `${head(files.key)} holds a private key: give the CA's certificate only (and keep the key off this host)`,
    );
    expect(refusal(files.broken)).toBe(
      `${head(files.broken)} holds a certificate block that is not a valid X.509 certificate`,
    );
    for (const file of Object.values(files)) expect(refusal(file)).not.toMatch(/secret-looking|c2VjcmV0|MII/);
  });

  it('names the instance in application_name: sluis/<host>/<pid>', () => {
    const name = options({ 'database-url': 'postgres://sluis@127.0.0.1/sluis' }).applicationName;
    expect(name).toMatch(new RegExp(`^sluis/[A-Za-z0-9._-]{1,40}/${process.pid}$`));
  });
});
