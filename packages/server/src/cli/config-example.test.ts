// The example config file of docs/operations.md "An example config file", loaded as the server
// loads a config file (config.ts), so the document cannot drift from the server: it must load
// without a refusal, name the data directory (the commands run with --config alone read it),
// and name every option of the table except the ones the document lists, each with its reason.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_SECTIONS } from './config-sections.js';
import { loadConfig, sourceOf } from './config.js';
import { SERVER_OPTIONS } from './server-options.js';

const DOC = readFileSync(new URL('../../../../docs/operations.md', import.meta.url), 'utf8');
const HEADING = '### An example config file';

/** The options the example leaves out on purpose; the document names each, with why. */
const LEFT_OUT = [
  'database',
  'newDatabase',
  'restoreMode',
  'portalDir',
  'metricsToken',
  'agreementActionKinds',
  'agreementInformationCategories',
  'agreementPurposes',
  'testClock',
  'allowLoopbackHttpWebhooks',
];

/** The section's text up to the next heading, and its first JSON block. */
function exampleSection(): { text: string; json: string } {
  const start = DOC.indexOf(`\n${HEADING}\n`);
  expect(start, `docs/operations.md has "${HEADING}"`).toBeGreaterThan(0);
  const rest = DOC.slice(start + HEADING.length + 2);
  const text = rest.slice(0, rest.search(/\n#{2,3} /));
  const m = /```json\n([\s\S]*?)\n```/.exec(text);
  expect(m, 'a ```json block in the section').not.toBeNull();
  return { text, json: m![1]! };
}

/** The option keys a file key stands for (a section such as `webauthn` for its inner keys). */
function optionKeys(file: Record<string, unknown>): string[] {
  return Object.entries(file).flatMap(([k, v]) => {
    const section = CONFIG_SECTIONS[k];
    return section === undefined ? [k] : Object.keys(v as object).map((inner) => section[inner]!);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'sluis-config-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the example config file (docs/operations.md "An example config file")', () => {
  it('loads with the server’s own loader and names the data directory', () => {
    const { json } = exampleSection();
    const file = join(dir, 'config.json');
    writeFileSync(file, json);
    const warnings: string[] = [];
    // As the commands run with --config alone load it: no flag, no variable.
    const config = loadConfig({ flags: { config: file }, env: {}, cwd: '/', warn: (l) => warnings.push(l) });
    expect(warnings).toEqual([]);
    expect(config.dataDir).toBe('/var/lib/sluis');
    expect(sourceOf(config, 'dataDir')).toBe(`config file ${file}`);
    expect(config.databaseUrl).toMatch(/^postgres:\/\/sluis@/);
    expect(config.webauthnOrigins).toEqual(['https://sluis.gemeente.example.nl']);
  });

  it('names every option of the table except the ones the document leaves out, with their reason', () => {
    const { text, json } = exampleSection();
    const named = optionKeys(JSON.parse(json) as Record<string, unknown>);
    const all = SERVER_OPTIONS.map((o) => o.key);
    for (const key of LEFT_OUT) expect(all, key).toContain(key);
    expect(named.filter((k) => LEFT_OUT.includes(k))).toEqual([]);
    expect([...named].sort()).toEqual(all.filter((k) => !LEFT_OUT.includes(k)).sort());
    const after = text.slice(text.indexOf('```', text.indexOf('```json') + 7));
    for (const key of LEFT_OUT)
      expect(after, `the document says why ${key} is left out`).toContain(`\`${key}\``);
  });
});
