// docs/operations.md "Logs" names every event the match server logs: each `log(level, 'event'`
// in packages/server/src (tests excluded) must appear there in backquotes, so an operator's
// alerting can be written from the docs alone.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(f) && !/\.test(-util)?\.ts$/.test(f) ? [p] : [];
  });
}

describe('docs/operations.md "Logs"', () => {
  it('lists every event packages/server logs', () => {
    const events = new Set<string>();
    for (const f of sources(join(root, 'packages/server/src'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\blog\(\s*[^,()]{1,60},\s*'([a-z_]+)'/g)) {
        events.add(m[1]!);
      }
    }
    expect(events.size).toBeGreaterThan(20);
    const doc = readFileSync(join(root, 'docs/operations.md'), 'utf8');
    const start = doc.indexOf('\n## Logs');
    const logs = doc.slice(start, doc.indexOf('\n## ', start + 5));
    expect([...events].filter((e) => !logs.includes(`\`${e}\``)).sort()).toEqual([]);
  });
});
