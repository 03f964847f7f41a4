// The test harness's close (harness.ts): a close of the engine that rejects still zeroes every
// key the harness made and removes its folder, then rejects with that error.

import { existsSync } from 'node:fs';
import { expect, it, vi } from 'vitest';
import { makeHarness } from './harness.js';

it('a close that rejects still zeroes the keys and removes the folder', async () => {
  const h = await makeHarness();
  const closeEngine = h.engine.close.bind(h.engine);
  const failing = vi
    .spyOn(h.engine, 'close')
    .mockRejectedValueOnce(Object.assign(new Error('cannot close'), { code: 'EIO' }));
  try {
    await expect(h.close()).rejects.toThrow('cannot close');
    expect(h.admin.exportSeed().every((b) => b === 0)).toBe(true);
    expect(h.credentialIssuer.exportSeed().every((b) => b === 0)).toBe(true);
    expect(existsSync(h.dir)).toBe(false);
  } finally {
    failing.mockRestore();
    await closeEngine();
  }
});

it('close zeroes what signInAs handed out: the session key and the passkey', async () => {
  const h = await makeHarness();
  let session: Awaited<ReturnType<typeof h.signInAs>>;
  try {
    const A = await h.admit('Jeugdzorg Rijnmond');
    const p = await h.engine.addPerson(
      { kind: 'system' },
      { organisationId: A.id, displayName: 'Prof Sluiting', roles: ['professional'] },
    );
    session = await h.signInAs(p.id);
    expect(session.key.exportSeed().some((b) => b !== 0)).toBe(true);
  } finally {
    await h.close();
  }
  expect(session.key.exportSeed().every((b) => b === 0)).toBe(true);
  expect(() => session.authenticator.get({ challenge: 'AAAA' })).toThrow(
    'SoftAuthenticator used after destroy()',
  );
});
