// The admin commands in-process through main(argv, env, io), against a running server
// with the BSN pseudonymised locally; and the built CLI run as another user (nobody) for
// `admin logbook-export --out`.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';
import { captureCliIo } from '../testing/cli-io.js';
import { caseSigningKey } from '../../../../test/support/case-keys.js';

const BSN = '123456782';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sluis-server admin', () => {
  it('admits an organisation and handles a GDPR request with the BSN kept local', async () => {
    const srv = captureCliIo(dir);
    const running = main(['start', '--data-dir', 'data', '--port', '0'], {}, srv.io);
    const url = await srv.waitStarted();
    try {
      const admin = (argv: string[], stdin?: string) => {
        const c = captureCliIo(dir, stdin === undefined ? {} : { readStdin: async () => stdin });
        return main(['admin', ...argv, '--server', url, '--data-dir', 'data'], {}, c.io).then((code) => ({
          code,
          ...c,
        }));
      };
      const orgKey = caseSigningKey();
      const admitted = await admin([
        'admit-organisation',
        '--name',
        'Jeugdzorg Rijnmond',
        '--type',
        'youth_care',
        '--public-key',
        base64url.encode(orgKey.publicKey),
        '--json',
      ]);
      expect(admitted.code).toBe(0);
      const orgId = JSON.parse(admitted.out()).organisation.id as string;
      const list = await admin(['organisations']);
      expect(list.out()).toContain(orgId);
      expect(list.out()).toContain('match e-mail off');
      // the summary shows the match notice e-mail opt-in (docs/operations.md "Match notice e-mail")
      const optIn = await admin(['update-organisation', '--id', orgId, '--match-email', 'on']);
      expect(optIn.code).toBe(0);
      expect(optIn.out()).toMatch(new RegExp(`^${orgId} .* match e-mail on\n$`));
      // 1 in 64 base64url public keys and key ids starts with '-': `--opt -…` must still work.
      let dashKey = caseSigningKey();
      while (!base64url.encode(dashKey.publicKey).startsWith('-')) dashKey = caseSigningKey();
      let dashId = caseSigningKey();
      while (!dashId.keyId.startsWith('-')) dashId = caseSigningKey();
      const dashOrg = await admin([
        'admit-organisation',
        '--name',
        'Wijkteam Streepje',
        '--type',
        'social_services',
        '--public-key',
        base64url.encode(dashKey.publicKey),
        '--json',
      ]);
      expect(dashOrg.code, dashOrg.err()).toBe(0);
      const dashOrgId = JSON.parse(dashOrg.out()).organisation.id as string;
      const added = await admin([
        'add-key',
        '--id',
        dashOrgId,
        '--public-key',
        base64url.encode(dashId.publicKey),
      ]);
      expect(added.code, added.err()).toBe(0);
      const placements = await admin([
        'key-placements',
        '--key-id',
        dashId.keyId,
        '--from',
        '2020-01-01T00:00:00Z',
        '--to',
        '2100-01-01T00:00:00Z',
      ]);
      expect(placements.code, placements.err()).toBe(0);
      expect(placements.out()).toContain('0 placement(s)');
      const revoked = await admin(['revoke-key', '--key-id', dashId.keyId]);
      expect(revoked.code, revoked.err()).toBe(0);
      expect(revoked.out()).toContain(`revoked: ${dashId.keyId}`);
      // A forgotten value is named by its option; a stray value is never echoed.
      const forgot = await admin(['revoke-key', '--key-id', '--json']);
      expect(forgot.code).toBe(2);
      expect(forgot.err().split('\n')[0]).toBe(
        'sluis-server admin: --key-id needs a value (use --key-id=VALUE when the value starts with "-")',
      );
      const stray = await admin(['keys', `-${dashId.keyId}`]);
      expect(stray.code).toBe(2);
      expect(stray.err()).not.toContain(dashId.keyId.slice(1));
      expect((await admin(['suspend', '--id', orgId])).out()).toContain('suspended');
      expect((await admin(['reinstate', '--id', orgId])).code).toBe(0);
      expect((await admin(['logbook-verify'])).out()).toMatch(/logbook ok/);
      expect((await admin(['statistics', '--json'])).code).toBe(0);
      // Closed months only, said by the CLI; a suppressed median reads "none", never "<5" (days).
      const thisMonth = new Date().toISOString().slice(0, 7);
      const openMonth = await admin(['management-info', '--from', thisMonth, '--to', thisMonth]);
      expect(openMonth.code).toBe(1);
      expect(openMonth.err()).toContain('refused: validation_failed fields: to');
      expect(openMonth.err()).toContain(
        '--to must be a closed month: one that ended at least a day ago (UTC)',
      );
      // Two months back is closed on any day (December of last year is not, on 1 January UTC).
      const today = new Date();
      const closedMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 2, 1))
        .toISOString()
        .slice(0, 7);
      const table = await admin(['management-info', '--from', closedMonth, '--to', closedMonth]);
      expect(table.code, table.err()).toBe(0);
      expect(table.out()).toMatch(/youth_care +(<5 +){7}none\n/);
      expect((await admin(['follow-up', '--days', '3'])).code).toBe(0);
      const filtered = await admin([
        'follow-up',
        '--follow-up',
        'overdue',
        '--type',
        'school',
        '--outcome',
        'client_refused',
        '--min-age-days',
        '1',
        '--max-age-days',
        '30',
        '--sort',
        'newest',
        '--limit',
        '5',
        '--all',
      ]);
      expect(filtered.code, filtered.err()).toBe(0);
      const badSort = await admin(['follow-up', '--sort', 'sideways']);
      expect(badSort.code).toBe(2);
      expect(badSort.err()).not.toContain('sideways');
      expect((await admin(['retention-run'])).out()).toMatch(
        /^expired \d+, purged signals \d+, purged matches \d+, expired webhook deliveries \d+, deleted removed people \d+\n$/,
      );

      const keyFile = join(dir, 'covenant.key');
      writeFileSync(keyFile, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
      const access = await admin(
        ['gdpr', 'access', '--pseudonym-key-file', keyFile, '--epoch', '1'],
        `${BSN}\n`,
      );
      expect(access.code).toBe(0);
      expect(access.out()).toContain('signals: 0');
      const viaFlag = await admin([
        'gdpr',
        'restrict',
        '--pseudonym-key-file',
        keyFile,
        '--epoch',
        '1',
        '--bsn',
        BSN,
      ]);
      expect(viaFlag.code).toBe(0);
      // API 1.4.0: the answer's parent links are printed beside the signals.
      expect(viaFlag.out()).toContain('restrict: 0 signal(s), 0 parent link(s)');
      // The only epoch cannot be retired, and the refusal says why and what comes first
      // (docs/operations.md "The GDPR desk in the portal").
      const onlyEpoch = await admin(['retire-epoch', '--epoch', '1']);
      expect(onlyEpoch.code).toBe(1);
      expect(onlyEpoch.err()).toContain('sluis-server admin: refused: conflict');
      expect(onlyEpoch.err()).toContain(
        'epoch 1 is the last active epoch and cannot be retired: register the next one first (admin register-epoch), then retire this one',
      );
      // The epochs list tells the operator why the portal's desk is refused (HMAC epoch 1).
      expect((await admin(['epochs'])).out()).toContain(
        "note: HMAC epoch 1 active: the portal's GDPR desk is refused every request until no HMAC epoch is active",
      );
      // During a key rotation every active epoch needs its key file, or the answer would be incomplete.
      expect((await admin(['register-epoch', '--epoch', '2'])).code).toBe(0);
      const keyFile2 = join(dir, 'covenant-2.key');
      writeFileSync(keyFile2, `${'cd'.repeat(32)}\n`, { mode: 0o600 });
      const partial = await admin(
        ['gdpr', 'access', '--pseudonym-key-file', keyFile, '--epoch', '1'],
        `${BSN}\n`,
      );
      expect(partial.code).toBe(2);
      expect(partial.err()).toContain('active key epoch 2 has no --pseudonym-key-file');
      const complete = await admin(
        [
          'gdpr',
          'access',
          '--pseudonym-key-file',
          keyFile,
          '--epoch',
          '1',
          '--pseudonym-key-file',
          keyFile2,
          '--epoch',
          '2',
        ],
        `${BSN}\n`,
      );
      expect(complete.code).toBe(0);
      expect(complete.out()).toContain('signals: 0');
      // An active OPRF epoch left out is named with the flag it takes (--oprf-epoch), not a key file.
      expect(
        (
          await admin([
            'register-epoch',
            '--epoch',
            '3',
            '--kind',
            'oprf',
            '--public-key=4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY',
          ])
        ).code,
      ).toBe(0);
      const withoutOprf = await admin(
        [
          'gdpr',
          'access',
          '--pseudonym-key-file',
          keyFile,
          '--epoch',
          '1',
          '--pseudonym-key-file',
          keyFile2,
          '--epoch',
          '2',
        ],
        `${BSN}\n`,
      );
      expect(withoutOprf.code).toBe(2);
      expect(withoutOprf.err()).toContain('active OPRF epoch 3 has no --oprf-epoch');
      expect(withoutOprf.err()).not.toContain('--pseudonym-key-file');
      const bad = await admin(
        ['gdpr', 'erase', '--pseudonym-key-file', keyFile, '--epoch', '1'],
        '123456789\n',
      );
      expect(bad.code).toBe(2);
      expect(bad.err()).toContain('BSN is not valid');
      // A person without a BSN (docs/protocol.md §2.2): OPRF epochs only; errors name the part, never the value.
      const withKeyFile = await admin(
        ['gdpr', 'access', '--without-bsn', '--pseudonym-key-file', keyFile, '--epoch', '1'],
        'van der Berg\n2014-03-04\nV\n',
      );
      expect(withKeyFile.code).toBe(2);
      expect(withKeyFile.err()).toContain('scheme_requires_oprf');
      const oprfFlags = [
        '--oprf-epoch',
        '2',
        '--oprf-public-key=4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY',
        '--pseudonym-service-url',
        'http://127.0.0.1:1',
      ];
      const badSurname = await admin(
        ['gdpr', 'access', '--without-bsn', ...oprfFlags],
        'Berg 2\n2014-03-04\nV\n',
      );
      expect(badSurname.code).toBe(2);
      expect(badSurname.err()).toContain('substitute_surname_invalid');
      const halfFlags = await admin(['gdpr', 'erase', '--without-bsn', ...oprfFlags, '--surname', 'Berg']);
      expect(halfFlags.code).toBe(2);
      expect(halfFlags.err()).toContain('--surname, --date-of-birth and --gender together');
      // A pseudonym service that cannot be reached: exit 3, as for the match server (operations.md).
      const serviceDown = await admin(
        ['gdpr', 'access', '--without-bsn', ...oprfFlags.map((f) => (f === '2' ? '3' : f))],
        'van der Berg\n2014-03-04\nV\n',
      );
      expect(serviceDown.err()).toContain('pseudonym service (--pseudonym-service-url) could not be reached');
      expect(serviceDown.code).toBe(3);
      for (const r of [withKeyFile, badSurname, halfFlags, serviceDown])
        expect(r.out() + r.err()).not.toMatch(/Berg|2014-03-04/);
      const unknown = await admin([BSN]);
      expect(unknown.code).toBe(2);
      for (const r of [access, viaFlag, partial, complete, bad, unknown])
        expect(r.out() + r.err()).not.toContain(BSN);
      expect(srv.out()).not.toContain(BSN);

      // logbook-export --out: a file that exists, a folder that does not, one this user may
      // not write — each named as backup names them, exit 2 (docs/operations.md "The admin CLI").
      writeFileSync(join(dir, 'exists.jsonl'), 'kept\n');
      const exists = await admin(['logbook-export', '--out', 'exists.jsonl']);
      expect(exists.code).toBe(2);
      expect(exists.err().trim()).toBe(
        `sluis-server admin: ${join(dir, 'exists.jsonl')} already exists (refusing to overwrite)`,
      );
      expect(readFileSync(join(dir, 'exists.jsonl'), 'utf8')).toBe('kept\n');
      const noFolder = await admin(['logbook-export', '--out', 'no-such-folder/log.jsonl']);
      expect(noFolder.code).toBe(2);
      expect(noFolder.err().trim()).toBe(
        `sluis-server admin: the folder ${join(dir, 'no-such-folder')} does not exist (create it first)`,
      );
      if (
        process.getuid?.() === 0 &&
        readableBy(65534, join(import.meta.dirname, '..', '..', 'bin', 'sluis-server.js'))
      ) {
        const closed = await exportAsNobody(url, join(dir, 'data', 'keys', 'admin.key'));
        expect(closed.code).toBe(2);
        expect(closed.err.trim()).toBe(
          `sluis-server admin: the folder ${closed.folder} cannot be written by this user`,
        );
      }

      // The municipality's last administrator stays (docs/api.md "People"): refused, with what to do.
      const administrator = await admin([
        'add-person',
        '--display-name',
        'Ada Beheer',
        '--role',
        'administrator',
      ]);
      const onlyAdministrator = /person id: (\S+)/.exec(administrator.out())?.[1] ?? '';
      const last = await admin(['remove-person', '--person-id', onlyAdministrator]);
      expect(last.code).toBe(1);
      expect(last.err()).toContain('refused: last_administrator');
      expect(last.err()).toContain('add another one first (add-person --role administrator)');
      const refused = await admin(['suspend', '--id', '00000000-0000-4000-8000-000000000000']);
      expect(refused.code).toBe(1);
      expect(refused.err()).toContain('refused: not_found');
      const down = captureCliIo(dir);
      expect(
        await main(['admin', 'keys', '--server', 'http://127.0.0.1:1', '--data-dir', 'data'], {}, down.io),
      ).toBe(3);
    } finally {
      srv.stop();
      expect(await running).toBe(0);
    }
  });
});
/**
 * `admin logbook-export --out` run by the built CLI as nobody (uid 65534) into a folder of
 * root's, against the server at `url`, signed with a copy of the admin key that nobody owns.
 */
async function exportAsNobody(
  url: string,
  adminKey: string,
): Promise<{ code: number | null; err: string; folder: string }> {
  const work = mkdtempSync(join(tmpdir(), 'sluis-cli-out-'));
  try {
    chmodSync(work, 0o755);
    const key = join(work, 'admin.key');
    writeFileSync(key, readFileSync(adminKey), { mode: 0o600 });
    chownSync(key, 65534, 65534);
    const folder = join(work, 'roots');
    mkdirSync(folder, { mode: 0o755 });
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'sluis-server.js');
    const child = spawn(
      process.execPath,
      [
        bin,
        'admin',
        'logbook-export',
        '--out',
        join(folder, 'log.jsonl'),
        '--server',
        url,
        '--admin-key-file',
        key,
      ],
      {
        cwd: work,
        uid: 65534,
        gid: 65534,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    return { code, err, folder };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
/**
 * Whether a process of `uid` can read `path`: a clone inside a folder closed to other users (a
 * 0700 home or temp folder) cannot run the built CLI as another user, so these tests are skipped
 * there, and say so.
 */
function readableBy(uid: number, path: string): boolean {
  const probe = `require('node:fs').accessSync(${JSON.stringify(path)}, 4)`;
  const ok = spawnSync(process.execPath, ['-e', probe], { uid, gid: uid, timeout: 10_000 }).status === 0;
  if (!ok) console.warn(`skipped: uid ${uid} cannot read ${path} (the checkout is closed to other users)`);
  return ok;
}
