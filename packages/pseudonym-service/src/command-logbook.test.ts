// A command's change and its logbook line (docs/operations.md "Pseudonym service: logs and
// logbook", The logbook before the change): every command that changes admissions or epochs
// writes its line before the change takes effect, so on a disk too full for the line it fails
// (exit 3, the code and a fixed sentence) with admission.json, keys/ and the logbook as they
// were; and a change that fails after its line changes nothing and is recorded
// `change.not_applied`. The built `sluis-pseudonym-service` as a process, its data directory on
// a 256 KiB tmpfs in a mount namespace of its own, filled to the page (tmpfs counts whole pages):
// the old admission.json and the epoch's key file are hard-linked aside, so replacing or
// deleting them frees no page a later write could take.

import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url } from '@sluis/client-sdk';
import { describe, expect, it } from 'vitest';
import { BIN, canMount, limits } from './testing/process.js';
import { caseSigningKey } from '../../../test/support/case-keys.js';

/**
 * Runs `body` in a mount namespace of its own, the data directory `$D` on a 256 KiB tmpfs at `$M`;
 * what it prints after each command, `### <label> exit=<n>`, the command's stderr (or other
 * output), `--- state` and the files' digests and names, by label; and the data directory's path.
 */
function runScript(body: string) {
  const mount = mkdtempSync(join(tmpdir(), 'sluis-ps-cmdlog-'));
  const script = [
    'set -e',
    `M="${mount}"`,
    'D="$M/data"',
    `cli() { "${process.execPath}" "${BIN}" "$@" --data-dir "$D"; }`,
    // The digests of everything a command may change, and the data directory's names.
    'state() { echo "--- state"; (cd "$D" && sha256sum $(ls -d admission.json logbook.jsonl keys/* 2> /dev/null); ls -A . keys); }',
    // Runs a command that must fail; prints its exit code and stderr, then the state.
    // The stderr to a pipe, not a file: a file on the full tmpfs could not hold it.
    'try() { label="$1"; shift; set +e; err=$(cli "$@" 2>&1 > /dev/null); rc=$?; set -e; echo "### $label exit=$rc"; printf "%s\\n" "$err"; state; }',
    'mount -t tmpfs -o size=256k,mode=0700 tmpfs "$M"',
    'mkdir -m 0700 "$D"',
    body,
  ].join('\n');
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script], { encoding: 'utf8', ...limits });
  expect(r.status, r.stderr).toBe(0);
  const runs = new Map<string, { exit: number; output: string; state: string }>();
  for (const part of r.stdout.split('### ').slice(1)) {
    const m = /^(\S+) exit=(\d+)\n([\s\S]*?)--- state\n([\s\S]*)$/.exec(part);
    expect(m, part).not.toBeNull();
    runs.set(m![1]!, { exit: Number(m![2]), output: m![3]!, state: m![4]! });
  }
  return { runs, dir: join(mount, 'data') };
}

/** Fills the tmpfs so exactly `pages` pages of 4 KiB stay free (a number, or a shell word). */
const leaveFree = (pages: number | string) =>
  `head -c $(( ${pages} * 4096 )) /dev/zero > "$M/spare"; head -c 1048576 /dev/zero >> "$M/fill" 2> /dev/null || true; rm "$M/spare"`;
/** Pads logbook.jsonl with empty lines (the start skips them) to a whole page: the next line needs a new one. */
const fillLogbookPage =
  'size=$(stat -c %s "$D/logbook.jsonl"); head -c $(( (4096 - size % 4096) % 4096 )) /dev/zero | tr "\\0" "\\n" >> "$D/logbook.jsonl"';

const ORG_ID = '0d9b7c1e-5a4f-4e2b-9c3d-1f2e3a4b5c6d';

describe('a command on a disk too full for its logbook line', () => {
  it.skipIf(!canMount)(
    'fails with the code and changes nothing: each admission edit, add-epoch and retire-epoch',
    () => {
      const org = base64url.encode(caseSigningKey().publicKey);
      const issuer = base64url.encode(caseSigningKey().publicKey);
      const other = base64url.encode(caseSigningKey().publicKey);
      const suspended = base64url.encode(caseSigningKey().publicKey);
      const { runs, dir } = runScript(
        [
          'cli init > /dev/null',
          'cli add-epoch --epoch 7 > /dev/null',
          `cli admit --name "Org A" --public-key=${org} > /dev/null`,
          `cli admit-issuer --name "Match server" --public-key=${issuer} > /dev/null`,
          // One suspended, so that reinstating it changes the file.
          `cli admit --name "Org C" --public-key=${suspended} > /dev/null`,
          'cli suspend --name "Org C" > /dev/null',
          'ln "$D/admission.json" "$M/admission.before"',
          'ln "$D/keys/oprf-epoch-7.key" "$M/epoch-7.before"',
          fillLogbookPage,
          'echo "### before exit=0"; state',
          // Each command on the files as they were (put back should one have changed them, so
          // that each is judged alone) and a disk filled anew.
          `fresh() { [ "$D/admission.json" -ef "$M/admission.before" ] || ln -f "$M/admission.before" "$D/admission.json"; [ "$D/keys/oprf-epoch-7.key" -ef "$M/epoch-7.before" ] || ln -f "$M/epoch-7.before" "$D/keys/oprf-epoch-7.key"; rm -f "$D/keys/oprf-epoch-8.key" "$M/fill"; ${leaveFree('$1')}; }`,
          // Two pages: one for admission.json.lock, one for the new admission.json; none for the line.
          `fresh 2; try admit admit --name "Org B" --public-key=${other}`,
          `fresh 2; try link link --name "Org A" --organisation-id ${ORG_ID}`,
          'fresh 2; try suspend suspend --name "Org A"',
          'fresh 2; try reinstate reinstate --name "Org C"',
          'fresh 2; try remove remove --name "Org A"',
          `fresh 2; try admit-issuer admit-issuer --name "Other server" --public-key=${other}`,
          'fresh 2; try remove-issuer remove-issuer --name "Match server"',
          // No page: the epoch commands take no lock, and write no temporary file.
          'fresh 0; try add-epoch add-epoch --epoch 8',
          'fresh 0; try retire-epoch retire-epoch --epoch 7',
        ].join('\n'),
      );
      const before = runs.get('before')!.state;
      expect(before).toContain('admission.json');
      expect(before).toContain('oprf-epoch-7.key');
      const commands = [
        'admit',
        'link',
        'suspend',
        'reinstate',
        'remove',
        'admit-issuer',
        'remove-issuer',
        'add-epoch',
        'retire-epoch',
      ];
      // Every command's outcome in one comparison, so a failure shows all nine.
      const outcome = (command: string) => {
        const r = runs.get(command);
        return r === undefined
          ? 'not run'
          : { exit: r.exit, unchanged: r.state === before, stderr: r.output };
      };
      expect(Object.fromEntries(commands.map((c) => [c, outcome(c)]))).toEqual(
        Object.fromEntries(
          commands.map((c) => [
            c,
            {
              exit: 3,
              unchanged: true,
              // The code and a fixed sentence with the operator's own path: no key, id or name.
              stderr: `sluis-pseudonym-service: ${c} failed: ENOSPC: its logbook line could not be written to ${join(dir, 'logbook.jsonl')}, so nothing was changed\n`,
            },
          ]),
        ),
      );
    },
  );

  it.skipIf(!canMount)(
    'room for part of the line: the command fails, nothing changed; the next line begins on a line of its own',
    () => {
      const org = base64url.encode(caseSigningKey().publicKey);
      const other = base64url.encode(caseSigningKey().publicKey);
      const { runs, dir } = runScript(
        [
          'cli init > /dev/null',
          'cli add-epoch --epoch 7 > /dev/null',
          `cli admit --name "Org A" --public-key=${org} > /dev/null`,
          fillLogbookPage,
          'ln "$D/admission.json" "$M/admission.before"',
          // 10 bytes free in the logbook's last page (its padding shortened), no page after it.
          'truncate -s -10 "$D/logbook.jsonl"',
          'size=$(stat -c %s "$D/logbook.jsonl")',
          'echo "### before exit=0"; state',
          leaveFree(2),
          `try admit admit --name "Org B" --public-key=${other}`,
          'echo "### logbook exit=0"; tail -c +$((size + 1)) "$D/logbook.jsonl" | od -An -c; state',
          // Room again: the next command's line begins on a line of its own.
          'rm "$M/fill"',
          'cli suspend --name "Org A" > /dev/null',
          'echo "### after exit=0"; tail -c +$((size + 1)) "$D/logbook.jsonl"; state',
        ].join('\n'),
      );
      const admission = (state: string) => state.split('\n').find((l) => l.endsWith(' admission.json'));
      const r = runs.get('admit')!;
      const written = runs.get('logbook')!.output;
      expect({
        exit: r.exit,
        admission: admission(r.state),
        // The 10 bytes the disk had room for, the line's start, with no newline.
        fragment: written.replace(/\s+/g, ''),
        stderr: r.output,
      }).toEqual({
        exit: 3,
        admission: admission(runs.get('before')!.state),
        fragment: '{"at":"202',
        stderr: `sluis-pseudonym-service: admit failed: ENOSPC: its logbook line could not be written to ${join(dir, 'logbook.jsonl')}, so nothing was changed\n`,
      });
      const [fragment, next, ...rest] = runs.get('after')!.output.split('\n');
      // Ended by `~` (TORN_END), so that no fragment parses, not even a whole line but its newline.
      expect(fragment).toBe('{"at":"202~');
      expect(JSON.parse(next!)).toEqual({
        at: expect.any(String),
        event: 'organisation.suspended',
        organisation: 'Org A',
      });
      expect(rest).toEqual(['']); // after the line's newline, nothing
    },
  );

  it.skipIf(!canMount)(
    'add-epoch whose key file cannot be written after its line: no key file, the line and change.not_applied',
    () => {
      const { runs } = runScript(
        [
          'cli init > /dev/null',
          'cli add-epoch --epoch 7 > /dev/null',
          fillLogbookPage,
          'size=$(stat -c %s "$D/logbook.jsonl")',
          // One page: the line takes it (and the second line fits in it); none for the key file.
          leaveFree(1),
          'try add-epoch add-epoch --epoch 8',
          // The lines written since.
          'echo "### logbook exit=0"; tail -c +$((size + 1)) "$D/logbook.jsonl"; state',
        ].join('\n'),
      );
      const r = runs.get('add-epoch')!;
      const lines = runs
        .get('logbook')!
        .output.split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as unknown);
      expect({
        exit: r.exit,
        keyFile: r.state.includes('oprf-epoch-8'),
        lines,
        stderr: r.output,
      }).toEqual({
        exit: 3,
        keyFile: false,
        lines: [
          { at: expect.any(String), event: 'epoch.added', epoch: 8 },
          {
            at: expect.any(String),
            event: 'change.not_applied',
            change: 'epoch.added',
            epoch: 8,
            code: 'ENOSPC',
          },
        ],
        stderr:
          'sluis-pseudonym-service: add-epoch failed: ENOSPC: nothing was changed; the logbook records the attempt and that it was not applied (change.not_applied)\n',
      });
    },
  );
});
