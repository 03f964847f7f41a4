// The program and schema versions, and the commit of the build, an operator reads before and
// after an upgrade (docs/operations.md "Upgrade"): `sluis-server version`, the `server_started`
// log line and the `sluis_build_info` gauge of /metrics all carry them (run from the sources
// here, the commit is "unknown": test/e2e/build-commit.test.ts checks the build's). On a Node.js line sluis does not
// support, the start says so (`node_unsupported`, docs/operations.md "Logs") and runs on.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isSupportedNode, SUPPORTED_NODE_LINES } from '@sluis/client-sdk/node';
import { SCHEMA_VERSION } from '@sluis/engine';
import { PG_SCHEMA_VERSION } from '@sluis/engine/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { main, VERSION } from '../cli/main.js';
import { BUILD_COMMIT, readBuildCommit } from './build-info.js';
import { captureCliIo } from '../testing/cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('build info', () => {
  it('sluis-server version prints the program version, then the schema versions it expects and the commit', async () => {
    const c = captureCliIo(dir);
    expect(await main(['version'], {}, c.io)).toBe(0);
    expect(c.out()).toBe(
      `${VERSION}\nschema: sqlite ${SCHEMA_VERSION}, postgresql ${PG_SCHEMA_VERSION}\ncommit: ${BUILD_COMMIT}\n`,
    );
  });

  it('the commit is read from the build’s build-commit.json; anything else is "unknown"', () => {
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return pathToFileURL(join(dir, name));
    };
    const commit = '5e099190fc1038fbe2573b90ef336cd62133f2fe';
    expect(readBuildCommit(file('ok.json', `{"commit":"${commit}"}\n`))).toBe(commit);
    expect(readBuildCommit(file('short.json', '{"commit":"5e09919"}'))).toBe('5e09919');
    expect(readBuildCommit(file('dirty.json', `{"commit":"${commit}-dirty"}`))).toBe(`${commit}-dirty`);
    expect(readBuildCommit(file('dirtier.json', `{"commit":"${commit}-dirty-x"}`))).toBe('unknown');
    expect(readBuildCommit(file('unknown.json', '{"commit":"unknown"}'))).toBe('unknown');
    expect(readBuildCommit(file('odd.json', '{"commit":"<script>"}'))).toBe('unknown');
    expect(readBuildCommit(file('torn.json', '{"comm'))).toBe('unknown');
    expect(readBuildCommit(pathToFileURL(join(dir, 'absent.json')))).toBe('unknown');
  });

  it('server_started and /metrics carry the version and the schema of the store in use', async () => {
    const c = captureCliIo(dir);
    const running = main(['start', '--data-dir', 'data', '--port', '0'], {}, c.io);
    const url = await c.waitStarted();
    const token = readFileSync(join(dir, 'data', 'keys', 'metrics.token'), 'utf8').trim();
    const metrics = await (
      await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
    ).text();
    c.stop();
    expect(await running).toBe(0);
    const started = c
      .out()
      .split('\n')
      .filter((l) => l.includes('"event":"server_started"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(started[0]).toMatchObject({
      version: VERSION,
      schema: String(SCHEMA_VERSION),
      commit: BUILD_COMMIT,
    });
    expect(metrics).toContain(
      `sluis_build_info{version="${VERSION}",schema="${SCHEMA_VERSION}",commit="${BUILD_COMMIT}"} 1\n`,
    );
  });

  it('the start logs node_unsupported once on an unsupported Node.js line, and starts all the same', async () => {
    const c = captureCliIo(dir);
    const running = main(['start', '--data-dir', 'data-node', '--port', '0'], {}, c.io);
    await c.waitStarted();
    c.stop();
    expect(await running).toBe(0);
    const lines = c
      .out()
      .split('\n')
      .filter((l) => l.includes('"event":"node_unsupported"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // CI's first run is on Node.js 20 (unsupported); the other runs on supported lines.
    if (isSupportedNode(process.version)) expect(lines).toEqual([]);
    else {
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'warn',
        version: process.version,
        supported: SUPPORTED_NODE_LINES,
      });
    }
  });
});
