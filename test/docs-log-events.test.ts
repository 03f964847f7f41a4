// docs/operations.md names every event sluis logs, so an operator's alerting can be written from
// the docs alone and a reviewer can check that no line carries a value:
// - "Logs": each `log(level, 'event'` in packages/server/src (tests excluded) in backquotes;
// - "Pseudonym service: logs and logbook": a table row with its level for each JSON line
//   packages/pseudonym-service/src writes (stderr and stdout), naming each of the line's fields,
//   and a table row for each event of its logbook's entry type, `LogbookEntry` (logbook.ts) — the
//   type every logbook line must have.
// Each search is built from how the code writes its lines, and fails, rather than finding fewer,
// when a line is written another way.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(f) && !/\.test(-util)?\.ts$/.test(f) ? [p] : [];
  });
}

const operations = () => readFileSync(join(root, 'docs/operations.md'), 'utf8');

describe('docs/operations.md "Logs"', () => {
  it('lists every event packages/server logs', () => {
    const events = new Set<string>();
    for (const f of sources(join(root, 'packages/server/src'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\blog\(\s*[^,()]{1,60},\s*'([a-z_]+)'/g)) {
        events.add(m[1]!);
      }
    }
    expect(events.size).toBeGreaterThan(20);
    const doc = operations();
    const start = doc.indexOf('\n## Logs');
    const logs = doc.slice(start, doc.indexOf('\n## ', start + 5));
    expect([...events].filter((e) => !logs.includes(`\`${e}\``)).sort()).toEqual([]);
  });
});

const serviceSrc = join(root, 'packages/pseudonym-service/src');
/** The service's product code: not its tests, not their helpers (src/testing/, outside the build). */
const serviceSources = () =>
  sources(serviceSrc).filter((f) => !f.startsWith(join(serviceSrc, 'testing') + sep));

/** The text of the balanced `{ … }` that opens at `open` (quoted strings skipped). */
function objectLiteral(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      i = text.indexOf(c, i + 1);
      if (i < 0) break;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  throw new Error(`unbalanced object literal at ${open}`);
}

/**
 * The JSON lines the service writes (to stderr, and `start`'s two to stdout): every object literal
 * given to JSON.stringify that has an `event` member must begin `{ level: '…', event: '…'`; one
 * written another way is returned in `unrecognised`, so a new style cannot make the check miss it.
 */
function serviceLogLines(): {
  lines: Map<string, string>;
  fields: Map<string, Set<string>>;
  unrecognised: string[];
} {
  const lines = new Map<string, string>();
  const fields = new Map<string, Set<string>>();
  const unrecognised: string[] = [];
  for (const f of serviceSources()) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/JSON\.stringify\(\s*\{/g)) {
      const object = objectLiteral(text, m.index + m[0].length - 1);
      if (!/\bevent\b/.test(object)) continue; // admission.json, a logbook line ({ at, ...entry })
      const line = /^\{\s*level:\s*'(debug|info|warn|error)',\s*event:\s*'([a-z][a-z_.]*)'/.exec(object);
      if (line === null) unrecognised.push(`${f.slice(serviceSrc.length + 1)}: ${object.slice(0, 80)}`);
      else {
        lines.set(line[2]!, line[1]!);
        const names = fields.get(line[2]!) ?? new Set<string>();
        for (const name of memberNames(object)) if (name !== 'level' && name !== 'event') names.add(name);
        fields.set(line[2]!, names);
      }
    }
  }
  return { lines, fields, unrecognised };
}

/**
 * The member names of an object literal, also those spread in conditionally
 * (`...(code === undefined ? {} : { code })`): each name right after `{` or `,` that a `:`, `,`
 * or `}` follows. String literals are blanked first, so no quoted text counts.
 */
function memberNames(object: string): string[] {
  const bare = object.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "''");
  return [...bare.matchAll(/[{,]\s*([A-Za-z_$][\w$]*)\s*(?=[:,}])/g)].map((m) => m[1]!);
}

/** The events of the logbook's entry type, `export type LogbookEntry = … ;` (logbook.ts). */
function logbookEvents(): Set<string> {
  const text = readFileSync(join(serviceSrc, 'logbook.ts'), 'utf8');
  // Every line the logbook writes is a LogbookEntry: both of its writers take one (tsc holds the
  // callers to it), so the type's events are all the logbook's events.
  expect(text).toMatch(/\n\s*append\(at: number, entry: LogbookEntry\): void \{/);
  expect(text).toMatch(/\n\s*write\(at: number, entry: LogbookEntry\): void \{/);
  const start = text.indexOf('export type LogbookEntry =');
  expect(start).toBeGreaterThan(0);
  const type = text.slice(start, text.indexOf('\n\n', start));
  const events = new Set<string>();
  for (const m of type.matchAll(/\bevent:\s*((?:\|?\s*'[^']*'\s*)+)/g))
    for (const e of m[1]!.matchAll(/'([^']*)'/g)) events.add(e[1]!);
  return events;
}

/** docs/operations.md "Pseudonym service: logs and logbook", up to the next heading. */
function serviceLogsSection(): string {
  const doc = operations();
  const start = doc.indexOf('\n### Pseudonym service: logs and logbook\n');
  expect(start).toBeGreaterThan(0);
  const end = doc.slice(start + 1).search(/\n#{2,3} /);
  return end < 0 ? doc.slice(start) : doc.slice(start, start + 1 + end);
}

const row = (event: string) => new RegExp(`^\\| \`${event.replace(/\./g, '\\.')}\` \\|(.*)$`, 'm');

describe('docs/operations.md "Pseudonym service: logs and logbook"', () => {
  it('has a row, with its level, for every JSON line packages/pseudonym-service writes', () => {
    const { lines, unrecognised } = serviceLogLines();
    expect(unrecognised).toEqual([]);
    // 9 when this check was written, on stderr and stdout, from plain writes and the helpers alike.
    expect(lines.size).toBeGreaterThanOrEqual(8);
    for (const known of ['listening', 'internal_error', 'close_step_failed', 'service_lock_stale'])
      expect(lines.has(known), known).toBe(true);
    const section = serviceLogsSection();
    const wrong = [...lines]
      .filter(([event, level]) => !row(event).exec(section)?.[1]?.startsWith(` \`${level}\` |`))
      .map(([event, level]) => `${event} (${level})`);
    expect(wrong.sort()).toEqual([]);
  });

  it("names every field of each JSON line in its row's last column", () => {
    const { fields } = serviceLogLines();
    // internal_error's conditional `code` among them: the way such fields are written.
    expect(fields.get('internal_error')).toEqual(new Set(['correlationId', 'code']));
    const section = serviceLogsSection();
    const missing = [...fields].flatMap(([event, names]) => {
      const last = row(event).exec(section)?.[1]?.split(' | ').at(-1) ?? '';
      return [...names].filter((n) => !last.includes(`\`${n}\``)).map((n) => `${event}: ${n}`);
    });
    expect(missing.sort()).toEqual([]);
  });

  it('has a row for every event of the logbook', () => {
    const events = logbookEvents();
    // 15 when this check was written: the service's five and the commands' ten.
    expect(events.size).toBeGreaterThanOrEqual(14);
    for (const known of ['evaluated', 'refused.repeated', 'organisation.linked', 'issuer.removed'])
      expect(events.has(known), known).toBe(true);
    // No event literal in the code outside the two sets (a line written around the type).
    const { lines } = serviceLogLines();
    const stray = new Set<string>();
    for (const f of serviceSources())
      for (const m of readFileSync(f, 'utf8').matchAll(/\bevent:\s*'([^']*)'/g))
        if (!events.has(m[1]!) && !lines.has(m[1]!)) stray.add(m[1]!);
    expect([...stray]).toEqual([]);
    const section = serviceLogsSection();
    expect([...events].filter((e) => !row(e).test(section)).sort()).toEqual([]);
  });
});
