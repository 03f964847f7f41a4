// docs/sdk.md's CLI configuration table against what the CLI parses: the same flags as the
// help's "Configuration" block (each one a parseArgs option), the same environment variables,
// and the same config-file keys as the reader accepts. A flag added to one and not the other
// fails here (docs/sdk.md "CLI reference (`sluis`)").

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_KEYS } from './cli-config.js';
import { OPTIONS, USAGE } from './cli-options.js';

const SDK_MD = readFileSync(new URL('../../../../docs/sdk.md', import.meta.url), 'utf8');

/** The rows of the table under "**Configuration**" as [flag, environment, config file] cells. */
function configTable(): string[][] {
  const start = SDK_MD.indexOf('**Configuration**');
  expect(start).toBeGreaterThan(0);
  const lines = SDK_MD.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const l of lines.slice(first + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** The help's "Configuration (…):" block, up to the blank line. */
function usageConfigBlock(): string {
  const start = USAGE.indexOf('Configuration (');
  expect(start).toBeGreaterThan(0);
  return USAGE.slice(start, USAGE.indexOf('\n\n', start));
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
const flagsIn = (text: string) => sorted([...text.matchAll(/`?(--[a-z][a-z-]*)/g)].map((m) => m[1]!));
// "SLUIS_X (and _2)" and "SLUIS_X_2" both name the rotation's second variable: compare the bases.
const envIn = (text: string) => sorted([...text.matchAll(/SLUIS_[A-Z_]*[A-Z]/g)].map((m) => m[0]));

describe('docs/sdk.md CLI configuration table', () => {
  const rows = configTable();

  it('lists the same flags as --help, each one parsed by the CLI', () => {
    const table = flagsIn(rows.map((r) => r[0]!).join(' '));
    // --json is output, not configuration: sdk.md documents it above the table.
    const help = flagsIn(usageConfigBlock()).filter((f) => f !== '--json');
    expect(table).toEqual(help);
    for (const f of table) expect(Object.keys(OPTIONS), f).toContain(f.slice(2));
  });

  it('lists the same environment variables as --help', () => {
    const table = envIn(rows.map((r) => r[1]!).join(' ')).filter((e) => !e.endsWith('_2'));
    expect(table).toEqual(envIn(usageConfigBlock()).filter((e) => !e.endsWith('_2')));
  });

  it('lists the config-file keys the reader accepts', () => {
    const keys = sorted(
      rows.flatMap((r) => [...r[2]!.matchAll(/(?:^|, )`([a-zA-Z]+)[`:]/g)].map((m) => m[1]!)),
    );
    expect(keys).toEqual(sorted(CONFIG_FILE_KEYS));
  });
});
