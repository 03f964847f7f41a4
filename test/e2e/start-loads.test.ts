// A server loads the PostgreSQL client (postgres.js), the mailer (nodemailer) and
// OpenTelemetry only when its configuration uses them, at start-up (docs/performance.md
// "Case 4 on a crowded machine"; docs/operations.md "Start, and the first start"): the built server is
// started with a module hook (test/support/loaded-modules.mjs) that records every module it
// resolves up to "listening" — on SQLite without mail or tracing, and with each configured.
// PostgreSQL on a throwaway cluster (test/support/postgres.ts); skipped without its binaries.

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

/** The packages (their names) of the modules a server resolved by the time it listened. */
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
  // Not its exit code: with the module hook a PostgreSQL server stopped right after its start
  // was seen to end by the signal (once in three runs; 0 without the hook).
  await server.stop();
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

describe('what a server loads at start-up', () => {
  it('on SQLite without mail or tracing: no postgres.js, no nodemailer, no OpenTelemetry', async () => {
    const { names, urls } = await packagesLoadedAtStart([]);
    // The record works: the server's own framework is in it.
    expect(names).toContain('hono');
    expect(names).not.toContain('postgres');
    expect(OPENTELEMETRY(names)).toEqual([]);
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

  const url = inject('postgresUrl');
  it.skipIf(url === '')('on PostgreSQL: postgres.js, and neither nodemailer nor OpenTelemetry', async () => {
    const name = `sluis_loads_${process.pid}`;
    const db = createDatabase(url, name);
    try {
      const { names } = await packagesLoadedAtStart(['--database-url', db]);
      expect(names).toContain('postgres');
      expect(OPENTELEMETRY(names)).toEqual([]);
    } finally {
      psql(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
