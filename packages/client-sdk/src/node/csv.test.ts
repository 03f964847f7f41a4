// The CSV reader: RFC 4180 quoting, line ends, line numbers, strictness.

import { describe, expect, it } from 'vitest';
import { csvLine, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quoted fields, escaped quotes, commas and line breaks inside quotes', () => {
    const text = '\ufeffa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"multi\r\nline",\n\n3,,"q"\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['2', 'multi\r\nline', ''] },
      { line: 6, fields: ['3', '', 'q'] },
    ]);
  });
  it('accepts LF, CRLF and CR line ends and no final newline', () => {
    expect(parseCsv('a\nb\r\nc\rd').map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
    ]);
  });
  it.each([
    ['unterminated quote', 'a\n"open,b\n', 2],
    ['text after closing quote', 'a\n"x"y\n', 2],
    ['quote inside bare field', 'a\nx"y\n', 2],
  ])('refuses %s with the line', (_, text, line) => {
    expect(() => parseCsv(text)).toThrowError(
      expect.objectContaining({ code: 'csv_malformed', details: { line } }),
    );
  });
  it('round-trips through csvLine', () => {
    const values = ['plain', 'with,comma', 'with "quote"', 'line\nbreak', ''];
    expect(parseCsv(csvLine(values))[0]!.fields).toEqual(values);
  });
});
