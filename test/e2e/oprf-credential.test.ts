// A person without an organisation key reaches the pseudonym service (docs/protocol.md
// §9.7) on real processes: the match server (`sluis-server start`) issues a credential to
// the organisation key acting on behalf of its professional; the pseudonym service
// (`sluis-pseudonym-service start`), which admits the organisation by its match-server id
// only — never its key — and the match server's issuer key, evaluates for it and charges
// the organisation; the resulting OPRF pseudonym places a signal at the match server. The
// service's logbook counts per person and holds no BSN; a suspension at the service bites.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  OprfPseudonymiser,
  type PseudonymCredential,
  SigningKey,
  base64url,
  cachedCredential,
  canonicaliseIdentifier,
  createClient,
  createPseudonymServiceClient,
  isSluisError,
  signRequestWith,
} from '@sluis/client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, World } from '../support/e2e-world.js';
import { ROOT, runCli } from '../support/server-process.js';

const SERVICE_CLI = join(ROOT, 'packages', 'pseudonym-service', 'bin', 'sluis-pseudonym-service.js');
const world = new World();
const serviceDir = join(world.work, 'pseudonym-data');
const serviceOutput: string[] = [];
let service: ChildProcess;
let serviceUrl = '';
let oprfPublicKey = '';
let A: Org;
let professional = '';

const serviceCli = async (args: string[]) => {
  const r = await runCli(SERVICE_CLI, [...args, '--data-dir', serviceDir], { sink: serviceOutput });
  if (r.code !== 0) throw new Error(`sluis-pseudonym-service ${args[0]} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
};

/** A request to the match server signed by `key`, optionally on behalf of a person (§5.6). */
async function signedJson(key: SigningKey, method: string, path: string, body: unknown, onBehalfOf?: string) {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const headers = await signRequestWith(key, { method, path, query: '' }, bytes, {
    created: Math.floor(world.clock() / 1000),
    ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
  });
  const res = await fetch(`${world.server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const issue = async (): Promise<PseudonymCredential> => {
  const r = await signedJson(A.signingKey, 'POST', '/v1/pseudonym-credentials', {}, professional);
  if (r.status !== 201) throw new Error(`credential refused: ${r.status} ${String(r.body.code)}`);
  return r.body as unknown as PseudonymCredential;
};

const oprf = (credential?: () => Promise<string>) =>
  OprfPseudonymiser.create({
    epoch: 2,
    publicKey: oprfPublicKey,
    service: createPseudonymServiceClient({
      serviceUrl,
      signingKey: A.signingKey,
      clock: world.clock,
      retries: 0,
      ...(credential === undefined ? {} : { credential }),
    }),
  });

beforeAll(async () => {
  await world.start();
  A = await world.organisation('Jeugdzorg Oost', 'youth_care');
  const person = await signedJson(A.signingKey, 'POST', '/v1/people', {
    displayName: 'Petra de Professional',
    roles: ['professional'],
  });
  professional = (person.body.person as { id: string }).id;
  await serviceCli(['init']);
  oprfPublicKey = (
    JSON.parse(await serviceCli(['add-epoch', '--epoch', '2', '--json'])) as { publicKey: string }
  ).publicKey;
  const issuerPublic = JSON.parse(
    readFileSync(join(world.server.dataDir, 'keys', 'credential-issuer.pub.json'), 'utf8'),
  ) as { publicKey: string };
  await serviceCli(['admit-issuer', '--name', 'Match server', `--public-key=${issuerPublic.publicKey}`]);
  // Admitted by its match-server id only: its own key is NOT on the service's list.
  await serviceCli(['admit', '--name', A.name, '--organisation-id', A.id]);
  service = spawn(process.execPath, [SERVICE_CLI, 'start', '--port', '0', '--data-dir', serviceDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  service.stderr!.on('data', (d) => serviceOutput.push(String(d)));
  serviceUrl = await new Promise<string>((resolve, reject) => {
    service.once('exit', () => reject(new Error('the pseudonym service exited')));
    service.stdout!.once('data', (d) => {
      serviceOutput.push(String(d));
      resolve((JSON.parse(String(d).split('\n')[0]!) as { url: string }).url);
    });
  });
  const r = await world.admin([
    'register-epoch',
    '--epoch',
    '2',
    '--kind',
    'oprf',
    `--public-key=${oprfPublicKey}`,
  ]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  service?.kill('SIGTERM');
  await world.close();
});

const problemOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return isSluisError(e) ? e.details.problemCode : String(e);
  }
};

describe.sequential('a person reaches the pseudonym service with a match-server credential', () => {
  it('without a credential the organisation key is not admitted at the service', async () => {
    const id = canonicaliseIdentifier('bsn', world.bsn());
    expect(await problemOf(oprf().pseudonymiseBatch([id]))).toBe('key_unknown');
  });

  it('with one, the evaluation is charged to the organisation and the pseudonym places a signal', async () => {
    const bsn = world.bsn();
    const client = createClient({
      serverUrl: world.server.url,
      signingKey: A.signingKey,
      pseudonymKeys: [oprf(cachedCredential(issue, { clock: world.clock }))],
      clock: world.clock,
      retries: 0,
    });
    const placed = await client.placeSignal({
      bsn,
      contact: world.contact(),
      informed: { status: 'citizen', date: new Date(world.clock()).toISOString().slice(0, 10) },
    });
    expect(placed.signal.epochs).toEqual([2]);
    // A person without a BSN (docs/protocol.md §2.2): accepted under the OPRF epoch.
    const surname = 'van der Bergsma';
    const noBsn = await client.placeSignal({
      substitute: { surname, dateOfBirth: '2015-03-04', gender: 'V' },
      contact: world.contact(),
      informed: { status: 'citizen', date: new Date(world.clock()).toISOString().slice(0, 10) },
    });
    expect([noBsn.outcome, noBsn.signal.epochs]).toEqual(['created', [2]]);
    const lines = readFileSync(join(serviceDir, 'logbook.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"event":"evaluated"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ organisation: A.name, personId: professional, elements: 1 });
    // No BSN, in any common encoding, in the service's files or output.
    const everything = [
      readFileSync(join(serviceDir, 'logbook.jsonl'), 'utf8'),
      readFileSync(join(serviceDir, 'admission.json'), 'utf8'),
      ...serviceOutput,
      ...world.serverOutput,
    ].join('\n');
    expect(everything).not.toContain('Bergsma');
    for (const form of [
      bsn,
      base64url.encode(new TextEncoder().encode(bsn)),
      Buffer.from(bsn).toString('hex'),
    ])
      expect(everything).not.toContain(form);
  });

  it('a credential bound to the organisation key is refused when another key signs', async () => {
    const { credential } = await issue();
    const stranger = SigningKey.generate();
    const p = OprfPseudonymiser.create({
      epoch: 2,
      publicKey: oprfPublicKey,
      service: createPseudonymServiceClient({
        serviceUrl,
        signingKey: stranger,
        credential,
        clock: world.clock,
        retries: 0,
      }),
    });
    const id = canonicaliseIdentifier('bsn', world.bsn());
    expect(await problemOf(p.pseudonymiseBatch([id]))).toBe('credential_key_mismatch');
  });

  it('the organisation key alone gets no credential; a suspension at the service bites at once', async () => {
    const alone = await signedJson(A.signingKey, 'POST', '/v1/pseudonym-credentials', {});
    expect([alone.status, alone.body.code]).toEqual([403, 'person_required']);
    await serviceCli(['suspend', '--name', A.name]);
    const { credential } = await issue();
    const id = canonicaliseIdentifier('bsn', world.bsn());
    expect(await problemOf(oprf(() => Promise.resolve(credential)).pseudonymiseBatch([id]))).toBe(
      'organisation_suspended',
    );
  });
});
