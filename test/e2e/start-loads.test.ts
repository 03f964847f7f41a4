// A server loads the PostgreSQL client (postgres.js) and the engine's PostgreSQL store, the
// mailer (nodemailer), OpenTelemetry and the WebAuthn library (@simplewebauthn/server with
// @peculiar/*) only when its configuration uses them, at start-up, and never the engine's
// SQLite-to-PostgreSQL transfer (`@sluis/engine/transfer`, migrate-store's alone), also not on
// PostgreSQL, nor its store conformance suite (docs/performance.md "Case 4 on a crowded
// machine"; docs/operations.md "Start, and the first start"): the built server is
// started with a module hook (test/support/loaded-modules.mjs) that records every module it
// resolves from its start to its stop — on SQLite without mail, tracing or sign-in, and with
// each configured — and is stopped with SIGTERM as soon as it listens, which it answers in
// order (exit 0; test/e2e/stop-during-start.test.ts). PostgreSQL on a throwaway cluster
// (test/support/postgres.ts); skipped without its binaries.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, psql } from '../support/postgres.js';
import { startServer, tempDir } from '../support/server-process.js';

const HOOK = join(import.meta.dirname, '..', 'support', 'loaded-modules.mjs');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The packages (their names) and the URLs of the modules a server resolved by its stop. */
async function packagesLoadedAtStart(
  args: readonly string[],
): Promise<{ names: Set<string>; urls: string[] }> {
  const dataDir = tempDir('sluis-loads-');
  const record = tempDir('sluis-loads-record-');
  dirs.push(dataDir, record);
  const file = join(record, 'loaded.txt');
  writeFileSync(file, '');
  const server = await startServer({
    dataDir,
    args,
    nodeArgs: ['--import', HOOK],
    env: { SLUIS_LOADED_MODULES: file },
  });
  expect(await server.stop()).toBe(0);
  const urls = readFileSync(file, 'utf8')
    .split('\n')
    .filter((u) => u !== '');
  const names = new Set<string>();
  for (const url of urls) {
    const at = url.lastIndexOf('/node_modules/');
    if (at < 0) continue;
    const [scope, name] = url.slice(at + '/node_modules/'.length).split('/');
    names.add(scope!.startsWith('@') ? `${scope}/${name}` : scope!);
  }
  return { names, urls };
}

const OPENTELEMETRY = (names: Set<string>) => [...names].filter((n) => n.startsWith('@opentelemetry/'));
const WEBAUTHN = (names: Set<string>) =>
  [...names].filter((n) => n === '@simplewebauthn/server' || n.startsWith('@peculiar/'));
/** The engine's own files of a folder (its built `dist/`): `store/postgres`, `store/transfer` … */
const ENGINE_FILES = (urls: readonly string[], folder: string) =>
  urls.filter((u) => u.includes(`/packages/engine/dist/${folder}`));

describe('what a server loads at start-up', () => {
  it('on SQLite without mail, tracing or sign-in: no postgres.js, nodemailer, OpenTelemetry, WebAuthn library, nor the PostgreSQL, transfer or conformance files of the engine', async () => {
    const { names, urls } = await packagesLoadedAtStart([]);
    // The record works: the server's own framework and the engine's SQLite store are in it.
    expect(names).toContain('hono');
    expect(ENGINE_FILES(urls, 'store/sqlite/').length).toBeGreaterThan(0);
    expect(names).not.toContain('postgres');
    expect(OPENTELEMETRY(names)).toEqual([]);
    expect(WEBAUTHN(names)).toEqual([]);
    // Of store/postgres/ only the URL check, which validates the configuration on every server.
    expect(
      ENGINE_FILES(urls, 'store/postgres/').filter((u) => !u.endsWith('/store/postgres/pg-url.js')),
    ).toEqual([]);
    for (const folder of [
      'store/transfer/',
      'store/conformance',
      'store/traits',
      'postgres.js',
      'transfer.js',
      'conformance.js',
    ])
      expect(ENGINE_FILES(urls, folder), folder).toEqual([]);
    // nodemailer's error-code table alone (one file, no imports): the logger lets its codes
    // through (ops/logger.ts, docs/leakage.md §3.4); the mailer itself is not loaded.
    expect(urls.filter((u) => u.includes('/node_modules/nodemailer/'))).toEqual(
      urls.filter((u) => u.endsWith('/node_modules/nodemailer/dist/esm/errors.js')),
    );
  });

  it('with mail and tracing configured: nodemailer and OpenTelemetry', async () => {
    const configDir = tempDir('sluis-loads-mail-');
    dirs.push(configDir);
    const config = join(configDir, 'mail.json');
    writeFileSync(
      config,
      JSON.stringify({
        host: '127.0.0.1',
        port: 9,
        tls: 'none',
        from: 'sluis <noreply@gemeente.example.nl>',
        portalUrl: 'https://sluis.gemeente.example.nl/portal/',
      }),
    );
    const { names, urls } = await packagesLoadedAtStart([
      '--mail-config',
      config,
      '--otlp-endpoint',
      'http://127.0.0.1:9/v1/traces',
    ]);
    expect(urls.some((u) => u.endsWith('/node_modules/nodemailer/dist/esm/nodemailer.js'))).toBe(true);
    expect(OPENTELEMETRY(names)).toContain('@opentelemetry/api');
    expect(names).not.toContain('postgres');
  });

  it('with sign-in configured: the WebAuthn library, loaded by its stop', async () => {
    const { names } = await packagesLoadedAtStart([
      '--webauthn-rp-id',
      'localhost',
      '--webauthn-origin',
      'http://localhost:5173',
    ]);
    expect(names).toContain('@simplewebauthn/server');
    expect(names).toContain('@peculiar/asn1-schema');
  });

  const url = inject('postgresUrl');
  it.skipIf(url === '')(
    'on PostgreSQL: postgres.js, and neither OpenTelemetry, the WebAuthn library, the transfer nor the conformance suite',
    async () => {
      const name = `sluis_loads_${process.pid}`;
      const db = createDatabase(url, name);
      try {
        const { names, urls } = await packagesLoadedAtStart(['--database-url', db]);
        expect(names).toContain('postgres');
        expect(ENGINE_FILES(urls, 'store/postgres/pg-store.js').length).toBeGreaterThan(0);
        expect(OPENTELEMETRY(names)).toEqual([]);
        expect(WEBAUTHN(names)).toEqual([]);
        // The copy from SQLite is migrate-store's entry, not the PostgreSQL store's.
        for (const file of [
          'store/transfer/sqlite-to-postgres.js',
          'store/transfer/transfer-plan.js',
          'store/transfer/transfer-verify.js',
          'transfer.js',
          'store/conformance',
          'store/traits',
          'conformance.js',
        ])
          expect(ENGINE_FILES(urls, file), file).toEqual([]);
      } finally {
        psql(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    },
  );
});
