// Regie after a match (docs/engine.md "Working together after a match"): the holder hands it over (recorded, counterpart told),
// nobody else can; and the covenant rule by organisation type gives it to the type
// ranked highest, falling back to the first signaller on a tie.

import { afterEach, describe, expect, it } from 'vitest';
import type { EngineConfig } from '../api.js';
import { resolveConfig } from '../config.js';
import { admin, type Harness, harness, newKeyPair, placement } from '../testing/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function orgOfType(name: string, type: string) {
  const kp = newKeyPair();
  const org = await h.engine.admitOrganisation(admin, { name, type, publicKeys: [kp.publicKey] });
  const keyId = (await h.engine.listKeys(org.id))[0]!.keyId;
  return { org, actor: { kind: 'organisation' as const, organisationId: org.id, keyId } };
}

describe('regie handover', () => {
  it('the holder hands regie to the counterpart; others cannot; ended matches are frozen', async () => {
    h = await harness();
    const [a, b] = [await h.org('A'), await h.org('B')];
    const sa = await h.engine.placeSignal(a.actor, placement(1));
    await h.engine.placeSignal(b.actor, placement(1));
    const matchId = (await h.engine.inbox(a.actor, undefined, 10)).items[0]!.matchId;
    await expect(h.engine.regie(b.actor, matchId, { action: 'handover' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await h.engine.regie(b.actor, matchId, { action: 'propose', for: 'me' });
    h.clock.advance(60_000);
    const v = await h.engine.regie(a.actor, matchId, { action: 'handover' });
    expect(v.regie).toEqual({ holder: 'counterpart', since: h.clock.now, proposal: null });
    expect((await h.engine.getMatch(b.actor, matchId)).regie.holder).toBe('me');
    const overview = (await h.engine.followUpOverview({ noContactAfterDays: 14 })).items;
    expect(overview[0]?.regie).toEqual({ organisationId: b.org.id, since: h.clock.now });
    const log = (await h.engine.logbook(1, 500)).filter((e) => e.action === 'match.regie');
    expect(log.at(-1)?.details).toEqual({ action: 'handover' });
    expect(log.at(-1)?.refs).toMatchObject({ organisationId: a.org.id, matchId });
    const c = await h.org('C');
    await expect(h.engine.regie(c.actor, matchId, { action: 'handover' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await h.engine.withdrawSignal(a.actor, sa.signal.id, 'ended');
    await expect(h.engine.regie(b.actor, matchId, { action: 'handover' })).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});

describe('regie rule by organisation type', () => {
  const config: Partial<EngineConfig> = {
    regieRule: 'organisation_type',
    regieOrganisationTypes: ['social_services', 'youth_care', 'school'],
  };

  it('the highest-ranked type leads even when it signalled second', async () => {
    h = await harness({ config });
    const school = await orgOfType('School', 'school');
    const wijk = await orgOfType('Wijkteam', 'social_services');
    await h.engine.placeSignal(school.actor, placement(1));
    h.clock.advance(1000);
    await h.engine.placeSignal(wijk.actor, placement(1));
    const m = (await h.engine.inbox(wijk.actor, undefined, 10)).items[0]!.match!;
    expect(m.regie).toMatchObject({ holder: 'me', since: h.clock.now });
  });

  it('a tie or unlisted types fall back to the first signaller', async () => {
    h = await harness({ config });
    const gp = await orgOfType('Huisarts', 'general_practice');
    const police = await orgOfType('Politie', 'police');
    await h.engine.placeSignal(gp.actor, placement(1));
    h.clock.advance(1000);
    await h.engine.placeSignal(police.actor, placement(1));
    expect((await h.engine.inbox(gp.actor, undefined, 10)).items[0]!.match!.regie.holder).toBe('me');
    const y1 = await orgOfType('Jeugd 1', 'youth_care');
    const y2 = await orgOfType('Jeugd 2', 'youth_care');
    await h.engine.placeSignal(y1.actor, placement(2));
    h.clock.advance(1000);
    await h.engine.placeSignal(y2.actor, placement(2));
    expect((await h.engine.inbox(y2.actor, undefined, 10)).items[0]!.match!.regie.holder).toBe('counterpart');
  });

  it('the configuration refuses an unknown rule, or unknown types in the precedence list', () => {
    expect(() => resolveConfig({ regieRule: 'loudest' as never })).toThrow(
      expect.objectContaining({ code: 'config_invalid', fields: ['regieRule'] }),
    );
    expect(() =>
      resolveConfig({ regieRule: 'organisation_type', regieOrganisationTypes: ['wijkteam'] }),
    ).toThrow(expect.objectContaining({ fields: ['regieOrganisationTypes'] }));
    expect(() => resolveConfig({ agreementPurposes: ['Free text here'] })).toThrow(
      expect.objectContaining({ fields: ['agreementPurposes'] }),
    );
    expect(resolveConfig({ regieRule: 'organisation_type' }).regieOrganisationTypes).toContain('youth_care');
  });
});
