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
