// The real pseudonym service as a process for end-to-end and browser tests (docs/protocol.md
// §9, docs/operations.md "Pseudonym service (OPRF epochs)"): its own data directory under the test's
// work directory, its OPRF epochs, its admission list (organisation keys, organisations by
// their match-server id with the match server's credential issuer, the municipality's admin
// key), started with `sluis-pseudonym-service start` on 127.0.0.1. Everything it writes to
// stdout and stderr is kept in `output`, so a test can scan it for identifiers.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  OprfPseudonymiser,
  type PseudonymServiceOptions,
  type Pseudonymiser,
  base64url,
  createPseudonymServiceClient,
} from '@sluis/client-sdk';
import { untilListening } from '../../packages/pseudonym-service/src/testing/listening.js';
import type { Org, World } from './e2e-world.js';
import { ROOT, runCli } from './server-process.js';

const SERVICE_CLI = join(ROOT, 'packages', 'pseudonym-service', 'bin', 'sluis-pseudonym-service.js');

export interface StartOptions {
  /** The portal's origin, for a page that calls the service directly. */
  readonly corsOrigin?: string;
}

export class PseudonymServiceProcess {
  readonly output: string[] = [];
  readonly dataDir: string;
  /** The epochs added with addEpoch, with their public keys (base64url). */
  readonly publicKeys = new Map<number, string>();
  #url = '';
  #child: ChildProcess | undefined;

  /** `port` 0 lets the system choose; `url` is known once started. */
  constructor(
    work: string,
    readonly port = 0,
  ) {
    this.dataDir = join(work, 'pseudonym-data');
    if (port !== 0) this.#url = `http://127.0.0.1:${port}`;
  }

  get url(): string {
    if (this.#url === '') throw new Error('the pseudonym service has not started');
    return this.#url;
  }

  /**
   * The whole logbook, oldest first: the files the running service rotated away at a UTC day
   * change (`logbook-<day>.jsonl`, then a second rotation that day's `logbook-<day>.<n>.jsonl`
   * by n) and `logbook.jsonl` last — a test that spans midnight still reads every line in order.
   */
  get logbook(): string {
    const order = (f: string): [string, number] => {
      const m = /^logbook-(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.jsonl$/.exec(f);
      return m === null ? ['~', 0] : [m[1] as string, Number(m[2] ?? 0)];
    };
    return readdirSync(this.dataDir)
      .filter((f) => /^logbook(-.+)?\.jsonl$/.test(f))
      .map((f) => ({ f, at: order(f) }))
      .sort((a, b) => (a.at[0] === b.at[0] ? a.at[1] - b.at[1] : a.at[0] < b.at[0] ? -1 : 1))
      .map(({ f }) => readFileSync(join(this.dataDir, f), 'utf8'))
      .join('');
  }

  async cli(args: readonly string[]): Promise<string> {
    const r = await runCli(SERVICE_CLI, [...args, '--data-dir', this.dataDir], { sink: this.output });
    if (r.code !== 0) throw new Error(`sluis-pseudonym-service ${args[0]} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  /** `init`, then `add-epoch` for each epoch; returns the first epoch's public key. */
  async init(...epochs: number[]): Promise<string> {
    // Made first, as the install does: init run as root does not make it (docs/operations.md).
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    await this.cli(['init']);
    for (const e of epochs) await this.addEpoch(e);
    return this.publicKeys.get(epochs[0]!) ?? '';
  }

  async addEpoch(epoch: number): Promise<string> {
    const out = JSON.parse(await this.cli(['add-epoch', '--epoch', String(epoch), '--json'])) as {
      publicKey: string;
    };
    this.publicKeys.set(epoch, out.publicKey);
    return out.publicKey;
  }

  /** Admits a signing key (an organisation's, or the municipality's admin key). */
  async admitKey(name: string, publicKey: Uint8Array): Promise<void> {
    await this.cli(['admit', '--name', name, `--public-key=${base64url.encode(publicKey)}`]);
  }

  /** Admits each organisation's key, and the municipality's admin key for its GDPR requests. */
  async admitAll(world: World, organisations: readonly Org[]): Promise<void> {
    for (const o of organisations) await this.admitKey(o.name, o.signingKey.publicKey);
    const adminKey = await world.adminKey();
    await this.admitKey('Gemeente AVG-loket', adminKey.publicKey);
  }

  /** Registers OPRF epoch `epoch` (its public key from addEpoch) at the match server. */
  async registerEpoch(world: World, epoch: number): Promise<void> {
    const r = await world.admin([
      'register-epoch',
      '--epoch',
      String(epoch),
      '--kind',
      'oprf',
      `--public-key=${this.publicKeys.get(epoch)!}`,
    ]);
    if (r.code !== 0) throw new Error(`register-epoch ${epoch}: ${r.stderr}`);
  }

  /** The SDK's pseudonymiser for `epoch` through this service, on the world's clock. */
  pseudonymiser(
    world: World,
    epoch: number,
    options: Omit<PseudonymServiceOptions, 'serviceUrl'>,
  ): Pseudonymiser {
    return OprfPseudonymiser.create({
      epoch,
      publicKey: this.publicKeys.get(epoch)!,
      service: createPseudonymServiceClient({ serviceUrl: this.url, clock: world.clock, ...options }),
    });
  }

  /** Admits an organisation by its match-server id (its people come with credentials). */
  async admit(name: string, organisationId: string): Promise<void> {
    await this.cli(['admit', '--name', name, '--organisation-id', organisationId]);
  }

  /** Accepts the match server's credentials (its keys/credential-issuer.pub.json). */
  async admitIssuer(matchServerDataDir: string): Promise<void> {
    const pub = JSON.parse(
      readFileSync(join(matchServerDataDir, 'keys', 'credential-issuer.pub.json'), 'utf8'),
    ) as { publicKey: string };
    await this.cli(['admit-issuer', '--name', 'Match server', `--public-key=${pub.publicKey}`]);
  }

  async start(options: StartOptions = {}): Promise<void> {
    const args = [SERVICE_CLI, 'start', '--port', String(this.port), '--data-dir', this.dataDir];
    if (options.corsOrigin !== undefined) args.push('--cors-origin', options.corsOrigin);
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'test' },
    });
    this.#child = child;
    child.stdout!.on('data', (d) => this.output.push(String(d)));
    child.stderr!.on('data', (d) => this.output.push(String(d)));
    this.#url = (await untilListening(child, 30_000)).url;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
