// The first start's next steps on later starts (docs/operations.md "Start, and the first
// start"): while no organisation is admitted, every start logs `no_organisation_admitted`
// and a later start prints the next steps again on stderr (without the key files, never a
// secret); once one is admitted, a start says nothing of the kind. In-process through
// main(argv, env, io), a real listening server and SQLite file.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCliIo } from '../testing/cli-io.js';
import { main } from './main.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-setup-reminder-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One start until it listens; `during` runs while it does. */
async function start(during: (url: string) => Promise<void> = async () => {}) {
  const c = captureCliIo(dir);
  const running = main(['start', '--data-dir', 'data', '--port', '0', '--portal-dir', 'off'], {}, c.io);
  const url = await c.waitStarted();
  await during(url);
  c.stop();
  expect(await running).toBe(0);
  const events = c
    .out()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { event: string }).event);
  return { err: c.err(), events };
}

describe('sluis-server start while no organisation is admitted', () => {
  it('reminds of the next steps on every later start until the first organisation is admitted', async () => {
    const first = await start();
    expect(first.err).toContain('first start');
    expect(first.err.match(/Next steps:/g)).toHaveLength(1);
    expect(first.events).toContain('no_organisation_admitted');

    let url = '';
    const second = await start(async (u) => {
      url = u;
    });
    expect(second.err).not.toContain('first start');
    expect(second.err).toContain('sluis-server: no organisation is admitted yet');
    expect(second.err).toContain('Next steps:');
    expect(second.err).toContain(`sluis-server admin admit-organisation --server ${url}`);
    expect(second.err).toContain(join(dir, 'data', 'keys', 'admin.key'));
    expect(second.events).toContain('no_organisation_admitted');
    const secret = readFileSync(join(dir, 'data', 'keys', 'server-secret-1.key'), 'utf8').trim();
    expect(second.err).not.toContain(secret);
    expect(second.err).not.toContain('PRIVATE KEY');

    const third = await start(async (u) => {
      const c = captureCliIo(dir);
      const code = await main(
        [
          'admin',
          'admit-organisation',
          '--server',
          u,
          '--data-dir',
          'data',
          '--name',
          'Jeugdzorg Rijnmond',
          '--type',
          'youth_care',
          '--public-key',
          base64url.encode(caseSigningKey().publicKey),
        ],
        {},
        c.io,
      );
      expect(code).toBe(0);
    });
    // Admitted during the third start, which had reminded: the fourth says nothing of it.
    expect(third.events).toContain('no_organisation_admitted');
    const fourth = await start();
    expect(fourth.err).not.toContain('Next steps');
    expect(fourth.err).not.toContain('no organisation');
    expect(fourth.events).not.toContain('no_organisation_admitted');
  });
});
