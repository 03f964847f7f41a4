// Reference generator for test/vectors/*.json — a third, deliberately plain
// implementation of docs/protocol.md on node:crypto only (it shares no code with
// @sluis/client-sdk or @sluis/engine). Run: node test/vectors/generate.mjs
// The RFC 4231 and RFC 8032 vectors are copied from the RFCs, not generated; this
// script checks them against node:crypto before writing anything.

import { createHash, createHmac, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as R from './ristretto255-reference.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const write = (name, data) => writeFileSync(join(here, name), `${JSON.stringify(data, null, 2)}\n`);
const lp = (buf) => Buffer.concat([Buffer.from([buf.length >> 8, buf.length & 0xff]), buf]);
const u32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const utf8 = (s) => Buffer.from(s, 'utf8');
// Deterministic "random" bytes so the vectors are reproducible: SHA-512 of a label, cut to n bytes.
const fixed = (label, n = 32) => createHash('sha512').update(label).digest().subarray(0, n);

// ---- identifiers ----------------------------------------------------------
function elfproef(nine) {
  let s = 0;
  for (let i = 0; i < 8; i++) s += (9 - i) * Number(nine[i]);
  s -= Number(nine[8]);
  return ((s % 11) + 11) % 11 === 0;
}
function check(input) {
  if (!/^[0-9]*$/.test(input)) return { valid: false, error: 'bsn_non_digit' };
  if (input.length !== 8 && input.length !== 9) return { valid: false, error: 'bsn_wrong_length' };
  const c = input.padStart(9, '0');
  if (c === '000000000') return { valid: false, error: 'bsn_all_zeros' };
  if (!elfproef(c)) return { valid: false, error: 'bsn_checksum' };
  return { valid: true, canonical: c };
}
// Test numbers from the 9999xxxxx range, which holds no issued BSNs.
const validNine = [];
for (let n = 999900000; validNine.length < 4; n++) if (elfproef(String(n))) validNine.push(String(n));
const validEight = [];
for (let n = 10000000; validEight.length < 2; n += 7919)
  if (elfproef(String(n).padStart(9, '0'))) validEight.push(String(n));
const identifierInputs = [
  ...validNine,
  ...validEight,
  '111222333',
  '123456782',
  '999900001',
  '123456789',
  '000000000',
  '00000000',
  '1234567',
  '1234567890',
  '',
  '12345678a',
  ' 999900014',
  '999-900-014',
  '９９９９０００１４',
  '99990001.4',
];
const identifiers = identifierInputs.map((input) => ({ scheme: 'bsn', input, ...check(input) }));
write('identifiers.json', {
  description:
    'Identifier canonicalisation, docs/protocol.md §2. Checks in order: non-digit, length, all zeros, elfproef.',
  cases: identifiers,
});

// ---- client pseudonyms ----------------------------------------------------
const PSEUDONYM_LABEL = 'sluis/pseudonym/v1';
const pseudonymKey1 = fixed('sluis test pseudonym key epoch 1');
const pseudonymKey2 = fixed('sluis test pseudonym key epoch 2');
const pseudonymMessage = (epoch, scheme, canonical) =>
  Buffer.concat([lp(utf8(PSEUDONYM_LABEL)), u32(epoch), lp(utf8(scheme)), lp(utf8(canonical))]);
const pseudonymCases = [];
for (const [key, epoch] of [
  [pseudonymKey1, 1],
  [pseudonymKey2, 2],
]) {
  for (const input of [validNine[0], validNine[1], validEight[0]]) {
    const canonical = input.padStart(9, '0');
    const message = pseudonymMessage(epoch, 'bsn', canonical);
    pseudonymCases.push({
      pseudonymKeyHex: key.toString('hex'),
      epoch,
      scheme: 'bsn',
      input,
      canonical,
      messageHex: message.toString('hex'),
      pseudonym: createHmac('sha256', key).update(message).digest('base64url'),
    });
  }
}
write('pseudonyms.json', {
  description:
    'Client pseudonyms, docs/protocol.md §3: HMAC-SHA-256(key, lp(label) ‖ u32be(epoch) ‖ lp(scheme) ‖ lp(canonical)), base64url without padding.',
  label: PSEUDONYM_LABEL,
  cases: pseudonymCases,
  invalidKeys: [
    { lengthBytes: 16, error: 'key_invalid' },
    { lengthBytes: 31, error: 'key_invalid' },
    { lengthBytes: 65, error: 'key_invalid' },
  ],
  invalidEpochs: [0, -1, 1.5, 4294967296].map((epoch) => ({ epoch, error: 'epoch_invalid' })),
});

// ---- server re-keying ------------------------------------------------------
const STORED_LABEL = 'sluis/stored-pseudonym/v1';
const REKEY_LABEL = 'sluis/rekey/v1';
const serverSecrets = {
  1: fixed('sluis test server secret 1'),
  2: fixed('sluis test server secret 2'),
  3: fixed('sluis test server secret 3'),
};
const storedCases = pseudonymCases.map((c) => {
  const p = Buffer.from(c.pseudonym, 'base64url');
  const chain = [];
  let v = createHmac('sha256', serverSecrets[1])
    .update(Buffer.concat([lp(utf8(STORED_LABEL)), u32(c.epoch), lp(p)]))
    .digest();
  chain.push(v.toString('base64url'));
  for (const g of [2, 3]) {
    v = createHmac('sha256', serverSecrets[g])
      .update(Buffer.concat([lp(utf8(REKEY_LABEL)), u32(g), lp(v)]))
      .digest();
    chain.push(v.toString('base64url'));
  }
  return {
    epoch: c.epoch,
    pseudonym: c.pseudonym,
    storedByGeneration: { 1: chain[0], 2: chain[1], 3: chain[2] },
  };
});
write('stored-pseudonyms.json', {
  description:
    'Server re-keying, docs/protocol.md §4: stored₁ = HMAC(secret₁, lp(label) ‖ u32be(epoch) ‖ lp(pseudonym)); storedₙ = HMAC(secretₙ, lp(rekeyLabel) ‖ u32be(n) ‖ lp(storedₙ₋₁)).',
  label: STORED_LABEL,
  rekeyLabel: REKEY_LABEL,
  serverSecretsHex: Object.fromEntries(Object.entries(serverSecrets).map(([g, s]) => [g, s.toString('hex')])),
  cases: storedCases,
});

// ---- signatures -----------------------------------------------------------
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const privateKeyFromSeed = (seed) =>
  createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
const publicKeyOf = (seed) =>
  Buffer.from(createPublicKey(privateKeyFromSeed(seed)).export({ format: 'jwk' }).x, 'base64url');
const keyId = (pub) =>
  createHash('sha256')
    .update(lp(utf8('sluis/key-id/v1')))
    .update(pub)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
const digest = (body) => `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;

const orgSeed = fixed('sluis test organisation signing key');
const orgPub = publicKeyOf(orgSeed);
const otherSeed = fixed('sluis test other organisation signing key');
// docs/protocol.md §5.6: with a person named on behalf of, the header is a covered
// component, its line placed after content-digest.
const requestParams = (created, kid, nonce, onBehalfOf) =>
  `("@method" "@path" "@query" "content-digest"${onBehalfOf === null ? '' : ' "sluis-on-behalf-of"'});created=${created};keyid="${kid}";nonce="${nonce}";tag="sluis-request-v1"`;
function signedRequest(
  seed,
  method,
  path,
  query,
  body,
  created,
  nonce,
  onBehalfOf = null,
  kid = keyId(publicKeyOf(seed)),
) {
  const d = digest(utf8(body));
  const params = requestParams(created, kid, nonce, onBehalfOf);
  const onBehalfLine = onBehalfOf === null ? '' : `"sluis-on-behalf-of": ${onBehalfOf}\n`;
  const base = `"@method": ${method}\n"@path": ${path}\n"@query": ?${query}\n"content-digest": ${d}\n${onBehalfLine}"@signature-params": ${params}`;
  const sig = sign(null, utf8(base), privateKeyFromSeed(seed)).toString('base64');
  return {
    method,
    path,
    query,
    body,
    created,
    nonce,
    onBehalfOf,
    keyId: kid,
    contentDigest: d,
    signatureBase: base,
    signatureInput: `sluis=${params}`,
    signature: `sluis=:${sig}:`,
  };
}
const personId = '5d0c6e2a-7b4f-4c1e-9a8d-3f2b1c0d9e8f';
const now = 1767225600; // 2026-01-01T00:00:00Z
const validRequests = [
  signedRequest(
    orgSeed,
    'POST',
    '/v1/signals',
    '',
    // A real placement body (docs/api.md "POST /v1/signals").
    '{"requestId":"3f1c9a52-8d7e-4b6a-9c1d-2e5f7a8b9c0d","subject":[{"epoch":1,"value":"' +
      pseudonymCases[0].pseudonym +
      '"}],"contact":{"name":"J. de Vries","role":"jeugdconsulent","phone":"+31 10 123 4567"},' +
      '"informed":{"status":"not_yet"}}',
    now,
    'AAECAwQFBgcICQoLDA0ODw',
  ),
  signedRequest(orgSeed, 'GET', '/v1/matches', 'limit=50&cursor=17', '', now + 1, 'EBESExQVFhcYGRobHB0eHw'),
  signedRequest(orgSeed, 'GET', '/v1/whoami', '', '', now + 2, 'ICEiIyQlJicoKSorLC0uLw'),
  signedRequest(
    orgSeed,
    'POST',
    '/v1/signals/8c1f0e52-5a0b-4b8e-9d43-6f1e2a3b4c5d/withdraw',
    '',
    '{"reason":"involvement_ended"}',
    now + 3,
    'YGFiY2RlZmdoaWprbG1ub3A',
    personId,
  ),
];
const onBehalf = validRequests[3];
const base = validRequests[0];
const flip = (s) => {
  const m = /^sluis=:(.*):$/.exec(s);
  const b = Buffer.from(m[1], 'base64');
  b[5] ^= 1;
  return `sluis=:${b.toString('base64')}:`;
};
const invalidRequests = [
  {
    name: 'body changed under a valid signature',
    ...base,
    body: base.body.replace('"epoch":1', '"epoch":2'),
    error: 'digest_mismatch',
  },
  {
    name: 'body and digest changed, signature kept',
    ...base,
    body: '{}',
    contentDigest: digest(utf8('{}')),
    error: 'signature_invalid',
  },
  { name: 'signature bit flipped', ...base, signature: flip(base.signature), error: 'signature_invalid' },
  { name: 'path changed', ...base, path: '/v1/signals/batch', error: 'signature_invalid' },
  { name: 'query added', ...base, query: 'x=1', error: 'signature_invalid' },
  { name: 'method changed', ...base, method: 'PUT', error: 'signature_invalid' },
  {
    name: 'signature truncated',
    ...base,
    signature: `sluis=:${base.signature.slice(7, 40)}:`,
    error: 'auth_malformed',
  },
  { name: 'missing Signature header', ...base, signature: null, error: 'auth_missing' },
  {
    name: 'wrong tag',
    ...base,
    signatureInput: base.signatureInput.replace('sluis-request-v1', 'sluis-webhook-v1'),
    error: 'auth_malformed',
  },
  {
    name: 'extra covered component',
    ...base,
    signatureInput: base.signatureInput.replace('"content-digest")', '"content-digest" "date")'),
    error: 'auth_malformed',
  },
  {
    name: 'no nonce',
    ...base,
    signatureInput: base.signatureInput.replace(/;nonce="[^"]*"/, ''),
    error: 'auth_malformed',
  },
  {
    name: 'another key id with this signature',
    ...base,
    signatureInput: base.signatureInput.replace(base.keyId, keyId(publicKeyOf(otherSeed))),
    error: 'signature_invalid',
  },
  {
    name: 'on-behalf header changed under a valid signature',
    ...onBehalf,
    onBehalfOf: '5d0c6e2a-7b4f-4c1e-9a8d-3f2b1c0d9e80',
    error: 'signature_invalid',
  },
  {
    name: 'on-behalf header dropped, still a covered component',
    ...onBehalf,
    onBehalfOf: null,
    error: 'auth_malformed',
  },
  {
    name: 'on-behalf header added to a request that does not cover it',
    ...base,
    onBehalfOf: personId,
    error: 'auth_malformed',
  },
  {
    name: 'on-behalf covered component removed from the signature input',
    ...onBehalf,
    signatureInput: onBehalf.signatureInput.replace(' "sluis-on-behalf-of"', ''),
    error: 'auth_malformed',
  },
  {
    name: 'on-behalf value that is not a person id',
    ...signedRequest(orgSeed, 'GET', '/v1/whoami', '', '', now, 'cHFyc3R1dnd4eXp7fH1-fw', 'ABC'),
    error: 'auth_malformed',
  },
  {
    name: 'created too old',
    ...signedRequest(orgSeed, 'GET', '/v1/whoami', '', '', now - 301, 'MDEyMzQ1Njc4OTo7PD0-Pw'),
    error: 'timestamp_out_of_window',
  },
  {
    name: 'created too far ahead',
    ...signedRequest(orgSeed, 'GET', '/v1/whoami', '', '', now + 301, 'QEFCQ0RFRkdISUpLTE1OTw'),
    error: 'timestamp_out_of_window',
  },
];
write('request-signatures.json', {
  description:
    'Request signatures, docs/protocol.md §5: RFC 9421 profile with RFC 9530 Content-Digest; `onBehalfOf` is the Sluis-On-Behalf-Of header (§5.6) or null when absent. `now` is the verifier clock; the other organisation key is registered too.',
  now,
  maxClockSkewSeconds: 300,
  organisation: {
    seedHex: orgSeed.toString('hex'),
    publicKey: orgPub.toString('base64url'),
    keyId: keyId(orgPub),
  },
  otherOrganisation: {
    seedHex: otherSeed.toString('hex'),
    publicKey: publicKeyOf(otherSeed).toString('base64url'),
    keyId: keyId(publicKeyOf(otherSeed)),
  },
  valid: validRequests,
  invalid: invalidRequests,
});

const serverSeed = fixed('sluis test server webhook signing key');
const serverPub = publicKeyOf(serverSeed);
const targetUri = 'https://zorg.example.nl/sluis/webhook';
const webhookBody = '{"type":"match.created","matchId":"8c1f0e52-5a0b-4b8e-9d43-6f1e2a3b4c5d","cursor":"42"}';
const wparams = `("@method" "@target-uri" "content-digest");created=${now};keyid="${keyId(serverPub)}";nonce="UFFSU1RVVldYWVpbXF1eXw";tag="sluis-webhook-v1"`;
const wbase = `"@method": POST\n"@target-uri": ${targetUri}\n"content-digest": ${digest(utf8(webhookBody))}\n"@signature-params": ${wparams}`;
const webhook = {
  targetUri,
  body: webhookBody,
  created: now,
  nonce: 'UFFSU1RVVldYWVpbXF1eXw',
  keyId: keyId(serverPub),
  contentDigest: digest(utf8(webhookBody)),
  signatureBase: wbase,
  signatureInput: `sluis=${wparams}`,
  signature: `sluis=:${sign(null, utf8(wbase), privateKeyFromSeed(serverSeed)).toString('base64')}:`,
};
write('webhook-signatures.json', {
  description:
    'Webhook signatures, docs/protocol.md §6 (server → organisation). `now` is the receiver clock.',
  now,
  server: {
    seedHex: serverSeed.toString('hex'),
    publicKey: serverPub.toString('base64url'),
    keyId: keyId(serverPub),
  },
  valid: [webhook],
  invalid: [
    { name: 'body changed', ...webhook, body: webhookBody.replace('42', '43'), error: 'digest_mismatch' },
    {
      name: 'signature bit flipped',
      ...webhook,
      signature: flip(webhook.signature),
      error: 'signature_invalid',
    },
    {
      name: 'other target URI',
      ...webhook,
      targetUri: 'https://evil.example/sluis/webhook',
      error: 'signature_invalid',
    },
    {
      name: 'request tag instead of webhook tag',
      ...webhook,
      signatureInput: webhook.signatureInput.replace('sluis-webhook-v1', 'sluis-request-v1'),
      error: 'signature_malformed',
    },
    {
      name: 'unknown key id',
      ...webhook,
      signatureInput: webhook.signatureInput.replace(webhook.keyId, keyId(orgPub)),
      error: 'key_unknown',
    },
    { name: 'missing signature', ...webhook, signature: null, error: 'signature_missing' },
  ],
});

// ---- RFC vectors, checked here against node:crypto ------------------------
const rfc4231 = [
  {
    case: 1,
    keyHex: '0b'.repeat(20),
    dataHex: utf8('Hi There').toString('hex'),
    hmacSha256Hex: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
  },
  {
    case: 2,
    keyHex: utf8('Jefe').toString('hex'),
    dataHex: utf8('what do ya want for nothing?').toString('hex'),
    hmacSha256Hex: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  {
    case: 3,
    keyHex: 'aa'.repeat(20),
    dataHex: 'dd'.repeat(50),
    hmacSha256Hex: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
  },
  {
    case: 4,
    keyHex: '0102030405060708090a0b0c0d0e0f10111213141516171819',
    dataHex: 'cd'.repeat(50),
    hmacSha256Hex: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  },
  {
    case: 5,
    keyHex: '0c'.repeat(20),
    dataHex: utf8('Test With Truncation').toString('hex'),
    truncatedTo: 16,
    hmacSha256Hex: 'a3b6167473100ee06e0c796c2955552b',
  },
  {
    case: 6,
    keyHex: 'aa'.repeat(131),
    dataHex: utf8('Test Using Larger Than Block-Size Key - Hash Key First').toString('hex'),
    hmacSha256Hex: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    case: 7,
    keyHex: 'aa'.repeat(131),
    dataHex: utf8(
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
    ).toString('hex'),
    hmacSha256Hex: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];
for (const v of rfc4231) {
  const mac = createHmac('sha256', Buffer.from(v.keyHex, 'hex'))
    .update(Buffer.from(v.dataHex, 'hex'))
    .digest('hex');
  if (mac.slice(0, (v.truncatedTo ?? 32) * 2) !== v.hmacSha256Hex)
    throw new Error(`RFC 4231 case ${v.case} mismatch`);
}
write('rfc4231-hmac-sha256.json', {
  description: 'RFC 4231 §4 HMAC-SHA-256 test cases 1–7.',
  cases: rfc4231,
});

const rfc8032 = [
  {
    name: 'TEST 1',
    secretKeyHex: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKeyHex: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    messageHex: '',
    signatureHex:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    secretKeyHex: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKeyHex: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    messageHex: '72',
    signatureHex:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3',
    secretKeyHex: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKeyHex: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    messageHex: 'af82',
    signatureHex:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];
for (const v of rfc8032) {
  const seed = Buffer.from(v.secretKeyHex, 'hex');
  if (publicKeyOf(seed).toString('hex') !== v.publicKeyHex) throw new Error(`${v.name} public key mismatch`);
  if (
    sign(null, Buffer.from(v.messageHex, 'hex'), privateKeyFromSeed(seed)).toString('hex') !== v.signatureHex
  ) {
    throw new Error(`${v.name} signature mismatch`);
  }
}
// Strictness cases (must be refused by both verifiers): S + L (non-canonical S),
// and public keys that are not canonical or of small order (refused at registration).
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const t1 = Buffer.from(rfc8032[0].signatureHex, 'hex');
let s = 0n;
for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(t1[32 + i]);
s += L;
const sPlusL = Buffer.from(t1);
for (let i = 0; i < 32; i++) sPlusL[32 + i] = Number((s >> BigInt(8 * i)) & 0xffn);
const jwkPub = (hex) =>
  createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') },
    format: 'jwk',
  });
if (verify(null, Buffer.alloc(0), jwkPub(rfc8032[0].publicKeyHex), sPlusL))
  throw new Error('node accepts S+L');
write('rfc8032-ed25519.json', {
  description: 'RFC 8032 §7.1 Ed25519 TEST 1–3, plus strictness cases every sluis verifier must refuse.',
  cases: rfc8032,
  mustRefuseSignatures: [
    {
      name: 'TEST 1 with S + L (non-canonical scalar)',
      publicKeyHex: rfc8032[0].publicKeyHex,
      messageHex: '',
      signatureHex: sPlusL.toString('hex'),
    },
  ],
  mustRefusePublicKeys: [
    { name: 'identity point (small order)', publicKeyHex: `01${'00'.repeat(31)}` },
    {
      name: 'point of order 2 (small order)',
      publicKeyHex: `ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f`,
    },
    {
      name: 'non-canonical y ≥ p',
      publicKeyHex: `edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f`,
    },
    { name: 'wrong length', publicKeyHex: '00'.repeat(31) },
    // TEST 1's public key plus a point of order 8 (computed once with @noble/curves):
    // not small order, but with a torsion component — cofactored and cofactorless
    // verifiers could disagree on signatures under it.
    {
      name: 'mixed order (torsion component)',
      publicKeyHex: '9158312a9a8d6e3b34c891d6d61444f8b8211c5117ebad15bdb0bd68b07e0245',
    },
  ],
});

// ---- OPRF epochs (docs/protocol.md §9) ----------------------------------------
// ristretto255 arithmetic from ./ristretto255-reference.mjs (written for this generator
// from RFC 9496/9380/9497, no library), checked against RFC 9497 Appendix A.1.2 first.
const hx = (s) => Buffer.from(s, 'hex');
const rfc9497 = {
  suite: R.SUITE,
  mode: 'VOPRF',
  seedHex: 'a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3',
  keyInfoHex: '74657374206b6579',
  skSmHex: 'e6f73f344b79b379f1a0dd37e07ff62e38d9f71345ce62ae3a9bc60b04ccd909',
  pkSmHex: 'c803e2cc6b05fc15064549b5920659ca4a77b2cca6f04f6b357009335476ad4e',
  cases: [
    {
      name: 'Test Vector 1, Batch Size 1',
      inputHex: ['00'],
      blindHex: ['64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706'],
      blindedElementHex: ['863f330cc1a1259ed5a5998a23acfd37fb4351a793a5b3c090b642ddc439b945'],
      evaluationElementHex: ['aa8fa048764d5623868679402ff6108d2521884fa138cd7f9c7669a9a014267e'],
      proofHex:
        'ddef93772692e535d1a53903db24367355cc2cc78de93b3be5a8ffcc6985dd066d4346421d17bf5117a2a1ff0fcb2a759f58a539dfbe857a40bce4cf49ec600d',
      proofRandomScalarHex: '222a5e897cf59db8145db8d16e597e8facb80ae7d4e26d9881aa6f61d645fc0e',
      outputHex: [
        'b58cfbe118e0cb94d79b5fd6a6dafb98764dff49c14e1770b566e42402da1a7da4d8527693914139caee5bd03903af43a491351d23b430948dd50cde10d32b3c',
      ],
    },
    {
      name: 'Test Vector 2, Batch Size 1',
      inputHex: ['5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a'],
      blindHex: ['64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706'],
      blindedElementHex: ['cc0b2a350101881d8a4cba4c80241d74fb7dcbfde4a61fde2f91443c2bf9ef0c'],
      evaluationElementHex: ['60a59a57208d48aca71e9e850d22674b611f752bed48b36f7a91b372bd7ad468'],
      proofHex:
        '401a0da6264f8cf45bb2f5264bc31e109155600babb3cd4e5af7d181a2c9dc0a67154fabf031fd936051dec80b0b6ae29c9503493dde7393b722eafdf5a50b02',
      proofRandomScalarHex: '222a5e897cf59db8145db8d16e597e8facb80ae7d4e26d9881aa6f61d645fc0e',
      outputHex: [
        '8a9a2f3c7f085b65933594309041fc1898d42d0858e59f90814ae90571a6df60356f4610bf816f27afdd84f47719e480906d27ecd994985890e5f539e7ea74b6',
      ],
    },
    {
      name: 'Test Vector 3, Batch Size 2',
      inputHex: ['00', '5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a'],
      blindHex: [
        '64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706',
        '222a5e897cf59db8145db8d16e597e8facb80ae7d4e26d9881aa6f61d645fc0e',
      ],
      blindedElementHex: [
        '863f330cc1a1259ed5a5998a23acfd37fb4351a793a5b3c090b642ddc439b945',
        '90a0145ea9da29254c3a56be4fe185465ebb3bf2a1801f7124bbbadac751e654',
      ],
      evaluationElementHex: [
        'aa8fa048764d5623868679402ff6108d2521884fa138cd7f9c7669a9a014267e',
        'cc5ac221950a49ceaa73c8db41b82c20372a4c8d63e5dded2db920b7eee36a2a',
      ],
      proofHex:
        'cc203910175d786927eeb44ea847328047892ddf8590e723c37205cb74600b0a5ab5337c8eb4ceae0494c2cf89529dcf94572ed267473d567aeed6ab873dee08',
      proofRandomScalarHex: '419c4f4f5052c53c45f3da494d2b67b220d02118e0857cdbcf037f9ea84bbe0c',
      outputHex: [
        'b58cfbe118e0cb94d79b5fd6a6dafb98764dff49c14e1770b566e42402da1a7da4d8527693914139caee5bd03903af43a491351d23b430948dd50cde10d32b3c',
        '8a9a2f3c7f085b65933594309041fc1898d42d0858e59f90814ae90571a6df60356f4610bf816f27afdd84f47719e480906d27ecd994985890e5f539e7ea74b6',
      ],
    },
  ],
};
{
  const { sk, pk } = R.deriveKeyPair(hx(rfc9497.seedHex), hx(rfc9497.keyInfoHex));
  const must = (ok, what) => {
    if (!ok) throw new Error(`RFC 9497 A.1.2 vector differs: ${what}`);
  };
  must(R.scalarBytes(sk).toString('hex') === rfc9497.skSmHex, 'skSm');
  must(R.encode(pk).toString('hex') === rfc9497.pkSmHex, 'pkSm');
  for (const c of rfc9497.cases) {
    const blinds = c.blindHex.map((b) => R.scalarFrom(hx(b)));
    const blinded = c.inputHex.map((x, i) => R.blind(hx(x), blinds[i]));
    must(
      blinded.every((b, i) => R.encode(b).toString('hex') === c.blindedElementHex[i]),
      `${c.name} blinded`,
    );
    const ev = R.blindEvaluateBatch(sk, pk, blinded, R.scalarFrom(hx(c.proofRandomScalarHex)));
    must(
      ev.evaluated.every((e, i) => R.encode(e).toString('hex') === c.evaluationElementHex[i]),
      `${c.name} evaluated`,
    );
    must(ev.proof.toString('hex') === c.proofHex, `${c.name} proof`);
    must(R.verifyProof(pk, blinded, ev.evaluated, ev.proof), `${c.name} verify`);
    must(
      c.inputHex.every(
        (x, i) => R.finalize(hx(x), blinds[i], ev.evaluated[i]).toString('hex') === c.outputHex[i],
      ),
      `${c.name} output`,
    );
  }
}
write('rfc9497-voprf-ristretto255.json', {
  description:
    'RFC 9497 Appendix A.1.2 (ristretto255-SHA512, VOPRF mode), copied from the RFC and checked by test/vectors/ristretto255-reference.mjs. Scalars are little-endian; a proof is c ‖ s.',
  ...rfc9497,
});

// Our derivation (docs/protocol.md §9.2–9.4): OPRF input, evaluate wire format, pseudonym.
const OPRF_INPUT_LABEL = 'sluis/oprf-input/v1';
const OPRF_PSEUDONYM_LABEL = 'sluis/oprf-pseudonym/v1';
const oprfInput = (epoch, scheme, canonical) =>
  Buffer.concat([lp(utf8(OPRF_INPUT_LABEL)), u32(epoch), lp(utf8(scheme)), lp(utf8(canonical))]);
const oprfPseudonym = (output, epoch) =>
  createHmac('sha256', output)
    .update(Buffer.concat([lp(utf8(OPRF_PSEUDONYM_LABEL)), u32(epoch)]))
    .digest('base64url');
const OPRF_EPOCH = 3;
const oprfSeed = fixed('sluis test oprf key seed epoch 3');
const oprfKeyInfo = utf8('sluis test oprf key epoch 3');
const oprfKey = R.deriveKeyPair(oprfSeed, oprfKeyInfo);
// A blind scalar or proof nonce from a label: 64 bytes reduced mod L (never 0 here).
const fixedScalar = (label) => {
  const s = R.scalarFrom(fixed(label, 64)) % R.L;
  if (s === 0n) throw new Error('zero scalar');
  return s;
};
function oprfCase(inputs, label) {
  const blinds = inputs.map((_, i) => fixedScalar(`${label} blind ${i}`));
  const messages = inputs.map((c) => oprfInput(OPRF_EPOCH, c.scheme, c.canonical));
  const blinded = messages.map((m, i) => R.blind(m, blinds[i]));
  const r = fixedScalar(`${label} proof`);
  const ev = R.blindEvaluateBatch(oprfKey.sk, oprfKey.pk, blinded, r);
  if (!R.verifyProof(oprfKey.pk, blinded, ev.evaluated, ev.proof)) throw new Error('own proof fails');
  const outputs = messages.map((m, i) => R.finalize(m, blinds[i], ev.evaluated[i]));
  return {
    epoch: OPRF_EPOCH,
    items: inputs.map((c, i) => ({
      scheme: c.scheme,
      input: c.input,
      canonical: c.canonical,
      oprfInputHex: messages[i].toString('hex'),
      blindHex: R.scalarBytes(blinds[i]).toString('hex'),
      blindedElement: R.encode(blinded[i]).toString('base64url'),
      evaluatedElement: R.encode(ev.evaluated[i]).toString('base64url'),
      outputHex: outputs[i].toString('hex'),
      pseudonym: oprfPseudonym(outputs[i], OPRF_EPOCH),
    })),
    proofRandomScalarHex: R.scalarBytes(r).toString('hex'),
    proof: ev.proof.toString('base64url'),
  };
}
const bsnItem = (input) => ({ scheme: 'bsn', input, canonical: input.padStart(9, '0') });
const single = oprfCase([bsnItem(validNine[0])], 'sluis oprf case 1');
const batch = oprfCase(
  [bsnItem(validNine[0]), bsnItem(validNine[1]), bsnItem(validEight[0])],
  'sluis oprf case 2',
);
// A tampered proof (last byte of s changed) must be refused by every client.
const tampered = Buffer.from(batch.proof, 'base64url');
tampered[63] ^= 0x01;
if (
  R.verifyProof(
    oprfKey.pk,
    batch.items.map((i) => R.decode(Buffer.from(i.blindedElement, 'base64url'))),
    batch.items.map((i) => R.decode(Buffer.from(i.evaluatedElement, 'base64url'))),
    tampered,
  )
) {
  throw new Error('tampered proof verifies');
}
// Elements a service must refuse (docs/protocol.md §9.3), checked with the reference decoder.
const pHex = (n) => {
  const b = Buffer.alloc(32);
  let x = n;
  for (let i = 0; i < 32; i++) {
    b[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return b;
};
const badElements = [
  { name: 'identity element', bytes: Buffer.alloc(32), error: 'element_identity' },
  {
    name: 'field element ≥ p (non-canonical s = p)',
    bytes: pHex(2n ** 255n - 19n),
    error: 'element_invalid',
  },
  { name: 'negative s (odd field element 1)', bytes: pHex(1n), error: 'element_invalid' },
  {
    name: 'high bit set (a valid element + 2^255)',
    bytes: (() => {
      const b = Buffer.from(R.encode(oprfKey.pk));
      b[31] |= 0x80;
      return b;
    })(),
    error: 'element_invalid',
  },
  { name: 'not a valid encoding (s = 2)', bytes: pHex(2n), error: null },
  { name: 'wrong length (31 bytes)', bytes: Buffer.alloc(31, 2), error: 'element_invalid' },
].map((c) => {
  const point = c.bytes.length === 32 ? R.decode(c.bytes) : undefined;
  const code = point === undefined ? 'element_invalid' : R.isIdentity(point) ? 'element_identity' : null;
  if (c.error !== null && code !== c.error) throw new Error(`bad element vector ${c.name}: ${code}`);
  if (code === null) throw new Error(`bad element vector ${c.name} decodes`);
  return { name: c.name, element: c.bytes.toString('base64url'), error: code };
});
write('oprf-pseudonyms.json', {
  description:
    'OPRF epochs, docs/protocol.md §9: RFC 9497 VOPRF over ristretto255-SHA512. input = lp(inputLabel) ‖ u32be(epoch) ‖ lp(scheme) ‖ lp(canonical); pseudonym = HMAC-SHA-256(output, lp(pseudonymLabel) ‖ u32be(epoch)), base64url. Elements and proofs base64url without padding; scalars hex little-endian; proof = c ‖ s.',
  suite: R.SUITE,
  mode: 'VOPRF',
  inputLabel: OPRF_INPUT_LABEL,
  pseudonymLabel: OPRF_PSEUDONYM_LABEL,
  key: {
    epoch: OPRF_EPOCH,
    seedHex: oprfSeed.toString('hex'),
    keyInfoHex: oprfKeyInfo.toString('hex'),
    secretKeyHex: R.scalarBytes(oprfKey.sk).toString('hex'),
    publicKey: R.encode(oprfKey.pk).toString('base64url'),
  },
  single,
  batch,
  tamperedBatchProof: tampered.toString('base64url'),
  badElements,
});
// ---- passkey sign-in (docs/protocol.md §10) -------------------------------------
// §10.1: an enrolment code is selector (8) ‖ verifier (16) in Crockford base32; the server
// stores SHA-256(lp(label) ‖ utf8(verifier)). §10.3: the WebAuthn challenge of a sign-in is
// SHA-256(lp(label) ‖ nonce ‖ sessionPublicKey), challengeId = b64url(nonce). §10.4: a
// session signs requests with the §5 profile, keyid = the session id (32 characters).
const ENROLMENT_CODE_LABEL = 'sluis/enrolment-code/v1';
const SESSION_BINDING_LABEL = 'sluis/session-binding/v1';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const codeOf = (label) => [...fixed(label, 24)].map((b) => CROCKFORD[b % 32]).join('');
const enrolmentCodes = ['sluis test enrolment code 1', 'sluis test enrolment code 2'].map((label) => {
  const raw = codeOf(label);
  const verifier = raw.slice(8);
  return {
    code: raw.match(/.{4}/g).join('-'),
    selector: raw.slice(0, 8),
    verifier,
    verifierHashHex: createHash('sha256')
      .update(lp(utf8(ENROLMENT_CODE_LABEL)))
      .update(utf8(verifier))
      .digest('hex'),
  };
});
const sessionSeed = fixed('sluis test session key');
const sessionPub = publicKeyOf(sessionSeed);
const otherSessionPub = publicKeyOf(fixed('sluis test other session key'));
const bindings = [
  ['sluis test sign-in nonce 1', sessionPub],
  ['sluis test sign-in nonce 2', sessionPub],
  ['sluis test sign-in nonce 1', otherSessionPub],
].map(([label, pub]) => {
  const nonce = fixed(label, 32);
  return {
    nonceHex: nonce.toString('hex'),
    challengeId: nonce.toString('base64url'),
    sessionPublicKey: pub.toString('base64url'),
    challenge: createHash('sha256')
      .update(lp(utf8(SESSION_BINDING_LABEL)))
      .update(nonce)
      .update(pub)
      .digest()
      .toString('base64url'),
  };
});
const sessionId = fixed('sluis test session id', 24).toString('base64url');
// §10.6: a step-up's WebAuthn challenge is SHA-256(lp(label) ‖ nonce ‖ lp(utf8(sessionId)) ‖
// lp(utf8(action))), challengeId = b64url(nonce); the action text is the act's name and its
// operands, single spaces apart, written here from the table of §10.6 (not from the server's code).
const STEP_UP_LABEL = 'sluis/step-up/v1';
const stepUpOrganisationId = '3f6c2a1e-8b4d-4c7a-9e5f-2d1b0a9c8e7f';
const stepUpPersonId = '7a1e5c3b-2d4f-4a6b-8c9d-0e1f2a3b4c5d';
const stepUpDeviceId = 'c4d5e6f7-a8b9-4c0d-8e1f-2a3b4c5d6e7f';
const stepUpKey1 = publicKeyOf(fixed('sluis test step-up key 1')).toString('base64url');
const stepUpKey2 = publicKeyOf(fixed('sluis test step-up key 2')).toString('base64url');
const stepUpOprfKey = R.encode(oprfKey.pk).toString('base64url');
const otherSessionId = fixed('sluis test other session id', 24).toString('base64url');
const stepUpChallenge = (nonce, sid, action) =>
  createHash('sha256')
    .update(lp(utf8(STEP_UP_LABEL)))
    .update(nonce)
    .update(lp(utf8(sid)))
    .update(lp(utf8(action)))
    .digest()
    .toString('base64url');
const stepUps = [
  [{ kind: 'device_add' }, 'device-add'],
  [{ kind: 'device_remove', deviceId: stepUpDeviceId }, `device-remove ${stepUpDeviceId}`],
  [{ kind: 'enrolment_code', personId: stepUpPersonId }, `enrolment-code ${stepUpPersonId}`],
  [
    { kind: 'organisation_key_add', organisationId: stepUpOrganisationId, publicKey: stepUpKey1 },
    `organisation-key-add ${stepUpOrganisationId} ${stepUpKey1}`,
  ],
  [{ kind: 'admin_key_add', publicKey: stepUpKey1 }, `admin-key-add ${stepUpKey1}`],
  [{ kind: 'organisation_admit', publicKeys: [stepUpKey1] }, `organisation-admit ${stepUpKey1}`],
  [
    { kind: 'organisation_admit', publicKeys: [stepUpKey2, stepUpKey1] },
    `organisation-admit ${stepUpKey2} ${stepUpKey1}`,
  ],
  [{ kind: 'epoch_register', epoch: 7, epochKind: 'hmac' }, 'epoch-register 7 hmac'],
  [
    { kind: 'epoch_register', epoch: 4294967295, epochKind: 'oprf', publicKey: stepUpOprfKey },
    `epoch-register 4294967295 oprf ${stepUpOprfKey}`,
  ],
].flatMap(([action, actionText], i) => {
  const nonce = fixed(`sluis test step-up nonce ${i + 1}`, 32);
  // The first case again in another session: same nonce and action, another challenge.
  const sids = i === 0 ? [sessionId, otherSessionId] : [sessionId];
  return sids.map((sid) => ({
    action,
    actionText,
    sessionId: sid,
    nonceHex: nonce.toString('hex'),
    challengeId: nonce.toString('base64url'),
    challenge: stepUpChallenge(nonce, sid, actionText),
  }));
});
write('session-binding.json', {
  description:
    'Passkey sign-in, docs/protocol.md §10: enrolment code verifier hashes (§10.1), session-binding challenges (§10.3), a request signed with a session key (§10.4, keyid = session id) and step-up challenges with their action texts (§10.6).',
  enrolmentCodeLabel: ENROLMENT_CODE_LABEL,
  sessionBindingLabel: SESSION_BINDING_LABEL,
  stepUpLabel: STEP_UP_LABEL,
  enrolmentCodes,
  session: {
    seedHex: sessionSeed.toString('hex'),
    publicKey: sessionPub.toString('base64url'),
    sessionId,
  },
  bindings,
  stepUps,
  sessionRequest: signedRequest(
    sessionSeed,
    'GET',
    '/v1/me',
    '',
    '',
    now,
    fixed('sluis test session nonce', 16).toString('base64url'),
    null,
    sessionId,
  ),
});
// ---- pseudonym-service credentials (docs/protocol.md §9.7) --------------------------
const CREDENTIAL_LABEL = 'sluis/oprf-credential/v1';
const issuerSeed = fixed('sluis test match server credential issuer key');
const issuerPub = publicKeyOf(issuerSeed);
const strangerIssuerSeed = fixed('sluis test stranger credential issuer key');
const credSessionSeed = fixed('sluis test person session key');
const credSessionPub = publicKeyOf(credSessionSeed);
const sessionKeyId = fixed('sluis test credential session id', 24).toString('base64url'); // a session id (§10.4) as keyid
const credOrganisationId = '0d9b7c1e-5a4f-4e2b-9c3d-1f2e3a4b5c6d';
const claimsBytes = (c) =>
  Buffer.concat([
    lp(utf8(CREDENTIAL_LABEL)),
    lp(utf8(c.issuerKeyId)),
    lp(utf8(c.credentialId)),
    lp(utf8(c.organisationId)),
    lp(utf8(c.personId)),
    lp(utf8(c.keyId)),
    lp(Buffer.from(c.publicKey, 'base64url')),
    u32(c.issuedAt),
    u32(c.expiresAt),
  ]);
const makeCredential = (c, seed) => {
  const bytes = claimsBytes(c);
  const sig = sign(null, bytes, privateKeyFromSeed(seed));
  return {
    claimsHex: bytes.toString('hex'),
    credential: `${bytes.toString('base64url')}.${sig.toString('base64url')}`,
  };
};
const credClaims = {
  issuerKeyId: keyId(issuerPub),
  credentialId: fixed('sluis test credential id', 16).toString('base64url'),
  organisationId: credOrganisationId,
  personId,
  keyId: sessionKeyId,
  publicKey: credSessionPub.toString('base64url'),
  issuedAt: now - 60,
  expiresAt: now + 240,
};
const goodCredential = makeCredential(credClaims, issuerSeed);
// A request to the service presenting it: the credential header is a covered component.
function credentialRequest(seed, kid, body, created, nonce, credential) {
  const d = digest(utf8(body));
  const params = `("@method" "@path" "@query" "content-digest" "sluis-credential");created=${created};keyid="${kid}";nonce="${nonce}";tag="sluis-request-v1"`;
  const base = `"@method": POST\n"@path": /v1/evaluate\n"@query": ?\n"content-digest": ${d}\n"sluis-credential": ${credential}\n"@signature-params": ${params}`;
  return {
    method: 'POST',
    path: '/v1/evaluate',
    query: '',
    body,
    created,
    nonce,
    keyId: kid,
    credential,
    contentDigest: d,
    signatureBase: base,
    signatureInput: `sluis=${params}`,
    signature: `sluis=:${sign(null, utf8(base), privateKeyFromSeed(seed)).toString('base64')}:`,
  };
}
const evalBody = JSON.stringify({ epoch: OPRF_EPOCH, blindedElements: [single.items[0].blindedElement] });
const credNonce = 'YGFiY2RlZmdoaWprbG1ub3A';
const credentialValid = credentialRequest(
  credSessionSeed,
  sessionKeyId,
  evalBody,
  now,
  credNonce,
  goodCredential.credential,
);
const otherCredential = (over, seed = issuerSeed) =>
  makeCredential({ ...credClaims, ...over }, seed).credential;
const tamperedClaims = Buffer.from(goodCredential.claimsHex, 'hex');
tamperedClaims[tamperedClaims.length - 9] ^= 0x01; // the last byte of issuedAt
const credentialInvalid = [
  {
    name: 'expired (now ≥ expiresAt)',
    request: credentialRequest(
      credSessionSeed,
      sessionKeyId,
      evalBody,
      now,
      credNonce,
      otherCredential({ issuedAt: now - 300, expiresAt: now }),
    ),
    error: 'credential_expired',
  },
  {
    name: 'issued by a key the service does not admit',
    request: credentialRequest(
      credSessionSeed,
      sessionKeyId,
      evalBody,
      now,
      credNonce,
      otherCredential({ issuerKeyId: keyId(publicKeyOf(strangerIssuerSeed)) }, strangerIssuerSeed),
    ),
    error: 'credential_issuer_unknown',
  },
  {
    name: 'claims changed after signing',
    request: credentialRequest(
      credSessionSeed,
      sessionKeyId,
      evalBody,
      now,
      credNonce,
      `${tamperedClaims.toString('base64url')}.${goodCredential.credential.split('.')[1]}`,
    ),
    error: 'credential_invalid',
  },
  {
    name: 'lifetime longer than the service accepts (900 s)',
    request: credentialRequest(
      credSessionSeed,
      sessionKeyId,
      evalBody,
      now,
      credNonce,
      otherCredential({ expiresAt: now + 900 }),
    ),
    error: 'credential_invalid',
  },
  {
    name: 'bound to another key than the one that signed (organisation key signs with its own key id)',
    request: credentialRequest(orgSeed, keyId(orgPub), evalBody, now, credNonce, goodCredential.credential),
    error: 'credential_key_mismatch',
  },
  {
    name: 'signed by another key under the bound key id',
    request: credentialRequest(otherSeed, sessionKeyId, evalBody, now, credNonce, goodCredential.credential),
    error: 'signature_invalid',
  },
  {
    name: 'not the §9.7 form (trailing byte after the claims)',
    request: credentialRequest(
      credSessionSeed,
      sessionKeyId,
      evalBody,
      now,
      credNonce,
      (() => {
        const b = Buffer.concat([Buffer.from(goodCredential.claimsHex, 'hex'), Buffer.from([0])]);
        return `${b.toString('base64url')}.${sign(null, b, privateKeyFromSeed(issuerSeed)).toString('base64url')}`;
      })(),
    ),
    error: 'credential_malformed',
  },
];
write('oprf-credentials.json', {
  description:
    'Pseudonym-service credentials, docs/protocol.md §9.7. claims = lp(label) ‖ lp(issuerKeyId) ‖ lp(credentialId) ‖ lp(organisationId) ‖ lp(personId) ‖ lp(keyId) ‖ lp(publicKey, 32 bytes) ‖ u32be(issuedAt) ‖ u32be(expiresAt); credential = b64url(claims) "." b64url(Ed25519(issuerSeed, claims)). Requests are checked at clock `now` with maxLifetimeSeconds 900, the issuer admitted and organisationId admitted and active.',
  label: CREDENTIAL_LABEL,
  now,
  maxLifetimeSeconds: 900,
  issuer: {
    seedHex: issuerSeed.toString('hex'),
    publicKey: issuerPub.toString('base64url'),
    keyId: keyId(issuerPub),
  },
  session: {
    seedHex: credSessionSeed.toString('hex'),
    publicKey: credSessionPub.toString('base64url'),
    keyId: sessionKeyId,
  },
  organisationId: credOrganisationId,
  claims: credClaims,
  claimsHex: goodCredential.claimsHex,
  credential: goodCredential.credential,
  valid: credentialValid,
  invalid: credentialInvalid,
});
// ---- people without a BSN (docs/protocol.md §2.2) -------------------------------------
// Written from the text of §2.2 alone: NFKD, combining marks dropped, the fold table, lower
// case, words split at separators, a–z only, prefix words dropped unless none would remain.
const SUBSTITUTE_SCHEME = 'surname-birthdate-gender';
const PREFIXES = new Set(
  'aan al am auf bij d da das de del della den der des di do dos du el het im in l la le les op over s t te ten ter tot uit uijt v van vd vom von voor y zu zum zur'.split(
    ' ',
  ),
);
const FOLDS = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
  ħ: 'h',
  Ħ: 'h',
  ŋ: 'n',
  Ŋ: 'n',
};
function refSurname(text) {
  if (text.length < 1 || text.length > 200) return null;
  let out = '';
  for (const ch of text.normalize('NFKD')) {
    if (/\p{M}/u.test(ch)) continue;
    out += FOLDS[ch] ?? ch;
  }
  out = out.toLowerCase();
  const words = [];
  let cur = '';
  for (const ch of out) {
    if (/[\s\-\u2010-\u2014'\u2018\u2019\u02bc`.,]/u.test(ch)) {
      if (cur) words.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) words.push(cur);
  if (words.length === 0 || words.some((w) => !/^[a-z]+$/.test(w))) return null;
  const kept = words.filter((w) => !PREFIXES.has(w));
  return (kept.length ? kept : words).join('');
}
function refSubstitute(input) {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { error: 'substitute_input_invalid' };
  const keys = Object.keys(input).sort().join(',');
  if (keys !== 'dateOfBirth,gender,surname' || Object.values(input).some((v) => typeof v !== 'string'))
    return { error: 'substitute_input_invalid' };
  const surname = refSurname(input.surname);
  if (surname === null) return { error: 'substitute_surname_invalid' };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.dateOfBirth);
  const y = m && Number(m[1]);
  const okDate =
    m &&
    y >= 1900 &&
    y <= 2099 &&
    Number(m[2]) >= 1 &&
    Number(m[2]) <= 12 &&
    Number(m[3]) >= 1 &&
    Number(m[3]) <= new Date(Date.UTC(y, Number(m[2]), 0)).getUTCDate();
  if (!okDate) return { error: 'substitute_date_invalid' };
  if (!['M', 'V', 'O'].includes(input.gender)) return { error: 'substitute_gender_invalid' };
  return { canonical: `${surname}|${input.dateOfBirth}|${input.gender.toLowerCase()}` };
}
const sub = (surname, dateOfBirth = '2015-03-04', gender = 'V') => ({ surname, dateOfBirth, gender });
const substituteInputs = [
  sub('van der Berg'),
  sub('Van Der Berg'),
  sub('Berg'),
  sub('BERG'),
  sub('Berg, van der'),
  sub('v.d. Berg'),
  sub('van den Berg'),
  sub("'t Hart"),
  sub('’t Hart'),
  sub("d'Ancona"),
  sub('Jansen-van Dijk'),
  sub('Jansen van Dijk'),
  sub('Janssen–Dijk'),
  sub('Çelik'),
  sub('Öztürk'),
  sub('Müller'),
  sub('Groß'),
  sub('Ødegaard'),
  sub('Łukasz'),
  sub('\u0132zerman'),
  sub('Ijzerman'),
  sub('de Vries', '2009-12-31', 'M'),
  sub('De', '2001-01-01', 'O'),
  sub('Van der'),
  sub('El Amrani'),
  sub('Nguyễn'),
  sub('  Bakker  '),
  sub('Bakker\u00a0de'),
  sub(''),
  sub('   '),
  sub('Jansen2'),
  sub('Иванов'),
  sub('O\u2019Brien'),
  sub('Jansen@'),
  sub('Berg', '2015-02-29'),
  sub('Berg', '2016-02-29'),
  sub('Berg', '2015-13-01'),
  sub('Berg', '15-03-2015'),
  sub('Berg', '1899-12-31'),
  sub('Berg', '2015-03-00'),
  sub('Berg', '2015-03-04', 'F'),
  sub('Berg', '2015-03-04', 'v'),
  { surname: 'Berg', dateOfBirth: '2015-03-04' },
  { ...sub('Berg'), bsn: '999900006' },
  { ...sub('Berg'), gender: 1 },
];
const substituteCases = substituteInputs.map((input) => ({
  scheme: SUBSTITUTE_SCHEME,
  input,
  ...refSubstitute(input),
}));
substituteCases.push({
  scheme: SUBSTITUTE_SCHEME,
  input: 'Berg|2015-03-04|V',
  error: 'substitute_input_invalid',
});
for (const code of [
  'substitute_input_invalid',
  'substitute_surname_invalid',
  'substitute_date_invalid',
  'substitute_gender_invalid',
])
  if (!substituteCases.some((c) => c.error === code)) throw new Error(`no vector for ${code}`);
const subItem = (c) => ({ scheme: SUBSTITUTE_SCHEME, input: c.input, canonical: c.canonical });
const substituteOprf = oprfCase(
  [subItem(substituteCases[0]), subItem(substituteCases[21])],
  'sluis oprf substitute case',
);
write('substitute-identifiers.json', {
  description:
    'People without a BSN, docs/protocol.md §2.2: scheme surname-birthdate-gender. cases: input {surname, dateOfBirth, gender} with its canonical text or the error code of the first failing check. oprf: the OPRF derivation of §9.2–9.4 for two of them under the key of oprf-pseudonyms.json. hmacRefused: an HMAC epoch must refuse the scheme with this code.',
  scheme: SUBSTITUTE_SCHEME,
  prefixes: [...PREFIXES],
  cases: substituteCases,
  oprf: substituteOprf,
  hmacRefused: 'scheme_requires_oprf',
});
console.log('vectors written');
