// The SDK as an organisation installs it (docs/sdk.md "Install"): `pnpm pack` of
// @sluis/client-sdk (its dist/ as the global setup built it), the tarball installed with npm
// into a scratch project outside the workspace (its @noble dependencies from the npm
// registry), and that project's own script placing a signal against a real server process
// through the installed package only.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World } from '../support/e2e-world.js';
import { ROOT } from '../support/server-process.js';

const world = new World();
const scratch = mkdtempSync(join(tmpdir(), 'sluis-sdk-install-'));
let org: Org;

beforeAll(async () => {
  await world.start();
  org = await world.organisation('Jeugdzorg Pakket');
}, 120_000);
afterAll(async () => {
  await world.server?.stop();
  await world.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('@sluis/client-sdk as a package', () => {
  it('packs with engines, types, README and licence, installs with npm and places a signal', async () => {
    // 1. pack, as docs/sdk.md says (npx pnpm: the same pnpm the README pins), of the dist/ the
    // global setup built with the same tsconfig as the `prepack` script: without running it, so
    // no file is rewritten while another test file's process loads it (README "Test workers").
    const built = join(ROOT, 'packages', 'client-sdk', 'dist', 'index.js');
    const builtAt = statSync(built).mtimeMs;
    execFileSync(
      'npx',
      [
        '-y',
        'pnpm@10.34.8',
        '--filter',
        '@sluis/client-sdk',
        'pack',
        '--config.ignore-scripts=true',
        '--pack-destination',
        scratch,
      ],
      { cwd: ROOT, stdio: 'pipe' },
    );
    expect(statSync(built).mtimeMs, 'dist/ left as built').toBe(builtAt);
    const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBe('sluis-client-sdk-0.1.0.tgz');
    const listing = execFileSync('tar', ['tzf', join(scratch, tarball!)], { encoding: 'utf8' }).split('\n');
    for (const f of [
      'package/package.json',
      'package/README.md',
      'package/LICENCE',
      'package/dist/index.js',
      'package/dist/index.d.ts',
      'package/dist/node/index.d.ts',
      'package/bin/sluis.js',
    ]) {
      expect(listing, f).toContain(f);
    }
    expect(listing.filter((f) => /\.test\.|\/testing\//.test(f))).toEqual([]);

    // 2. install into a project of its own, outside the workspace
    const project = join(scratch, 'case-system');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'case-system', private: true, type: 'module' }, null, 2),
    );
    execFileSync('npm', ['install', '--no-audit', '--no-fund', join(scratch, tarball!)], {
      cwd: project,
      stdio: 'pipe',
    });
    const installed = JSON.parse(
      readFileSync(join(project, 'node_modules', '@sluis', 'client-sdk', 'package.json'), 'utf8'),
    ) as { engines?: { node?: string }; license?: string; exports: Record<string, { types?: string }> };
    expect(installed.engines?.node).toBe('^22.12.0 || ^24.0.0 || >=26.0.0');
    expect(installed.license).toBe('EUPL-1.2');
    expect(installed.exports['.']?.types).toBe('./dist/index.d.ts');
    expect(installed.exports['./node']?.types).toBe('./dist/node/index.d.ts');
    expect(readFileSync(join(project, 'node_modules', '@sluis', 'client-sdk', 'LICENCE'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'LICENCE'), 'utf8'),
    );

    // 3. the project's own code, importing only the installed package
    const bsn = world.bsn();
    const contact = world.contact();
    writeFileSync(
      join(project, 'place.mjs'),
      `import { createClient } from '@sluis/client-sdk';
import { loadPseudonymKeyFile, loadSigningKeyFile } from '@sluis/client-sdk/node';
const [serverUrl, keyFile, pseudonymKeyFile, contactJson] = process.argv.slice(2);
// The keys are zeroed once the placement is done, whatever happened (docs/keys.md).
const keys = [];
try {
  const signingKey = await loadSigningKeyFile(keyFile);
  keys.push(signingKey);
  const pseudonymKey = await loadPseudonymKeyFile(pseudonymKeyFile, 1);
  keys.push(pseudonymKey);
  const client = createClient({ serverUrl, signingKey, pseudonymKeys: [pseudonymKey] });
  let bsn = '';
  for await (const chunk of process.stdin) bsn += chunk;
  const r = await client.placeSignal({
    bsn: bsn.trim(),
    contact: JSON.parse(contactJson),
    informed: { status: 'not_yet' },
  });
  console.log(JSON.stringify({ outcome: r.outcome, signalId: r.signal.id }));
} finally {
  for (const key of keys) key.destroy();
}
`,
    );
    const out = execFileSync(
      process.execPath,
      ['place.mjs', world.server.url, org.keyFile, world.pseudonymKeyFile, JSON.stringify(contact)],
      { cwd: project, input: `${bsn}\n`, encoding: 'utf8' },
    );
    const placed = JSON.parse(out) as { outcome: string; signalId: string };
    expect(placed.outcome).toBe('created');
    // The server has it: the organisation reads it back through the workspace SDK.
    const signal = await org.client.getSignal(placed.signalId);
    expect(signal.id).toBe(placed.signalId);
    expect(signal.contact.name).toBe(contact.name);
  }, 300_000);
});
