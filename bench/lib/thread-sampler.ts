// Starts bench/tools/thread-state-sample.ts beside a measured round (bulk-ab.ts under
// SLUIS_AB_SAMPLE=1): the server's main thread sampled every 2 ms, as shares of the samples
// (docs/performance.md "Twenty-fourth pass: bulk, the commit's fsync overlapped").

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TOOL = fileURLToPath(new URL('../tools/thread-state-sample.ts', import.meta.url));

/** Sampling once the promise resolves; `stop()` ends it and gives the shares as one printable text. */
export async function startThreadSampler(pid: number): Promise<{ stop: () => Promise<string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', TOOL, String(pid)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.stdout.on('data', (d: string) => {
      out += d;
      if (out.includes('ready\n')) resolve();
    });
  });
  return {
    stop: async () => {
      const exited = new Promise<void>((r) => child.on('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
      const c = JSON.parse(out.slice(out.indexOf('ready\n') + 6).trim()) as Record<string, number>;
      const total = Object.values(c).reduce((a, b) => a + b, 0) || 1;
      const pct = (n: number) => `${((n * 100) / total).toFixed(1)} %`;
      return `main thread sampled ${total}×: running ${pct(c.R ?? 0)}, fsync ${pct(c.fsync ?? 0)}, fdatasync ${pct(c.fdatasync ?? 0)}, futex ${pct(c.futex ?? 0)}, other calls ${pct(c.other ?? 0)}, idle ${pct(c.epoll ?? 0)}`;
    },
  };
}
