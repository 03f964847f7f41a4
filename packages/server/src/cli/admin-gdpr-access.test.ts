// `sluis-server admin gdpr access` for a citizen who is named only as a parent, through
// main(argv, env, io) against a real server: two organisations each signal one of the
// citizen's children with the citizen as a parent (a family match). The desk's overview
// lists both children's signals under "as a parent:" and the family match as built on them;
// the citizen's report (--lang) tells both in plain words (docs/privacy.md §2, art. 15). No
// BSN, no id in the report, and no professional's contact details anywhere. The overview's line
// of each own signal says the informed status, a restriction and an objection.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, createClient } from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCliIo } from '../testing/cli-io.js';
import { main } from './main.js';
import { casePseudonymKey, caseSigningKey } from '../../../../test/support/case-keys.js';

const PARENT = '111222333';
const CHILDREN = ['231000005', '231000017'] as const;
const COVENANT_KEY = 'ef'.repeat(32);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluis-cli-gdpr-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A server started through main() on its own data directory, the desk's `admin` runner (everything it
 * prints kept for the leak check), the covenant key as a file, and organisations admitted by the CLI. */
async function deskServer(dataDir: string) {
  const srv = captureCliIo(dir);
  const running = main(['start', '--data-dir', dataDir, '--port', '0'], {}, srv.io);
  const url = await srv.waitStarted();
  const printed: string[] = [];
  const admin = async (argv: string[], stdin?: string) => {
    const c = captureCliIo(dir, stdin === undefined ? {} : { readStdin: async () => stdin });
    const code = await main(['admin', ...argv, '--server', url, '--data-dir', dataDir], {}, c.io);
    printed.push(c.out(), c.err());
    return { code, ...c };
  };
  const keyFile = join(dir, `covenant-${dataDir}.key`);
  writeFileSync(keyFile, `${COVENANT_KEY}\n`, { mode: 0o600 });
  const pseudonymKey = casePseudonymKey(Buffer.from(COVENANT_KEY, 'hex'), 1);
  /** Admits an organisation with a new key and returns a client signing with it. */
  const admitted = async (name: string, type: string) => {
    const signingKey = caseSigningKey();
    const done = await admin([
      'admit-organisation',
      '--name',
      name,
      '--type',
      type,
      '--public-key',
      base64url.encode(signingKey.publicKey),
    ]);
    expect(done.code, done.err()).toBe(0);
    return createClient({ serverUrl: url, signingKey, pseudonymKeys: [pseudonymKey], retries: 0 });
  };
  /** `admin gdpr access` for one citizen, the BSN on stdin. */
  const gdprAccess = (bsn: string, extra: string[] = []) =>
    admin(['gdpr', 'access', '--pseudonym-key-file', keyFile, '--epoch', '1', ...extra], `${bsn}\n`);
  /** What the server logged and the desk printed. */
  const everything = () => srv.out() + srv.err() + printed.join('');
  /** What the server logged. */
  const serverLog = () => srv.out() + srv.err();
  const stop = async () => {
    srv.stop();
    expect(await running).toBe(0);
  };
  return { admin, admitted, gdprAccess, keyFile, everything, serverLog, stop };
}

describe('sluis-server admin gdpr access, the citizen as a parent', () => {
  it('lists the children’s signals under “as a parent:” and the family match built on them', async () => {
    const desk = await deskServer('data');
    try {
      const contacts = [
        { name: 'Anna Aalders', role: 'jeugdconsulent', email: 'a.aalders@jeugdzorg.example.nl' },
        { name: 'Bert Bakker', role: 'intern begeleider', email: 'b.bakker@school.example.nl' },
      ];
      const orgs = ['Jeugdzorg Rijnmond', 'Basisschool De Horizon'];
      const signalIds: string[] = [];
      for (const [i, name] of orgs.entries()) {
        const client = await desk.admitted(name, i === 0 ? 'youth_care' : 'school');
        const placed = await client.placeSignal({
          bsn: CHILDREN[i]!,
          parentsBsn: [PARENT],
          contact: contacts[i]!,
          informed: { status: 'representative', date: new Date().toISOString().slice(0, 10) },
        });
        signalIds.push(placed.signal.id);
      }
      const gdprAccess = (extra: string[] = []) => desk.gdprAccess(PARENT, extra);

      const overview = await gdprAccess();
      expect(overview.code, overview.err()).toBe(0);
      const lines = overview.out().split('\n');
      const at = (heading: string) => lines.findIndex((l) => l.startsWith(heading));
      expect(lines[at('signals:')]).toBe('signals: 0');
      expect(lines[at('as a parent:')]).toBe('as a parent: 2');
      const asParent = lines.slice(at('as a parent:') + 1, at('matches:'));
      expect(asParent.map((l) => l.split(/ {2}/).slice(1, 4)).sort()).toEqual(
        signalIds.map((id, i) => [`signal ${id}`, orgs[i], 'active']).sort(),
      );
      expect(lines[at('matches:')]).toBe('matches: 1');
      expect(lines[at('matches:') + 1]).toMatch(
        new RegExp(
          `^ {2}match \\S+ {2}family {2}active {2}(${orgs.join('|')}) / (${orgs.join('|')}) {2}via parent$`,
        ),
      );

      for (const [lang, heading, family] of [
        ['nl', 'Meldingen over een kind, met u als ouder', 'Gezinsmatches via u als ouder'],
        ['en', 'Signals about a child that name you as a parent', 'Family matches through you as a parent'],
      ] as const) {
        const report = await gdprAccess(['--lang', lang]);
        expect(report.code, report.err()).toBe(0);
        const text = report.out();
        const section = text.slice(text.indexOf(heading), text.indexOf(family));
        for (const name of orgs) expect(section).toContain(`- ${name} `);
        expect(section.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(2);
        const matchLine = text.slice(text.indexOf(family)).split('\n')[2];
        expect(matchLine).toMatch(
          lang === 'nl' ? /kregen een gezinsmatch \(actief\)$/ : /family match \(active\)$/,
        );
        for (const id of signalIds) expect(text).not.toContain(id);
      }
      // Nothing the server logged or the desk printed holds a BSN or a professional's contact.
      const everything = desk.everything();
      for (const secret of [PARENT, ...CHILDREN, ...contacts.flatMap((c) => [c.name, c.email])])
        expect(everything).not.toContain(secret);
    } finally {
      await desk.stop();
    }
  });

  it('lists an archive notice (received, read again) and an existing answer; the report words them (API 1.9.0)', async () => {
    const desk = await deskServer('data-notice');
    try {
      const citizen = CHILDREN[0];
      const contacts = [
        { name: 'Oud Melder', role: 'mentor', phone: '0600000031' },
        { name: 'Nieuw Melder', role: 'mentor', phone: '0600000032' },
      ];
      const a = await desk.admitted('Jeugdzorg Rijnmond', 'youth_care');
      const b = await desk.admitted('Basisschool De Linde', 'school');
      const today = new Date().toISOString().slice(0, 10);
      const old = await a.placeSignal({
        bsn: citizen,
        contact: contacts[0]!,
        informed: { status: 'citizen', date: today },
      });
      await a.withdraw(old.signal.id, 'ended');
      const fresh = await b.placeSignal({
        bsn: citizen,
        contact: contacts[1]!,
        informed: { status: 'not_yet' },
      });
      expect(await b.archiveNotices(fresh.signal.id)).toHaveLength(1);
      const again = await b.placeSignal({
        bsn: citizen,
        contact: contacts[1]!,
        informed: { status: 'not_yet' },
      });
      expect(again.outcome).toBe('existing');
      const gdprAccess = (extra: string[] = []) => desk.gdprAccess(citizen, extra);

      const overview = (await gdprAccess()).out();
      expect(overview).toContain('received or viewed: 3\n');
      expect(overview).toMatch(
        new RegExp(
          `  received \\S+  Basisschool De Linde  organisation  via archive notice  signal ${old.signal.id}\n`,
        ),
      );
      expect(overview).toMatch(
        new RegExp(
          `  viewed \\S+  Basisschool De Linde  organisation  via archive notice  signal ${old.signal.id}\n`,
        ),
      );
      expect(overview).toMatch(
        new RegExp(
          `  viewed \\S+  Basisschool De Linde  organisation  via existing  signal ${fresh.signal.id}\n`,
        ),
      );
      const nl = (await gdprAccess(['--lang', 'nl'])).out();
      expect(nl).toContain('(een archiefbericht)');
      expect(nl).toContain('heeft dat archiefbericht opnieuw ingezien');
      expect(nl).toContain('zag bij een melding of opzoeking dat uw melding al bestond');
      expect(nl).toContain('U bent nog niet over deze melding geïnformeerd');
      const en = (await gdprAccess(['--lang', 'en'])).out();
      expect(en).toContain('(an archive notice)');
      expect(en).toContain('viewed that archive notice again');
      expect(en).toContain('that yours already existed');
      expect(en).toContain('You were informed of this signal on');
      // Ids only: the logbook export names no contact; neither does anything printed or logged.
      const exported = await desk.admin(['logbook-export']);
      expect(exported.code, exported.err()).toBe(0);
      expect(exported.out()).toContain('"signal.found"');
      const everything = desk.everything();
      for (const secret of [citizen, ...contacts.flatMap((c) => [c.name, c.phone])])
        expect(everything).not.toContain(secret);
    } finally {
      await desk.stop();
    }
  });
});

// docs/leakage.md §3.5 "Where the link from a citizen to their access requests lives": the
// `gdpr.access` entry holds counts only; a later access lists the earlier request as viewed
// by the municipality; after an erasure no logbook entry of a request and no log line names a
// signal of the person, and a new signal of the same person is not linked to the old requests.
describe('sluis-server admin gdpr access, earlier requests and an erasure', () => {
  it('lists an earlier request as viewed; erased, nothing exported or logged links it to the person', async () => {
    const desk = await deskServer('data-erase');
    try {
      const citizen = CHILDREN[0];
      const contact = { name: 'Erik Wisser', role: 'mentor', phone: '0600000051' };
      const a = await desk.admitted('Jeugdzorg Rijnmond', 'youth_care');
      const b = await desk.admitted('Basisschool De Linde', 'school');
      const ids = [
        (await a.placeSignal({ bsn: citizen, contact, informed: { status: 'not_yet' } })).signal.id,
        (await b.placeSignal({ bsn: citizen, contact, informed: { status: 'not_yet' } })).signal.id,
      ];
      const gdpr = async (sub: string) => {
        const r = await desk.admin(
          ['gdpr', sub, '--pseudonym-key-file', desk.keyFile, '--epoch', '1'],
          `${citizen}\n`,
        );
        expect(r.code, r.err()).toBe(0);
        return r.out();
      };
      const requestLines = (overview: string) =>
        overview.split('\n').filter((l) => /^ {2}viewed \S+ {2}municipality {2}municipality$/.test(l));
      expect(requestLines(await gdpr('access'))).toHaveLength(0);
      expect(requestLines(await gdpr('access'))).toHaveLength(1);
      expect(requestLines(await gdpr('access'))).toHaveLength(2);
      await gdpr('erase');
      // Signalled again: the requests made before the erasure are not this signal's.
      await a.placeSignal({ bsn: citizen, contact, informed: { status: 'not_yet' } });
      expect(requestLines(await gdpr('access'))).toHaveLength(0);
      const exported = await desk.admin(['logbook-export']);
      expect(exported.code, exported.err()).toBe(0);
      const entries = exported
        .out()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { action: string; refs: Record<string, string> });
      const requests = entries.filter((e) => e.action.startsWith('gdpr.'));
      expect(requests.map((e) => [e.action, e.refs])).toEqual([
        ['gdpr.access', {}],
        ['gdpr.access', {}],
        ['gdpr.access', {}],
        ['gdpr.erased', {}],
        ['gdpr.access', {}],
      ]);
      const requestText = JSON.stringify(requests);
      const logged = desk.serverLog();
      for (const id of ids) {
        expect(requestText).not.toContain(id);
        expect(logged).not.toContain(id);
      }
      const everything = desk.everything();
      for (const secret of [citizen, contact.name, contact.phone]) expect(everything).not.toContain(secret);
    } finally {
      await desk.stop();
    }
  });
});

// docs/privacy.md §2 art. 15: the overview, as the report and --json, says per own signal
// whether the citizen was informed, a restriction, and a pending or rejected objection.
describe('sluis-server admin gdpr access, the overview’s signal lines', () => {
  it('prints each own signal’s informed status, restriction and objection on its line', async () => {
    const desk = await deskServer('data-status');
    try {
      const citizen = CHILDREN[1];
      const today = new Date().toISOString().slice(0, 10);
      const contact = { name: 'Carla Status', role: 'mentor', phone: '0600000041' };
      const a = await desk.admitted('Jeugdzorg Rijnmond', 'youth_care');
      const b = await desk.admitted('Basisschool De Linde', 'school');
      const informed = await a.placeSignal({
        bsn: citizen,
        contact,
        informed: { status: 'citizen', date: today },
      });
      const notYet = await b.placeSignal({ bsn: citizen, contact, informed: { status: 'not_yet' } });
      const gdpr = async (sub: string, extra: string[] = []) => {
        const r = await desk.admin(
          ['gdpr', sub, '--pseudonym-key-file', desk.keyFile, '--epoch', '1', ...extra],
          `${citizen}\n`,
        );
        expect(r.code, r.err()).toBe(0);
        return r.out();
      };
      /** The overview's line of each signal, from its status on. */
      const tails = async () => {
        const lines = (await gdpr('access')).split('\n');
        return [informed, notYet].map((p) => {
          const line = lines.find((l) => l.startsWith(`  signal ${p.signal.id}  `)) ?? '';
          return line.slice(line.indexOf('  active  placed ')).replace(/placed \S+/, 'placed D');
        });
      };
      expect(await tails()).toEqual([
        `  active  placed D  informed citizen ${today}`,
        '  active  placed D  informed not yet',
      ]);
      await gdpr('restrict');
      expect(await tails()).toEqual([
        `  active  placed D  informed citizen ${today}  restricted`,
        '  active  placed D  informed not yet  restricted',
      ]);
      await gdpr('unrestrict');
      await gdpr('object', ['--status', 'pending']);
      expect(await tails()).toEqual([
        `  active  placed D  informed citizen ${today}  restricted  objection pending`,
        '  active  placed D  informed not yet  restricted  objection pending',
      ]);
      await gdpr('object', ['--status', 'rejected']);
      expect(await tails()).toEqual([
        `  active  placed D  informed citizen ${today}  objection rejected`,
        '  active  placed D  informed not yet  objection rejected',
      ]);
      const everything = desk.everything();
      for (const secret of [citizen, contact.name, contact.phone]) expect(everything).not.toContain(secret);
    } finally {
      await desk.stop();
    }
  });
});
