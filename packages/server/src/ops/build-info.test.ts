// The program and schema versions an operator reads before and after an upgrade
// (docs/operations.md "Upgrade"): `sluis-server version`, the `server_started` log line and
// the `sluis_build_info` gauge of /metrics all carry them. On a Node.js line sluis does not
// support, the start says so (`node_unsupported`, docs/operations.md "Logs") and runs on.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSupportedNode, SUPPORTED_NODE_LINES } from '@sluis/client-sdk/node';
import { PG_SCHEMA_VERSION, SCHEMA_VERSION } from '@sluis/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { main, VERSION } from '../cli/main.js';
import { captureCliIo } from '../testing/cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'sluis-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('build info', () => {
  it('sluis-server version prints the program version, then the schema versions it expects', async () => {
    const c = captureCliIo(dir);
    expect(await main(['version'], {}, c.io)).toBe(0);
    expect(c.out()).toBe(`${VERSION}\nschema: sqlite ${SCHEMA_VERSION}, postgresql ${PG_SCHEMA_VERSION}\n`);
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
    expect(started[0]).toMatchObject({ version: VERSION, schema: String(SCHEMA_VERSION) });
    expect(metrics).toContain(`sluis_build_info{version="${VERSION}",schema="${SCHEMA_VERSION}"} 1\n`);
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
