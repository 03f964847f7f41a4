// A change and its logbook line (docs/operations.md "Pseudonym service: logs and logbook", The
// logbook before the change): logThenChange's outcomes, each with the lines it leaves and its
// sentence word for word, by injected steps and a logbook whose write or fsync fails on demand
// (no root, no full disk); and the package's exported functions, which write the same lines as
// the commands, so a program that embeds the package leaves the same audit trail.

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ChangeFailed,
  type LineWriter,
  MayHaveTakenEffect,
  changeAdmission,
  createEpochKey,
  createFileStep,
  editAdmissionFile,
  logThenChange,
  retireEpochKey,
} from './command-change.js';
import { openDataDir, writeSecretFile } from './data-dir.js';
import { Logbook } from './logbook.js';

const AT = Date.parse('2026-12-07T08:00:00.000Z');
const ENTRY = { event: 'organisation.admitted', organisation: 'Org A' } as const;

function dataDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sluis-ps-change-')), 'data');
  mkdirSync(dir, { mode: 0o700 }); // as the install makes it: init as root does not
  return openDataDir(dir);
}

/** The logbook's lines, without their `at`. */
function lines(dir: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(join(dir, 'logbook.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const { at, ...rest } = JSON.parse(l) as { at: string };
      expect(Date.parse(at)).toBeGreaterThan(0);
      return rest;
    });
}

const systemError = (code: string) => Object.assign(new Error('not shown'), { code });

/** A real Logbook whose n-th write or fsync (counted over every open) throws the code given. */
function failingLogbook(fail: { write?: Record<number, string>; sync?: Record<number, string> }) {
  let writes = 0;
  let syncs = 0;
  return (dir: string): LineWriter => {
    const l = new Logbook(dir);
    return {
      write: (at, entry) => {
        const code = fail.write?.[++writes];
        if (code !== undefined) throw systemError(code);
        l.write(at, entry);
      },
      sync: () => {
        const code = fail.sync?.[++syncs];
        if (code !== undefined) throw systemError(code);
        l.sync();
      },
      close: () => l.close(),
    };
  };
}

/** Steps that record their calls; `apply` and `finish` throw when given a code. */
function steps(o: { apply?: () => void; finish?: string } = {}) {
  const calls: string[] = [];
  return {
    calls,
    steps: {
      apply: () => {
        calls.push('apply');
        o.apply?.();
      },
      discard: () => calls.push('discard'),
      finish: () => {
        calls.push('finish');
        if (o.finish !== undefined) throw systemError(o.finish);
      },
    },
  };
}

/** What logThenChange threw: its class and sentence. */
function thrown(fn: () => void): { failed: boolean; message: string } | 'returned' {
  try {
    fn();
  } catch (e) {
    return { failed: e instanceof ChangeFailed, message: (e as Error).message };
  }
  return 'returned';
}

const NOT_APPLIED = { event: 'change.not_applied', change: 'organisation.admitted', organisation: 'Org A' };
const RECORDED = 'the logbook records the attempt and that it was not applied (change.not_applied)';
const MAY_HAVE =
  'its logbook line is written and the change may have taken effect, in part or whole: check it (public-keys, admission.json) before running the command again';

describe('logThenChange', () => {
  it('all steps succeed: the line, then apply and finish', () => {
    const dir = dataDir();
    const s = steps();
    expect(thrown(() => logThenChange(dir, AT, ENTRY, s.steps))).toBe('returned');
    expect({ calls: s.calls, lines: lines(dir) }).toEqual({ calls: ['apply', 'finish'], lines: [ENTRY] });
  });

  it('the line cannot be written: what was prepared is discarded, no step runs, no line', () => {
    const dir = dataDir();
    const s = steps();
    const open = failingLogbook({ write: { 1: 'ENOSPC' } });
    expect({
      thrown: thrown(() => logThenChange(dir, AT, ENTRY, s.steps, open)),
      calls: s.calls,
      lines: lines(dir),
    }).toEqual({
      thrown: {
        failed: true,
        message: `ENOSPC: its logbook line could not be written to ${join(dir, 'logbook.jsonl')}, so nothing was changed`,
      },
      calls: ['discard'],
      lines: [],
    });
  });

  it("the line's fsync fails: nothing applied, change.not_applied written", () => {
    const dir = dataDir();
    const s = steps();
    const open = failingLogbook({ sync: { 1: 'EIO' } });
    expect({
      thrown: thrown(() => logThenChange(dir, AT, ENTRY, s.steps, open)),
      calls: s.calls,
      lines: lines(dir),
    }).toEqual({
      thrown: {
        failed: true,
        message: `EIO: its logbook line was written but could not be made durable, and nothing was changed; ${RECORDED}`,
      },
      calls: ['discard'],
      lines: [ENTRY, { ...NOT_APPLIED, code: 'EIO' }],
    });
  });

  it('apply fails: discarded, change.not_applied written, finish not run', () => {
    const dir = dataDir();
    const s = steps({
      apply: () => {
        throw systemError('EXDEV');
      },
    });
    expect({
      thrown: thrown(() => logThenChange(dir, AT, ENTRY, s.steps)),
      calls: s.calls,
      lines: lines(dir),
    }).toEqual({
      thrown: { failed: true, message: `EXDEV: nothing was changed; ${RECORDED}` },
      calls: ['apply', 'discard'],
      lines: [ENTRY, { ...NOT_APPLIED, code: 'EXDEV' }],
    });
  });

  it('an error without a loggable code: `unknown` in the sentence, no code in the line', () => {
    const dir = dataDir();
    const s = steps({
      apply: () => {
        throw new Error('a value 123456782 that must not be shown');
      },
    });
    expect({ thrown: thrown(() => logThenChange(dir, AT, ENTRY, s.steps)), lines: lines(dir) }).toEqual({
      thrown: { failed: true, message: `unknown: nothing was changed; ${RECORDED}` },
      lines: [ENTRY, NOT_APPLIED],
    });
  });

  it('finish fails: the line stands, the change may have taken effect, no change.not_applied', () => {
    const dir = dataDir();
    const s = steps({ finish: 'EIO' });
    expect({
      thrown: thrown(() => logThenChange(dir, AT, ENTRY, s.steps)),
      calls: s.calls,
      lines: lines(dir),
    }).toEqual({
      thrown: { failed: true, message: `EIO: ${MAY_HAVE}` },
      calls: ['apply', 'finish'],
      lines: [ENTRY],
    });
  });

  it('apply fails but may have taken effect (MayHaveTakenEffect): as a failed finish, nothing discarded', () => {
    const dir = dataDir();
    const s = steps({
      apply: () => {
        throw new MayHaveTakenEffect(systemError('EROFS'));
      },
    });
    expect({
      thrown: thrown(() => logThenChange(dir, AT, ENTRY, s.steps)),
      calls: s.calls,
      lines: lines(dir),
    }).toEqual({
      thrown: { failed: true, message: `EROFS: ${MAY_HAVE}` },
      calls: ['apply'],
      lines: [ENTRY],
    });
  });

  it('the change.not_applied line cannot be written either: the sentence says the logbook shows the change', () => {
    const dir = dataDir();
    const s = steps({
      apply: () => {
        throw systemError('EXDEV');
      },
    });
    const open = failingLogbook({ write: { 2: 'ENOSPC' } });
    expect({
      thrown: thrown(() => logThenChange(dir, AT, ENTRY, s.steps, open)),
      lines: lines(dir),
    }).toEqual({
      thrown: {
        failed: true,
        message:
          'EXDEV: nothing was changed, but the line saying it was not applied could not be written (ENOSPC): the logbook shows an organisation.admitted that did not take effect',
      },
      lines: [ENTRY],
    });
  });

  it("after a failed fsync, and no change.not_applied either: the logbook 'may show' the change", () => {
    const dir = dataDir();
    const s = steps();
    const open = failingLogbook({ sync: { 1: 'EIO' }, write: { 2: 'EIO' } });
    expect(thrown(() => logThenChange(dir, AT, ENTRY, s.steps, open))).toEqual({
      failed: true,
      message:
        'EIO: its logbook line was written but could not be made durable, and nothing was changed, but the line saying it was not applied could not be written (EIO): the logbook may show an organisation.admitted that did not take effect',
    });
  });
});

describe('an admission edit whose rename fails after its line', () => {
  it('leaves admission.json as it was, removes the temporary file, and writes change.not_applied', () => {
    const dir = dataDir();
    // A directory where admission.json goes: the rename over it fails (EISDIR), changing nothing.
    mkdirSync(join(dir, 'admission.json', 'inside'), { recursive: true });
    expect(thrown(() => changeAdmission(dir, AT, { organisations: [] }, ENTRY))).toEqual({
      failed: true,
      message: `EISDIR: nothing was changed; ${RECORDED}`,
    });
    expect({
      files: readdirSync(dir).filter((f) => f.startsWith('admission.json')),
      inside: readdirSync(join(dir, 'admission.json')),
      lines: lines(dir),
    }).toEqual({
      files: ['admission.json'],
      inside: ['inside'],
      lines: [ENTRY, { ...NOT_APPLIED, code: 'EISDIR' }],
    });
  });
});

describe("the package's exported changes write the commands' lines", () => {
  it('editAdmissionFile, createEpochKey and retireEpochKey: each line, and the change', () => {
    const dir = dataDir();
    editAdmissionFile(dir, ENTRY, (f) => ({
      ...f,
      organisations: [{ name: 'Org A', status: 'active', publicKeys: [] }],
    }));
    expect(createEpochKey(dir, 3)).toHaveLength(32);
    retireEpochKey(dir, 3);
    expect({
      admission: JSON.parse(readFileSync(join(dir, 'admission.json'), 'utf8')),
      keys: readdirSync(join(dir, 'keys')),
      lines: lines(dir),
    }).toEqual({
      admission: {
        organisations: [{ name: 'Org A', status: 'active', publicKeys: [] }],
      },
      keys: [],
      lines: [ENTRY, { event: 'epoch.added', epoch: 3 }, { event: 'epoch.retired', epoch: 3 }],
    });
  });

  it('createEpochKey whose key file cannot be created (keys/ gone): the system code, never key_file_exists', () => {
    const dir = dataDir();
    rmdirSync(join(dir, 'keys'));
    expect({ thrown: thrown(() => createEpochKey(dir, 4)), lines: lines(dir) }).toEqual({
      thrown: { failed: true, message: `ENOENT: nothing was changed; ${RECORDED}` },
      lines: [
        { event: 'epoch.added', epoch: 4 },
        { event: 'change.not_applied', change: 'epoch.added', epoch: 4, code: 'ENOENT' },
      ],
    });
  });

  it('retireEpochKey whose key file cannot be opened: nothing changed, change.not_applied', () => {
    const dir = dataDir();
    // Something that cannot be opened for writing where the key file is: EISDIR at the open.
    mkdirSync(join(dir, 'keys', 'oprf-epoch-5.key'));
    expect({ thrown: thrown(() => retireEpochKey(dir, 5)), lines: lines(dir) }).toEqual({
      thrown: { failed: true, message: `EISDIR: nothing was changed; ${RECORDED}` },
      lines: [
        { event: 'epoch.retired', epoch: 5 },
        { event: 'change.not_applied', change: 'epoch.retired', epoch: 5, code: 'EISDIR' },
      ],
    });
    expect(readdirSync(join(dir, 'keys'))).toEqual(['oprf-epoch-5.key']);
  });
});

describe('a key file whose creation failed', () => {
  it('and was removed: the error as it is (not applied)', () => {
    const path = join(dataDir(), 'keys', 'oprf-epoch-6.key');
    expect(() =>
      createFileStep(path, () => {
        throw systemError('ENOSPC');
      }),
    ).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
  });

  it('but is still there (its removal failed too): may have taken effect', () => {
    const path = join(dataDir(), 'keys', 'oprf-epoch-6.key');
    let e: unknown;
    try {
      createFileStep(path, () => {
        writeFileSync(path, '', { mode: 0o600 });
        throw systemError('EIO');
      });
    } catch (caught) {
      e = caught;
    }
    expect(e).toBeInstanceOf(MayHaveTakenEffect);
    expect((e as MayHaveTakenEffect).reason).toEqual(expect.objectContaining({ code: 'EIO' }));
  });

  it("another's file under the name (key_file_exists): not ours, so not applied", () => {
    const path = join(dataDir(), 'keys', 'oprf-epoch-6.key');
    writeFileSync(path, '', { mode: 0o600 });
    expect(() => createFileStep(path, () => writeSecretFile(path, 'x'))).toThrow(
      expect.objectContaining({ code: 'key_file_exists' }),
    );
  });
});

describe('writeSecretFile', () => {
  it('maps only a name taken already to key_file_exists, any other failure keeps its code', () => {
    const dir = dataDir();
    const path = join(dir, 'keys', 'secret');
    writeSecretFile(path, 'x');
    expect(() => writeSecretFile(path, 'y')).toThrow(expect.objectContaining({ code: 'key_file_exists' }));
    expect(() => writeSecretFile(join(dir, 'missing', 'secret'), 'y')).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    );
  });
});
