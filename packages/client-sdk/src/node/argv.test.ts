// Values that start with `-` (1 in 64 base64url keys and key ids) after `--opt `, and
// parse errors that name our options but never repeat what was typed.

import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeArgvError, isArgvError, joinOptionValues } from './argv.js';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  'public-key': { type: 'string', multiple: true },
  'key-id': { type: 'string' },
  bsn: { type: 'string' },
} as const;

const parse = (argv: string[]) =>
  parseArgs({
    args: joinOptionValues(argv, OPTIONS),
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });

function errorOf(argv: string[]): unknown {
  try {
    parse(argv);
  } catch (e) {
    return e;
  }
  throw new Error('expected a parse error');
}

describe('joinOptionValues', () => {
  it('passes a value that starts with "-" to its string option', () => {
    const key = '-Xk9_pQ2vL8mN4rT6yW1zA3bC5dE7fG0hJ2kL4mN6pQ';
    const r = parse(['add-key', '--public-key', key, '--public-key', '--', '--key-id', '-abc_DEF', '--json']);
    expect(r.values['public-key']).toEqual([key, '--']);
    expect(r.values['key-id']).toBe('-abc_DEF');
    expect(r.values.json).toBe(true);
    expect(r.positionals).toEqual(['add-key']);
  });

  it('leaves boolean flags, --opt=value, a forgotten value and everything after "--" alone', () => {
    expect(joinOptionValues(['--json', '-x'], OPTIONS)).toEqual(['--json', '-x']);
    expect(joinOptionValues(['--key-id=-a', 'b'], OPTIONS)).toEqual(['--key-id=-a', 'b']);
    expect(joinOptionValues(['--bsn', '--json'], OPTIONS)).toEqual(['--bsn', '--json']);
    expect(joinOptionValues(['--bsn', '-h'], OPTIONS)).toEqual(['--bsn', '-h']);
    expect(joinOptionValues(['--', '--bsn', '-1'], OPTIONS)).toEqual(['--', '--bsn', '-1']);
    expect(joinOptionValues(['--unknown', '-1'], OPTIONS)).toEqual(['--unknown', '-1']);
    expect(joinOptionValues(['--bsn'], OPTIONS)).toEqual(['--bsn']);
  });
});

describe('describeArgvError', () => {
  it('names our option and never the typed value', () => {
    const secret = '-Sk3cretKeyMaterial_0123456789abcdefghijklm';
    const cases: [string[], RegExp][] = [
      [['--bsn', '--json'], /^--bsn needs a value/],
      [['--bsn'], /^--bsn needs a value/],
      [['--json=1'], /^--json takes no value$/],
      [['--bogus'], /^unknown option --bogus$/],
      [[secret], /^unknown option \(a value that starts with "-"/],
      [[`--${secret.slice(1)}`], /^unknown option \(/],
      [['--bsn123456782'], /^unknown option \(/],
    ];
    for (const [argv, pattern] of cases) {
      const e = errorOf(argv);
      expect(isArgvError(e), argv.join(' ')).toBe(true);
      const text = describeArgvError(e, OPTIONS);
      expect(text, argv.join(' ')).toMatch(pattern);
      expect(text).not.toContain(secret.slice(1, 12));
      expect(text).not.toContain('123456782');
      expect(text).not.toContain('\n');
    }
    expect(isArgvError(new Error('x'))).toBe(false);
    expect(describeArgvError(new Error('x'), OPTIONS)).toBe('invalid arguments');
  });
});
