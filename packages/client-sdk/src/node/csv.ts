// A strict RFC 4180 CSV reader: quoted fields with "" escapes, commas and line breaks
// inside quotes, CRLF / LF / CR line ends, an optional UTF-8 BOM. Each record keeps the
// physical line it starts on, so errors can name a line without quoting its content.

import { SluisError } from '../errors.js';

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  readonly line: number;
  readonly fields: readonly string[];
}

/** Parses the whole text. Blank lines are skipped. Throws csv_malformed with the line. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let line = 1;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let endOfRecord = false;
    // One record.
    while (!endOfRecord) {
      if (i < n && s[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new SluisError('csv_malformed', { line: start });
          const c = s[i]!;
          if (c === '"') {
            if (s[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\r') {
            field += s[i + 1] === '\n' ? '\r\n' : '\r';
            i += s[i + 1] === '\n' ? 2 : 1;
            line++;
            continue;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < n && s[i] !== ',' && s[i] !== '\r' && s[i] !== '\n') {
          throw new SluisError('csv_malformed', { line });
        }
      } else {
        while (i < n && s[i] !== ',' && s[i] !== '\r' && s[i] !== '\n') {
          if (s[i] === '"') throw new SluisError('csv_malformed', { line });
          field += s[i];
          i++;
        }
      }
      fields.push(field);
      field = '';
      if (i >= n) {
        endOfRecord = true;
      } else if (s[i] === ',') {
        i++;
      } else {
        i += s[i] === '\r' && s[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRecord = true;
      }
    }
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
  }
  return records;
}

/** Quotes a field when it needs it (RFC 4180 §2.6–2.7). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
