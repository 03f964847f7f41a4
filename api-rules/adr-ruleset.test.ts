// The NL API Design Rules ruleset (adr.spectral.yaml) against the document the real server
// serves: that document passes, and each rule fires on a copy broken in the one way the rule
// is about — so no rule in the ruleset is a rule that cannot fail (a wrong JSONPath would
// match nothing and pass everything). One Spectral run lints all the copies.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig, type RunningServer, startServer } from '@sluis/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: the document is plain JSON edited by path.
type Doc = any;

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'sluis-adr-rules-'));
let server: RunningServer;
let served: Doc;

beforeAll(async () => {
  const config = loadConfig({
    flags: {
      'data-dir': join(dir, 'data'),
      port: '0',
      'retention-interval': '0',
      'api-contact-name': 'Gemeente Voorbeeld',
      'api-contact-url': 'https://sluis.gemeente.example.nl/contact',
      'api-contact-email': 'sluis@gemeente.example.nl',
    },
    env: {},
    cwd: dir,
  });
  server = await startServer({ config, logger: createLogger({ write: () => true }, 'error') });
  served = await (await fetch(`${server.url}/v1/openapi.json`)).json();
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Each rule with a change that breaks exactly what it checks. */
const BREAKS: Record<string, (d: Doc) => void> = {
  'oas3-schema': (d) => delete d.info.title,
  'operation-operationId-unique': (d) => {
    d.paths['/signals'].get.operationId = d.paths['/signals'].post.operationId;
  },
  'path-params': (d) => {
    d.paths['/signals/{id}'] = d.paths['/signals/{signalId}'];
    delete d.paths['/signals/{signalId}'];
  },
  'openapi-tags-uniqueness': (d) => d.tags.push({ ...d.tags[0] }),
  'oas3-valid-schema-example': (d) => {
    d.components.schemas.Problem.properties.title.example = 42;
  },
  'oas3-valid-media-example': (d) => {
    d.paths['/healthz'].get.responses['200'].content['application/json'].example = { status: 42 };
  },
  'oas3-server-variables': (d) => {
    d.servers[0].url = '/v{major}';
  },
  'oas3-api-servers': (d) => delete d.servers,
  'adr-doc-openapi-version': (d) => {
    d.openapi = '3.1';
  },
  'adr-doc-openapi-contact': (d) => delete d.info.contact.email,
  'adr-info-license': (d) => delete d.info.license,
  'adr-semver': (d) => {
    d.info.version = '1.0';
  },
  'adr-uri-version': (d) => {
    d.servers[0].url = '/api';
  },
  'adr-uri-version-servers-present': (d) => delete d.servers,
  'adr-version-header': (d) => delete d.paths['/signals'].post.responses['201'].headers['API-Version'],
  'adr-no-trailing-slash': (d) => {
    d.paths['/whoami/'] = d.paths['/whoami'];
    delete d.paths['/whoami'];
  },
  'adr-path-kebab-case': (d) => {
    d.paths['/whoAmI'] = d.paths['/whoami'];
    delete d.paths['/whoami'];
  },
  'adr-query-keys-camel-case': (d) =>
    d.paths['/signals'].get.parameters.push({ name: 'page_size', in: 'query', schema: { type: 'string' } }),
  'adr-http-methods': (d) => {
    d.paths['/whoami'].trace = d.paths['/whoami'].get;
  },
  'adr-problem-media-type': (d) => {
    const r = d.paths['/signals'].post.responses['400'];
    r.content = { 'application/json': r.content['application/problem+json'] };
  },
  'adr-problem-members': (d) => {
    d.components.schemas.Problem.required = d.components.schemas.Problem.required.filter(
      (k: string) => k !== 'detail',
    );
  },
  'adr-invalid-input': (d) => delete d.paths['/signals'].post.responses['400'],
  'sluis-client-error-documented': (d) => {
    for (const status of Object.keys(d.paths['/healthz'].get.responses)) {
      if (status.startsWith('4')) delete d.paths['/healthz'].get.responses[status];
    }
  },
  'adr-date-format': (d) => {
    d.components.schemas.Problem.properties.reviewDate = { type: 'string', format: 'date-time' };
  },
  'operation-description': (d) => delete d.paths['/whoami'].get.description,
  'operation-tags': (d) => delete d.paths['/whoami'].get.tags,
  'operation-tag-defined': (d) => {
    d.paths['/whoami'].get.tags = ['undeclared'];
  },
  'tag-description': (d) => delete d.tags[0].description,
  'operation-summary': (d) => delete d.paths['/whoami'].get.summary,
};

interface Finding {
  readonly code: string;
  readonly source: string;
  readonly severity: number;
}

describe('NL API Design Rules ruleset (api-rules/adr.spectral.yaml)', () => {
  it('passes the served document and fires each rule on a copy that breaks it', () => {
    const files = new Map<string, string>();
    const write = (name: string, doc: Doc) => {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(doc));
      files.set(file, name);
    };
    write('served', served);
    for (const [rule, breakIt] of Object.entries(BREAKS)) {
      const copy = structuredClone(served);
      breakIt(copy);
      write(rule, copy);
    }
    let out: string;
    try {
      out = execFileSync(
        join(root, 'node_modules', '.bin', 'spectral'),
        [
          'lint',
          '--ruleset',
          join(root, 'api-rules', 'adr.spectral.yaml'),
          '--format',
          'json',
          '--quiet',
          ...files.keys(),
        ],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
    } catch (e) {
      out = (e as { stdout: string }).stdout;
    }
    const findings = JSON.parse(out) as Finding[];
    const byFile = new Map<string, Set<string>>();
    for (const f of findings) {
      const name = files.get(f.source) ?? f.source;
      byFile.set(name, new Set([...(byFile.get(name) ?? []), f.code]));
    }
    expect([...(byFile.get('served') ?? [])]).toEqual([]);
    const silent = Object.keys(BREAKS).filter((rule) => !byFile.get(rule)?.has(rule));
    expect(silent).toEqual([]);
  }, 300_000);
});
