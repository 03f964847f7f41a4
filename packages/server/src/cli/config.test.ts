// Server configuration: the test-only `allowLoopbackHttpWebhooks` option (off by default,
// refused in production from every source), unknown options named, and relative paths in a
// config file resolved against the file (docs/operations.md "Configure").

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.js';
import { ServerError } from '../errors.js';
import { engineOverrides, loadConfig } from './config.js';
import { resolveDatabaseTls } from './config-validation.js';

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

describe('the database CA file (docs/operations.md "PostgreSQL")', () => {
  const url = 'postgres://sluis@db.example.nl:5432/sluis';

  it('comes from the flag, the variable or the file, a relative path in the file relative to the file', () => {
    mkdirSync(join(dir, 'etc-ca'), { recursive: true });
    const file = join(dir, 'etc-ca', 'sluis.json');
    writeFileSync(file, JSON.stringify({ databaseUrl: url, databaseCaFile: 'db-ca.pem' }));
    const elsewhere = join(dir, 'elsewhere');
    const fromFile = loadConfig({ flags: { config: file }, env: {}, cwd: elsewhere });
    expect(fromFile.databaseCaFile).toBe(join(dir, 'etc-ca', 'db-ca.pem'));
    const fromEnv = loadConfig({
      flags: { config: file },
      env: { SLUIS_DATABASE_CA_FILE: 'env-ca.pem' },
      cwd: elsewhere,
    });
    expect(fromEnv.databaseCaFile).toBe(join(elsewhere, 'env-ca.pem'));
    const fromFlag = loadConfig({
      flags: { config: file, 'database-ca-file': 'flag-ca.pem' },
      env: { SLUIS_DATABASE_CA_FILE: 'env-ca.pem' },
      cwd: elsewhere,
    });
    expect(fromFlag.databaseCaFile).toBe(join(elsewhere, 'flag-ca.pem'));
    expect(loadConfig({ flags: { 'database-url': url }, env: {}, cwd: dir })).not.toHaveProperty(
      'databaseCaFile',
    );
  });

  it('is refused where it would be ignored: with databaseTls off or require, and on SQLite', () => {
    for (const mode of ['off', 'require']) {
      expect(() =>
        loadConfig({
          flags: { 'database-url': url, 'database-tls': mode, 'database-ca-file': 'ca.pem' },
          env: {},
          cwd: dir,
        }),
      ).toThrow(
        `invalid configuration: databaseCaFile (from --database-ca-file) is given with databaseTls ${mode}, which verifies no certificate, so the CA would be ignored: use databaseTls verify-full (or auto), or leave the CA file out`,
      );
    }
    expect(() => loadConfig({ flags: {}, env: { SLUIS_DATABASE_CA_FILE: 'ca.pem' }, cwd: dir })).toThrow(
      'invalid configuration: databaseCaFile (from SLUIS_DATABASE_CA_FILE) is given, but the database is SQLite (no databaseUrl): the CA applies to PostgreSQL only and would be ignored; leave it out',
    );
    // verify-full and auto take it; the file itself is read where the store is opened.
    for (const mode of ['verify-full', 'auto'])
      expect(
        loadConfig({
          flags: { 'database-url': url, 'database-tls': mode, 'database-ca-file': 'ca.pem' },
          env: {},
          cwd: dir,
        }).databaseCaFile,
      ).toBe(join(dir, 'ca.pem'));
  });
});

describe('verify-full on a host given as an IP address (docs/operations.md "PostgreSQL")', () => {
  const refusal =
    "invalid configuration: databaseUrl (from --database-url) names a host by its IP address, which verify-full cannot check (the client would check the certificate against the name localhost instead): give the host name the server's certificate names";

  it('is refused, whether verify-full is asked for, auto makes it, or a CA file does', () => {
    const load = (flags: Record<string, string>) => () => loadConfig({ flags, env: {}, cwd: dir });
    expect(load({ 'database-url': 'postgres://sluis@10.0.0.5/sluis' })).toThrow(refusal);
    expect(
      load({ 'database-url': 'postgres://sluis@127.0.0.1/sluis', 'database-tls': 'verify-full' }),
    ).toThrow(refusal);
    expect(
      load({ 'database-url': 'postgres://sluis@127.0.0.1/sluis', 'database-ca-file': 'ca.pem' }),
    ).toThrow(refusal);
    expect(load({ 'database-url': 'postgres://sluis@db1.example.nl,10.0.0.6/sluis' })).toThrow(refusal);
    // Numeric forms the resolver reads as addresses (127.1 is loopback to it, not to auto).
    for (const host of ['127.1', '10.5', '167772165', '0x0a000005', '012.0.0.5'])
      expect(load({ 'database-url': `postgres://sluis@${host}/sluis` })).toThrow(refusal);
  });

  it('auto checks TLS on a host name that begins with 127. (a remote host, not loopback)', () => {
    for (const host of ['127.db.example.nl', '127.0.0.1.example.net'])
      expect(resolveDatabaseTls('auto', [{ host }], false)).toBe('verify-full');
    expect(resolveDatabaseTls('auto', [{ host: '127.0.0.1' }, { host: 'localhost' }], false)).toBe(false);
    expect(resolveDatabaseTls('auto', [{ host: '127.0.0.1' }, { host: '127.db.example.nl' }], false)).toBe(
      'verify-full',
    );
  });

  it('is not refused where nothing checks the name: loopback under auto, off, require; a host name', () => {
    for (const flags of [
      { 'database-url': 'postgres://sluis@127.0.0.1/sluis' },
      { 'database-url': 'postgres://sluis@10.0.0.5/sluis', 'database-tls': 'require' },
      { 'database-url': 'postgres://sluis@10.0.0.5/sluis', 'database-tls': 'off' },
      { 'database-url': 'postgres://sluis@db.example.nl/sluis', 'database-tls': 'verify-full' },
    ])
      expect(loadConfig({ flags, env: {}, cwd: dir }).databaseUrl).toBe(flags['database-url']);
  });
});

describe('config file', () => {
  it('refuses an unknown option naming it and the file', () => {
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ port: 8080, retentionIntervalSecond: 60 }));
    expect(() => loadConfig({ flags: { config: 'typo.json' }, env: {}, cwd: dir })).toThrow(
      'invalid configuration: unknown option "retentionIntervalSecond" in config file typo.json',
    );
  });

  it('masks digits in the unknown name it echoes', () => {
    writeFileSync(join(dir, 'digits.json'), JSON.stringify({ 'bsn 999900006': 1 }));
    const load = () => loadConfig({ flags: { config: 'digits.json' }, env: {}, cwd: dir });
    expect(load).toThrow(/unknown option "bsn …"/);
    expect(load).not.toThrow(/999900006/);
  });

  it('resolves relative paths in the file against the file, flags and variables against the working directory', () => {
    mkdirSync(join(dir, 'etc'), { recursive: true });
    writeFileSync(
      join(dir, 'etc', 'sluis.json'),
      JSON.stringify({
        dataDir: '../var/sluis',
        database: 'db/x.db',
        databasePasswordFile: 'db-password',
        mailConfig: 'mail.json',
        portalDir: '../portal',
      }),
    );
    const elsewhere = join(dir, 'elsewhere');
    const c = loadConfig({ flags: { config: join(dir, 'etc', 'sluis.json') }, env: {}, cwd: elsewhere });
    expect(c.dataDir).toBe(join(dir, 'var', 'sluis'));
    expect(c.database).toBe(join(dir, 'etc', 'db', 'x.db'));
    expect(c.databasePasswordFile).toBe(join(dir, 'etc', 'db-password'));
    expect(c.mailConfig).toBe(join(dir, 'etc', 'mail.json'));
    expect(c.portalDir).toBe(join(dir, 'portal'));
    const flagged = loadConfig({
      flags: { config: join(dir, 'etc', 'sluis.json'), 'data-dir': 'd', 'database-password-file': 'pw' },
      env: {},
      cwd: elsewhere,
    });
    expect(flagged.dataDir).toBe(join(elsewhere, 'd'));
    expect(flagged.databasePasswordFile).toBe(join(elsewhere, 'pw'));
  });
});

describe('the webauthn section of the config file', () => {
  const webauthn = {
    rpId: 'sluis.gemeente.nl',
    rpName: 'Sluis Gemeente',
    origins: ['https://sluis.gemeente.nl'],
  };
  const load = (name: string, body: unknown) => {
    writeFileSync(join(dir, name), JSON.stringify(body));
    const lines: string[] = [];
    const c = loadConfig({ flags: { config: name }, env: {}, cwd: dir, warn: (l) => lines.push(l) });
    return { c, lines };
  };

  it('is read into the WebAuthn settings without a warning', () => {
    const { c, lines } = load('section.json', { webauthn });
    expect(engineOverrides(c).webauthn).toEqual(webauthn);
    expect(lines).toEqual([]);
  });

  it('the flat keys of before still work, each with a deprecation line naming its new place', () => {
    const { c, lines } = load('flat.json', {
      webauthnRpId: webauthn.rpId,
      webauthnRpName: webauthn.rpName,
      webauthnOrigins: webauthn.origins,
    });
    expect(engineOverrides(c).webauthn).toEqual(webauthn);
    expect(lines).toEqual([
      'configuration: webauthnRpId in config file flat.json is deprecated; write it as webauthn.rpId (it still works)',
      'configuration: webauthnRpName in config file flat.json is deprecated; write it as webauthn.rpName (it still works)',
      'configuration: webauthnOrigins in config file flat.json is deprecated; write it as webauthn.origins (it still works)',
    ]);
  });

  it('flags and variables still override the section', () => {
    writeFileSync(join(dir, 'over.json'), JSON.stringify({ webauthn }));
    const c = loadConfig({
      flags: { config: 'over.json', 'webauthn-rp-name': 'Ander' },
      env: { SLUIS_WEBAUTHN_ORIGINS: 'https://portaal.sluis.gemeente.nl' },
      cwd: dir,
    });
    expect(engineOverrides(c).webauthn).toEqual({
      rpId: webauthn.rpId,
      rpName: 'Ander',
      origins: ['https://portaal.sluis.gemeente.nl'],
    });
  });

  it('refuses a setting given in both forms, an unknown key, a section that is not an object and a bad value, naming the key and never the value', () => {
    for (const [body, message] of [
      [
        { webauthn, webauthnRpId: 'x.example' },
        'webauthn.rpId (from config file bad.json) is also given as the deprecated webauthnRpId',
      ],
      [{ webauthn: { ...webauthn, rpid: 'x' } }, 'unknown option "webauthn.rpid" in config file bad.json'],
      [{ webauthn: ['sluis.gemeente.nl'] }, 'webauthn (from config file bad.json) must be an object'],
      [
        { webauthn: { ...webauthn, origins: ['ftp://geheim.example'] } },
        'webauthnOrigins (from config file bad.json (webauthn.origins)) is malformed',
      ],
      [
        { webauthn: { ...webauthn, origins: ['http://geheim.gemeente.nl'] } },
        'webauthnOrigins (from config file bad.json (webauthn.origins)) must be https:// origins (http:// only for localhost)',
      ],
      [
        { webauthn: { ...webauthn, origins: ['https://geheim.example'] } },
        'webauthnOrigins (from config file bad.json (webauthn.origins)) must be on the RP id (webauthnRpId) or a host under it',
      ],
      [
        { webauthn: { ...webauthn, origins: ['https://Sluis.gemeente.nl:443'] } },
        'webauthnOrigins (from config file bad.json (webauthn.origins)) must be exact origins (lower case, no default port)',
      ],
      [
        { webauthn: { rpName: 'x', origins: webauthn.origins } },
        'webauthnRpId (from default) is required with webauthnOrigins',
      ],
      [{ webauthn: { rpId: webauthn.rpId } }, 'webauthnOrigins (from default) is required with webauthnRpId'],
    ] as const) {
      expect(() => load('bad.json', body)).toThrow(message);
      expect(() => load('bad.json', body)).not.toThrow(/geheim|x\.example/);
    }
  });
});

describe('the WebAuthn settings on the command line', () => {
  it('an origin the engine would refuse is named with its flag, before the engine sees it', () => {
    expect(() =>
      loadConfig({
        flags: { 'webauthn-rp-id': 'sluis.gemeente.nl', 'webauthn-origin': ['http://sluis.gemeente.nl'] },
        env: {},
        cwd: dir,
      }),
    ).toThrow(
      'invalid configuration: webauthnOrigins (from --webauthn-origin) must be https:// origins (http:// only for localhost)',
    );
    expect(() =>
      loadConfig({
        flags: {},
        env: { SLUIS_WEBAUTHN_RP_ID: 'localhost', SLUIS_WEBAUTHN_ORIGINS: 'http://localhost:8080' },
        cwd: dir,
      }),
    ).not.toThrow();
  });
});

describe('tracing options', () => {
  it('is off by default; the endpoint and sample ratio come from flags or the environment', () => {
    const off = loadConfig({ flags: {}, env: {}, cwd: dir });
    expect(off.otlpEndpoint).toBeUndefined();
    expect(off.tracingSampleRatio).toBe(1);
    const url = 'http://collector.example.nl:4318/v1/traces';
    const on = loadConfig({
      flags: { 'otlp-endpoint': url },
      env: { SLUIS_TRACING_SAMPLE_RATIO: '0.25' },
      cwd: dir,
    });
    expect(on.otlpEndpoint).toBe(url);
    expect(on.tracingSampleRatio).toBe(0.25);
  });

  it('refuses an endpoint with credentials or another scheme, and a ratio outside 0–1, without echoing the value', () => {
    for (const [flags, option] of [
      [{ 'otlp-endpoint': 'http://user:secretpw@collector:4318/v1/traces' }, 'otlpEndpoint'],
      [{ 'otlp-endpoint': 'ftp://collector/v1/traces' }, 'otlpEndpoint'],
      [{ 'tracing-sample-ratio': '1.5' }, 'tracingSampleRatio'],
    ] as const) {
      const load = () => loadConfig({ flags, env: {}, cwd: dir });
      expect(load).toThrow(ServerError);
      expect(load).toThrow(new RegExp(option));
      try {
        load();
      } catch (e) {
        expect(JSON.stringify(e) + String(e)).not.toContain('secretpw');
      }
    }
  });
});

// docs/portal.md "Accessibility statement": where to report a problem, set by the operator.
describe('portalAccessibilityContact', () => {
  it('is unset by default; a mailto:, tel: or https: URI comes from the flag, the environment or the file', () => {
    expect(loadConfig({ flags: {}, env: {}, cwd: dir }).portalAccessibilityContact).toBeUndefined();
    writeFileSync(
      join(dir, 'a11y.json'),
      JSON.stringify({ portalAccessibilityContact: 'https://gemeente.example.nl/toegankelijkheid' }),
    );
    for (const [inputs, value] of [
      [
        { flags: { 'portal-accessibility-contact': 'mailto:digitoegankelijk@gemeente.example.nl' }, env: {} },
        'mailto:digitoegankelijk@gemeente.example.nl',
      ],
      [
        { flags: {}, env: { SLUIS_PORTAL_ACCESSIBILITY_CONTACT: 'tel:+31-10-555-0100' } },
        'tel:+31-10-555-0100',
      ],
      [{ flags: { config: 'a11y.json' }, env: {} }, 'https://gemeente.example.nl/toegankelijkheid'],
    ] as const) {
      expect(loadConfig({ ...inputs, cwd: dir }).portalAccessibilityContact).toBe(value);
    }
  });

  it('contact addresses: the same table as the portal’s test (test/vectors), accepted and refused alike', () => {
    for (const [value] of CONTACTS.accepted)
      expect(
        loadConfig({ flags: { 'portal-accessibility-contact': value }, env: {}, cwd: dir })
          .portalAccessibilityContact,
        value,
      ).toBe(value);
    for (const value of CONTACTS.refused)
      expect(
        () => loadConfig({ flags: { 'portal-accessibility-contact': value }, env: {}, cwd: dir }),
        value,
      ).toThrow(/portalAccessibilityContact/);
  });

  it('refuses another scheme, a malformed address or number and a URL with credentials, without echoing the value', () => {
    for (const value of [
      'javascript:alert(1)',
      'http://gemeente.example.nl/toegankelijkheid',
      'https://user:secretpw@gemeente.example.nl/',
      'mailto:secretpw',
      'mailto:a@gemeente.example.nl?subject=secretpw',
      'tel:secretpw',
      'tel:+31 10 555 0100',
      'digitoegankelijk@gemeente.example.nl',
    ]) {
      const load = () => loadConfig({ flags: { 'portal-accessibility-contact': value }, env: {}, cwd: dir });
      expect(load, value).toThrow(ServerError);
      expect(load, value).toThrow(/portalAccessibilityContact/);
      try {
        load();
      } catch (e) {
        expect(JSON.stringify(e) + String(e)).not.toContain('secretpw');
        expect(String(e)).not.toContain('example.nl');
      }
    }
  });
});

// docs/engine.md "Coalesced placements": on where it pays (PostgreSQL), off on SQLite, unless set.
describe('coalescePlacements', () => {
  const url = 'postgres://sluis@db.example.nl:5432/sluis';
  it('is on for PostgreSQL and off for SQLite by default', () => {
    expect(engineOverrides(loadConfig({ flags: {}, env: {}, cwd: dir })).coalescePlacements).toBe(false);
    const pg = loadConfig({ flags: { database: url }, env: {}, cwd: dir });
    expect(engineOverrides(pg).coalescePlacements).toBe(true);
  });
  it('follows the option or the environment when set', () => {
    const on = loadConfig({ flags: { 'coalesce-placements': true }, env: {}, cwd: dir });
    expect(engineOverrides(on).coalescePlacements).toBe(true);
    const off = loadConfig({
      flags: { database: url },
      env: { SLUIS_COALESCE_PLACEMENTS: 'false' },
      cwd: dir,
    });
    expect(engineOverrides(off).coalescePlacements).toBe(false);
  });
});

// One table with the portal's test (packages/portal/src/screens/accessibility-contact.test.ts):
// what the server accepts the portal shows as a link, what it refuses the portal does not.
const CONTACTS = loadVectors<{ accepted: [string, string][]; refused: string[] }>(
  'accessibility-contacts.json',
);
