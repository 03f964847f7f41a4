// The logbook's lines around a fragment (docs/operations.md "Pseudonym service: logs and
// logbook", The logbook before the change): a fragment a full disk left never parses as a line,
// not even one that lacks only its newline; a line written straight onto a fragment is read
// from where it begins, exactly, whatever prefix of a line the fragment is; and a logbook the
// open creates has its name made durable (the data directory's fsync) before its first line.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fsyncDir } from './data-dir.js';
import { Logbook, TORN_END, parseLine } from './logbook.js';

vi.mock('./data-dir.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./data-dir.js')>();
  return { ...original, fsyncDir: vi.fn(original.fsyncDir) };
});

const AT = Date.parse('2026-12-07T08:00:00.000Z');
const lineOf = (entry: object) => JSON.stringify({ at: new Date(AT).toISOString(), ...entry });
// The longest kind of line, with every field a fragment may be cut in.
const EVALUATED = lineOf({
  event: 'evaluated',
  organisation: "Org A (desk) & co's, 1/2",
  keyId: 'k'.repeat(43),
  epoch: 7,
  elements: 12,
  credentialExpiresAt: new Date(AT + 3_600_000).toISOString(),
  personId: '0d9b7c1e-5a4f-4e2b-9c3d-1f2e3a4b5c6d',
  credentialId: '1f2e3a4b-5c6d-4e2b-9c3d-0d9b7c1e5a4f',
});
const ADMITTED = lineOf({ event: 'organisation.admitted', organisation: 'Org B' });

const dir = () => mkdtempSync(join(tmpdir(), 'sluis-ps-logline-'));

describe('a logbook line after a fragment', () => {
  it('every prefix of a line, ended by TORN_END, never parses (the whole line without its newline too)', () => {
    const parsed = [];
    for (const line of [EVALUATED, ADMITTED])
      for (let n = 1; n <= line.length; n++) {
        const [fragmentLine] = `${line.slice(0, n)}${TORN_END}`.split('\n');
        parsed.push(parseLine(fragmentLine!));
      }
    expect(parsed.filter((p) => p !== undefined)).toEqual([]);
  });

  it('a line written straight onto any prefix of a line is read whole, and the fragment never', () => {
    const read = [];
    for (const fragmentOf of [EVALUATED, ADMITTED])
      for (const next of [EVALUATED, ADMITTED])
        for (let n = 1; n <= fragmentOf.length; n++)
          read.push([n, parseLine(`${fragmentOf.slice(0, n)}${next}`), JSON.parse(next)]);
    expect(read.filter(([, got, want]) => JSON.stringify(got) !== JSON.stringify(want))).toEqual([]);
  });

  it('the Logbook ends a fragment it finds with TORN_END: the fragment stays unread, the next line whole', () => {
    const d = dir();
    const path = join(d, 'logbook.jsonl');
    // The worst fragment: a whole line but its newline (a short write that stopped just before it).
    writeFileSync(path, ADMITTED, { mode: 0o600 });
    const l = new Logbook(d);
    l.append(AT, { event: 'epoch.added', epoch: 2 });
    l.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.map(parseLine)).toEqual([
      undefined,
      { at: new Date(AT).toISOString(), event: 'epoch.added', epoch: 2 },
      undefined, // after the last newline, nothing
    ]);
  });
});

describe('a logbook the open creates', () => {
  it('fsyncs the data directory before its first line; one that exists is opened without', () => {
    const d = dir();
    const fsync = vi.mocked(fsyncDir);
    fsync.mockClear();
    const created = new Logbook(d);
    expect(fsync.mock.calls).toEqual([[d]]);
    created.append(AT, { event: 'epoch.added', epoch: 2 });
    created.close();
    fsync.mockClear();
    const opened = new Logbook(d);
    opened.append(AT, { event: 'epoch.added', epoch: 3 });
    opened.close();
    expect(fsync.mock.calls).toEqual([]);
  });
});
