// The preamble the reliability suites share: the real server process on a data directory,
// its admin client and a number of admitted organisations. Every client reads the base URL
// through the deployment, so a suite that crashes and restarts the server on the same data
// directory keeps its clients (and their keys) across the restart.

import { type ServerProcess, startServer, tempDir } from '../support/server-process.js';
import { admit, adminClient, type Org, type SignedClient } from './support.js';

/** No rate limit, budget or placement alert a load test could trip over; no retention sweep. */
export const LOAD_ARGS: readonly string[] = [
  '--rate-limit',
  '0',
  '--default-placement-budget',
  '1000000',
  '--placement-alert-per-hour',
  '1000000',
  '--retention-interval',
  '0',
];

export interface DeploymentOptions {
  readonly organisations: number;
  readonly args: readonly string[];
  /** Extra admission fields per organisation (e.g. a webhook URL), by index. */
  readonly admission?: (index: number) => Record<string, unknown>;
}

export interface Deployment {
  /** A fresh temporary directory. */
  readonly dataDir: string;
  /** The process serving now (replaced by `crashAndRestart`). */
  readonly server: ServerProcess;
  /** Every process started, in order: the suite's `afterAll` ends those still running. */
  readonly processes: readonly ServerProcess[];
  readonly admin: SignedClient;
  /** Admitted as "Organisatie 0", "Organisatie 1", … */
  readonly orgs: readonly Org[];
  /** SIGKILL the serving process, then start a new one on the same data directory. */
  crashAndRestart(): Promise<void>;
}

export async function deploy(options: DeploymentOptions): Promise<Deployment> {
  const dataDir = tempDir('sluis-reliability-');
  const start = () => startServer({ dataDir, args: options.args });
  const processes: ServerProcess[] = [await start()];
  const current = () => processes[processes.length - 1]!;
  const base = () => current().url;
  const admin = adminClient(current().adminKeyFile, base);
  const orgs: Org[] = [];
  try {
    for (let i = 0; i < options.organisations; i++) {
      orgs.push(await admit(admin, `Organisatie ${i}`, base, options.admission?.(i) ?? {}));
    }
  } catch (e) {
    await current().kill();
    throw e;
  }
  return {
    dataDir,
    get server() {
      return current();
    },
    processes,
    admin,
    orgs,
    async crashAndRestart() {
      await current().kill();
      processes.push(await start());
    },
  };
}
