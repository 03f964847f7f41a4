// The OPRF pseudonymiser (docs/protocol.md §9) with an in-process evaluator built on
// noble and the vector key: random blinds still give the vectors' pseudonyms; batches
// are split at the batch size; any answer that is not an honest evaluation under the
// pinned key gives oprf_proof_invalid and no pseudonym. The signed HTTP client is
// tested against a fetch that records the wire; the real service in test/e2e.

import { ristretto255_oprf } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { vectors } from '../../../../test/support/vectors.js';
import { SluisError } from '../errors.js';
import { base64url, hexToBytesStrict } from '../protocol/encoding.js';
import { canonicaliseIdentifier } from '../protocol/identifier.js';
import { NOW, SEED, refusal, validBsn } from '../testing/fixtures.js';
import { OprfPseudonymiser } from './oprf-pseudonymiser.js';
import {
  type Evaluation,
  type PseudonymService,
  PseudonymServiceClient,
} from './pseudonym-service-client.js';
import { casePseudonymKey, caseSigningKey } from '../../../../test/support/case-keys.js';

const v = vectors.oprfPseudonyms();
const secretKey = hexToBytesStrict(v.key.secretKeyHex)!;
const publicKey = base64url.decode(v.key.publicKey)!;

/** Evaluates honestly under `sk`, recording the batch sizes; `tamper` may spoil the answer. */
function evaluator(sk = secretKey, pk = publicKey, tamper?: (e: Evaluation) => Evaluation) {
  const batches: number[] = [];
  const service: PseudonymService = {
    async evaluate(_epoch, blinded) {
      batches.push(blinded.length);
      const r = ristretto255_oprf.voprf.blindEvaluateBatch(sk, pk, [...blinded]);
      const e = { evaluated: r.evaluated, proof: r.proof };
      return tamper === undefined ? e : tamper(e);
    },
  };
  return { service, batches };
}

describe('OprfPseudonymiser', () => {
  it('gives the vectors’ pseudonyms with fresh random blinds, in order', async () => {
    const { service } = evaluator();
    const p = OprfPseudonymiser.create({ epoch: v.key.epoch, publicKey: v.key.publicKey, service });
    const ids = v.batch.items.map((it) => canonicaliseIdentifier(it.scheme, it.input));
    const out = await p.pseudonymiseBatch(ids);
    expect(out).toEqual(v.batch.items.map((it) => ({ epoch: v.key.epoch, value: it.pseudonym })));
    expect(p.kind).toBe('oprf');
  });

  it('splits a large batch at the batch size, one proof each', async () => {
    const { service, batches } = evaluator();
    const p = OprfPseudonymiser.create({ epoch: 3, publicKey, service, batchSize: 40 });
    const ids = Array.from({ length: 100 }, (_, i) => canonicaliseIdentifier('bsn', validBsn(i)));
    const out = await p.pseudonymiseBatch(ids);
    expect(batches).toEqual([40, 40, 20]);
    expect(new Set(out.map((x) => x.value)).size).toBe(100);
    // The same identifiers again (new blinds) give the same pseudonyms.
    expect(await p.pseudonymiseBatch(ids.slice(0, 5))).toEqual(out.slice(0, 5));
  });

  it('differs from the HMAC epoch of the same number and from another OPRF key', async () => {
    const id = canonicaliseIdentifier('bsn', validBsn(1));
    const a = await OprfPseudonymiser.create({
      epoch: 3,
      publicKey,
      service: evaluator().service,
    }).pseudonymiseBatch([id]);
    const other = ristretto255_oprf.voprf.generateKeyPair();
    const b = await OprfPseudonymiser.create({
      epoch: 3,
      publicKey: other.publicKey,
      service: evaluator(other.secretKey, other.publicKey).service,
    }).pseudonymiseBatch([id]);
    const h = await casePseudonymKey(new Uint8Array(32).fill(1), 3).pseudonymiseBatch([id]);
    expect(new Set([a[0]!.value, b[0]!.value, h[0]!.value]).size).toBe(3);
  });

  it('refuses an answer under another key, a swapped or dropped element, a spoilt proof', async () => {
    const ids = [validBsn(1), validBsn(2)].map((b) => canonicaliseIdentifier('bsn', b));
    const other = ristretto255_oprf.voprf.generateKeyPair();
    const cases: PseudonymService[] = [
      evaluator(other.secretKey, other.publicKey).service,
      // The service's real key, but claiming proof for the other key's public key.
      evaluator(secretKey, other.publicKey).service,
      evaluator(secretKey, publicKey, (e) => ({ ...e, evaluated: [e.evaluated[1]!, e.evaluated[0]!] }))
        .service,
      evaluator(secretKey, publicKey, (e) => ({ ...e, evaluated: e.evaluated.slice(1) })).service,
      evaluator(secretKey, publicKey, (e) => {
        const proof = Uint8Array.from(e.proof);
        proof[0]! ^= 1;
        return { ...e, proof };
      }).service,
    ];
    for (const service of cases) {
      const p = OprfPseudonymiser.create({ epoch: 3, publicKey, service });
      expect((await refusal(p.pseudonymiseBatch(ids))).code).toBe('oprf_proof_invalid');
    }
  });

  it('refuses a bad public key, epoch or batch size, and shows no secret', () => {
    const { service } = evaluator();
    for (const bad of v.badElements) {
      expect(() => OprfPseudonymiser.create({ epoch: 3, publicKey: bad.element, service })).toThrow(
        SluisError,
      );
    }
    expect(() => OprfPseudonymiser.create({ epoch: 0, publicKey, service })).toThrow(SluisError);
    expect(() => OprfPseudonymiser.create({ epoch: 3, publicKey, service, batchSize: 1001 })).toThrow(
      SluisError,
    );
    const p = OprfPseudonymiser.create({ epoch: 3, publicKey, service });
    expect(JSON.stringify(p)).toBe('{"kind":"oprf","epoch":3}');
    expect(String(p)).toBe('OprfPseudonymiser(epoch 3)');
  });
});

describe('PseudonymServiceClient', () => {
  const signingKey = caseSigningKey(SEED);
  function recorder(answer: (body: Record<string, unknown>) => Response) {
    const sent: { url: string; headers: Record<string, string>; body: string }[] = [];
    const fetch = async (url: string, init: RequestInit) => {
      const body = new TextDecoder().decode(init.body as Uint8Array);
      sent.push({ url, headers: init.headers as Record<string, string>, body });
      return answer(JSON.parse(body) as Record<string, unknown>);
    };
    return { sent, fetch };
  }
  const client = (fetch: (url: string, init: RequestInit) => Promise<Response>) =>
    new PseudonymServiceClient({
      serviceUrl: 'http://127.0.0.1:9/base',
      signingKey,
      fetch,
      clock: () => NOW,
      sleep: async () => {},
      retries: 0,
    });

  it('posts a signed evaluate request with only the epoch and the blinded elements', async () => {
    const { sent, fetch } = recorder((b) => {
      const blinded = (b.blindedElements as string[]).map((e) => base64url.decode(e)!);
      const r = ristretto255_oprf.voprf.blindEvaluateBatch(secretKey, publicKey, blinded);
      return Response.json({
        epoch: b.epoch,
        evaluatedElements: r.evaluated.map((e) => base64url.encode(e)),
        proof: base64url.encode(r.proof),
      });
    });
    const p = OprfPseudonymiser.create({ epoch: 3, publicKey, service: client(fetch) });
    const bsn = v.single.items[0]!.input;
    const out = await p.pseudonymiseBatch([canonicaliseIdentifier('bsn', bsn)]);
    expect(out[0]!.value).toBe(v.single.items[0]!.pseudonym);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('http://127.0.0.1:9/base/v1/evaluate');
    expect(Object.keys(JSON.parse(sent[0]!.body))).toEqual(['epoch', 'blindedElements']);
    expect(sent[0]!.headers['signature-input']).toContain(`keyid="${signingKey.keyId}"`);
    expect(sent[0]!.headers['signature-input']).toContain('tag="sluis-request-v1"');
    const wire = JSON.stringify(sent);
    expect(wire).not.toContain(bsn);
    expect(wire).not.toContain(v.single.items[0]!.pseudonym);
  });

  it('maps a problem answer to its code and refuses malformed answers', async () => {
    const problem = recorder(() =>
      Response.json({ code: 'budget_exceeded' }, { status: 429, headers: { 'retry-after': '3600' } }),
    );
    const e = await refusal(client(problem.fetch).evaluate(3, [publicKey]));
    expect(e.details.problemCode).toBe('budget_exceeded');
    for (const answer of [
      { epoch: 4, evaluatedElements: [v.key.publicKey], proof: v.single.proof },
      { epoch: 3, evaluatedElements: [], proof: v.single.proof },
      { epoch: 3, evaluatedElements: [`${v.key.publicKey}A`], proof: v.single.proof },
      { epoch: 3, evaluatedElements: [v.key.publicKey], proof: 'AAAA' },
    ]) {
      const r = recorder(() => Response.json(answer));
      expect((await refusal(client(r.fetch).evaluate(3, [publicKey]))).code).toBe('response_invalid');
    }
    await expect(client(problem.fetch).evaluate(3, [])).rejects.toThrow(SluisError);
  });
});
