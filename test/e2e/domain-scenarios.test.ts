// End-to-end scenarios 11 (the legal basis: a 23+ signal on consent and one on recorded
// non-objection (through the SDK, `sluis signal` and `sluis import`), the one-time archive notice — once, never twice, never to the archived
// side, never after purge), 12 (objections: registered with their term, "under objection"
// only, rejected and upheld, a late one refused) and 13 (management information with
// small-cell suppression, CSV and JSON, the same cells in every export) on a real server
// process with the test clock, reached through the SDK, the `sluis` CLI and `sluis-server
// admin` only. Ends with the leak proof over every byte the server wrote.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World, inboxOf, lastCursor, newEvents } from '../support/e2e-world.js';
import { leakProof } from '../support/leak-proof.js';

const DAY = 86_400_000;
const world = new World();
let A: Org;
let B: Org;
let C: Org;
let P: Org;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const today = () => isoDay(world.clock());
const informed = () => ({ status: 'citizen' as const, date: today() });
const refused = (problemCode: string) =>
  expect.objectContaining({ code: 'server_error', details: expect.objectContaining({ problemCode }) });
const BIRTH_DATE = '1961-07-19';

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
const logbook = async () =>
  (await world.admin(['logbook-export'])).stdout
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as { action: string; refs: Record<string, string>; details: Record<string, unknown> },
    );

/** Moves the test clock to 01:00 UTC on the second day of the next month (the last one closes). */
async function toSecondOfNextMonth(): Promise<void> {
  const now = new Date(world.clock());
  const target = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 2, 1, 0, 0);
  const seconds = Math.ceil((target - world.clock()) / 1000);
  await world.advanceClock(Math.floor(seconds / 86_400), seconds % 86_400);
}

beforeAll(async () => {
  await world.start({ testClock: true, args: ['--retention-interval', '0', '--archive-term-days', '40'] });
  A = await world.organisation('Jeugdzorg Rijnmond', 'youth_care');
  B = await world.organisation('Wijkteam Feijenoord', 'social_services');
  C = await world.organisation('Schuldhulp Rotterdam', 'debt_counselling');
  P = await world.organisation('Politie Eenheid Rotterdam', 'police');
  // Every placement up to scenario 13a falls in one month: not within a day of its end.
  const now = new Date(world.clock());
  if (Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - world.clock() < DAY)
    await toSecondOfNextMonth();
  firstMonth = monthOf(world.clock());
});
afterAll(() => world.close());

let firstMonth = '';
/** Youth care's placements in firstMonth (every one before the first clock move). */
let youthPlaced = 0;
let archivedSignalId = '';
let firstExport = '';

describe.sequential('domain scenarios (real server process, test clock)', { timeout: 180_000 }, () => {
  it('11a. a 23+ signal on consent and on non-objection; the archive notice once, never twice, never to the archived side', async () => {
    const X = world.bsn();
    // The SDK decides the age band from the birth date locally and refuses jeugdwet at 23+.
    await expect(
      A.client.placeSignal({
        bsn: X,
        contact: world.contact(),
        informed: informed(),
        dateOfBirth: BIRTH_DATE,
      }),
    ).rejects.toMatchObject({ code: 'legal_basis_invalid' });
    const consent = await A.client.placeSignal({
      bsn: X,
      contact: world.contact(),
      informed: informed(),
      dateOfBirth: BIRTH_DATE,
      legalBasis: 'consent',
      attestation: { date: today(), formReference: 'TOEST-2026-114' },
    });
    expect(consent.outcome).toBe('created');
    youthPlaced++;
    expect(consent.signal.legalBasis).toBe('consent');
    // Not capped at a 23rd birthday: the 2-year active term applies.
    expect(Date.parse(consent.signal.expiresAt) - world.clock()).toBeGreaterThan(700 * DAY);
    // B, through the `sluis` CLI: recorded non-objection.
    const cB = world.contact('wijkcoach');
    const viaCli = await world.orgCli(
      B,
      [
        'signal',
        '--name',
        cB.name,
        '--role',
        cB.role,
        '--phone',
        cB.phone!,
        '--informed',
        'citizen',
        '--informed-date',
        today(),
        '--date-of-birth',
        BIRTH_DATE,
        '--legal-basis',
        'no_objection',
        '--attestation-date',
        today(),
        '--json',
      ],
      `${X}\n`,
    );
    expect(viaCli.code, viaCli.stderr).toBe(0);
    expect(JSON.parse(viaCli.stdout)).toMatchObject({
      outcome: 'created',
      signal: { legalBasis: 'no_objection' },
    });
    // They match like any two signals.
    expect((await inboxOf(A.client)).some((e) => e.match?.counterpart.organisationName === B.name)).toBe(
      true,
    );
    const placed = (await logbook()).filter(
      (e) => e.action === 'signal.placed' && e.details.basis !== undefined,
    );
    expect(placed.map((e) => [e.details.basis, e.details.attestedOn])).toEqual([
      ['consent', today()],
      ['no_objection', today()],
    ]);
    expect(placed[0]!.details.formReference).toBe(true);
    // The same through `sluis import`: a 23+ row on consent goes in; one without a basis
    // (jeugdwet) is refused locally and never sent.
    const csv = join(world.work, 'adults.csv');
    writeFileSync(
      csv,
      'bsn,name,role,email,informed_status,informed_date,date_of_birth,legal_basis,attestation_date\r\n' +
        `${world.bsn()},A. Agent,wijkagent,a@example.nl,citizen,${today()},${BIRTH_DATE},consent,${today()}\r\n` +
        `${world.bsn()},A. Agent,wijkagent,a@example.nl,citizen,${today()},${BIRTH_DATE},,\r\n`,
      { mode: 0o600 },
    );
    const imported = await world.orgCli(P, ['import', csv, '--json']);
    expect(imported.code, imported.stderr).toBe(4); // some rows failed
    expect(JSON.parse(imported.stdout)).toMatchObject({ outcomes: { created: 1, invalid: 1 } });
    const bases = (await logbook()).filter(
      (e) => e.action === 'signal.placed' && e.details.basis !== undefined,
    );
    expect(bases.map((e) => e.details.basis)).toEqual(['consent', 'no_objection', 'consent']);
    for (const out of [...world.serverOutput, ...world.adminOutput]) {
      expect(out).not.toContain(BIRTH_DATE);
      expect(out).not.toContain('TOEST-2026-114');
    }

    // The archive notice: B's signal for Y is archived; C signals Y through the CLI.
    const Y = world.bsn();
    const archivedContact = world.contact('ambulant hulpverlener');
    const old = await B.client.placeSignal({ bsn: Y, contact: archivedContact, informed: informed() });
    await B.client.withdraw(old.signal.id, 'ended');
    archivedSignalId = old.signal.id;
    const bFrom = await lastCursor(B.client);
    const cC = world.contact('schuldhulpverlener');
    const noticed = await world.orgCli(
      C,
      ['signal', '--name', cC.name, '--role', cC.role, '--email', cC.email!, '--informed', 'not_yet'],
      `${Y}\n`,
    );
    expect(noticed.code).toBe(0);
    expect(noticed.stdout).toContain(`archive notice: ${B.name}`);
    expect(noticed.stdout).toContain(archivedContact.name);
    const cSignalId = /signal ([0-9a-f-]{36})/.exec(noticed.stdout)![1]!;
    const again = await C.client.archiveNotices(cSignalId);
    expect(again.map((n) => [n.organisationName, n.contact])).toEqual([[B.name, archivedContact]]);
    // Never to the archived side, and no match for anyone.
    expect(await newEvents(B.client, bFrom)).toEqual([]);
    expect(await inboxOf(C.client)).toEqual([]);
    // Never twice for the pair: C withdraws in error and signals Y again.
    await C.client.withdraw(cSignalId, 'error');
    const second = await C.client.placeSignal({ bsn: Y, contact: cC, informed: informed() });
    expect('archiveNotices' in second).toBe(false);
    const listed = await world.orgCli(C, ['archive-notices', second.signal.id]);
    expect(listed.stdout.trim()).toBe('(none)');
  });

  it('12a. objections: registered within the term, "under objection" only; rejected restores the contacts', async () => {
    const G = world.bsn(true);
    const cA = world.contact();
    const cB = world.contact('wijkcoach');
    const sA = await A.client.placeSignal({ bsn: G, contact: cA, informed: informed() });
    youthPlaced++;
    const sB = await B.client.placeSignal({ bsn: G, contact: cB, informed: informed() });
    const aFrom = await lastCursor(A.client);
    const matchId = (await inboxOf(B.client)).find((e) => e.match?.ownSignalId === sB.signal.id)!.matchId;

    const reg = await world.gdpr('object', G, ['--status', 'pending', '--received-on', today()]);
    expect(reg.code).toBe(0);
    expect(JSON.parse(reg.stdout)).toEqual({ signals: 2, parentLinks: 0, onTime: true });
    const told = await newEvents(A.client, aFrom);
    expect(told.map((e) => e.type)).toEqual(['match.updated']);
    expect(told[0]!.match).toMatchObject({
      underObjection: true,
      counterpart: { organisationName: B.name, contact: null },
    });
    expect((await B.client.getMatch(matchId)).counterpart.contact).toBeNull();
    expect((await A.client.getSignal(sA.signal.id)).underObjection).toBe(true);
    const list = await world.orgCli(A, ['signals']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('UNDER OBJECTION');
    const inbox = await world.orgCli(B, ['matches']);
    expect(inbox.stdout).toContain('UNDER OBJECTION');
    // No new matches meanwhile; C's new signal is restricted but says nothing.
    const cFrom = await lastCursor(C.client);
    const sC = await C.client.placeSignal({ bsn: G, contact: world.contact(), informed: informed() });
    expect(sC.signal.underObjection).toBe(false);
    expect(await newEvents(C.client, cFrom)).toEqual([]);

    // Rejected: contacts are revealed again, and C catches up with A and B.
    expect((await world.gdpr('object', G, ['--status', 'rejected'])).code).toBe(0);
    expect((await B.client.getMatch(matchId)).counterpart.contact).toEqual(cA);
    expect((await A.client.getSignal(sA.signal.id)).underObjection).toBe(false);
    const cNames = (await newEvents(C.client, cFrom))
      .filter((e) => e.type === 'match.created')
      .map((e) => e.match?.counterpart.organisationName)
      .sort();
    expect(cNames).toEqual([A.name, B.name].sort());
  });

  it('13a. management information: a closed month only, small cells "<5", CSV and JSON agree', async () => {
    for (let i = 0; i < 6; i++) {
      await A.client.placeSignal({ bsn: world.bsn(i === 0), contact: world.contact(), informed: informed() });
      youthPlaced++;
    }
    await P.client.placeSignal({
      bsn: world.bsn(),
      contact: world.contact('wijkagent'),
      informed: informed(),
    });
    // The month is still open: refused, nothing computed.
    const open = await world.admin(['management-info', '--from', firstMonth, '--to', firstMonth]);
    expect(open.code).toBe(1);
    expect(open.stderr).toContain('validation_failed');
    expect(open.stderr).toContain('--to must be a closed month');
    await toSecondOfNextMonth();
    const csv = await world.admin([
      'management-info',
      '--from',
      firstMonth,
      '--to',
      firstMonth,
      '--format',
      'csv',
    ]);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'month,organisation_type,signals_placed,signals_withdrawn,matches,contact_made,already_in_contact,no_contact_needed,client_refused,median_days_to_contact',
    );
    expect(lines).toHaveLength(10); // one row per configured organisation type
    expect(lines.find((l) => l.startsWith(`${firstMonth},youth_care,`))).toMatch(
      new RegExp(`^${firstMonth},youth_care,${youthPlaced},`),
    );
    expect(lines).toContain(`${firstMonth},police,<5,<5,<5,<5,<5,<5,<5,<5`);
    const json = await world.adminJson<{ threshold: number; rows: Record<string, unknown>[] }>([
      'management-info',
      '--from',
      firstMonth,
      '--to',
      firstMonth,
    ]);
    expect(json.threshold).toBe(5);
    expect(json.rows.find((r) => r.organisationType === 'youth_care')).toMatchObject({
      signalsPlaced: youthPlaced,
    });
    expect(json.rows.find((r) => r.organisationType === 'police')).toMatchObject({ signalsPlaced: '<5' });
    firstExport = csv.stdout;
  });

  it('11b. never after purge: the archived signal is purged before the next signal about the person', async () => {
    // Never after purge: B's archived signal for Z is purged before P signals Z.
    const Z = world.bsn();
    const z = await B.client.placeSignal({ bsn: Z, contact: world.contact(), informed: informed() });
    await B.client.withdraw(z.signal.id, 'ended');
    await world.advanceClock(41);
    const retention = await world.adminJson<{ purgedSignals: number }>(['retention-run']);
    expect(retention.purgedSignals).toBeGreaterThanOrEqual(2);
    const afterPurge = await P.client.placeSignal({ bsn: Z, contact: world.contact(), informed: informed() });
    expect(afterPurge.outcome).toBe('created');
    expect('archiveNotices' in afterPurge).toBe(false);
    const notices = (await logbook()).filter((e) => e.action === 'archive.notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.refs.archivedSignalId).toBe(archivedSignalId);
  });

  it('12b. the term: a late objection is refused, an excused one registered, then upheld: erasure', async () => {
    // The term: informed today, received 50 days later → late; excused, it is registered.
    const K = world.bsn();
    const sK = await A.client.placeSignal({ bsn: K, contact: world.contact(), informed: informed() });
    await world.advanceClock(50);
    const late = await world.gdpr('object', K, ['--status', 'pending', '--received-on', today()]);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('objection_out_of_term');
    expect((await A.client.getSignal(sK.signal.id)).underObjection).toBe(false);
    const excused = await world.gdpr('object', K, [
      '--status',
      'pending',
      '--received-on',
      today(),
      '--late-excused',
    ]);
    expect(excused.code).toBe(0);
    // Upheld: erasure as art. 17.
    expect((await world.gdpr('object', K, ['--status', 'upheld'])).code).toBe(0);
    await expect(A.client.getSignal(sK.signal.id)).rejects.toEqual(refused('not_found'));
    const objections = (await logbook()).filter((e) => e.action === 'gdpr.objection');
    expect(objections.map((e) => e.details.status)).toEqual(['pending', 'rejected', 'pending', 'upheld']);
    expect(objections[2]!.details).toMatchObject({ onTime: false });
  });

  it('13b. the first month exported again after all that: the same cells, byte for byte', async () => {
    const again = await world.admin([
      'management-info',
      '--from',
      firstMonth,
      '--to',
      firstMonth,
      '--format',
      'csv',
    ]);
    expect(again.stdout).toBe(firstExport);
    // A wider range holds the same row for that month, and nothing that sums months.
    const to = monthOf(world.clock() - 40 * DAY);
    const wide = await world.admin(['management-info', '--from', firstMonth, '--to', to, '--format', 'csv']);
    expect(wide.code, wide.stderr).toBe(0);
    const rows = wide.stdout.trimEnd().split('\r\n').slice(1);
    for (const line of firstExport.trimEnd().split('\r\n').slice(1)) expect(rows).toContain(line);
    expect(rows.every((r) => /^\d{4}-\d{2},[a-z_]+,/.test(r))).toBe(true);
  });

  it('leak proof: no BSN, pseudonym or key in any byte the server wrote; contact details only where allowed', async () => {
    const stored = world.contact();
    await A.client.placeSignal({ bsn: world.bsn(), contact: stored, informed: informed() });
    await leakProof(world, { storedContact: stored });
  });
});
