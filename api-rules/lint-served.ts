// `pnpm lint:api`: starts the real match server on a temporary data directory and a free
// loopback port, fetches the OpenAPI document it serves at /v1/openapi.json over HTTP, and
// lints exactly that document with Spectral and the NL API Design Rules ruleset beside this
// file (docs/api.md "The Dutch API Design Rules"). Exits non-zero on any error or warning.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig, startServer } from '@sluis/server';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'sluis-lint-api-'));
const sink = { write: () => true };
let code = 1;
try {
  const config = loadConfig({
    flags: {
      'data-dir': join(dir, 'data'),
      port: '0',
      'retention-interval': '0',
      // An operator's contact, as docs/operations.md asks for (ADR /core/doc-openapi-contact).
      'api-contact-name': 'Gemeente Voorbeeld, team sluis',
      'api-contact-url': 'https://sluis.gemeente.example.nl/contact',
      'api-contact-email': 'sluis@gemeente.example.nl',
    },
    env: {},
    cwd: dir,
  });
  const server = await startServer({ config, logger: createLogger(sink, 'error') });
  try {
    const answer = await fetch(`${server.url}/v1/openapi.json`);
    if (answer.status !== 200) throw new Error(`GET /v1/openapi.json answered ${answer.status}`);
    const file = join(dir, 'openapi.json');
    writeFileSync(file, await answer.text());
    try {
      execFileSync(
        join(root, 'node_modules', '.bin', 'spectral'),
        [
          'lint',
          '--ruleset',
          join(root, 'api-rules', 'adr.spectral.yaml'),
          '--fail-severity',
          'warn',
          '--display-only-failures',
          file,
        ],
        { stdio: 'inherit' },
      );
      console.log('lint:api: the served OpenAPI document meets the NL API Design Rules ruleset');
      code = 0;
    } catch {
      console.error('lint:api: the served OpenAPI document breaks the NL API Design Rules ruleset (above)');
    }
  } finally {
    await server.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
