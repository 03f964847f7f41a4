// Keeps docs/protocol.md honest: its worked examples are read out of the markdown and
// recomputed with plain node:crypto from the text's own formulas, then compared with
// the shared vectors. A reviewer following the document alone reproduces the vectors.

import { createHash, createHmac, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vectors } from './support/vectors.js';

const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'protocol.md'), 'utf8');
const codeBlocks = [...doc.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/protocol.md worked examples', () => {
  it('§3: the pseudonym example equals pseudonyms.json and follows from the formula', () => {
    const block = codeBlocks.find((b) => b.startsWith('message = '))!;
    expect(block).toBeDefined();
    // The hex of the message is the first token of each of the first four lines.
    const lines = block.split('\n');
    const messageHex = lines
      .slice(0, 4)
      .map((l) =>
        l
          .replace(/^message =/, '')
          .trim()
          .split(/\s{2,}/)[0]!
          .replace(/ /g, ''),
      )
      .join('');
    const key = /K\s+= ([0-9a-f]{64})/.exec(block)![1]!;
    const value = /value\s+= ([A-Za-z0-9_-]{43})/.exec(block)![1]!;
    const v = vectors.pseudonyms().cases[0]!;
    expect(messageHex).toBe(v.messageHex);
    expect(key).toBe(v.pseudonymKeyHex);
    expect(value).toBe(v.pseudonym);
    // Recompute from the formula in the text.
    const lp = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 255]), b]);
    const u32 = Buffer.alloc(4);
    u32.writeUInt32BE(v.epoch);
    const message = Buffer.concat([
      lp(Buffer.from('sluis/pseudonym/v1')),
      u32,
      lp(Buffer.from('bsn')),
      lp(Buffer.from(v.canonical)),
    ]);
    expect(message.toString('hex')).toBe(v.messageHex);
    expect(createHmac('sha256', Buffer.from(key, 'hex')).update(message).digest('base64url')).toBe(value);
  });

  it('§5.3: the signature base example equals request-signatures.json', () => {
    const block = codeBlocks.find((b) => b.startsWith('"@method": GET'))!;
    const v = vectors.requestSignatures().valid.find((c) => c.method === 'GET' && c.query !== '')!;
    expect(block.trimEnd()).toBe(v.signatureBase);
  });

  it('§5.2: the empty-body digest quoted in the text is right', () => {
    const quoted = /digest `(sha-256=:[^`]+:)`/.exec(doc)![1];
    expect(quoted).toBe(`sha-256=:${createHash('sha256').update('').digest('base64')}:`);
  });

  it('§5.1: the key id formula in the text reproduces the vector key ids', () => {
    const v = vectors.requestSignatures();
    for (const k of [v.organisation, v.otherOrganisation]) {
      const lp = Buffer.from([0, 'sluis/key-id/v1'.length]);
      const id = createHash('sha256')
        .update(Buffer.concat([lp, Buffer.from('sluis/key-id/v1'), Buffer.from(k.publicKey, 'base64url')]))
        .digest()
        .subarray(0, 16)
        .toString('base64url');
      expect(id).toBe(k.keyId);
    }
  });

  it('§2.1: every example in the text has the outcome the vectors give', () => {
    const ids = vectors.identifiers().cases;
    const section = doc.slice(doc.indexOf('### 2.1'), doc.indexOf('## 3.'));
    const examples = [...section.matchAll(/`(\d{1,10}|12345678a)` (valid|→ `(\w+)`)/g)];
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const [, input, verdict, code] of examples) {
      const c = ids.find((x) => x.input === input)!;
      expect(c, input).toBeDefined();
      if (verdict === 'valid') expect(c.valid).toBe(true);
      else expect(c.error).toBe(code);
    }
  });
  it('§10.3 and §10.1: the worked examples follow from the text’s formulas and equal session-binding.json', () => {
    const v = vectors.sessionBinding();
    const b = v.bindings[0]!;
    const label = /SHA-256\(lp\(utf8\("(sluis\/session-binding\/v\d+)"\)\) ‖ nonce ‖ sessionPublicKey\)/.exec(
      doc,
    )![1]!;
    const nonce = /nonce\s+`([0-9a-f]{64})`/.exec(doc)![1]!;
    const key = /session key\s+`([A-Za-z0-9_-]{43})`/.exec(doc)![1]!;
    const challenge = /challenge\s+`([A-Za-z0-9_-]{43})`\./.exec(doc)![1]!;
    const lp = (t: string) => Buffer.concat([Buffer.from([0, t.length]), Buffer.from(t)]);
    const computed = createHash('sha256')
      .update(Buffer.concat([lp(label), Buffer.from(nonce, 'hex'), Buffer.from(key, 'base64url')]))
      .digest()
      .toString('base64url');
    expect([nonce, key, challenge]).toEqual([b.nonceHex, b.sessionPublicKey, b.challenge]);
    expect(computed).toBe(b.challenge);

    const c = v.enrolmentCodes[0]!;
    const codeLabel = /lp\(utf8\("(sluis\/enrolment-code\/v\d+)"\)\) ‖ utf8\(verifier\)/.exec(doc)![1]!;
    const hash = /verifier hash\s+`([0-9a-f]{64})`/.exec(doc)![1]!;
    expect(doc).toContain(`code \`${c.code}\``);
    expect(
      createHash('sha256')
        .update(Buffer.concat([lp(codeLabel), Buffer.from(c.verifier)]))
        .digest('hex'),
    ).toBe(hash);
    expect(hash).toBe(c.verifierHashHex);

    const block = /```\n("@method": GET\n"@path": \/v1\/me\n[\s\S]*?)```/.exec(doc)![1]!;
    expect(block.trimEnd()).toBe(v.sessionRequest.signatureBase);
  });

  it('§10.6: the step-up example follows from the text’s formula and action table and equals session-binding.json', () => {
    const s = vectors.sessionBinding().stepUps[3]!;
    const label =
      /SHA-256\(lp\(utf8\("(sluis\/step-up\/v\d+)"\)\) ‖ nonce ‖ lp\(utf8\(sessionId\)\) ‖ lp\(utf8\(action\)\)\)/.exec(
        doc,
      )![1]!;
    expect(doc).toContain(`| \`${label}\``);
    const sessionId = /session id\s+`([A-Za-z0-9_-]{32})`, action/.exec(doc)![1]!;
    const [, verb, personId] = /action\s+`(\S+) ([0-9a-f-]{36})`/.exec(doc)!;
    // The act's verb is the one the table gives an enrolment code for someone else.
    expect(doc).toMatch(new RegExp(`enrolment code for someone else[^\\n]*\\| \`${verb} <personId>\``));
    const nonce = /step-up nonce\s+`([0-9a-f]{64})`/.exec(doc)![1]!;
    const challengeId = /challengeId\s+`([A-Za-z0-9_-]{43})`, step-up/.exec(doc)![1]!;
    const challenge = /step-up challenge\s+`([A-Za-z0-9_-]{43})`\./.exec(doc)![1]!;
    const lp = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
    const action = `${verb} ${personId}`;
    const computed = createHash('sha256')
      .update(
        Buffer.concat([
          lp(Buffer.from(label)),
          Buffer.from(nonce, 'hex'),
          lp(Buffer.from(sessionId)),
          lp(Buffer.from(action)),
        ]),
      )
      .digest()
      .toString('base64url');
    expect([sessionId, action, nonce, challengeId]).toEqual([
      s.sessionId,
      s.actionText,
      s.nonceHex,
      s.challengeId,
    ]);
    expect(Buffer.from(nonce, 'hex').toString('base64url')).toBe(challengeId);
    expect(computed).toBe(s.challenge);
    expect(challenge).toBe(s.challenge);
  });

  it('§9.7: the credential example equals oprf-credentials.json and its signature follows from the text', () => {
    const start = doc.indexOf('\nclaims = 0018');
    expect(start).toBeGreaterThan(0);
    const block = doc.slice(start + 1, doc.indexOf('```', start));
    const claimsHex = block
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) =>
        l
          .replace(/^claims =/, '')
          .trim()
          .split(/\s{3,}/)[0]!
          .replace(/ /g, ''),
      )
      .join('');
    const v = vectors.oprfCredentials();
    expect(claimsHex).toBe(v.claimsHex);
    // Recompute the claims from the formula and the signature from the issuer seed.
    const lp = (b: Buffer) => Buffer.concat([Buffer.from([b.length >> 8, b.length & 255]), b]);
    const u32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };
    const c = v.claims;
    const claims = Buffer.concat([
      ...[
        'sluis/oprf-credential/v1',
        c.issuerKeyId,
        c.credentialId,
        c.organisationId,
        c.personId,
        c.keyId,
      ].map((t) => lp(Buffer.from(t))),
      lp(Buffer.from(c.publicKey, 'base64url')),
      u32(c.issuedAt),
      u32(c.expiresAt),
    ]);
    expect(claims.toString('hex')).toBe(v.claimsHex);
    const issuer = createPrivateKey({
      key: Buffer.concat([
        Buffer.from('302e020100300506032b657004220420', 'hex'),
        Buffer.from(v.issuer.seedHex, 'hex'),
      ]),
      format: 'der',
      type: 'pkcs8',
    });
    expect(`${claims.toString('base64url')}.${sign(null, claims, issuer).toString('base64url')}`).toBe(
      v.credential,
    );
    // The request's signature base gains the credential line after content-digest.
    expect(v.valid.signatureBase.split('\n')[4]).toBe(`"sluis-credential": ${v.credential}`);
    expect(doc).toContain('"sluis-credential");created=<t>;keyid="<keyId>"');
  });
});
