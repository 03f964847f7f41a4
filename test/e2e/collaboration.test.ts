// Working together after a match, end to end against the real server process (docs/engine.md "Working together after a match"):
// two organisations admitted by the municipality's CLI, the server configured with the
// regie rule by organisation type; consent through the SDK, agreements and the citizen's
// report through the `sluis` CLI; handover; the municipality's counts-only overview; the
// list frozen after an ended withdrawal and gone after a withdrawal in error.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, waitOverBoundary } from '../support/clock-boundary.js';
import { type Org, World } from '../support/e2e-world.js';

let w: World;
let school: Org;
let wijk: Org;

beforeAll(async () => {
  w = new World();
  await w.start({ args: ['--regie-rule', 'organisation_type'] });
  school = await w.organisation('Basisschool De Linde', 'school');
  wijk = await w.organisation('Wijkteam Noord', 'social_services');
}, 60_000);
afterAll(async () => w?.close());

const today = () => new Date(w.clock()).toISOString().slice(0, 10);
const inDays = (n: number) => new Date(w.clock() + n * 86_400_000).toISOString().slice(0, 10);

describe('collaboration after a match (real server process)', () => {
  it('consent, regie by type, handover, agreements, report, overview, frozen and removed', async () => {
    const bsn = w.bsn();
    const sSchool = await school.client.placeSignal({
      bsn,
      contact: w.contact('mentor'),
      informed: { status: 'not_yet' },
    });
    const sWijk = await wijk.client.placeSignal({
      bsn,
      contact: w.contact('wijkcoach'),
      informed: { status: 'not_yet' },
    });
    const ev = (await wijk.client.matches()).items[0]!;
    const matchId = ev.matchId;
    // social_services ranks above school by default: the second signaller leads
    expect(ev.match?.regie.holder).toBe('me');
    expect(ev.match?.coordination.status).toBe('anonymous');

    await school.client.recordConsent(sSchool.signal.id, {
      date: today(),
      scopes: ['team_meeting', 'share_with_matched'],
      formReference: 'toestemming/2026/77',
    });
    const seen = await wijk.client.getMatch(matchId);
    expect(seen.coordination).toEqual({
      status: 'consented',
      myScopes: [],
      counterpartScopes: ['team_meeting', 'share_with_matched'],
    });
    expect(JSON.stringify(seen)).not.toContain('toestemming/2026/77');

    const added = await w.orgCli(wijk, [
      'agreements',
      'add',
      matchId,
      '--owner',
      'counterpart',
      '--action-kind',
      'case_meeting',
      '--category',
      'school_and_education',
      '--purpose',
      'school_attendance',
      '--due',
      inDays(14),
      '--json',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const agreementId = (JSON.parse(added.stdout) as { id: string }).id;
    const free = await w.orgCli(wijk, [
      'agreements',
      'add',
      matchId,
      '--action-kind',
      'talk to the mother',
      '--category',
      'none',
      '--purpose',
      'school_attendance',
      '--due',
      inDays(14),
    ]);
    expect(free.code).toBe(2);
    expect(free.stderr).toContain('actionKind');

    const handover = await w.orgCli(wijk, ['followup', 'regie', matchId, '--action', 'handover', '--json']);
    expect(handover.code, handover.stderr).toBe(0);
    expect(JSON.parse(handover.stdout).regie.holder).toBe('counterpart');

    const list = await w.orgCli(school, ['agreements', 'list', matchId]);
    expect(list.stdout).toContain('case_meeting');
    expect(list.stdout).toContain('me');

    const nl = await w.orgCli(school, ['report', matchId]);
    expect(nl.code, nl.stderr).toBe(0);
    expect(nl.stdout).toContain('Wijkteam Noord');
    expect(nl.stdout).toContain('Basisschool De Linde');
    expect(nl.stdout).toContain('heeft de regie sinds');
    expect(nl.stdout).toContain('Overleg met de betrokken hulpverleners');
    expect(nl.stdout).toContain('schoolgang ondersteunen');
    expect(nl.stdout).toContain('U heeft toestemming gegeven');
    const en = await w.orgCli(school, ['report', matchId, '--lang', 'en']);
    expect(en.stdout).toContain('is the case lead since');
    expect(en.stdout).toContain('support school attendance');
    expect(en.stdout).not.toMatch(/@|\+31/);

    const st = await w.orgCli(school, ['agreements', 'status', matchId, agreementId, '--status', 'done']);
    expect(st.code, st.stderr).toBe(0);

    // Due today, and still today when the server checks it (a due date before its today is
    // refused): not in the last 10 s of a UTC day on the server's wall clock.
    await waitOverBoundary(w.clock, DAY_MS, 10_000);
    await wijk.client.addAgreement(matchId, {
      owner: 'me',
      actionKind: 'home_visit',
      informationCategory: 'housing',
      purpose: 'assess_need',
      dueDate: today(),
    });
    const overview = await w.admin(['agreements-overview', '--json']);
    expect(overview.code, overview.stderr).toBe(0);
    expect(overview.stdout).toContain(matchId);
    expect(JSON.parse(overview.stdout).items[0].counts).toMatchObject({ total: 2, open: 1, done: 1 });
    expect(overview.stdout).not.toMatch(/home_visit|case_meeting/);

    // ended: readable, frozen
    await school.client.withdraw(sSchool.signal.id, 'ended');
    expect(await wijk.client.listAgreements(matchId)).toHaveLength(2);
    await expect(
      wijk.client.addAgreement(matchId, {
        owner: 'me',
        actionKind: 'evaluate',
        informationCategory: 'none',
        purpose: 'coordinate_support',
        dueDate: inDays(1),
      }),
    ).rejects.toMatchObject({ details: { problemCode: 'conflict' } });

    // error: gone with the match
    await wijk.client.withdraw(sWijk.signal.id, 'error');
    await expect(wijk.client.listAgreements(matchId)).rejects.toMatchObject({
      details: { problemCode: 'not_found' },
    });
    await expect(school.client.listAgreements(matchId)).rejects.toMatchObject({
      details: { problemCode: 'not_found' },
    });
    expect(w.serverOutput.join('')).not.toContain('toestemming/2026/77');
  }, 120_000);
});
