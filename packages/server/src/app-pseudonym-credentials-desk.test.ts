// POST /v1/pseudonym-credentials for the municipality's GDPR desk (docs/protocol.md §9.7,
// docs/operations.md "The GDPR desk in the portal"): a desk person's session gets a
// credential whose organisation is the municipality's id at the pseudonym service (the
// server's --gdpr-desk-service-organisation-id), whose person is the desk person and whose
// key is the session's; without the setting the desk gets `gdpr_desk_unconfigured` (503);
// the admin key and the other municipality roles are refused; a professional's credential
// still names their organisation.

import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@sluis/engine';
import { PublicKeyVerifier, decodeCredential } from '@sluis/engine/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_LIFETIME_SECONDS } from './routes/pseudonym-credential-routes.js';
import { type Harness, makeHarness } from './testing/harness.js';

const MUNICIPALITY_AT_SERVICE = randomUUID();

let h: Harness;
let bare: Harness;
const desk = async (x: Harness, roles: ('gdpr_desk' | 'auditor' | 'match_coordinator')[] = ['gdpr_desk']) =>
  (await x.engine.addPerson({ kind: 'system' }, { organisationId: null, displayName: 'Dirk Desk', roles }))
    .id;
const codeOf = async (res: Response) => [res.status, ((await res.json()) as { code: string }).code];

beforeAll(async () => {
  h = await makeHarness({ gdprDeskServiceOrganisationId: MUNICIPALITY_AT_SERVICE });
  bare = await makeHarness();
});
afterAll(async () => {
  await h.close();
  await bare.close();
});

describe('POST /v1/pseudonym-credentials for the GDPR desk', () => {
  it('binds the configured municipality id, the desk person and the session key, under the issuer key', async () => {
    const personId = await desk(h);
    const s = await h.signInAs(personId);
    // The harness clock is wall time: the second may turn during the request.
    const before = Math.floor(h.clock.now() / 1000);
    const res = await h.sessionCall(s, 'POST', '/v1/pseudonym-credentials', { body: {} });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({
      organisationId: MUNICIPALITY_AT_SERVICE,
      personId,
      issuerKeyId: h.credentialIssuer.keyId,
    });
    const decoded = decodeCredential(body.credential);
    expect(decoded).toBeDefined();
    const c = decoded!.claims;
    expect(c).toMatchObject({
      issuerKeyId: h.credentialIssuer.keyId,
      organisationId: MUNICIPALITY_AT_SERVICE,
      personId,
      keyId: s.sessionId,
    });
    expect(Buffer.from(c.publicKey).equals(Buffer.from(s.key.publicKey))).toBe(true);
    const after = Math.floor(h.clock.now() / 1000);
    expect(c.issuedAt).toBeGreaterThanOrEqual(before);
    expect(c.issuedAt).toBeLessThanOrEqual(after);
    expect(c.expiresAt).toBe(c.issuedAt + CREDENTIAL_LIFETIME_SECONDS);
    expect(
      new PublicKeyVerifier(h.credentialIssuer.publicKey).verify(decoded!.signed, decoded!.signature),
    ).toBe(true);
    expect(JSON.stringify(body)).not.toContain('Dirk');
  });

  it('a person of an organisation still gets their organisation’s credential', async () => {
    const A = await h.admit('Jeugdzorg Rijnmond');
    const professional = await h.engine.addPerson(
      { kind: 'system' },
      { organisationId: A.id, displayName: 'Petra Prof', roles: ['professional'] },
    );
    const s = await h.signInAs(professional.id);
    const body = (await (
      await h.sessionCall(s, 'POST', '/v1/pseudonym-credentials', { body: {} })
    ).json()) as { credential: string; organisationId: string };
    expect(body.organisationId).toBe(A.id);
    expect(decodeCredential(body.credential)!.claims.organisationId).toBe(A.id);
  });

  it('without the setting: gdpr_desk_unconfigured (503), naming the flag, changing nothing', async () => {
    const s = await bare.signInAs(await desk(bare));
    const before = await bare.engine.verifyLogbook();
    const res = await bare.sessionCall(s, 'POST', '/v1/pseudonym-credentials', { body: {} });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { status: number; code: string; detail: string };
    expect([res.status, problem.status, problem.code]).toEqual([503, 503, 'gdpr_desk_unconfigured']);
    expect(problem.detail).toContain('--gdpr-desk-service-organisation-id');
    expect((await bare.engine.verifyLogbook()).headHash).toBe(before.headHash);
  });

  it('an organisation’s id as the setting: gdpr_desk_unconfigured, nothing charged to that organisation', async () => {
    // One SQLite file: the first server admits the organisation, the second is (mis)configured
    // with its id.
    const path = join(mkdtempSync(join(tmpdir(), 'sluis-desk-')), 'sluis.db');
    const openStore = async (clock: () => number) => openSqliteStore({ path, clock });
    const serverSecret = randomBytes(32);
    const first = await makeHarness({ openStore, serverSecret });
    const A = await first.admit('Jeugdzorg Zuid');
    await first.close();
    const wrong = await makeHarness({ openStore, serverSecret, gdprDeskServiceOrganisationId: A.id });
    try {
      const s = await wrong.signInAs(await desk(wrong));
      const res = await wrong.sessionCall(s, 'POST', '/v1/pseudonym-credentials', { body: {} });
      expect(await codeOf(res)).toEqual([503, 'gdpr_desk_unconfigured']);
    } finally {
      await wrong.close();
    }
  });

  it('refuses the admin key, an auditor and a match coordinator, and a desk person on behalf', async () => {
    const others = [
      await h.signInAs(await desk(h, ['auditor'])),
      await h.signInAs(await desk(h, ['match_coordinator'])),
    ];
    const A = await h.admit('Wijkteam Noord');
    const deskPerson = await desk(h);
    const before = await h.engine.verifyLogbook();
    expect(await codeOf(await h.call(h.admin, 'POST', '/v1/pseudonym-credentials', { body: {} }))).toEqual([
      403,
      'forbidden',
    ]);
    for (const s of others) {
      expect(await codeOf(await h.sessionCall(s, 'POST', '/v1/pseudonym-credentials', { body: {} }))).toEqual(
        [403, 'role_not_permitted'],
      );
    }
    // An organisation key cannot act for a municipality person.
    const res = await h.call(A.key, 'POST', '/v1/pseudonym-credentials', {
      body: {},
      onBehalfOf: deskPerson,
    });
    expect(await codeOf(res)).toEqual([403, 'on_behalf_invalid']);
    expect((await h.engine.verifyLogbook()).headHash).toBe(before.headHash);
  });
});
