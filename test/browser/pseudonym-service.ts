// The real pseudonym service as a process for the portal tests (docs/protocol.md §9): its
// own data directory, OPRF epoch 2, the match server's credential issuer admitted, the
// organisations admitted by their ids at the match server (their people's credentials), and
// CORS for the portal's origin, so the page calls it directly as in production.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from '../support/server-process.js';

const SERVICE_CLI = join(ROOT, 'packages', 'pseudonym-service', 'bin', 'sluis-pseudonym-service.js');

export class PseudonymServiceProcess {
  readonly output: string[] = [];
  readonly dataDir: string;
  readonly url: string;
  #child: ChildProcess | undefined;

  constructor(
    work: string,
    readonly port: number,
  ) {
    this.dataDir = join(work, 'pseudonym-data');
    this.url = `http://127.0.0.1:${port}`;
  }

  async cli(args: readonly string[]): Promise<string> {
    const r = await runCli(SERVICE_CLI, [...args, '--data-dir', this.dataDir], { sink: this.output });
    if (r.code !== 0) throw new Error(`sluis-pseudonym-service ${args[0]} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  /** Creates the data directory and OPRF epoch `epoch`; returns its public key (base64url). */
  async init(epoch: number): Promise<string> {
    await this.cli(['init']);
    const out = JSON.parse(await this.cli(['add-epoch', '--epoch', String(epoch), '--json'])) as {
      publicKey: string;
    };
    return out.publicKey;
  }

  /** Accepts the match server's credentials (its keys/credential-issuer.pub.json). */
  async admitIssuer(matchServerDataDir: string): Promise<void> {
    const pub = JSON.parse(
      readFileSync(join(matchServerDataDir, 'keys', 'credential-issuer.pub.json'), 'utf8'),
    ) as {
      publicKey: string;
    };
    await this.cli(['admit-issuer', '--name', 'Match server', `--public-key=${pub.publicKey}`]);
  }

  async admit(name: string, organisationId: string): Promise<void> {
    await this.cli(['admit', '--name', name, '--organisation-id', organisationId]);
  }

  async start(corsOrigin: string): Promise<void> {
    const child = spawn(
      process.execPath,
      [
        SERVICE_CLI,
        'start',
        '--port',
        String(this.port),
        '--data-dir',
        this.dataDir,
        '--cors-origin',
        corsOrigin,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'test' } },
    );
    this.#child = child;
    child.stderr!.on('data', (d) => this.output.push(String(d)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`pseudonym service did not start: ${this.output.join('')}`)),
        20_000,
      );
      child.once('exit', () => reject(new Error(`pseudonym service exited: ${this.output.join('')}`)));
      child.stdout!.on('data', (d) => {
        this.output.push(String(d));
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
