// `pnpm demo` works as documented in the README: it runs from sources (no build needed),
// finishes well within its time budget with exit code 0, narrates the match, and never
// prints the BSN it uses (nor its 8-digit prefix).

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/server-process.js';

describe('pnpm demo', () => {
  it('runs the SluiS flow in seconds, exit 0, without printing a BSN', async () => {
    const started = Date.now();
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          ['--conditions=sluis-source', '--import', 'tsx', join('test', 'demo', 'demo.ts')],
          { cwd: ROOT, timeout: 60_000, env: { ...process.env, NODE_ENV: 'test' } },
          (error, out, err) =>
            resolve({
              code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
              stdout: out,
              stderr: err,
            }),
        );
      },
    );
    const seconds = (Date.now() - started) / 1000;
    expect(code, stderr).toBe(0);
    // The demo itself targets < 10 s; the bound is generous for a loaded CI runner.
    expect(seconds).toBeLessThan(30);
    expect(stdout).toContain('match.created with Basisschool De Horizon');
    expect(stdout).toMatch(/C asks for the A–B match by id → not_found/);
    expect((stdout.match(/match\.created/g) ?? []).length).toBe(6);
    expect(stdout).toMatch(/occurrences of the BSN or of the pseudonym sent: 0/);
    for (const form of ['123456782', '12345678', '23456782']) {
      expect(stdout + stderr).not.toContain(form);
    }
  }, 60_000);
});
