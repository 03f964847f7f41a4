// docs/leakage.md §3.3 lists every series /metrics exposes, no more and no fewer: a series
// added to the registry without a row there (what it reveals) fails here.

import { readFileSync } from 'node:fs';
import type { Gauges } from '@sluis/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';

/** The backticked metric names of leakage.md §3.3's table (labels and suffixes dropped). */
function documented(): Set<string> {
  const doc = readFileSync(new URL('../../../../docs/leakage.md', import.meta.url), 'utf8');
  const start = doc.indexOf('### 3.3 Metrics');
  const section = doc.slice(start, doc.indexOf('\n### ', start + 1));
  const table = section.split('\n').filter((l) => l.startsWith('| `'));
  const series = /`((?:sluis|process|nodejs)_[a-z0-9_]+)(\{[^`]*\})?`/g;
  const names = table.flatMap((l) => [...l.split(' | ')[0]!.matchAll(series)].map((m) => m[1]!));
  return new Set(names);
}

describe('/metrics as documented', () => {
  let metrics: Metrics | undefined;
  afterEach(() => metrics?.stop());

  it('every series of the registry has a row in leakage.md §3.3, and every row a series', () => {
    // With the build info, as the server starts it (server.ts): `sluis_build_info` is rendered too.
    metrics = new Metrics({ build: { version: '0.0.0-test', schema: '25', commit: 'unknown' } });
    metrics.observeRequest('/v1/signals', 'POST', 201, 0.01);
    const text = metrics.render(
      {
        gauges: {
          signals: { active: 1, inactive: 0 },
          matches: { active: 0, ended: 0, family: 0 },
          organisations: { active: 1, suspended: 0 },
        } as Gauges,
        refreshedAt: 0,
      },
      { placementsTotal: { o: 1 }, placementRateAlertsTotal: { o: 1 }, commits: 1, writeOperations: 1 },
    );
    const rendered = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    expect(rendered.size).toBeGreaterThan(10);
    expect([...documented()].sort()).toEqual([...rendered].sort());
  });
});
