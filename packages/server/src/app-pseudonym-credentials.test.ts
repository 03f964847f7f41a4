// POST /v1/pseudonym-credentials (docs/protocol.md §9.7): a person's request gets a
// credential whose every claim comes from the verified request — organisation, person, the
// key id and public key that signed it (an organisation key on behalf of a person, or a
// passkey session's key) — signed by the server's issuer key; the
// organisation key alone is refused with `person_required`; a suspended organisation gets
// nothing; the answer holds no pseudonym, name or anything the request sent.

import { ORGANISATION_ROLES } from '@sluis/engine';
import { PublicKeyVerifier, decodeCredential } from '@sluis/engine/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_LIFETIME_SECONDS } from './routes/pseudonym-credential-routes.js';
import { type Harness, makeHarness } from './testing/harness.js';

let h: Harness;
let A: Awaited<ReturnType<Harness['admit']>>;
let professional: string;

beforeAll(async () => {
  h = await makeHarness();
  A = await h.admit('Jeugdzorg Rijnmond');
  professional = (
    await h.engine.addPerson(
      { kind: 'system' },
      { organisationId: A.id, displayName: 'Petra Prof', roles: [ORGANISATION_ROLES[0]] },
    )
  ).id;
});
afterAll(async () => h.close());

describe('POST /v1/pseudonym-credentials', () => {
  it('binds the organisation, the person and the key that signed, under the issuer key', async () => {
    // The harness clock is wall time: the second may turn during the request.
    const before = Math.floor(h.clock.now() / 1000);
    const res = await h.call(A.key, 'POST', '/v1/pseudonym-credentials', {
      body: {},
      onBehalfOf: professional,
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({
      organisationId: A.id,
      personId: professional,
      issuerKeyId: h.credentialIssuer.keyId,
    });
    const decoded = decodeCredential(body.credential);
    expect(decoded).toBeDefined();
    const c = decoded!.claims;
    expect(c).toMatchObject({
      issuerKeyId: h.credentialIssuer.keyId,
      organisationId: A.id,
      personId: professional,
      keyId: A.key.keyId,
    });
    expect(Buffer.from(c.publicKey).equals(Buffer.from(A.key.publicKey))).toBe(true);
    const after = Math.floor(h.clock.now() / 1000);
    expect(c.issuedAt).toBeGreaterThanOrEqual(before);
    expect(c.issuedAt).toBeLessThanOrEqual(after);
    expect(c.expiresAt).toBe(c.issuedAt + CREDENTIAL_LIFETIME_SECONDS);
    expect(new Date(body.expiresAt!).getTime()).toBe(c.expiresAt * 1000);
    expect(
      new PublicKeyVerifier(h.credentialIssuer.publicKey).verify(decoded!.signed, decoded!.signature),
    ).toBe(true);
    expect(JSON.stringify(body)).not.toContain('Petra');
    // Two credentials are two: each has its own id.
    const again = (await (
      await h.call(A.key, 'POST', '/v1/pseudonym-credentials', { body: {}, onBehalfOf: professional })
    ).json()) as { credential: string };
    expect(decodeCredential(again.credential)!.claims.credentialId).not.toBe(c.credentialId);
  });

  it('a passkey session gets one bound to its session id and session public key (§10.4)', async () => {
    const s = await h.signInAs(professional);
    const res = await h.sessionCall(s, 'POST', '/v1/pseudonym-credentials', { body: {} });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { credential: string; personId: string };
    expect(body.personId).toBe(professional);
    const c = decodeCredential(body.credential)!.claims;
    expect(c).toMatchObject({ organisationId: A.id, personId: professional, keyId: s.sessionId });
    expect(Buffer.from(c.publicKey).equals(Buffer.from(s.key.publicKey))).toBe(true);
    // A session of a person without the professional role is refused like any route.
    const coordinator = await h.engine.addPerson(
      { kind: 'system' },
      { organisationId: A.id, displayName: 'Cor Coordinator', roles: ['organisation_coordinator'] },
    );
    const other = await h.signInAs(coordinator.id);
    const refused = await h.sessionCall(other, 'POST', '/v1/pseudonym-credentials', { body: {} });
    expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([
      403,
      'role_not_permitted',
    ]);
  });

  it('refuses the organisation key alone, a body, and a suspended organisation, changing nothing', async () => {
    const before = await h.engine.verifyLogbook();
    const alone = await h.call(A.key, 'POST', '/v1/pseudonym-credentials', { body: {} });
    expect([alone.status, ((await alone.json()) as { code: string }).code]).toEqual([403, 'person_required']);
    const extra = await h.call(A.key, 'POST', '/v1/pseudonym-credentials', {
      body: { personId: professional },
      onBehalfOf: professional,
    });
    expect(((await extra.json()) as { code: string }).code).toBe('validation_failed');
    expect((await h.engine.verifyLogbook()).headHash).toBe(before.headHash);
    const B = await h.admit('Wijkteam Zuid');
    const person = await h.engine.addPerson(
      { kind: 'system' },
      { organisationId: B.id, displayName: 'Bert', roles: ['professional'] },
    );
    await h.call(h.admin, 'POST', `/v1/admin/organisations/${B.id}/suspend`, { body: {} });
    const suspended = await h.call(B.key, 'POST', '/v1/pseudonym-credentials', {
      body: {},
      onBehalfOf: person.id,
    });
    expect(((await suspended.json()) as { code: string }).code).toBe('organisation_suspended');
  });
});
